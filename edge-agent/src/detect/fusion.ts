/**
 * den-candidate@1 — fusion: the indicators of one (cell, TA) place become a den candidate only when
 * they agree the way a SIM box makes them agree, and never on one signal alone.
 *
 * A den is demand that (1) is steady — spread over the horizon, not one burst — and large enough to be
 * more than a person (an excess of at least `min_excess_count` accesses and `min_excess_per_min`), and
 * (2) carries a den signature that crowds do not: almost nobody answering pagings there (strong
 * mo-mt-asymmetry); or the same large effect on less data together with excess demand (the first minute
 * of a loud den); or a weaker asymmetry together with a machine signature; or excess demand together
 * with two machine signatures (a den whose ports call each other, which hides the asymmetry).
 *
 *   rule A  asymmetry strong (large effect, strong evidence)                      ∧ steady ∧ excess
 *   rule B  loud (≥ fast_excess_per_min) ∧ nobody answering (effect ≤ 0.2, unadjusted evidence ≥ 6)
 *           ∧ (volume ∨ unadjusted evidence ≥ 7)                                ∧ steady ∧ excess
 *   rule C  asymmetry moderate ∧ ≥ 1 machine signature                            ∧ steady ∧ excess
 *           (on the SDCCH basis below unadjusted evidence 6, machine-regularity alone does not count)
 *   rule E  asymmetry over ≥ 1 h, near strong (evidence ≥ 4), nobody answering (effect ≤ 0.2) ∧ ta-concentration strong (the
 *           cell's originating demand held on this step hour after hour)         ∧ steady ∧ excess
 *           — a slow den: too few calls an hour for strong asymmetry evidence within one hour, but the
 *           same place, unanswered, for hours; crowds are called (effect near 1) and come and go.
 *   rule D  volume strong ∧ ≥ 2 machine signatures                                ∧ steady
 *   (volume = ccch-burst or ta-concentration; machine signatures = machine-regularity, remote-sim-latency,
 *   uplink-multislot, sim-rotation seen on SDCCH sessions. multi-operator and CCCH-only location-update
 *   excess only add to the score: a crowd is seen by every operator's cell too, and people crossing a
 *   location-area border update where they cross.)
 * Every rule also needs several devices at once when the demand is high enough to tell: a single heavy
 * user's requests are serialised (one RR connection at a time), a den's overlap like independent ones.
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
  /** Close pairs (two requests within 2 s) must be at least this share of what independent devices give. */
  min_close_share: number;
  /** Rule B (large effect on little data + volume) only for loud demand: excess per minute at least this. */
  fast_excess_per_min: number;
  /** Effect (observed / expected answered-paging share) that counts as "nobody called at all" (rules B and E). */
  fast_effect_max: number;
  /**
   * Unadjusted evidence (−log10 p, before the multiple-testing and heterogeneity margins) rule B needs,
   * and that lets an SDCCH-basis asymmetry pair with machine-regularity alone in rule C. 5 let a busy
   * business TA's five-minute burst of retried call set-ups (24 originating, 1 answered: 5.8) through in
   * the slow-rotation scenario; a loud den's first minutes give 7 and more.
   */
  fast_unadjusted_evidence: number;
  /** Rule E judges the asymmetry over at least this long: a few unanswered minutes at a busy place are common. */
  sustained_horizon_s: number;
  /**
   * …and needs it near strong (−log10 p against the heterogeneity margin, after the multiple-testing
   * correction): a slow GoIP-8's hour gives 4–6; an early-morning hour at a city cell's TA 0 (17 calls out,
   * 1 answered, alone on its cell at that hour) gave 1.5 and must not pass.
   */
  sustained_evidence: number;
  score_centre: number;
  score_slope: number;
  medium_score: number;
  high_score: number;
}

export const FUSION_DEFAULTS: FusionConfig = {
  min_excess_count: 15,
  min_excess_per_min: 0.5,
  min_active_blocks: 4,
  max_block_share: 0.5,
  min_close_share: 0.25,
  fast_excess_per_min: 8,
  fast_effect_max: 0.2,
  fast_unadjusted_evidence: 6,
  sustained_horizon_s: 3600,
  sustained_evidence: 4,
  score_centre: 12,
  score_slope: 4,
  medium_score: 0.6,
  high_score: 0.9,
};

export const VOLUME_DETECTORS = ['ccch-burst', 'ta-concentration'] as const;
export const SIGNATURE_DETECTORS = ['sim-rotation', 'machine-regularity', 'remote-sim-latency', 'multi-operator', 'uplink-multislot'] as const;

/** Effect (observed / expected answered-paging share) that counts as "almost nobody called". */
export const LARGE_ASYMMETRY_EFFECT = 0.35;
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
  /** Originating accesses over the horizon, and how many came < 2 s after the previous one (two devices). */
  originating: number;
  close_pairs: number;
  /** Blocks (of 6) of the asymmetry/volume horizon with demand, and the largest block's share. */
  active_blocks: number;
  max_block_share: number;
  /** Accesses the people at this TA do not explain, and over how many minutes. */
  excess_count: number;
  minutes: number;
}

