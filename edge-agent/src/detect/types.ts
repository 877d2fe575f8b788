/**
 * The detector contracts.
 *
 * Slot detectors (the detection engine's): a pure, versioned function from a snapshot of one (cell, TA)
 * place over one horizon to at most one *indicator* — evidence (−log10 p) that the place shows one
 * property of a SIM-box den (excess demand, few answered pagings, SIM turnover, machine regularity,
 * remote SIMs …), with the facts that made it. Indicators are not alarms: the fusion step
 * (detect/fusion.ts) turns agreeing indicators into den candidates, the only detections published by
 * default. Changing a detector's logic bumps its version, so `simhound replay --detect` can re-run any
 * version over old captures.
 *
 * Window detectors (legacy, kept as reference rows for `simhound eval`): evaluate one closed feature
 * window and return detections directly (ccch-burst@1, the naive per-TA threshold).
 */
import type { CellId, DetectionBody } from '@simhound/protocol';
import type { WindowFeatures } from '../features/feature-window.js';
import type { SlotExpectation } from '../features/baseline.js';

/** A detection before the agent adds the probe position. */
export type DetectionDraft = Omit<DetectionBody, 'position'>;

/** Legacy window detector (ccch-burst@1, the naive threshold): one closed window in, detections out. */
export interface WindowDetector {
  readonly name: string;
  readonly version: number;
  evaluate(window: WindowFeatures): DetectionDraft[];
}
/** @deprecated name kept for callers of the first detector API. */
export type Detector = WindowDetector;

/** One (cell, TA span) over one horizon, as the engine sees it at one evaluation tick. */
export interface SlotSnapshot {
  now_ms: number;
  cell_key: string;
  cell: CellId | null;
  arfcn: number;
  neci: 0 | 1 | null;
  /** First TA of the span and how many adjacent TA steps it covers (1, or 2 for a den on a TA boundary). */
  ta_steps: number;
  ta_span: number;
  horizon_s: number;
  /** How much of the horizon the cell was actually observed (a probe that just started sees less). */
  observed_s: number;
  /** Class sums (features/traffic-class.ts) over the horizon: the span, the whole cell, the rest of the cell. */
  slot: Float64Array;
  cell_total: Float64Array;
  others: Float64Array;
  /**
   * How far people's places in this cell fall below the cell's answered-paging share of calls: the 10th
   * percentile, over TA steps with enough calls in the last hour, of (TA share / cell share); null when
   * fewer than three TA steps have enough calls.
   */
  cell_low_mt_ratio: number | null;
  /** Class sums at up to two TA steps on each side of the span (spatial neighbourhood). */
  neighbours: Float64Array;
  /** The same neighbours over the last hour (or as much of it as was observed: `neighbours_hour_s`). */
  neighbours_hour: Float64Array;
  neighbours_hour_s: number;
  /** TA steps of the cell with any access over the horizon. */
  active_tas: number;
  /** Per-minute (or, on the 1-min horizon, per-10-s) originating counts at the span, oldest first. */
  series(classes: readonly number[]): Float64Array;
  /** Per-hour counts of `classes` at the span over the last `hours` complete hours, oldest first. */
  hourly(classes: readonly number[], hours: number): Float64Array;
  /** The same for the whole cell. */
  cellHourly(classes: readonly number[], hours: number): Float64Array;
  /** Learned expectation for the span's first TA (null before it has history). */
  baseline: SlotExpectation | null;
  /** Hours the cell's baseline has learned. */
  baseline_hours: number;
  /** Authentication round trips (ms) seen at the span and on the rest of the cell. */
  auth_rtt_slot: readonly number[];
  auth_rtt_others: readonly number[];
}

export type IndicatorLevel = 'moderate' | 'strong';

/** One detector's evidence about one slot. */
export interface Indicator {
  detector: string;
  detector_version: number;
  horizon_s: number;
  /** −log10 of the p-value of the detector's test (capped, see detect/stats.ts). */
  evidence: number;
  level: IndicatorLevel;
  /** Numbers that made it (vocabulary names where they leave the edge). */
  facts: Record<string, number>;
  /** One line a human can read. */
  reason: string;
}

export interface SlotDetector {
  readonly name: string;
  readonly version: number;
  evaluate(s: SlotSnapshot): Indicator | null;
}
