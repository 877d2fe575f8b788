/**
 * ccch-burst@2 — more call/SMS requests at one TA than that place normally carries.
 *
 * Expected originating count over the horizon:
 * - learned (features/baseline.ts): the slot's share of the cell × the cell's level × its hour-of-week
 *   profile, once the slot has `min_baseline_hours` of history; dispersion learned per slot;
 * - before that, spatial: the mean rate of the TA steps around it (two on each side) over the last hour,
 *   because people are spread smoothly over distance and a building full of SIMs is not. A cell with no neighbouring TA
 *   activity (an indoor small cell at TA 0) has no spatial expectation and is left to the learned one.
 * Evidence = negative-binomial upper tail (overdispersed humans; size from the baseline or a cautious
 * default), and the count must exceed `min_ratio` × expectation — a large effect, not only a
 * significant one, since every TA of every cell is tested every tick.
 *
 * Version 2 replaces v1's "median of the other TAs in the same window" (which collapsed to a floor of 1
 * in a one-TA cell), counts only originating causes (v1 also counted answers to paging for an SDCCH in
 * `other_sdcch` … they stay in, but are balanced by the asymmetry detector), and accumulates over
 * horizons up to an hour instead of one window.
 *
 * Must not fire on: the hour's normal rise (baseline follows the hour), a crowd spread over several TA
 * steps (the spatial expectation rises with it), a quiet cell with a handful of calls (min count).
 * Alone it does fire on a concentrated legitimate crowd (a call centre); fusion needs a den signature
 * beside it.
 */
import { originating } from '../features/traffic-class.js';
import { countAboveEvidence } from './stats.js';
import type { Indicator, SlotDetector, SlotSnapshot } from './types.js';

export interface CcchBurstV2Config {
  min_count: number;
  min_ratio: number;
  /** Negative-binomial size used before the slot's dispersion is learned (small = cautious). */
  default_nb_size: number;
  min_baseline_hours: number;
  strong_evidence: number;
  moderate_evidence: number;
}

export const CCCH_BURST_V2_DEFAULTS: CcchBurstV2Config = {
  min_count: 10,
  min_ratio: 4,
  default_nb_size: 2,
  min_baseline_hours: 6,
  strong_evidence: 8,
  moderate_evidence: 4,
};

export class CcchBurstV2Detector implements SlotDetector {
  readonly name = 'ccch-burst';
  readonly version = 2;

  constructor(private readonly config: CcchBurstV2Config = CCCH_BURST_V2_DEFAULTS) {}

  evaluate(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    const count = originating(s.slot);
    if (count < c.min_count) return null;
    let expected: number;
    let size: number;
    let basis: number;
    const b = s.baseline;
    if (b !== null && b.hours >= c.min_baseline_hours && b.support >= 20) {
      expected = (b.orig_per_h * s.observed_s) / 3600 * s.ta_span;
      // The NB size is for hourly counts; over a shorter horizon the same overdispersion φ gives r ∝ μ.
      size = Number.isFinite(b.nb_size) ? b.nb_size * (s.observed_s / 3600) : Number.POSITIVE_INFINITY;
      basis = 1;
    } else {
      const neighbourTas = Math.max(0, Math.min(4, s.active_tas - s.ta_span));
      if (neighbourTas < 2) return null;
      // The neighbours' mean per-step rate over the last hour, over this horizon.
      expected = (originating(s.neighbours_hour) / 4) * s.ta_span * (s.observed_s / s.neighbours_hour_s);
      size = c.default_nb_size;
      basis = 0;
    }
    const floor = Math.max(expected, 0.5);
    const ratio = count / floor;
    if (ratio < c.min_ratio) return null;
    const evidence = countAboveEvidence(count, floor, Math.max(size, 0.5));
    const level = evidence >= c.strong_evidence ? 'strong' : evidence >= c.moderate_evidence ? 'moderate' : null;
    if (level === null) return null;
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: s.horizon_s,
      evidence,
      level,
      facts: { event_count: count, baseline_count: expected, ratio, baseline_learned: basis },
      reason: `${count} call/SMS requests at this TA in ${Math.round(s.observed_s / 60)} min against ${expected.toFixed(1)} expected (${basis ? 'learned baseline' : 'neighbouring TA steps'})`,
    };
  }
}
