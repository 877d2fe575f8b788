/**
 * mo-mt-asymmetry@1 — a place that calls out but is not called.
 *
 * A call has two ends, so people are paged about as often as they dial: at any Timing Advance the
 * answered pagings for calls (MT) keep a share of that TA's call accesses near the cell's share. A SIM
 * box dials out from one spot and its SIMs are rarely called back (scam numbers, fresh SIMs), so at its
 * TA originating calls pile up while answered pagings stay at the level of the few people living there.
 * SMS-blasting boxes do the same with SDCCH procedures.
 *
 * Two tests, the stronger wins:
 * - calls: MT / (MO calls + MT) at the slot against the same share on the rest of the cell (q₀);
 * - SMS/SDCCH procedures: MT / (SDCCH procedures + MT) against the rest of the cell (catches SMS blasts;
 *   MT SMS answers are counted with SDCCH procedures on the CCCH, so this is a weaker ratio).
 * Places differ: an SMS-heavy neighbourhood, an office, a quarter whose people are called less. So the
 * evidence is a lower binomial tail against h × q₀, not q₀, where h is how low people's places in this
 * very cell go (the 10th percentile of per-TA share / cell share over the last hour, clamped to
 * [`heterogeneity_min`, `heterogeneity_max`]; `heterogeneity` before there are enough places to say):
 * it asks whether the share is clearly below where people's places go; a small intra-class correlation
 * is applied too. The point effect (observed / q₀) must also be small.
 * A loud den's first minutes give little data: the same test without the margin is reported in the
 * facts (`p_log10_unadjusted`), and fusion may use it only for loud demand with an extreme effect and
 * volume beside it.
 * Before the rest of the cell has data (an indoor small cell at TA 0), a weak prior stands in for q₀.
 *
 * Must not fire on: crowds (stadium, station, market: people there are called too), a call centre with
 * inbound lines, an SMS-heavy quarter (calls test), a single heavy user (too few accesses; fusion also
 * asks for two devices at once), a small cell (prior, no contrast).
 * Known limit: dens whose ports call each other ("port inter-calling", HBS) answer pagings at their own
 * TA and can hide from this test; sim-rotation, machine-regularity and uplink-multislot remain. When the
 * same TA also holds a crowd (a den beside a stadium) the crowd's answers dilute the signal until it
 * leaves.
 */
import { C_MO_CALL, C_MO_MIXED, C_MT, C_SDCCH } from '../features/traffic-class.js';
import { shareBelowEvidence } from './stats.js';
import type { Indicator, SlotDetector, SlotSnapshot } from './types.js';

export interface MoMtAsymmetryConfig {
  /** Prior MT share of call accesses (calls have two ends; people are called slightly less than they call). */
  prior_call_mt_share: number;
  /** Prior MT-call share of (SDCCH procedures + MT calls). */
  prior_sms_mt_share: number;
  /** Weight of the priors, in accesses. */
  prior_weight: number;
  /** Evidence is computed against this fraction of the cell's share (places differ from their cell) … */
  heterogeneity: number;
  /** … or, once the cell has enough places, how low they go, within these bounds. */
  heterogeneity_min: number;
  heterogeneity_max: number;
  /**
   * The SDCCH test's effect limits are multiplied by this: SMS habits differ more between places than call
   * habits (a campus texts far more than it calls), so only a near-absence of answers counts there.
   */
  sdcch_effect_factor: number;
  /** An extreme effect (observed/expected at most this) with unadjusted evidence ≥ fast_evidence is reported for fusion's fast path. */
  fast_effect_max: number;
  fast_evidence: number;
  /** Intra-class correlation of accesses at one slot. */
  rho: number;
  /** Fewest accesses at the slot in a test before it runs. */
  min_accesses: number;
  /** Evidence (−log10 p) and point effect (observed/expected share) for a strong indicator. */
  strong_evidence: number;
  strong_effect_max: number;
  /** … and for a moderate one. */
  moderate_evidence: number;
  moderate_effect_max: number;
}

export const MO_MT_ASYMMETRY_DEFAULTS: MoMtAsymmetryConfig = {
  prior_call_mt_share: 0.45,
  prior_sms_mt_share: 0.25,
  prior_weight: 20,
  heterogeneity: 0.5,
  heterogeneity_min: 0.35,
  heterogeneity_max: 0.8,
  sdcch_effect_factor: 0.3,
  fast_effect_max: 0.2,
  fast_evidence: 4,
  rho: 0.002,
  min_accesses: 12,
  strong_evidence: 6,
  strong_effect_max: 0.35,
  moderate_evidence: 3.5,
  moderate_effect_max: 0.5,
};

