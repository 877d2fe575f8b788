/**
 * The one list of detectors (CONVENTIONS #1, #5): every detector by `name@version`, how to build it
 * from the config, and the config schema of its thresholds with their documented defaults. The edge
 * agent, `simhound replay --detect` and `simhound eval` all build detectors here, so the same name means
 * the same code everywhere. Adding a detector = one file + one entry.
 */
import { Type, type Static, type TObject, type TNumber } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { fail, ok, type Result } from '@simhound/protocol';
import { CcchBurstDetector, CCCH_BURST_DEFAULTS } from './ccch-burst.js';
import { CcchBurstV2Detector, CCCH_BURST_V2_DEFAULTS, type CcchBurstV2Config } from './ccch-burst-v2.js';
import { FUSION_DEFAULTS, type FusionConfig } from './fusion.js';
import { MachineRegularityDetector, MACHINE_REGULARITY_DEFAULTS, type MachineRegularityConfig } from './machine-regularity.js';
import { MoMtAsymmetryDetector, MO_MT_ASYMMETRY_DEFAULTS, type MoMtAsymmetryConfig } from './mo-mt-asymmetry.js';
import { NaiveThresholdDetector } from './naive-threshold.js';
import { RemoteSimLatencyDetector, REMOTE_SIM_LATENCY_DEFAULTS, type RemoteSimLatencyConfig } from './remote-sim-latency.js';
import { SimRotationDetector, SIM_ROTATION_DEFAULTS, type SimRotationConfig } from './sim-rotation.js';
import { TaConcentrationDetector, TA_CONCENTRATION_DEFAULTS, type TaConcentrationConfig } from './ta-concentration.js';
import { UPLINK_MULTISLOT_DEFAULTS, type UplinkMultislotConfig } from './uplink-multislot.js';
import type { SlotDetector, WindowDetector } from './types.js';

function numbers<T extends object>(defaults: T, descriptions: Record<keyof T, string>, title: string): TObject<Record<keyof T & string, TNumber>> {
  const props: Record<string, TNumber> = {};
  for (const [k, v] of Object.entries(defaults)) {
    props[k] = Type.Number({ default: v as number, description: descriptions[k as keyof T] });
  }
  return Type.Object(props as Record<keyof T & string, TNumber>, { additionalProperties: false, default: {}, description: title });
}

