/**
 * The collector's den machinery in one place: every accepted detection goes to the tracker, every
 * accepted observation message too; dens whose places or observations changed get their location
 * updated shortly after (debounced per den, one update at a time). The HTTP routes read through it.
 *
 * Must not block or fail ingest: it runs after the message is stored, and counts its own failures.
 */
import type { Logger, ParsedEnvelope } from '@simhound/protocol';
import type { DetectionRecord, ObservationRecord, Store } from '../store/store.js';
import { DenLocator, type DenLocatorOptions } from './den-locator.js';
import { DenTracker, type DenTrackerConfig } from './den-tracker.js';

export interface DenServiceOptions {
  tracker?: Partial<DenTrackerConfig>;
  locator?: DenLocatorOptions;
  /** Wait this long after a change before relocating a den (batches bursts), ms. */
  update_debounce_ms?: number;
  clock?: () => number;
  log?: Logger;
}

export class DenService {
  readonly tracker: DenTracker;
  readonly locator: DenLocator;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private running: Promise<unknown> = Promise.resolve();
  private closed = false;
  counters = { location_updates: 0, failures: 0 };

  constructor(
    private readonly store: Store,
    private readonly options: DenServiceOptions = {},
  ) {
    const schedule = (id: string) => this.schedule(id);
    this.tracker = new DenTracker(store, { config: options.tracker, clock: options.clock, log: options.log, events: { onPlacesChanged: schedule, onObservations: schedule } });
    this.locator = new DenLocator(store, { ...options.locator, clock: options.clock, log: options.log });
  }

  /** Ingest's accepted-message hook. */
  onAccepted(env: ParsedEnvelope, received_ts_ms: number): void {
    if (this.closed) return;
    const meta = { id: env.id, site: env.site, probe: env.probe, ts_ms: env.ts_ms, seq: env.seq, received_ts_ms };
    if (env.kind === 'detection') {
      void this.tracker.onDetection({ ...meta, ...env.body } as DetectionRecord);
    } else if (env.kind === 'observation') {
      const items = env.body.observations.map((o, idx) => ({ ...o, message_id: env.id, idx, site: env.site, probe: env.probe, received_ts_ms }) as ObservationRecord);
      if (items.some((o) => o.type === 'uplink_burst')) void this.tracker.onObservations(env.id, env.site, env.probe, items);
    }
  }

  /** Relocate a den soon (debounced). */
  schedule(den_id: string): void {
    if (this.closed || this.pending.has(den_id)) return;
    const t = setTimeout(() => {
      this.pending.delete(den_id);
      this.running = this.running.then(async () => {
        const r = await this.locator.update(den_id);
        if (r === null) this.counters.failures++;
        else this.counters.location_updates++;
      });
    }, this.options.update_debounce_ms ?? 250);
    t.unref();
    this.pending.set(den_id, t);
  }

  /** Wait until tracking and queued location updates are done (tests, shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      await this.tracker.idle();
      if (this.pending.size === 0) {
        await this.running;
        await this.tracker.idle();
        if (this.pending.size === 0) return;
      }
      await new Promise((r) => setTimeout(r, (this.options.update_debounce_ms ?? 250) + 10));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    await this.tracker.idle();
    await this.running;
  }

  stats() {
    return { tracker: { ...this.tracker.counters }, locator: { ...this.locator.counters }, ...this.counters };
  }
}
