/**
 * Ingest: one received MQTT message in, one outcome out. Runs the stateless checks, then dedupes and
 * stores atomically (Store.ingest), then hands accepted messages to listeners (the InfluxDB writer).
 * Every rejection is dead-lettered with its reason and counted — except a retained status that the
 * broker re-delivers after a (re)subscribe, which is normal MQTT behaviour and only counted.
 *
 * Never throws on any payload. A storage failure is reported as `store_failed` so the MQTT layer can
 * withhold the PUBACK and let the broker redeliver; it is not a property of the message, so it is not
 * dead-lettered.
 */
import { ReasonCounter, type Logger, type ParsedEnvelope } from '@simhound/protocol';
import type { Store } from '../store/store.js';
import { checkMessage, type IngestRejection } from './check-message.js';
import type { ProbeRegistry } from './probe-registry.js';

export type IngestResult =
  | { outcome: 'stored'; envelope: ParsedEnvelope }
  | { outcome: 'rejected'; reason: IngestRejection; detail?: string }
  | { outcome: 'retained_redelivery'; id: string }
  | { outcome: 'store_failed'; detail: string };

export interface IngestStats {
  accepted_total: number;
  accepted_by_kind: Record<string, number>;
  rejected_total: number;
  rejected_by_reason: Record<string, number>;
  /** Retained statuses re-delivered after a (re)subscribe whose id was already stored. */
  retained_redeliveries: number;
  store_failures: number;
  last_accepted_ts_ms: number | null;
}

export interface IngestOptions {
  store: Store;
  registry: ProbeRegistry;
  max_age_s: number;
  max_future_skew_s: number;
  log: Logger;
  clock?: () => number;
}

export type AcceptedListener = (envelope: ParsedEnvelope, received_ts_ms: number) => void;

export class Ingest {
  private readonly rejected = new ReasonCounter<IngestRejection>();
  private readonly accepted = new ReasonCounter<string>();
  private retainedRedeliveries = 0;
  private storeFailures = 0;
  private lastAccepted: number | null = null;
  private readonly listeners: AcceptedListener[] = [];
  private readonly clock: () => number;

  constructor(private readonly options: IngestOptions) {
    this.clock = options.clock ?? Date.now;
  }

  onAccepted(listener: AcceptedListener): void {
    this.listeners.push(listener);
  }

  async handle(topic: string, payload: Uint8Array, flags: { retain: boolean } = { retain: false }): Promise<IngestResult> {
    const received_ts_ms = this.clock();
    const checked = checkMessage(topic, payload, {
      registry: this.options.registry,
      now_ms: received_ts_ms,
      max_age_s: this.options.max_age_s,
      max_future_skew_s: this.options.max_future_skew_s,
    });
    if (!checked.ok) return this.reject(topic, payload, received_ts_ms, checked.reason, checked.detail);
    const env = checked.value;

    let outcome;
    try {
      outcome = await this.options.store.ingest(env, received_ts_ms);
    } catch (e) {
      this.storeFailures += 1;
      this.options.log.error('store failed; message not acknowledged', { topic, id: env.id, error: (e as Error).message });
      return { outcome: 'store_failed', detail: (e as Error).message };
    }
    if (outcome === 'duplicate') {
      if (flags.retain && env.kind === 'status') {
        this.retainedRedeliveries += 1;
        return { outcome: 'retained_redelivery', id: env.id };
      }
      return this.reject(topic, payload, received_ts_ms, 'duplicate_id', env.id);
    }

    this.accepted.add(env.kind);
    this.lastAccepted = received_ts_ms;
    for (const listener of this.listeners) {
      try {
        listener(env, received_ts_ms);
      } catch (e) {
        // A listener (e.g. the Influx writer) failing must not undo or block the stored message.
        this.options.log.error('accepted-message listener failed', { id: env.id, error: (e as Error).message });
      }
    }
    return { outcome: 'stored', envelope: env };
  }

  private async reject(topic: string, payload: Uint8Array, received_ts_ms: number, reason: IngestRejection, detail?: string): Promise<IngestResult> {
    this.rejected.add(reason);
    this.options.log.debug('rejected', { topic, reason, detail });
    try {
      await this.options.store.addDeadLetter({ received_ts_ms, topic, reason, detail: detail ?? null, payload });
    } catch (e) {
      this.options.log.error('could not write dead letter', { topic, reason, error: (e as Error).message });
    }
    return detail === undefined ? { outcome: 'rejected', reason } : { outcome: 'rejected', reason, detail };
  }

  stats(): IngestStats {
    return {
      accepted_total: this.accepted.total,
      accepted_by_kind: this.accepted.toJSON(),
      rejected_total: this.rejected.total,
      rejected_by_reason: this.rejected.toJSON(),
      retained_redeliveries: this.retainedRedeliveries,
      store_failures: this.storeFailures,
      last_accepted_ts_ms: this.lastAccepted,
    };
  }
}
