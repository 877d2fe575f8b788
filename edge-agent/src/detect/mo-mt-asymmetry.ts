/**
 * mo-mt-asymmetry@1 — a place that calls out but is not called.
 *
 * People are paged about as often as they dial (each call has two ends), so at any Timing Advance the
 * answered pagings (MT calls) keep a share of that TA's accesses close to the cell's share. A SIM box
 * dials out from one spot and its SIMs are rarely called back (scam numbers, fresh SIMs), so at its TA
 * the originating accesses pile up while answered pagings stay at the level of the few people living
 * in that ring.
 *
 * Test: q = MT / (originating + MT) at the slot against q₀, the same share on the rest of the cell (with
 * a weak prior when the rest is thin, e.g. an indoor small cell whose traffic is all at TA 0).
 * Evidence = lower binomial tail of the slot's MT count at q₀, with a small intra-class correlation
 * (people in one building are not independent). The effect — observed share / q₀ — must also be small:
 * a legitimate call centre with an inbound line, or a stadium, has some lean toward originating but
 * never a place where almost nobody is called.
 *
 * Must not fire on: crowds (stadium, station, market: people there are called too), a call centre with
 * inbound traffic, a single heavy user (too few accesses for evidence), a small cell (q₀ from the prior).
 * Known limit: dens whose ports call each other ("port inter-calling", HBS) answer pagings at their own
 * TA; the pairing of those MT accesses with the den's own MO accesses is a later version's job. When the
 * same TA also holds a crowd (a den beside a stadium) the crowd's pagings dilute the signal until it
 * leaves.
 */
import { C_MT, originating } from '../features/traffic-class.js';
import { shareBelowEvidence } from './stats.js';
import type { Indicator, SlotDetector, SlotSnapshot } from './types.js';

export interface MoMtAsymmetryConfig {
  /** Prior MT share of (originating + MT) accesses: calls are half MT, SMS procedures all count as originating. */
  prior_mt_share: number;
  /** Weight of the prior, in accesses. */
  prior_weight: number;
  /** Intra-class correlation of accesses at one slot. */
  rho: number;
  /** Fewest accesses (originating + MT) at the slot before testing. */
  min_accesses: number;
  /** Evidence (−log10 p) and effect (observed/expected share) for a strong indicator. */
  strong_evidence: number;
  strong_effect_max: number;
  /** … and for a moderate one. */
  moderate_evidence: number;
  moderate_effect_max: number;
}

export const MO_MT_ASYMMETRY_DEFAULTS: MoMtAsymmetryConfig = {
  prior_mt_share: 0.25,
  prior_weight: 20,
  rho: 0.002,
  min_accesses: 12,
  strong_evidence: 6,
  strong_effect_max: 0.35,
  moderate_evidence: 3,
  moderate_effect_max: 0.55,
};

export class MoMtAsymmetryDetector implements SlotDetector {
  readonly name = 'mo-mt-asymmetry';
  readonly version = 1;

  constructor(private readonly config: MoMtAsymmetryConfig = MO_MT_ASYMMETRY_DEFAULTS) {}

  evaluate(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    const orig = originating(s.slot);
    const mt = s.slot[C_MT]!;
    const n = orig + mt;
    if (n < c.min_accesses || orig <= mt) return null;
    const othersOrig = originating(s.others);
    const othersMt = s.others[C_MT]!;
    const q0 = (othersMt + c.prior_mt_share * c.prior_weight) / (othersOrig + othersMt + c.prior_weight);
    if (!(q0 > 0)) return null;
    const q = mt / n;
    const effect = q / q0;
    const evidence = shareBelowEvidence(mt, n, q0, c.rho);
    const level = evidence >= c.strong_evidence && effect <= c.strong_effect_max ? 'strong'
      : evidence >= c.moderate_evidence && effect <= c.moderate_effect_max ? 'moderate' : null;
    if (level === null) return null;
    // Originating accesses not explained by the people at this TA (what the den adds).
    const excess = Math.max(0, orig - (mt * (1 - q0)) / q0);
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: s.horizon_s,
      evidence,
      level,
      facts: { mt_share: q, mt_share_expected: q0, originating_count: orig, mt_count: mt, excess_count: excess },
      reason: `answered pagings are ${(q * 100).toFixed(1)} % of accesses at this TA against ${(q0 * 100).toFixed(1)} % on the rest of the cell (${orig} originating, ${mt} answered)`,
    };
  }
}
