/**
 * Ties uplink bursts a probe measured (SDR on the uplink ARFCN, frame-aligned) to the Immediate
 * Assignment that answered them: the assignment's Request Reference names the RA byte and the frame
 * number of the CHANNEL REQUEST (TS 44.018 §10.5.2.30), and the BCCH carrier's ARFCN is the RACH's. A
 * tied burst gets the assignment's cell and Timing Advance — the (cell, TA) place the collector's dens are
 * made of — without decoding the uplink. A burst waits up to `hold_ms` for its assignment (AGCH answers
 * come tens to hundreds of ms later); untied ones are passed on as they were, and counted.
 *
 * Must not publish by itself (the caller hands tied observations to the batcher).
 */
import type { UplinkBurstObservation } from '@simhound/protocol';
import type { AssignmentEvent } from '../gsm/events.js';

export interface MatcherOptions {
  /** How long a burst waits for its assignment, and an assignment for its burst, ms. */
  hold_ms?: number;
  emit(observation: UplinkBurstObservation): void;
}

/** FN modulus (TS 45.002 §4.3.3). */
const FN_MODULUS = 26 * 51 * 2048;

interface Pending {
  obs: UplinkBurstObservation;
  until: number;
}

export class RequestReferenceMatcher {
  private readonly assignments = new Map<string, { cell: AssignmentEvent['cell']; ta_steps: number; until: number }>();
  private readonly bursts = new Map<string, Pending[]>();
  private readonly holdMs: number;
  counters = { assignments: 0, bursts: 0, tied: 0, untied: 0, ambiguous_ra: 0 };

  constructor(private readonly options: MatcherOptions) {
    this.holdMs = options.hold_ms ?? 2000;
  }

  private static key(arfcn: number, fn: number): string {
    return `${arfcn}:${((fn % FN_MODULUS) + FN_MODULUS) % FN_MODULUS}`;
  }

  /** Feed every decoded Immediate Assignment (packet ones included: they answer RACH bursts too). */
  onAssignment(a: AssignmentEvent): void {
    this.counters.assignments++;
    const key = RequestReferenceMatcher.key(a.arfcn, a.request.request_fn);
    const waiting = this.bursts.get(key);
    if (waiting !== undefined) {
      const rest: Pending[] = [];
      for (const p of waiting) {
        if (p.obs.ra === undefined || p.obs.ra === a.request.ra) this.tie(p.obs, a.cell, a.ta_steps);
        else rest.push(p);
      }
      if (rest.length) this.bursts.set(key, rest);
      else this.bursts.delete(key);
    }
    this.assignments.set(`${key}:${a.request.ra}`, { cell: a.cell, ta_steps: a.ta_steps, until: a.ts_ms + this.holdMs });
    this.expire(a.ts_ms);
  }

  /** Feed every uplink burst measurement. Bursts without a frame number cannot be tied and pass at once. */
  onBurst(obs: UplinkBurstObservation): void {
    this.counters.bursts++;
    if (obs.fn === undefined) {
      this.counters.untied++;
      this.options.emit(obs);
      return;
    }
    const key = RequestReferenceMatcher.key(obs.arfcn, obs.fn);
    const found = obs.ra !== undefined
      ? this.assignments.get(`${key}:${obs.ra}`)
      : this.anyRa(key);
    if (found !== undefined) this.tie(obs, found.cell, found.ta_steps);
    else {
      const list = this.bursts.get(key) ?? [];
      list.push({ obs, until: obs.ts_ms + this.holdMs });
      this.bursts.set(key, list);
    }
    this.expire(obs.ts_ms);
  }

  private anyRa(key: string): { cell: AssignmentEvent['cell']; ta_steps: number } | undefined {
    let hit: { cell: AssignmentEvent['cell']; ta_steps: number } | undefined;
    let n = 0;
    for (const [k, v] of this.assignments) {
      if (k.startsWith(`${key}:`)) {
        hit = v;
        n++;
      }
    }
    if (n > 1) {
      // Two requests in one frame (a collision the BTS resolved): without the RA we cannot tell them apart.
      this.counters.ambiguous_ra++;
      return undefined;
    }
    return hit;
  }

  private tie(obs: UplinkBurstObservation, cell: AssignmentEvent['cell'], ta_steps: number): void {
    this.counters.tied++;
    this.options.emit({ ...obs, ...(cell ? { cell } : {}), ta_steps });
  }

  /** Drop old assignments; pass on bursts whose wait is over, untied. */
  expire(now_ms: number): void {
    for (const [k, v] of this.assignments) if (v.until < now_ms) this.assignments.delete(k);
    for (const [k, list] of this.bursts) {
      const keep = list.filter((p) => {
        if (p.until >= now_ms) return true;
        this.counters.untied++;
        this.options.emit(p.obs);
        return false;
      });
      if (keep.length) this.bursts.set(k, keep);
      else this.bursts.delete(k);
    }
  }

  /** Pass on everything still waiting (shutdown). */
  flush(): void {
    this.expire(Infinity);
  }
}
