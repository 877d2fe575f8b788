import { describe, expect, it } from 'vitest';
import { TaRingLikelihood } from '../../src/geo/ta-ring.js';

describe('TA ring likelihood', () => {
  const ring = new TaRingLikelihood(3 * 553.5, 4 * 553.5, { excess_m: 40, edge_sigma_m: 100 });

  it('is flat inside the band (shifted in by the multipath excess) and falls off outside', () => {
    const inside = ring.at(1900);
    expect(inside).toBeCloseTo(0, 1);
    expect(ring.at(1660.5 - 40 - 100)).toBeLessThan(Math.log(0.2));
    expect(ring.at(1660.5 - 40 - 400)).toBeLessThan(-8);
    expect(ring.at(2214 - 40 + 600)).toBeLessThan(-15);
    // The band edge sits at half probability.
    expect(ring.at(2214 - 40)).toBeCloseTo(Math.log(0.5), 2);
  });

  it('interpolates its table to the exact value', () => {
    for (const d of [0, 37.3, 1234.56, 2174.4, 5000.9]) expect(ring.at(d)).toBeCloseTo(ring.exact(d), 4);
  });

  it('bounds any distance interval by its maximum (checked by brute force)', () => {
    for (const [lo, hi] of [[0, 500], [1500, 1700], [1800, 2000], [2500, 4000], [100, 9000]] as const) {
      let brute = -Infinity;
      for (let d = lo; d <= hi; d += 1) brute = Math.max(brute, ring.at(d));
      expect(ring.maxOver(lo, hi)).toBeGreaterThanOrEqual(brute - 1e-6);
      expect(ring.maxOver(lo, hi)).toBeLessThan(brute + 0.01);
    }
  });
});
