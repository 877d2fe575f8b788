/**
 * sim-rotation@1 — SIM cards turning over at one TA.
 *
 * SIM boxes swap SIMs by rule (after N calls, minutes or a block) to stay under operators' fraud
 * thresholds. Each fresh SIM registers: an IMSI attach / location update, often with its IMSI (it has no
 * TMSI yet) and a TMSI reallocation. People keep their SIM for months; their location updates come from
 * moving in (normal LU), the periodic timer (T3212) and switching on, and they spread over the cell like
 * the people do.
 *
 * Tests (the strongest available wins):
 * - on the CCCH alone: location-update accesses at the slot per answered paging (the population proxy:
 *   people are paged where they are) against the same ratio on the rest of the cell;
 * - with the probe following SDCCH: attaches + normal LUs + IMSI-identified first messages + identities
 *   new to the cell, per session at the slot against the rest of the cell.
 * The effect (observed/expected share) must be at least `min_effect`, and the evidence past thresholds.
 *
 * Must not fire on: commuters arriving (their normal LUs follow the people, i.e. the pagings, and move
 * between TA steps), a cell restart storm (whole cell, not one TA), a stadium's arrival wave on its own
 * (it is one burst: fusion needs persistence and demand beside it), periodic LUs of a quiet TA.
 */
import { C_LU, C_MT, C_SESSION, C_SESSION_TURNOVER } from '../features/traffic-class.js';
import { shareAboveEvidence } from './stats.js';
import type { Indicator, SlotDetector, SlotSnapshot } from './types.js';

export interface SimRotationConfig {
  prior_lu_share: number;
  /** Prior share of sessions that show SIM turnover (attach, normal LU, IMSI, new identity). */
  prior_turnover_share: number;
  prior_weight: number;
  rho: number;
  min_events: number;
  min_effect: number;
  strong_evidence: number;
  moderate_evidence: number;
}

export const SIM_ROTATION_DEFAULTS: SimRotationConfig = {
  prior_lu_share: 0.35,
  prior_turnover_share: 0.15,
  prior_weight: 20,
  rho: 0.005,
  min_events: 6,
  min_effect: 2,
  strong_evidence: 6,
  moderate_evidence: 3,
};

export class SimRotationDetector implements SlotDetector {
  readonly name = 'sim-rotation';
  readonly version = 1;

  constructor(private readonly config: SimRotationConfig = SIM_ROTATION_DEFAULTS) {}

  evaluate(s: SlotSnapshot): Indicator | null {
    const a = this.ccchTest(s);
    const b = this.sessionTest(s);
    const best = a === null ? b : b === null ? a : b.evidence >= a.evidence ? b : a;
    return best;
  }

  private ccchTest(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    const lu = s.slot[C_LU]!;
    const mt = s.slot[C_MT]!;
    if (lu < c.min_events) return null;
    const q0 = (s.others[C_LU]! + c.prior_lu_share * c.prior_weight) / (s.others[C_LU]! + s.others[C_MT]! + c.prior_weight);
    return this.judge(s, lu, lu + mt, q0, 'ccch', `${lu} location updates against ${mt} answered pagings at this TA`);
  }

  private sessionTest(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    const sessions = s.slot[C_SESSION]!;
    const turnover = s.slot[C_SESSION_TURNOVER]!;
    if (sessions < c.min_events || turnover < c.min_events) return null;
    const q0 = (s.others[C_SESSION_TURNOVER]! + c.prior_turnover_share * c.prior_weight) / (s.others[C_SESSION]! + c.prior_weight);
    return this.judge(s, turnover, sessions, q0, 'sdcch', `${turnover} of ${sessions} sessions at this TA show SIM turnover (attach, IMSI, identity new to the cell)`);
  }

  private judge(s: SlotSnapshot, x: number, n: number, q0: number, basis: string, what: string): Indicator | null {
    const c = this.config;
    if (n <= 0 || !(q0 > 0)) return null;
    const share = Math.min(1, x / n);
    const effect = share / q0;
    if (effect < c.min_effect) return null;
    const evidence = shareAboveEvidence(Math.min(x, n), n, q0, c.rho);
    const level = evidence >= c.strong_evidence ? 'strong' : evidence >= c.moderate_evidence ? 'moderate' : null;
    if (level === null) return null;
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: s.horizon_s,
      evidence,
      level,
      facts: { turnover_count: x, turnover_share: share, turnover_share_expected: q0, sdcch_basis: basis === 'sdcch' ? 1 : 0 },
      reason: `${what}: ${(share * 100).toFixed(0)} % against ${(q0 * 100).toFixed(0)} % on the rest of the cell`,
    };
  }
}
