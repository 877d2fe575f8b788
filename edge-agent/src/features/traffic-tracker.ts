/**
 * The detection engine's view of the air: rolling traffic counts per cell and per (cell, TA) slot, fed
 * by decoded events. Immediate Assignments are counted by traffic class at their Timing Advance (a BTS
 * repetition of the same assignment is counted once), rejects and pagings per cell, and — when the probe
 * follows dedicated channels — each session's refinements (LU type, identity kind, novelty, TMSI
 * reallocation, authentication round trip) at the session's TA.
 *
 * Identities arrive as sub_refs (keyed HMAC). Only a bounded "seen before?" memory of them is kept, per
 * cell, to count identities that are new to the cell; nothing about an identity leaves this module.
 * Memory is bounded: one fixed-size ring per active slot, cells and slots idle for a week are evicted,
 * the identity memory and the repetition filter are capped.
 */
import type { AssignmentEvent, CellId, GsmEvent } from '../gsm/events.js';
import { cellKey } from './cell-key.js';
import { SlotRing } from './slot-ring.js';
import {
  C_PAGE_ANY, C_PAGE_CALL, C_PAGE_IMSI, C_PAGE_SDCCH, C_REJECT, C_SESSION, C_SESSION_ATTACH, C_SESSION_IMSI,
  C_SESSION_LU_NORMAL, C_SESSION_LU_PERIODIC, C_SESSION_MO, C_SESSION_NEW_ID, C_SESSION_PAGING_RESPONSE,
  C_SESSION_TMSI_REALLOC, C_SESSION_TURNOVER, C_ORIG_CLOSE, CLOSE_PAIR_MS, classOfCause, isOriginatingClass,
} from './traffic-class.js';

/** What the tracker needs of a dedicated-channel session (gsm/dedicated-session.ts emits it). */
export interface SessionFacts {
  ts_ms: number;
  cell: CellId | null;
  arfcn: number;
  ta_steps: number | null;
  initial: 'cm_service_request' | 'location_updating_request' | 'paging_response' | 'imsi_detach' | 'other' | null;
  service: 'call' | 'sms' | 'other' | null;
  lu_type: 'normal' | 'periodic' | 'imsi_attach' | null;
  /** Kind of the identity in the first message. */
  identity_kind: 'imsi' | 'tmsi' | 'imei' | null;
  sub_ref: string | null;
  tmsi_reallocated: boolean;
  /** Authentication Request → next network message on the channel, when both were seen. */
  auth_round_trip_ms: number | null;
}

export interface CellTrack {
  readonly key: string;
  cell: CellId | null;
  readonly arfcn: number;
  /** All TA slots of the cell summed, plus the cell-only classes (paging, rejects). */
  readonly ring: SlotRing;
  readonly slots: Map<number, SlotRing>;
  /** Recent authentication round trips on this cell, per TA (bounded). */
  readonly authRtt: Map<number, number[]>;
  neci: 0 | 1 | null;
  /** Periodic location update timer from SI3, decihours (0 = none). */
  t3212_decihours: number | null;
}

export interface TrackerLimits {
  /** Identities remembered per cell for novelty (oldest forgotten first). */
  identity_memory: number;
  /** Observation time of a cell before an unseen identity counts as new to it. */
  identity_warmup_ms: number;
  /** Idle time after which a slot or cell is forgotten. */
  idle_evict_ms: number;
  /** Authentication round trips kept per slot. */
  auth_samples: number;
}

export const TRACKER_DEFAULTS: TrackerLimits = {
  identity_memory: 200_000,
  identity_warmup_ms: 6 * 3_600_000,
  idle_evict_ms: 8 * 24 * 3_600_000,
  auth_samples: 64,
};

/** Repeated Immediate Assignments for one request (TS 44.018 §3.3.1.1.3) arrive within this time. */
const REPEAT_WINDOW_MS = 10_000;

export class TrafficTracker {
  readonly cells = new Map<string, CellTrack>();
  private readonly identities = new Map<string, Map<string, number>>();
  private readonly recentRequests = new Map<string, number>();
  private readonly limits: TrackerLimits;
  now_ms = 0;
  repeatedAssignments = 0;
  lateEvents = 0;

  constructor(limits: Partial<TrackerLimits> = {}) {
    this.limits = { ...TRACKER_DEFAULTS, ...limits };
  }

  add(event: GsmEvent): void {
    if (event.ts_ms > this.now_ms) this.now_ms = event.ts_ms;
    switch (event.type) {
      case 'Assignment':
        return this.addAssignment(event);
      case 'AssignmentReject': {
        const c = this.cellOf(event.cell, event.arfcn, event.ts_ms);
        c.ring.add(event.ts_ms, C_REJECT, event.requests.length);
        return;
      }
      case 'Paging': {
        if (event.subs.length === 0) return;
        const c = this.cellOf(event.cell, event.arfcn, event.ts_ms);
        event.subs.forEach((s, i) => {
          const need = event.channel_needed[i] ?? 'any';
          c.ring.add(event.ts_ms, need === 'sdcch' ? C_PAGE_SDCCH : need === 'any' ? C_PAGE_ANY : C_PAGE_CALL);
          if (s.kind === 'imsi') c.ring.add(event.ts_ms, C_PAGE_IMSI);
        });
        return;
      }
      case 'CellInfo': {
        const c = this.cells.get(cellKey(event.cell, event.arfcn));
        if (c === undefined) return;
        if (event.message === 'system_information_3') {
          const t = event.info.t3212_decihours;
          if (typeof t === 'number') c.t3212_decihours = t;
        }
        return;
      }
      default:
        return;
    }
  }

