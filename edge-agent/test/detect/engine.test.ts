import { describe, expect, it } from 'vitest';
import { DetectionEngine } from '../../src/detect/engine.js';
import { buildSlotDetectors, defaultDetectorSettings, SLOT_DETECTORS } from '../../src/detect/registry.js';
import type { DetectionDraft } from '../../src/detect/types.js';
import { MemoryBaselineStore } from '../../src/features/baseline.js';
import type { CellId, GsmEvent } from '../../src/gsm/events.js';
import { callCentre, den, merge, people } from './traffic.js';

const A: CellId = { mcc: '651', mnc: '01', lac: 100, ci: 1 };
const B: CellId = { mcc: '651', mnc: '02', lac: 200, ci: 2 };
const T0 = Date.UTC(2026, 0, 5, 9);

function run(events: GsmEvent[], opts: { cellDistanceM?: (a: CellId, b: CellId) => number | null; baselines?: MemoryBaselineStore } = {}) {
  const out: DetectionDraft[] = [];
  const engine = new DetectionEngine({
    detectors: buildSlotDetectors(SLOT_DETECTORS.map((d) => d.id), defaultDetectorSettings()),
    onCandidate: (d) => out.push(d),
    ...(opts.cellDistanceM ? { cellDistanceM: opts.cellDistanceM } : {}),
    ...(opts.baselines ? { baselines: opts.baselines } : {}),
  });
  for (const e of events) engine.add(e);
  engine.flush();
  return { out, engine };
}

describe('DetectionEngine', () => {
  it('raises one candidate episode for a GOIP-16 in a busy cell, at its TA, within fifteen minutes, updated every 10 min', () => {
    const { out } = run(merge(people(1, A, 30, T0, 90, 3), den(2, A, 30, 6, T0 + 10 * 60_000, 60, 16, 60)));
    expect(out.length).toBeGreaterThan(3);
    expect(new Set(out.map((d) => d.ta_steps))).toEqual(new Set([6]));
    expect(new Set(out.map((d) => d.evidence.first_seen_ts_ms)).size).toBe(1);
    const first = out[0]!;
    expect(first.detector).toBe('den-candidate');
    expect(first.window.end_ts_ms - (T0 + 10 * 60_000)).toBeLessThanOrEqual(900_000);
    expect(first.evidence.indicators!.map((i) => i.detector)).toContain('mo-mt-asymmetry');
    const gaps = out.slice(1).map((d, i) => d.window.end_ts_ms - out[i]!.window.end_ts_ms);
    // Updates come every 10 minutes, or sooner when the severity rises.
    for (const g of gaps) expect(g).toBeLessThanOrEqual(600_000);
  });

  it('raises nothing for a 40-agent call centre with inbound calls, over two hours of a busy cell', () => {
    const { out } = run(merge(people(3, A, 30, T0, 120, 3), callCentre(4, A, 30, 4, T0, 120, 40)));
    expect(out).toEqual([]);
  });

  it('raises nothing for people alone (20 seeds × 1 h)', () => {
    for (let seed = 10; seed < 30; seed++) expect(run(people(seed, A, 30, T0, 60, 4)).out).toEqual([]);
  });

  it('adds multi-operator evidence when the same den is seen on two operators whose rings cross', () => {
    const events = merge(people(5, A, 30, T0, 40, 2), people(6, B, 60, T0, 40, 2), den(7, A, 30, 3, T0, 40, 8, 60), den(8, B, 60, 5, T0, 40, 8, 60));
    const { out } = run(events, { cellDistanceM: () => 1200 });
    const multi = out.flatMap((d) => d.evidence.indicators ?? []).filter((i) => i.detector === 'multi-operator');
    expect(multi.length).toBeGreaterThan(0);
    expect(multi.some((i) => i.level === 'strong' && i.facts.rings_intersect === 1)).toBe(true);
  });

  it('learns baselines hour by hour and keeps them in the store; the den\'s TA does not teach its own', () => {
    const store = new MemoryBaselineStore();
    run(merge(people(9, A, 30, T0, 5 * 60, 3), den(10, A, 30, 6, T0, 5 * 60, 16, 60)), { baselines: store });
    const state = store.load('651-01-100-1-30');
    expect(state).not.toBeNull();
    expect(state!.level_hours).toBeGreaterThanOrEqual(4);
    expect(state!.slots['3']?.hours).toBeGreaterThanOrEqual(4);
    expect(state!.slots['6']).toBeUndefined();
  });
});
