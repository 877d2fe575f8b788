import { describe, expect, it } from 'vitest';
import { TaRingLikelihood } from '../../src/geo/ta-ring.js';

describe('TA ring likelihood', () => {
  const ring = new TaRingLikelihood(3 * 553.5, 4 * 553.5, { excess_m: 40, edge_sigma_m: 100 });

  it('is flat inside the band, falls off outside, exponentially on the near side (multipath excess ≥ 0)', () => {
    expect(ring.at(1900)).toBeCloseTo(0, 1);
    // Nearer than the band needs a large excess: the exponential tail (mean 40 m) with the normal rest.
    expect(ring.at(1660.5 - 400)).toBeLessThan(-5);
    expect(ring.at(1660.5 - 400)).toBeGreaterThan(-9);
    // Farther than the band needs a negative normal rest only: a normal tail, much steeper.
    expect(ring.at(2214 + 400)).toBeLessThan(-10);
    expect(ring.at(2214 + 600)).toBeLessThan(-15);
    expect(ring.at(2214 + 400)).toBeLessThan(ring.at(1660.5 - 400));
    // The peak sits inside the band, pulled in by the excess.
    expect(ring.peak_m).toBeGreaterThan(1660.5);
    expect(ring.peak_m).toBeLessThan(1937);
  });

  it('equals a numerical convolution of the exponential excess and the normal rest', () => {
    const mu = 40;
    const s = 100;
    for (const d of [1300, 1600, 1700, 2000, 2150, 2300, 2500]) {
      let p = 0;
      let wn = 0;
      const N = 2000;
      for (let j = -60; j <= 60; j++) {
        const g = (j * s) / 10;
        const w = Math.exp(-0.5 * (j / 10) ** 2);
        wn += w;
        for (let i = 0; i < N; i++) {
          const e = -mu * Math.log(1 - (i + 0.5) / N);
          const z = d + e + g;
          if (z >= 1660.5 && z < 2214) p += w / N;
        }
      }
      expect(ring.exact(d)).toBeCloseTo(Math.log(p / wn), 1);
    }
  });

  it('stays finite far from the band (tile bounds need the tails)', () => {
    for (const d of [0, 10, 20_000, 39_000]) expect(Number.isFinite(ring.exact(d))).toBe(true);
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
