/**
 * Feature windows: turns decoded events into counts per (cell, ARFCN, TA, cause) over fixed, aligned
 * windows of `window_s` seconds, plus paging counts per cell. Time comes from the events (capture time
 * for a pcap, receive time for live UDP), so a replay produces the same windows as the live run did.
 *
 * It keeps counts and event times only; identities arrive already pseudonymised and only their count of
 * distinct values is kept per window.
 */
import type { EstablishmentCause } from '@simhound/protocol';
import type { AssignmentEvent, CellId, GsmEvent } from '../gsm/events.js';
import { cellKey } from './cell-key.js';

/** One (cell, ARFCN, TA) slot within one window. */
export interface SlotFeatures {
  cell: CellId | null;
  arfcn: number;
  ta_steps: number;
  count_by_cause: Partial<Record<EstablishmentCause, number>>;
  /** Event times (ms) of every assignment in the slot, in arrival order. */
  event_ts_ms: number[];
}

/** Per (cell, ARFCN) totals within one window. */
export interface CellFeatures {
  cell: CellId | null;
  arfcn: number;
  /** Slots of this cell, keyed by TA. */
  slots: Map<number, SlotFeatures>;
  paging_count: number;
  paging_subs: Set<string>;
}

export interface WindowFeatures {
  start_ts_ms: number;
  end_ts_ms: number;
  window_s: number;
  cells: Map<string, CellFeatures>;
}

export type WindowSink = (w: WindowFeatures) => void;

export class FeatureWindower {
  private current: WindowFeatures | null = null;
  private readonly windowMs: number;
  /** Events older than the open window (reordered input) are counted, not silently dropped. */
  lateEvents = 0;
  /** Immediate Assignments the BTS repeated for the same request (same RA and request frame). */
  repeatedAssignments = 0;
  /** Recently seen request references, to drop BTS repetitions: key → ts_ms. */
  private readonly recentRequests = new Map<string, number>();

  constructor(
    readonly window_s: number,
    private readonly onWindow: WindowSink,
  ) {
    if (!(window_s > 0)) throw new RangeError('window_s must be > 0');
    this.windowMs = Math.round(window_s * 1000);
  }

  add(event: GsmEvent): void {
    this.advanceTo(event.ts_ms);
    const w = this.current;
    if (w === null || event.ts_ms < w.start_ts_ms) {
      this.lateEvents++;
      return;
    }
    if (event.type === 'Assignment') this.addAssignment(w, event);
    else if (event.type === 'Paging' && event.subs.length > 0) {
      const c = this.cellOf(w, event.cell, event.arfcn);
      c.paging_count++;
      for (const s of event.subs) c.paging_subs.add(s.sub_ref);
    }
  }

  /** Close every window that ends at or before `ts_ms`, and open the one containing it. */
  advanceTo(ts_ms: number): void {
    const start = Math.floor(ts_ms / this.windowMs) * this.windowMs;
    if (this.current === null) {
      this.current = this.open(start);
      return;
    }
    if (start > this.current.start_ts_ms) {
      const closed = this.current;
      this.current = this.open(start);
      this.onWindow(closed);
    }
  }

  /** Close the open window (end of a capture, shutdown). */
  flush(): void {
    if (this.current !== null) {
      const closed = this.current;
      this.current = null;
      this.onWindow(closed);
    }
  }

  private open(start: number): WindowFeatures {
    return { start_ts_ms: start, end_ts_ms: start + this.windowMs, window_s: this.window_s, cells: new Map() };
  }

  private cellOf(w: WindowFeatures, cell: CellId | null, arfcn: number): CellFeatures {
    const key = cellKey(cell, arfcn);
    let c = w.cells.get(key);
    if (c === undefined) {
      c = { cell, arfcn, slots: new Map(), paging_count: 0, paging_subs: new Set() };
      w.cells.set(key, c);
    }
    return c;
  }

  private addAssignment(w: WindowFeatures, e: AssignmentEvent): void {
    if (e.packet) return; // packet (GPRS) assignments are data sessions, not calls/SMS
    if (this.isRepetition(e)) {
      this.repeatedAssignments++;
      return;
    }
    const c = this.cellOf(w, e.cell, e.arfcn);
    let slot = c.slots.get(e.ta_steps);
    if (slot === undefined) {
      slot = { cell: e.cell, arfcn: e.arfcn, ta_steps: e.ta_steps, count_by_cause: {}, event_ts_ms: [] };
      c.slots.set(e.ta_steps, slot);
    }
    const cause = e.request.cause;
    slot.count_by_cause[cause] = (slot.count_by_cause[cause] ?? 0) + 1;
    slot.event_ts_ms.push(e.ts_ms);
  }

  /**
   * A BTS often sends the same Immediate Assignment twice or more (TS 44.018 §3.3.1.1.3). The request
   * reference (RA + reduced frame number, which wraps every ~3.3 min) identifies the CHANNEL REQUEST, so a
   * repeat within REPEAT_WINDOW_MS is the same access, not a new one.
   */
  private isRepetition(e: AssignmentEvent): boolean {
    const key = `${cellKey(e.cell, e.arfcn)}|${e.request.ra}|${e.request.request_rfn}`;
    const seen = this.recentRequests.get(key);
    this.recentRequests.set(key, e.ts_ms);
    if (this.recentRequests.size > 4096) {
      for (const [k, t] of this.recentRequests) if (e.ts_ms - t > REPEAT_WINDOW_MS) this.recentRequests.delete(k);
    }
    return seen !== undefined && e.ts_ms - seen <= REPEAT_WINDOW_MS;
  }
}

const REPEAT_WINDOW_MS = 10_000;
