/**
 * ccch-burst@1 — fires when one (cell, TA) slot carries far more subscriber-originated channel requests
 * (call / SMS causes from the Immediate Assignment's request reference) than the cell's other TA slots
 * in the same window.
 *
 * Why it catches dens: a SIM box is 8–512 SIMs in one room, all at the same distance from the serving
 * cell, so its call/SMS attempts pile up on one Timing Advance step at a machine rate.
 *
 * What must not fire it: ordinary traffic spreads over the TA steps of the cell's coverage and rises
 * and falls with the hour. The baseline is therefore cross-sectional — the median per-TA count over the
 * cell's *other* active TA steps in the same window — so it follows the hour by construction and a den
 * that was already running when the probe was installed cannot teach itself into the baseline.
 * A floor (`min_baseline_count`) keeps a quiet cell from turning 3 calls into an alarm.
 *
 * Test: count_k ≥ min_events, count_k ≥ ratio_min × λ, and P(X ≥ count_k | Poisson λ) ≤ p_value_max,
 * with λ = max(min_baseline_count, median of other TA slots). A slot that fired is quiet for
 * `cooldown_s` (one detection per episode, not one per window).
 *
 * Known limits of v1: a crowd packed into one TA ring (stadium next to a cell) can fire it; the
 * machine-regularity and sim-rotation detectors are what separate those (detection-engine issue).
 */
import { ORIGINATING_CAUSES, TA_STEP_M, type Severity } from '@simhound/protocol';
import type { CellFeatures, SlotFeatures, WindowFeatures } from '../features/feature-window.js';
import { cellKey } from '../features/cell-key.js';
import { poissonUpperTail, poissonUpperTailLog10 } from './poisson.js';
import type { DetectionDraft, Detector } from './types.js';

export interface CcchBurstConfig {
  /** Largest tail probability that still fires. */
  p_value_max: number;
  /** Minimum originating requests in the slot and window. */
  min_events: number;
  /** Minimum count/baseline ratio. */
  ratio_min: number;
  /** Baseline floor (events per window). */
  min_baseline_count: number;
  /** Quiet period after a slot fired. */
  cooldown_s: number;
}

export const CCCH_BURST_DEFAULTS: CcchBurstConfig = {
  p_value_max: 1e-6,
  min_events: 10,
  ratio_min: 4,
  min_baseline_count: 1,
  cooldown_s: 600,
};

const ORIGINATING = new Set<string>(ORIGINATING_CAUSES);

function originatingCount(slot: SlotFeatures): number {
  let n = 0;
  for (const [cause, count] of Object.entries(slot.count_by_cause)) if (ORIGINATING.has(cause)) n += count ?? 0;
  return n;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function interarrival(ts: number[]): { mean: number; cv: number } | null {
  if (ts.length < 3) return null;
  const sorted = [...ts].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i]! - sorted[i - 1]!);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  if (mean === 0) return { mean: 0, cv: 0 };
  const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length;
  return { mean, cv: Math.sqrt(variance) / mean };
}

function severityOf(log10p: number, ratio: number): Severity {
  if (log10p >= 12 && ratio >= 10) return 'high';
  if (log10p >= 8) return 'medium';
  return 'low';
}

export class CcchBurstDetector implements Detector {
  readonly name = 'ccch-burst';
  readonly version = 1;
  private readonly quietUntil = new Map<string, number>();

  constructor(private readonly config: CcchBurstConfig = CCCH_BURST_DEFAULTS) {}

  evaluate(window: WindowFeatures): DetectionDraft[] {
    const out: DetectionDraft[] = [];
    for (const cell of window.cells.values()) out.push(...this.evaluateCell(window, cell));
    return out;
  }

  private evaluateCell(window: WindowFeatures, cell: CellFeatures): DetectionDraft[] {
    const counts = new Map<number, number>();
    let cellTotal = 0;
    for (const [ta, slot] of cell.slots) {
      const n = originatingCount(slot);
      if (n > 0) counts.set(ta, n);
      cellTotal += n;
    }
    const out: DetectionDraft[] = [];
    const c = this.config;
    for (const [ta, count] of counts) {
      if (count < c.min_events) continue;
      const others = [...counts].filter(([t]) => t !== ta).map(([, n]) => n);
      const baseline = Math.max(c.min_baseline_count, median(others));
      if (count < c.ratio_min * baseline) continue;
      const p = poissonUpperTail(count, baseline);
      if (p > c.p_value_max) continue;
      const key = `${cellKey(cell.cell, cell.arfcn)}|${ta}`;
      if ((this.quietUntil.get(key) ?? -Infinity) > window.start_ts_ms) continue;
      this.quietUntil.set(key, window.end_ts_ms + c.cooldown_s * 1000);
      const log10p = poissonUpperTailLog10(count, baseline);
      const slot = cell.slots.get(ta)!;
      const ia = interarrival(slot.event_ts_ms);
      out.push({
        detector: this.name,
        detector_version: this.version,
        cell: cell.cell,
        arfcn: cell.arfcn,
        ta_steps: ta,
        range_min_m: ta * TA_STEP_M,
        range_max_m: (ta + 1) * TA_STEP_M,
        // −log10 p of 20 or more is certainty for practical purposes.
        score: Math.min(1, log10p / 20),
        severity: severityOf(log10p, count / baseline),
        window: { start_ts_ms: window.start_ts_ms, end_ts_ms: window.end_ts_ms },
        evidence: {
          count_by_cause: { ...slot.count_by_cause } as Record<string, number>,
          event_count: count,
          baseline_count: baseline,
          p_value: p,
          cell_event_count: cellTotal,
          active_ta_count: counts.size,
          ...(ia ? { interarrival_mean_ms: ia.mean, interarrival_cv: ia.cv } : {}),
          thresholds: { ...c },
        },
      });
    }
    return out;
  }
}
