/**
 * naive-threshold@1 — the reference any den detector has to beat, kept for `simhound eval`'s table:
 * per 5-minute window, flag a (cell, TA) whose call/SMS request count is above mean + 4 sd of all
 * earlier (TA, window) counts of that cell (active TAs, zeros included). It is what a first attempt
 * does; it finds loud dens and flags every crowd peak. Not for deployment.
 */
import { ORIGINATING_CAUSES, TA_STEP_M } from '@simhound/protocol';
import type { WindowFeatures } from '../features/feature-window.js';
import { cellKey } from '../features/cell-key.js';
import type { DetectionDraft, WindowDetector } from './types.js';

const ORIGINATING = new Set<string>(ORIGINATING_CAUSES);

interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

export class NaiveThresholdDetector implements WindowDetector {
  readonly name = 'naive-threshold';
  readonly version = 1;
  private readonly moments = new Map<string, Moments>();

  constructor(private readonly sigmas = 4, private readonly minSamples = 12) {}

  evaluate(w: WindowFeatures): DetectionDraft[] {
    const out: DetectionDraft[] = [];
    for (const cell of w.cells.values()) {
      const key = cellKey(cell.cell, cell.arfcn);
      let m = this.moments.get(key);
      if (m === undefined) this.moments.set(key, (m = { n: 0, sum: 0, sumSq: 0 }));
      const counts: Array<[number, number]> = [];
      for (const [ta, slot] of cell.slots) {
        let n = 0;
        for (const [cause, c] of Object.entries(slot.count_by_cause)) if (ORIGINATING.has(cause)) n += c ?? 0;
        counts.push([ta, n]);
      }
      const mean = m.n > 0 ? m.sum / m.n : 0;
      const sd = m.n > 1 ? Math.sqrt(Math.max(0, m.sumSq / m.n - mean * mean)) : 0;
      if (m.n >= this.minSamples) {
        for (const [ta, n] of counts) {
          if (n <= mean + this.sigmas * sd || n < 2) continue;
          out.push({
            detector: this.name,
            detector_version: this.version,
            cell: cell.cell,
            arfcn: cell.arfcn,
            ta_steps: ta,
            range_min_m: ta * TA_STEP_M,
            range_max_m: (ta + 1) * TA_STEP_M,
            score: Math.min(1, (n - mean) / Math.max(1e-9, sd) / 20),
            severity: 'low',
            window: { start_ts_ms: w.start_ts_ms, end_ts_ms: w.end_ts_ms },
            evidence: {
              event_count: n,
              baseline_count: mean,
              p_value: 1,
              cell_event_count: counts.reduce((a, [, c]) => a + c, 0),
              active_ta_count: counts.length,
              thresholds: { sigmas: this.sigmas, min_samples: this.minSamples },
            },
          });
        }
      }
      for (const [, n] of counts) {
        m.n++;
        m.sum += n;
        m.sumSq += n * n;
      }
    }
    return out;
  }
}