export interface FusionVerdict {
  rule: 'A' | 'B' | 'C' | 'D' | 'E';
  score: number;
  severity: 'low' | 'medium' | 'high';
  /** The indicators that took part, strongest first. */
  indicators: Indicator[];
}

/**
 * The machine signatures rule C may pair with this asymmetry. On the SDCCH basis (SMS and other short
 * procedures: no answered call pagings balance them, MT-SMS answers are counted with them, and habits
 * differ far more between places than for calls) a moderate asymmetry beside a flat floor is what a
 * quiet residential step shows at night — an office-tower scenario's second night raised one that way
 * (30 SDCCH requests, 0 answered, unadjusted evidence 5). There it needs a signature other than
 * machine-regularity, or unadjusted evidence of the fast path's strength.
 */
function machineFor(asym: Indicator, unadjusted: number, machine: readonly Indicator[], config: FusionConfig): readonly Indicator[] {
  if (asym.facts.sdcch_basis !== 1 || unadjusted >= config.fast_unadjusted_evidence) return machine;
  return machine.filter((i) => i.detector !== 'machine-regularity');
}

export function fuse(indicators: ReadonlyMap<string, Indicator>, activity: PlaceActivity, config: FusionConfig = FUSION_DEFAULTS): FusionVerdict | null {
  const asym = indicators.get('mo-mt-asymmetry');
  const volume = VOLUME_DETECTORS.map((d) => indicators.get(d)).filter((i): i is Indicator => i !== undefined);
  const supporting = SIGNATURE_DETECTORS.map((d) => indicators.get(d)).filter((i): i is Indicator => i !== undefined);
  // Machine signatures: multi-operator only in its strong form (rings known to cross), SIM rotation only
  // from SDCCH sessions (on the CCCH alone, location updates also pile up where people cross a location
  // area border, so that form only adds to the score).
  const machine = supporting.filter((i) => i.detector !== 'multi-operator' && (i.detector !== 'sim-rotation' || i.facts.sdcch_basis === 1));
  // More than one device: one phone holds one connection at a time, so its requests never come within
  // seconds of each other; independent devices do, at a rate the demand predicts (Poisson).
  const expectedClose = activity.originating * (1 - Math.exp((-2 * activity.originating) / Math.max(60, activity.minutes * 60)));
  const severalDevices = expectedClose < 4 || activity.close_pairs >= Math.max(2, config.min_close_share * expectedClose);
  const steady = activity.active_blocks >= config.min_active_blocks && activity.max_block_share <= config.max_block_share;
  const excess = activity.excess_count >= config.min_excess_count && activity.excess_count / Math.max(1, activity.minutes) >= config.min_excess_per_min;
  const effect = asym === undefined ? 1 : (asym.facts.mt_share ?? 1) / Math.max(1e-9, asym.facts.mt_share_expected ?? 0);
  // The fast path: an extreme effect on the little data of a loud den's first minutes (unadjusted evidence).
  const unadjusted = asym?.facts.p_log10_unadjusted ?? 0;
  const extreme = asym !== undefined && effect <= config.fast_effect_max && unadjusted >= config.fast_unadjusted_evidence;
  const bestVolume = volume.reduce((m, v) => Math.max(m, v.evidence), 0);
  const loud = activity.excess_count / Math.max(1, activity.minutes) >= config.fast_excess_per_min;

  let rule: FusionVerdict['rule'] | null = null;
  if (!severalDevices) return null;
  if (steady && excess && asym?.level === 'strong') rule = 'A';
  else if (steady && excess && extreme && loud && (bestVolume >= 4 || unadjusted >= 7)) rule = 'B';
  else if (steady && excess && asym !== undefined && machineFor(asym, unadjusted, machine, config).length > 0) rule = 'C';
  else if (steady && volume.some((v) => v.level === 'strong') && machine.length >= 2) rule = 'D';
  else if (steady && excess && asym !== undefined && asym.horizon_s >= config.sustained_horizon_s && asym.evidence >= config.sustained_evidence && effect <= config.fast_effect_max && indicators.get('ta-concentration')?.level === 'strong') rule = 'E';
  if (rule === null) return null;

  const used = [...(asym ? [asym] : []), ...volume, ...supporting].sort((a, b) => b.evidence - a.evidence);
  let sum = 0;
  for (const i of used) sum += (WEIGHTS[i.detector] ?? 0.5) * Math.min(15, i.evidence);
  const score = 1 / (1 + Math.exp(-(sum - config.score_centre) / config.score_slope));
  const strong = used.filter((i) => i.level === 'strong').length;
  const severity = score >= config.high_score && strong >= 2 ? 'high' : score >= config.medium_score ? 'medium' : 'low';
  return { rule, score, severity, indicators: used };
}
