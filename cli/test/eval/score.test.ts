/**
 * Scoring against ground truth, on hand-made truths and detections whose right answers are worked out
 * here: matching by cell/ARFCN, TA tolerance and active time; recall over heard dens only; time to
 * detect; false episodes, false den-hours and precision.
 */
import { describe, expect, it } from 'vitest';
import { readTruth } from '../../src/eval/truth.js';
import { scoreDetections, type ScoredDetection } from '../../src/eval/score.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 4, 10);
const cellA = { mcc: '651', mnc: '01', lac: 100, ci: 11 };
const cellB = { mcc: '651', mnc: '02', lac: 200, ci: 22 };

const truth = readTruth({
  scenario: 'hand-made',
  start_ts_ms: T0,
  end_ts_ms: T0 + 6 * H,
  dens: [
    { id: 'goip', type: 'goip-16', ports: 16, active_intervals: [[T0 + H, T0 + 3 * H]], serving: [{ cell: cellA, arfcn: 10, ta_steps: 4 }] },
    { id: 'unheard', type: 'goip-8', ports: 8, serving: [{ cell: cellB, arfcn: 20, ta_steps: 2 }] },
  ],
  crowds: [{ id: 'match', kind: 'stadium', serving: [{ cell: cellA, arfcn: 10, ta_steps: [7, 8] }] }],
  probes: [{ name: 'roof', cells_heard: [{ cell: cellA }] }],
});

function det(ts_ms: number, ta_steps: number, over: Partial<ScoredDetection> = {}): ScoredDetection {
  return { probe: 'roof', ts_ms, first_seen_ts_ms: ts_ms, cell: cellA, arfcn: 10, ta_steps, ta_span: 1, severity: 'high', score: 0.95, ...over };
}

describe('scoreDetections', () => {
  it('finds a den from a detection at its cell within ±1 TA step during its active time, and times it from its start', () => {
    const s = scoreDetections(truth, [det(T0 + H + 90_000, 5)]);
    expect(s.dens).toBe(1); // the den on cell B is not heard by any probe: out of the denominator
    expect(s.per_den.find((d) => d.id === 'unheard')).toMatchObject({ heard: false, detected: false });
    expect(s.detected).toBe(1);
    expect(s.recall).toBe(1);
    expect(s.median_time_to_detect_s).toBe(90);
    expect(s.false_episodes).toBe(0);
    expect(s.precision).toBe(1);
  });

  it('does not credit a detection two TA steps away, before the den starts, or on another cell', () => {
    const s = scoreDetections(truth, [
      det(T0 + 2 * H, 6),
      det(T0 + 30 * 60_000, 4),
      det(T0 + 2 * H, 4, { cell: cellB, arfcn: 20 }),
    ]);
    expect(s.detected).toBe(0);
    expect(s.recall).toBe(0);
    expect(s.false_episodes).toBe(3);
    expect(s.precision).toBe(0);
  });

  it('matches by ARFCN when the detection does not know its cell', () => {
    const s = scoreDetections(truth, [det(T0 + 2 * H, 4, { cell: null })]);
    expect(s.detected).toBe(1);
  });

  it('groups false detections into episodes per place, sums false den-hours with the hold time, and names the crowd', () => {
    const s = scoreDetections(
      truth,
      [det(T0 + 4 * H, 8), det(T0 + 4 * H + 10 * 60_000, 8), det(T0 + 4 * H + 20 * 60_000, 8), det(T0 + 5 * H + 50 * 60_000, 8), det(T0 + 4 * H, 1)],
      { episode_gap_ms: H, hold_ms: 10 * 60_000 },
    );
    // TA 8: 0, +10, +20 min form one episode; +110 min is after a gap > 1 h: a second. TA 1: a third.
    expect(s.false_episodes).toBe(3);
    // (20 + 10) + (0 + 10) + (0 + 10) = 50 minutes
    expect(s.false_den_hours).toBeCloseTo(50 / 60, 6);
    const onCrowd = s.false.filter((f) => f.crowd === 'stadium:match');
    expect(onCrowd).toHaveLength(2);
    expect(s.false.find((f) => f.ta_steps === 1)!.crowd).toBeNull();
    expect(s.recall).toBe(0);
  });

  it('counts an episode from the candidate\'s first_seen time', () => {
    const s = scoreDetections(truth, [det(T0 + 4 * H, 1, { first_seen_ts_ms: T0 + 4 * H - 30 * 60_000 })], { hold_ms: 0 });
    expect(s.false_den_hours).toBeCloseTo(0.5, 6);
  });

  it('reports no recall (null) for a world without dens, and no precision without detections', () => {
    const empty = readTruth({ scenario: 'quiet', start_ts_ms: T0, end_ts_ms: T0 + H, dens: [], crowds: [] });
    const s = scoreDetections(empty, []);
    expect(s.recall).toBeNull();
    expect(s.precision).toBeNull();
    expect(s.false_den_hours).toBe(0);
  });
});

describe('readTruth', () => {
  it('fills safe defaults: a den without active intervals is active for the whole run; serving without times holds throughout', () => {
    const t = readTruth({ scenario: 'x', start_ts_ms: 1000, duration_s: 60, dens: [{ id: 'd', serving: [{ mcc: '001', mnc: '01', lac: 1, ci: 2, ta_steps: 3 }] }] });
    expect(t.end_ts_ms).toBe(61_000);
    expect(t.dens[0]!.active_intervals).toEqual([[1000, 61_000]]);
    expect(t.dens[0]!.serving[0]).toMatchObject({ cell: { mcc: '001', mnc: '01', lac: 1, ci: 2 }, ta_steps: 3, from_ts_ms: 1000, to_ts_ms: 61_000 });
    expect(t.heard_cells).toBeNull();
  });

  it('skips serving entries without a cell or TA rather than inventing them', () => {
    const t = readTruth({ scenario: 'x', start_ts_ms: 0, end_ts_ms: 1, dens: [{ id: 'd', serving: [{ ta_steps: 3 }, { cell: cellA }] }] });
    expect(t.dens[0]!.serving).toEqual([]);
  });
});
