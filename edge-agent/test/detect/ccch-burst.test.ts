import { describe, expect, it } from 'vitest';
import { CcchBurstDetector } from '../../src/detect/ccch-burst.js';
import { FeatureWindower, type WindowFeatures } from '../../src/features/feature-window.js';
import { assignment, seededRandom } from '@simhound/test-support/events';
import type { EstablishmentCause } from '@simhound/protocol';

/** Builds one 60 s window: human traffic spread over TAs 0..maxTa, plus optional extra at one TA. */
function buildWindow(opts: { seed: number; humanPerTa: number; maxTa: number; den?: { ta: number; count: number; cause?: EstablishmentCause }; start?: number }): WindowFeatures {
  const rnd = seededRandom(opts.seed);
  const start = opts.start ?? 0;
  let closed: WindowFeatures | null = null;
  const w = new FeatureWindower(60, (x) => (closed = x));
  let rfn = 0;
  const causes: EstablishmentCause[] = ['originating_call', 'other_sdcch', 'answer_to_paging', 'location_updating'];
  for (let ta = 0; ta <= opts.maxTa; ta++) {
    // Poisson-ish: humanPerTa ± noise
    const n = Math.round(opts.humanPerTa * (0.5 + rnd()));
    for (let i = 0; i < n; i++) w.add(assignment(start + Math.floor(rnd() * 59_000), ta, causes[Math.floor(rnd() * causes.length)]!, { request_rfn: rfn++ }));
  }
  if (opts.den) {
    for (let i = 0; i < opts.den.count; i++) w.add(assignment(start + i * Math.floor(59_000 / opts.den.count), opts.den.ta, opts.den.cause ?? 'originating_call', { request_rfn: rfn++ }));
  }
  w.flush();
  return closed!;
}

describe('ccch-burst@1', () => {
  it('fires on a den at one TA with evidence, once per episode', () => {
    const d = new CcchBurstDetector();
    const det = d.evaluate(buildWindow({ seed: 1, humanPerTa: 4, maxTa: 8, den: { ta: 3, count: 40 } }));
    expect(det).toHaveLength(1);
    const x = det[0]!;
    expect(x).toMatchObject({ detector: 'ccch-burst', detector_version: 1, ta_steps: 3, range_min_m: 1660.5, range_max_m: 2214 });
    expect(x.evidence.event_count).toBeGreaterThanOrEqual(40);
    expect(x.evidence.baseline_count).toBeGreaterThan(0);
    expect(x.evidence.p_value).toBeLessThan(1e-6);
    expect(x.evidence.active_ta_count).toBe(9);
    expect(x.evidence.interarrival_cv).toBeDefined();
    expect(x.score).toBeGreaterThan(0.5);
    // The next window with the den still active is inside the cooldown: no second detection.
    expect(d.evaluate(buildWindow({ seed: 2, humanPerTa: 4, maxTa: 8, den: { ta: 3, count: 40 }, start: 60_000 }))).toHaveLength(0);
    // After the cooldown it fires again.
    expect(d.evaluate(buildWindow({ seed: 3, humanPerTa: 4, maxTa: 8, den: { ta: 3, count: 40 }, start: 60_000 * 12 }))).toHaveLength(1);
  });

  it('does not fire on busy human traffic spread over many TAs (hard negative: evening peak)', () => {
    const d = new CcchBurstDetector();
    for (let seed = 10; seed < 60; seed++) {
      expect(d.evaluate(buildWindow({ seed, humanPerTa: 30, maxTa: 12, start: seed * 60_000 }))).toEqual([]);
    }
  });

  it('does not fire on a quiet cell with a handful of calls at one TA', () => {
    const d = new CcchBurstDetector();
    expect(d.evaluate(buildWindow({ seed: 5, humanPerTa: 0, maxTa: 0, den: { ta: 2, count: 6 } }))).toEqual([]);
  });

  it('ignores non-originating causes (a location-update storm after a cell restart)', () => {
    const d = new CcchBurstDetector();
    expect(d.evaluate(buildWindow({ seed: 6, humanPerTa: 2, maxTa: 6, den: { ta: 2, count: 80, cause: 'location_updating' } }))).toEqual([]);
  });
});