export const DetectorSettingsSchema = Type.Object(
  {
    mo_mt_asymmetry: numbers<MoMtAsymmetryConfig>(MO_MT_ASYMMETRY_DEFAULTS, {
      prior_call_mt_share: 'Prior share of answered pagings among call accesses (MO calls + answered), before the cell has data.',
      prior_sms_mt_share: 'Prior share of answered call pagings among (SDCCH procedures + answered), before the cell has data.',
      heterogeneity: 'Evidence is against this fraction of the cell\'s share (places differ from their cell) until the cell has enough places to measure it …',
      heterogeneity_min: '… then against how low people\'s places in the cell go (10th percentile of per-TA share / cell share), at least this …',
      heterogeneity_max: '… and at most this.',
      sdcch_effect_factor: 'The SMS/SDCCH test\'s effect limits are multiplied by this (SMS habits differ more between places than calls).',
      fast_effect_max: 'Fast path: an observed/expected share at most this …',
      fast_evidence: '… with unadjusted evidence at least this is reported for fusion rule B (loud demand only).',
      prior_weight: 'Weight of that prior, in accesses.',
      rho: 'Intra-class correlation of accesses at one TA (design effect).',
      min_accesses: 'Fewest accesses at a TA before testing.',
      strong_evidence: 'Evidence (−log10 p) for a strong indicator …',
      strong_effect_max: '… when the observed share is at most this fraction of the expected one.',
      moderate_evidence: 'Evidence for a moderate indicator …',
      moderate_effect_max: '… at most this fraction of the expected share.',
    }, 'mo-mt-asymmetry@1: few answered pagings at one TA (edge-agent/src/detect/mo-mt-asymmetry.ts).'),
    ccch_burst: numbers<CcchBurstV2Config>(CCCH_BURST_V2_DEFAULTS, {
      min_count: 'Fewest call/SMS requests at a TA over the horizon.',
      min_ratio: 'Smallest count / expected ratio.',
      default_nb_size: 'Negative-binomial size before the TA\'s dispersion is learned (small = cautious).',
      min_baseline_hours: 'Hours of history before the learned baseline replaces the neighbouring-TA one.',
      strong_evidence: 'Evidence (−log10 p) for a strong indicator.',
      moderate_evidence: 'Evidence for a moderate indicator.',
    }, 'ccch-burst@2: more requests than the place normally carries (edge-agent/src/detect/ccch-burst-v2.ts).'),
    ta_concentration: numbers<TaConcentrationConfig>(TA_CONCENTRATION_DEFAULTS, {
      hours: 'Hours looked back over.',
      min_share_ratio: 'The TA\'s share must exceed this multiple of its expected share …',
      min_hours_share: '… in at least this share of those hours.',
      min_count: 'Fewest requests at the TA over those hours.',
      min_baseline_hours: 'Hours of history before the learned share replaces the neighbouring-TA one.',
      rho: 'Intra-class correlation (design effect).',
      strong_evidence: 'Evidence for a strong indicator.',
      moderate_evidence: 'Evidence for a moderate indicator.',
    }, 'ta-concentration@1: demand collapsing onto one TA for hours (edge-agent/src/detect/ta-concentration.ts).'),
    sim_rotation: numbers<SimRotationConfig>(SIM_ROTATION_DEFAULTS, {
      prior_lu_share: 'Prior share of location updates among (LU + answered pagings) accesses.',
      prior_turnover_share: 'Prior share of sessions showing SIM turnover (attach, IMSI, new identity).',
      prior_weight: 'Weight of the priors.',
      rho: 'Intra-class correlation (design effect).',
      min_events: 'Fewest LUs / turnover sessions at a TA before testing.',
      min_effect: 'Observed share must be at least this multiple of the expected share.',
      strong_evidence: 'Evidence for a strong indicator.',
      moderate_evidence: 'Evidence for a moderate indicator.',
    }, 'sim-rotation@1: SIM turnover at one TA (edge-agent/src/detect/sim-rotation.ts).'),
    machine_regularity: numbers<MachineRegularityConfig>(MACHINE_REGULARITY_DEFAULTS, {
      min_bin_mean: 'Mean requests per bin for the dispersion test to apply.',
      min_bins: 'Fewest bins in the dispersion test.',
      min_hours: 'Hours of cell activity (of the last 24) for the flatness test.',
      min_floor_share: 'Share of the TA\'s demand that must be a constant floor.',
      strong_evidence: 'Evidence for a strong indicator.',
      moderate_evidence: 'Evidence for a moderate indicator.',
    }, 'machine-regularity@1: too regular or too flat for people (edge-agent/src/detect/machine-regularity.ts).'),
    remote_sim_latency: numbers<RemoteSimLatencyConfig>(REMOTE_SIM_LATENCY_DEFAULTS, {
      min_samples: 'Fewest authentication round trips at the TA.',
      min_reference_samples: 'Fewest on the rest of the cell for a relative test.',
      min_ratio: 'TA median must be at least this multiple of the rest\'s median …',
      min_extra_ms: '… and at least this much longer.',
      absolute_floor_ms: 'Without a reference: a median above this is remote-SIM-like.',
      strong_evidence: 'Evidence for a strong indicator.',
      moderate_evidence: 'Evidence for a moderate indicator.',
    }, 'remote-sim-latency@1: slow authentication at one TA (edge-agent/src/detect/remote-sim-latency.ts).'),
    uplink_multislot: numbers<UplinkMultislotConfig>(UPLINK_MULTISLOT_DEFAULTS, {
      horizon_s: 'Seconds of SDR slot-occupancy reports judged together.',
      min_busy_share: 'A timeslot counts in a report when busy at least this share of its frames (a call with uplink DTX fills 30–60 %).',
      equal_db: 'Busy slots whose median powers lie within this many dB form one cluster.',
      min_slots: 'Smallest cluster that counts in a report.',
      strong_slots: 'Median cluster size for a strong indicator (more than a GPRS multislot handset sends on).',
      min_held_share: 'Share of the horizon\'s reports that must hold a cluster.',
      level_drift_db: 'The held clusters\' levels may vary by at most this (standard deviation, dB): one place.',
      chance_rate: 'Share of reports in which a crowd shows such a cluster by chance (the test\'s null).',
      chance_run_s: 'How long a chance cluster lasts: reports within this count as one independent block.',
      min_coverage: 'The reports must cover at least this share of the horizon.',
      strong_evidence: 'Evidence for a strong indicator.',
      moderate_evidence: 'Evidence for a moderate indicator.',
    }, 'uplink-multislot@1: many equal-power uplink transmitters near the probe, from the SDR (edge-agent/src/detect/uplink-multislot.ts).'),
    fusion: numbers<FusionConfig>(FUSION_DEFAULTS, {
      min_excess_count: 'Accesses at the TA that its people do not explain, at least.',
      min_excess_per_min: 'The same per minute of the horizon.',
      min_active_blocks: 'Steadiness: of 6 equal blocks of the horizon, at least this many carry demand …',
      max_block_share: '… and none carries more than this share.',
      min_close_share: 'Requests within 2 s of each other must be at least this share of what independent devices would give (one phone cannot).',
      fast_excess_per_min: 'Rule B (a large effect on a minute or two of data) only for demand this loud (per minute).',
      fast_effect_max: 'Observed / expected answered-paging share that counts as "nobody called at all" (rules B and E).',
      fast_unadjusted_evidence: 'Unadjusted asymmetry evidence (before the multiple-testing and heterogeneity margins) rule B needs; also what lets an SDCCH-basis asymmetry pair with machine-regularity alone in rule C.',
      sustained_horizon_s: 'Rule E (a slow den) judges the asymmetry over at least this many seconds …',
      sustained_evidence: '… and needs its evidence (after the margins) at least this.',
      score_centre: 'Weighted evidence at which the calibrated score is 0.5.',
      score_slope: 'Evidence per logistic unit of the score.',
      medium_score: 'Score from which a candidate is medium severity.',
      high_score: 'Score from which (with two strong detectors) it is high.',
    }, 'den-candidate@1 fusion (edge-agent/src/detect/fusion.ts).'),
  },
  { additionalProperties: false, default: {} },
);
export type DetectorSettings = Static<typeof DetectorSettingsSchema>;

