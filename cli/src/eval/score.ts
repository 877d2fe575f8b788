/**
 * Scoring detections against ground truth (pure: no I/O).
 *
 * - A detection *matches* a den when it names one of the den's serving cells (same MCC/MNC/LAC/CI, or
 *   the same ARFCN when the detection's cell is unknown), its TA span is within ±`ta_tolerance` steps of
 *   the den's TA there, and its time falls in the den's active time on that cell, extended by `slack_ms`
 *   after it ends (detectors look back over up to an hour).
 * - Recall: dens with at least one matching detection / dens (dens nobody could hear are listed but
 *   left out of the denominator). Time to detect: first matching detection − max(den start, run start).
 * - Detections that match no den are false. They are grouped into episodes per (probe, cell, TA): a
 *   new episode starts after a gap longer than `episode_gap_ms`. False den-hours: the summed length of
 *   false episodes, each counted from its first detection to its last plus `hold_ms` (how long a
 *   published candidate stands before its next update).
 * - Precision: true episodes / all episodes.
 */
import type { CellId } from '@simhound/protocol';
import { cellKeyOf, type EvalDen, type EvalTruth } from './truth.js';

export interface ScoredDetection {
  probe: string;
  ts_ms: number;
  first_seen_ts_ms: number;
  cell: CellId | null;
  arfcn: number;
  ta_steps: number;
  ta_span: number;
  severity: string;
  score: number;
}

export interface ScoreOptions {
  ta_tolerance: number;
  slack_ms: number;
  episode_gap_ms: number;
  hold_ms: number;
  /** Cells (by CI) each den could be heard on; dens with none are not in the recall denominator. */
  heard?: (den: EvalDen) => boolean;
}

export const SCORE_DEFAULTS: ScoreOptions = {
  ta_tolerance: 1,
  slack_ms: 3_600_000,
  episode_gap_ms: 3_600_000,
  hold_ms: 600_000,
};

export interface DenResult {
  id: string;
  type: string;
  heard: boolean;
  detected: boolean;
  time_to_detect_s: number | null;
  detections: number;
}

export interface FalseEpisode {
  probe: string;
  cell: string;
  ta_steps: number;
  start_ts_ms: number;
  end_ts_ms: number;
  detections: number;
  /** The crowd whose place it was on, if any. */
  crowd: string | null;
}

export interface Score {
  dens: number;
  detected: number;
  recall: number | null;
  median_time_to_detect_s: number | null;
  false_den_hours: number;
  false_episodes: number;
  true_episodes: number;
  precision: number | null;
  detections: number;
  per_den: DenResult[];
  false: FalseEpisode[];
}

const sameCell = (a: CellId, b: CellId) => a.mcc === b.mcc && a.mnc === b.mnc && a.lac === b.lac && a.ci === b.ci;
const cellText = (c: CellId | null, arfcn: number) => (c === null ? `?/${arfcn}` : `${c.mcc}-${c.mnc}-${c.lac}-${c.ci}`);

function matchesDen(d: ScoredDetection, den: EvalDen, o: ScoreOptions): boolean {
  const active = den.active_intervals.some(([a, b]) => d.ts_ms >= a && d.ts_ms <= b + o.slack_ms);
  if (!active) return false;
  return den.serving.some((s) => {
    const cellOk = d.cell !== null ? sameCell(d.cell, s.cell) : s.arfcn !== null && s.arfcn === d.arfcn;
    if (!cellOk) return false;
    if (d.ts_ms < s.from_ts_ms || d.ts_ms > s.to_ts_ms + o.slack_ms) return false;
    const lo = d.ta_steps - o.ta_tolerance;
    const hi = d.ta_steps + d.ta_span - 1 + o.ta_tolerance;
    return s.ta_steps >= lo && s.ta_steps <= hi;
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function scoreDetections(truth: EvalTruth, detections: readonly ScoredDetection[], options: Partial<ScoreOptions> = {}): Score {
  const o = { ...SCORE_DEFAULTS, ...options };
  const sorted = [...detections].sort((a, b) => a.ts_ms - b.ts_ms);
  const matched = new Set<ScoredDetection>();
  const perDen: DenResult[] = truth.dens.map((den) => {
    const heardByTruth = truth.heard_cells === null || den.serving.some((s) => truth.heard_cells!.has(cellKeyOf(s.cell)));
    const heard = den.serving.length > 0 && heardByTruth && (o.heard?.(den) ?? true);
    const mine = sorted.filter((d) => matchesDen(d, den, o));
    for (const d of mine) matched.add(d);
    const start = Math.max(truth.start_ts_ms, Math.min(...den.active_intervals.map(([a]) => a)));
    const first = mine[0];
    return {
      id: den.id,
      type: den.type,
      heard,
      detected: first !== undefined,
      time_to_detect_s: first === undefined ? null : Math.max(0, (first.ts_ms - start) / 1000),
      detections: mine.length,
    };
  });

  // Episodes per place: true ones (matching a den) and false ones.
  interface Ep { probe: string; cell: string; ta: number; start: number; end: number; n: number; isTrue: boolean; crowd: string | null }
  const open = new Map<string, Ep>();
  const episodes: Ep[] = [];
  for (const d of sorted) {
    const isTrue = matched.has(d);
    const key = `${d.probe}|${cellText(d.cell, d.arfcn)}|${d.ta_steps}|${isTrue}`;
    const cur = open.get(key);
    if (cur !== undefined && d.ts_ms - cur.end <= o.episode_gap_ms) {
      cur.end = d.ts_ms;
      cur.n++;
      continue;
    }
    const crowd = isTrue ? null : crowdAt(truth, d);
    const ep: Ep = { probe: d.probe, cell: cellText(d.cell, d.arfcn), ta: d.ta_steps, start: Math.min(d.first_seen_ts_ms, d.ts_ms), end: d.ts_ms, n: 1, isTrue, crowd };
    open.set(key, ep);
    episodes.push(ep);
  }
  const falseEps = episodes.filter((e) => !e.isTrue);
  const falseMs = falseEps.reduce((sum, e) => sum + (e.end - e.start) + o.hold_ms, 0);
  const heardDens = perDen.filter((d) => d.heard);
  const detected = heardDens.filter((d) => d.detected);
  return {
    dens: heardDens.length,
    detected: detected.length,
    recall: heardDens.length > 0 ? detected.length / heardDens.length : null,
    median_time_to_detect_s: median(detected.map((d) => d.time_to_detect_s!)),
    false_den_hours: falseMs / 3_600_000,
    false_episodes: falseEps.length,
    true_episodes: episodes.length - falseEps.length,
    precision: episodes.length > 0 ? (episodes.length - falseEps.length) / episodes.length : null,
    detections: sorted.length,
    per_den: perDen,
    false: falseEps.map((e) => ({ probe: e.probe, cell: e.cell, ta_steps: e.ta, start_ts_ms: e.start, end_ts_ms: e.end + o.hold_ms, detections: e.n, crowd: e.crowd })),
  };
}

function crowdAt(truth: EvalTruth, d: ScoredDetection): string | null {
  for (const c of truth.crowds) {
    for (const s of c.serving) {
      const cellOk = d.cell !== null ? sameCell(d.cell, s.cell) : s.arfcn === d.arfcn;
      if (cellOk && s.ta_steps.some((t) => Math.abs(t - d.ta_steps) <= 1)) return `${c.kind}:${c.id}`;
    }
  }
  return null;
}