interface TestResult {
  basis: 'calls' | 'sdcch';
  originating: number;
  mt: number;
  q: number;
  q0: number;
  evidence: number;
  unadjusted: number;
}

export class MoMtAsymmetryDetector implements SlotDetector {
  readonly name = 'mo-mt-asymmetry';
  readonly version = 1;

  constructor(private readonly config: MoMtAsymmetryConfig = MO_MT_ASYMMETRY_DEFAULTS) {}

  evaluate(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    const mt = s.slot[C_MT]!;
    const othersMt = s.others[C_MT]!;
    const h = s.cell_low_mt_ratio === null ? c.heterogeneity : Math.min(c.heterogeneity_max, Math.max(c.heterogeneity_min, s.cell_low_mt_ratio));
    const calls = this.test('calls', s.slot[C_MO_CALL]! + s.slot[C_MO_MIXED]!, mt, s.others[C_MO_CALL]! + s.others[C_MO_MIXED]!, othersMt, c.prior_call_mt_share, h);
    const sdcch = this.test('sdcch', s.slot[C_SDCCH]!, mt, s.others[C_SDCCH]!, othersMt, c.prior_sms_mt_share, h);
    // Judge each test with its own effect limits; keep the one with the higher level, then evidence.
    const judge = (t: TestResult | null) => {
      if (t === null) return null;
      const f = t.basis === 'sdcch' ? c.sdcch_effect_factor : 1;
      const effect = t.q / t.q0;
      const fast = t.unadjusted >= c.fast_evidence && effect <= c.fast_effect_max * f;
      const level = t.evidence >= c.strong_evidence && effect <= c.strong_effect_max * f ? 'strong' as const
        : (t.evidence >= c.moderate_evidence && effect <= c.moderate_effect_max * f) || fast ? 'moderate' as const : null;
      return level === null ? null : { t, level };
    };
    const a = judge(calls);
    const b = judge(sdcch);
    const rank = (x: { level: 'strong' | 'moderate' } | null) => (x === null ? 0 : x.level === 'strong' ? 2 : 1);
    const chosen = rank(b) > rank(a) || (rank(b) === rank(a) && b !== null && a !== null && b.t.evidence > a.t.evidence) ? b : a;
    if (chosen === null) return null;
    const { t: best, level } = chosen;
    const orig = s.slot[C_MO_CALL]! + s.slot[C_MO_MIXED]! + s.slot[C_SDCCH]!;
    // Originating accesses not explained by the people at this TA (what the den adds): each test's
    // originating class against what its MT answers predict.
    const explain = (origClass: number, q0: number) => Math.max(0, origClass - (mt * (1 - q0)) / q0);
    const excess = calls && sdcch
      ? explain(s.slot[C_MO_CALL]! + s.slot[C_MO_MIXED]!, calls.q0) + explain(s.slot[C_SDCCH]!, sdcch.q0)
      : explain(best.originating, best.q0);
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: s.horizon_s,
      evidence: best.evidence,
      level,
      facts: {
        mt_share: best.q,
        mt_share_expected: best.q0,
        heterogeneity: h,
        p_log10_unadjusted: best.unadjusted,
        sdcch_basis: best.basis === 'sdcch' ? 1 : 0,
        originating_count: orig,
        mt_count: mt,
        excess_count: Math.min(orig, excess),
      },
      reason: `answered pagings are ${(best.q * 100).toFixed(1)} % of ${best.basis === 'calls' ? 'call' : 'SDCCH'} accesses at this TA against ${(best.q0 * 100).toFixed(1)} % on the rest of the cell (${best.originating} originating, ${mt} answered)`,
    };
  }

  private test(basis: TestResult['basis'], originating: number, mt: number, othersOrig: number, othersMt: number, prior: number, h: number): TestResult | null {
    const c = this.config;
    const n = originating + mt;
    if (n < c.min_accesses || originating <= mt) return null;
    const q0 = (othersMt + prior * c.prior_weight) / (othersOrig + othersMt + c.prior_weight);
    if (!(q0 > 0)) return null;
    return { basis, originating, mt, q: mt / n, q0, evidence: shareBelowEvidence(mt, n, h * q0, c.rho), unadjusted: shareBelowEvidence(mt, n, q0, c.rho) };
  }
}
