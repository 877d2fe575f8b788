import { describe, expect, it } from 'vitest';
import { fuse } from '../../src/detect/fusion.js';
import type { Indicator } from '../../src/detect/types.js';

const ind = (detector: string, evidence: number, level: Indicator['level'] = evidence >= 6 ? 'strong' : 'moderate'): Indicator => ({
  detector, detector_version: 1, horizon_s: 900, evidence, level, facts: {}, reason: detector,
});
const steady = { active_blocks: 6, max_block_share: 0.2, excess_count: 120, minutes: 15 };
const map = (...xs: Indicator[]) => new Map(xs.map((x) => [x.detector, x]));

describe('den-candidate@1 fusion', () => {
  it('rule A: strong asymmetry on steady, excess demand', () => {
    const v = fuse(map(ind('mo-mt-asymmetry', 12)), steady);
    expect(v?.rule).toBe('A');
    expect(v!.score).toBeGreaterThan(0.4);
  });

  it('rule B: moderate asymmetry needs volume or a signature', () => {
    expect(fuse(map(ind('mo-mt-asymmetry', 4)), steady)).toBeNull();
    expect(fuse(map(ind('mo-mt-asymmetry', 4), ind('sim-rotation', 3)), steady)?.rule).toBe('B');
    expect(fuse(map(ind('mo-mt-asymmetry', 4), ind('ccch-burst', 9)), steady)?.rule).toBe('B');
  });

  it('rule C: strong volume with two signatures, without asymmetry (a den whose ports call each other)', () => {
    expect(fuse(map(ind('ccch-burst', 12), ind('sim-rotation', 5)), steady)).toBeNull();
    expect(fuse(map(ind('ccch-burst', 12), ind('sim-rotation', 5), ind('machine-regularity', 4)), steady)?.rule).toBe('C');
  });

  it('never on volume alone, however loud (a call centre, a stadium)', () => {
    expect(fuse(map(ind('ccch-burst', 30), ind('ta-concentration', 30)), steady)).toBeNull();
  });

  it('never on one burst: unsteady demand, or too little excess (a heavy user)', () => {
    expect(fuse(map(ind('mo-mt-asymmetry', 12)), { ...steady, active_blocks: 2 })).toBeNull();
    expect(fuse(map(ind('mo-mt-asymmetry', 12)), { ...steady, max_block_share: 0.8 })).toBeNull();
    expect(fuse(map(ind('mo-mt-asymmetry', 12)), { ...steady, excess_count: 8 })).toBeNull();
  });

  it('severity rises with agreeing strong evidence', () => {
    const low = fuse(map(ind('mo-mt-asymmetry', 4), ind('sim-rotation', 3)), steady)!;
    const high = fuse(map(ind('mo-mt-asymmetry', 15), ind('ccch-burst', 20), ind('sim-rotation', 8), ind('machine-regularity', 7)), steady)!;
    expect(low.severity).toBe('low');
    expect(high.severity).toBe('high');
    expect(high.indicators.map((i) => i.detector)[0]).toBe('ccch-burst');
  });
});