  /** A dedicated-channel session, at its TA (ignored when the TA is unknown). */
  addSession(s: SessionFacts): void {
    if (s.ts_ms > this.now_ms) this.now_ms = s.ts_ms;
    if (s.ta_steps === null || s.initial === null) return;
    const c = this.cellOf(s.cell, s.arfcn, s.ts_ms);
    const slot = this.slotOf(c, s.ta_steps, s.ts_ms);
    const add = (cls: number) => {
      slot.add(s.ts_ms, cls);
      c.ring.add(s.ts_ms, cls);
    };
    add(C_SESSION);
    if (s.initial === 'location_updating_request') {
      if (s.lu_type === 'imsi_attach') add(C_SESSION_ATTACH);
      else if (s.lu_type === 'normal') add(C_SESSION_LU_NORMAL);
      else if (s.lu_type === 'periodic') add(C_SESSION_LU_PERIODIC);
    } else if (s.initial === 'paging_response') add(C_SESSION_PAGING_RESPONSE);
    else if (s.initial === 'cm_service_request' && (s.service === 'call' || s.service === 'sms')) add(C_SESSION_MO);
    let turnover = s.lu_type === 'imsi_attach' || (s.initial === 'location_updating_request' && s.lu_type === 'normal');
    if (s.identity_kind === 'imsi') {
      add(C_SESSION_IMSI);
      turnover = true;
    }
    if (s.tmsi_reallocated) add(C_SESSION_TMSI_REALLOC);
    if (s.sub_ref !== null && this.isNewIdentity(c, s.sub_ref, s.ts_ms)) {
      add(C_SESSION_NEW_ID);
      turnover = true;
    }
    if (turnover) add(C_SESSION_TURNOVER);
    if (s.auth_round_trip_ms !== null && s.auth_round_trip_ms >= 0) {
      let samples = c.authRtt.get(s.ta_steps);
      if (samples === undefined) c.authRtt.set(s.ta_steps, (samples = []));
      samples.push(s.auth_round_trip_ms);
      if (samples.length > this.limits.auth_samples) samples.shift();
    }
  }

  /** Roll every ring to `ts_ms` and forget what has been idle for too long. */
  advanceTo(ts_ms: number): void {
    if (ts_ms > this.now_ms) this.now_ms = ts_ms;
    for (const [key, c] of this.cells) {
      if (ts_ms - c.ring.last_ts_ms > this.limits.idle_evict_ms) {
        this.cells.delete(key);
        this.identities.delete(key);
        continue;
      }
      c.ring.advance(ts_ms);
      for (const [ta, slot] of c.slots) {
        if (ts_ms - slot.last_ts_ms > this.limits.idle_evict_ms) c.slots.delete(ta);
        else slot.advance(ts_ms);
      }
    }
  }

  private addAssignment(e: AssignmentEvent): void {
    if (this.isRepetition(e)) {
      this.repeatedAssignments++;
      return;
    }
    const c = this.cellOf(e.cell, e.arfcn, e.ts_ms);
    if (e.neci !== null) c.neci = e.neci;
    const cls = classOfCause(e.request.cause, e.packet);
    const slot = this.slotOf(c, e.ta_steps, e.ts_ms);
    slot.add(e.ts_ms, cls);
    c.ring.add(e.ts_ms, cls);
    if (isOriginatingClass(cls)) {
      if (e.ts_ms - slot.last_orig_ts_ms < CLOSE_PAIR_MS) {
        slot.add(e.ts_ms, C_ORIG_CLOSE);
        c.ring.add(e.ts_ms, C_ORIG_CLOSE);
      }
      if (e.ts_ms > slot.last_orig_ts_ms) slot.last_orig_ts_ms = e.ts_ms;
    }
  }

  private cellOf(cell: CellId | null, arfcn: number, ts_ms: number): CellTrack {
    const key = cellKey(cell, arfcn);
    let c = this.cells.get(key);
    if (c === undefined) {
      c = { key, cell, arfcn, ring: new SlotRing(ts_ms), slots: new Map(), authRtt: new Map(), neci: null, t3212_decihours: null };
      this.cells.set(key, c);
    }
    return c;
  }

  private slotOf(c: CellTrack, ta: number, ts_ms: number): SlotRing {
    let slot = c.slots.get(ta);
    if (slot === undefined) c.slots.set(ta, (slot = new SlotRing(ts_ms)));
    return slot;
  }

  private isNewIdentity(c: CellTrack, subRef: string, ts_ms: number): boolean {
    let seen = this.identities.get(c.key);
    if (seen === undefined) this.identities.set(c.key, (seen = new Map()));
    const known = seen.has(subRef);
    if (known) seen.delete(subRef); // re-insert: Map order is the LRU order
    seen.set(subRef, ts_ms);
    if (seen.size > this.limits.identity_memory) seen.delete(seen.keys().next().value!);
    return !known && ts_ms - c.ring.first_ts_ms >= this.limits.identity_warmup_ms;
  }

  /**
   * The request reference (RA + reduced frame number, which wraps every ~3.3 min) identifies the CHANNEL
   * REQUEST, so the same reference within REPEAT_WINDOW_MS is the same access repeated by the BTS.
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
