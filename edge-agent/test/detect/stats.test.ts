import { describe, expect, it } from 'vitest';
import {
  binomialLowerTail, binomialUpperTail, effectiveSize, evidenceOf, fanoFactor, negBinUpperTail, normalUpperTail, underdispersionEvidence,
} from '../../src/detect/stats.js';
import { poissonUpperTail } from '../../src/detect/poisson.js';

/** Exact binomial tails by direct summation (the independent reference). */
function binomPmf(k: number, n: number, q: number): number {
  let lc = 0;
  for (let i = 1; i <= k; i++) lc += Math.log((n - k + i) / i);
  return Math.exp(lc + k * Math.log(q) + (n - k) * Math.log(1 - q));
}

describe('stats', () => {
  it('binomial tails match direct summation', () => {
    for (const [n, q] of [[20, 0.3], [97, 0.25], [400, 0.05]] as const) {
      for (const k of [0, 1, 3, Math.floor(n * q), n - 1]) {
        let lower = 0;
        for (let i = 0; i <= k; i++) lower += binomPmf(i, n, q);
        let upper = 0;
        for (let i = k; i <= n; i++) upper += binomPmf(i, n, q);
        expect(binomialLowerTail(k, n, q)).toBeCloseTo(lower, 10);
        expect(binomialUpperTail(k, n, q)).toBeCloseTo(upper, 10);
      }
    }
  });

  it('negative binomial with infinite size is Poisson, and a small size has a heavier tail', () => {
    for (const [k, mu] of [[10, 2], [30, 5], [3, 4]] as const) expect(negBinUpperTail(k, mu, Infinity)).toBeCloseTo(poissonUpperTail(k, mu), 10);
    expect(negBinUpperTail(20, 4, 2)).toBeGreaterThan(negBinUpperTail(20, 4, Infinity) * 1000);
  });

  it('evidence is −log10 p, capped, never negative', () => {
    expect(evidenceOf(1e-6)).toBeCloseTo(6, 10);
    expect(evidenceOf(0)).toBe(30);
    expect(evidenceOf(1)).toBe(0);
  });

  it('design effect shrinks large samples more than small ones', () => {
    expect(effectiveSize(1, 0.01)).toBe(1);
    expect(effectiveSize(101, 0.01)).toBeCloseTo(50.5, 10);
  });

  it('under-dispersion: regular counts give evidence, Poisson-like counts give almost none', () => {
    expect(underdispersionEvidence(new Array(40).fill(5))).toBe(30);
    const irregular = [3, 9, 1, 7, 4, 12, 0, 6, 8, 2, 5, 10, 3, 7, 1, 9];
    expect(underdispersionEvidence(irregular)).toBeLessThan(0.5);
    expect(fanoFactor([4, 4, 4, 4])).toBe(0);
  });

  it('normal tail', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 10);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6);
  });
});
