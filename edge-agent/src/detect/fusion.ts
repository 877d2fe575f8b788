/**
 * den-candidate@1 — fusion: the indicators of one (cell, TA) place become a den candidate only when
 * they agree the way a SIM box makes them agree, and never on one signal alone.
 *
 * A den is demand that (1) is steady — spread over the horizon, not one burst — and large enough to be
 * more than a person (an excess of at least `min_excess_count` accesses and `min_excess_per_min`), and
 * (2) carries a den signature that crowds do not: almost nobody answering pagings there (strong
 * mo-mt-asymmetry), or a weaker asymmetry together with excess demand or another machine signature, or
 * excess demand together with two independent machine signatures (SIM turnover, machine regularity,
 * remote-SIM latency, several operators at one spot, many equal-power uplink transmitters).
 *
 *   rule A  asymmetry strong                                  ∧ steady ∧ excess
 *   rule B  asymmetry moderate ∧ (volume ∨ ≥ 1 signature)      ∧ steady ∧ excess
 *   rule C  volume strong ∧ ≥ 2 signatures (moderate or more)  ∧ steady
 *   (volume = ccch-burst or ta-concentration)
 *
 * Score: the indicators' evidence (−log10 p, each capped at 15) weighted and summed, mapped through a
 * logistic whose centre and slope are config (calibrated by `simhound eval` on the scenario library and
 * documented in docs/evaluation.md). Severity: high when the score ≥ `high_score` and two or more
 * detectors are strong, medium when ≥ `medium_score`, else low.
 *
 * Must not fire on: a stadium, station, market or office crowd (people there are called: no strong
 * asymmetry; bursty: not steady; spread over steps), a call centre with inbound lines (called), a single
 * heavy user (one burst, below the excess), an indoor small cell (the rest of the cell gives no contrast,
 * the prior does not single it out).
 */
import type { Indicator } from './types.js';

export interface FusionConfig {
  min_excess_count: number;
  min_excess_per_min: number;
  /** Steadiness: of 6 equal blocks of the horizon, at least this many carry originating demand … */
  min_active_blocks: number;
  /** … and no block carries more than this share of it. */
  max_block_share: number;
  score_centre: number;
  score_slope: number;
  medium_score: number;
  high_score: number;
}

export const FUSION_DEFAULTS: FusionConfig = {
  min_excess_count: 10,
  min_excess_per_min: 0.3,
  min_active_blocks: 4,
  max_block_share: 0.5,
  score_centre: 12,
  score_slope: 4,
  medium_score: 0.6,
  high_score: 0.9,
};

export const VOLUME_DETECTORS = ['ccch-burst', 'ta-concentration'] as const;
export const SIGNATURE_DETECTORS = ['sim-rotation', 'machine-regularity', 'remote-sim-latency', 'multi-operator', 'uplink-multislot'] as const;

const WEIGHTS: Readonly<Record<string, number>> = {
  'mo-mt-asymmetry': 1,
  'ccch-burst': 0.5,
  'ta-concentration': 0.5,
  'sim-rotation': 0.8,
  'machine-regularity': 0.6,
  'remote-sim-latency': 0.8,
  'multi-operator': 0.8,
  'uplink-multislot': 0.8,
};

/** What fusion needs about one place besides its indicators. */
export interface PlaceActivity {
  /** Blocks (of 6) of the asymmetry/volume horizon with demand, and the largest block's share. */
  active_blocks: number;
  max_block_share: number;
  /** Accesses the people at this TA do not explain, and over how many minutes. */
  excess_count: number;
  minutes: number;
}

export interface FusionVerdict {
  rule: 'A' | 'B' | 'C';
  score: number;
  severity: 'low' | 'medium' | 'high';
  /** The indicators that took part, strongest first. */
  indicators: Indicator[];
}

export function fuse(indicators: ReadonlyMap<string, Indicator>, activity: PlaceActivity, config: FusionConfig = FUSION_DEFAULTS): FusionVerdict | null {
  const asym = indicators.get('mo-mt-asymmetry');
  const volume = VOLUME_DETECTORS.map((d) => indicators.get(d)).filter((i): i is Indicator => i !== undefined);
  const signatures = SIGNATURE_DETECTORS.map((d) => indicators.get(d)).filter((i): i is Indicator => i !== undefined);
  const steady = activity.active_blocks >= config.min_active_blocks && activity.max_block_share <= config.max_block_share;
  const excess = activity.excess_count >= config.min_excess_count && activity.excess_count / Math.max(1, activity.minutes) >= config.min_excess_per_min;

  let rule: FusionVerdict['rule'] | null = null;
  if (steady && excess && asym?.level === 'strong') rule = 'A';
  else if (steady && excess && asym !== undefined && (volume.length > 0 || signatures.length > 0)) rule = 'B';
  else if (steady && volume.some((v) => v.level === 'strong') && signatures.length >= 2) rule = 'C';
  if (rule === null) return null;

  const used = [...(asym ? [asym] : []), ...volume, ...signatures].sort((a, b) => b.evidence - a.evidence);
  let sum = 0;
  for (const i of used) sum += (WEIGHTS[i.detector] ?? 0.5) * Math.min(15, i.evidence);
  const score = 1 / (1 + Math.exp(-(sum - config.score_centre) / config.score_slope));
  const strong = used.filter((i) => i.level === 'strong').length;
  const severity = score >= config.high_score && strong >= 2 ? 'high' : score >= config.medium_score ? 'medium' : 'low';
  return { rule, score, severity, indicators: used };
}