/** Every threshold at its documented default. */
export function defaultDetectorSettings(): DetectorSettings {
  return Value.Default(DetectorSettingsSchema, {}) as DetectorSettings;
}

export const SLOT_DETECTORS: ReadonlyArray<{ id: string; build(s: DetectorSettings): SlotDetector }> = [
  { id: 'mo-mt-asymmetry@1', build: (s) => new MoMtAsymmetryDetector(s.mo_mt_asymmetry) },
  { id: 'ccch-burst@2', build: (s) => new CcchBurstV2Detector(s.ccch_burst) },
  { id: 'ta-concentration@1', build: (s) => new TaConcentrationDetector(s.ta_concentration) },
  { id: 'sim-rotation@1', build: (s) => new SimRotationDetector(s.sim_rotation) },
  { id: 'machine-regularity@1', build: (s) => new MachineRegularityDetector(s.machine_regularity) },
  { id: 'remote-sim-latency@1', build: (s) => new RemoteSimLatencyDetector(s.remote_sim_latency) },
];

/** Engine-level detectors (they look across places, not at one). */
export const ENGINE_DETECTORS = ['multi-operator@1'] as const;

/**
 * Probe-level detectors: they judge what the probe's own receivers hear (the SDR's uplink), not a
 * (cell, TA) place; the agent runs them beside its sources and hands their indicators to the engine as
 * signatures (DetectionEngine.addProbeSignature).
 */
export const PROBE_DETECTORS = ['uplink-multislot@1'] as const;

export const WINDOW_DETECTORS: ReadonlyArray<{ id: string; build(): WindowDetector }> = [
  { id: 'ccch-burst@1', build: () => new CcchBurstDetector(CCCH_BURST_DEFAULTS) },
  { id: 'naive-threshold@1', build: () => new NaiveThresholdDetector() },
];

/** What the default detection runs: every slot and engine detector, fused into den candidates. */
export const DEFAULT_DETECTOR_IDS: readonly string[] = [...SLOT_DETECTORS.map((d) => d.id), ...ENGINE_DETECTORS, ...PROBE_DETECTORS];

export interface DetectorSelection {
  slot: string[];
  engine: string[];
  probe: string[];
  window: string[];
}

/** Parse `--detectors a@1,b@2` (or a list from config); a bare name picks its newest version. */
export function selectDetectors(ids: readonly string[]): Result<DetectorSelection, 'unknown_detector'> {
  const all = [...SLOT_DETECTORS.map((d) => d.id), ...ENGINE_DETECTORS, ...PROBE_DETECTORS, ...WINDOW_DETECTORS.map((d) => d.id)];
  const out: DetectorSelection = { slot: [], engine: [], probe: [], window: [] };
  for (const raw of ids) {
    const id = raw.trim();
    if (id === '') continue;
    const match = id.includes('@') ? all.find((a) => a === id) : all.filter((a) => a.startsWith(`${id}@`)).sort().at(-1);
    if (match === undefined) return fail('unknown_detector', `${id} (known: ${all.join(', ')})`);
    if (SLOT_DETECTORS.some((d) => d.id === match)) out.slot.push(match);
    else if ((ENGINE_DETECTORS as readonly string[]).includes(match)) out.engine.push(match);
    else if ((PROBE_DETECTORS as readonly string[]).includes(match)) out.probe.push(match);
    else out.window.push(match);
  }
  return ok(out);
}

export function buildSlotDetectors(ids: readonly string[], settings: DetectorSettings): SlotDetector[] {
  return ids.map((id) => SLOT_DETECTORS.find((d) => d.id === id)!.build(settings));
}

export function buildWindowDetectors(ids: readonly string[]): WindowDetector[] {
  return ids.map((id) => WINDOW_DETECTORS.find((d) => d.id === id)!.build());
}
