import { describe, expect, it } from 'vitest';
import { logFactorial, poissonUpperTail, poissonUpperTailLog10 } from '../../src/detect/poisson.js';

// Reference: direct summation of the pmf with exact factorials (small k, where doubles are exact enough).
function referenceUpperTail(k: number, lambda: number): number {
  let lower = 0;
  let fact = 1;
  for (let i = 0; i < k; i++) {
    if (i > 0) fact *= i;
    lower += (Math.exp(-lambda) * lambda ** i) / fact;
  }
  return 1 - lower;
}

describe('poisson tail', () => {
  it('matches the closed form P(X ≥ 1) = 1 − e^−λ', () => {
    for (const l of [0.1, 1, 3.5, 20]) expect(poissonUpperTail(1, l)).toBeCloseTo(1 - Math.exp(-l), 12);
  });

  it('matches direct summation over a grid', () => {
    for (const l of [0.5, 1, 2, 5, 10, 15]) {
      for (let k = 0; k <= 25; k++) {
        const ref = referenceUpperTail(k, l);
        const got = poissonUpperTail(k, l);
        if (ref > 1e-9) expect(Math.abs(got - ref) / ref).toBeLessThan(1e-6);
      }
    }
  });

  it('gives finite log tails where the probability underflows', () => {
    // P(X ≥ 400 | λ=1) = e^-1/400! · (1 + 1/401 + 1/(401·402) + …)
    let series = 0;
    let term = 1;
    for (let i = 401; term > 1e-18; i++) {
      series += term;
      term /= i;
    }
    const expected = (1 + logFactorial(400)) / Math.LN10 - Math.log10(series);
    expect(poissonUpperTailLog10(400, 1)).toBeCloseTo(expected, 3);
    expect(poissonUpperTail(400, 1)).toBe(0);
  });

  it('is monotone in k', () => {
    let prev = 1;
    for (let k = 0; k < 60; k++) {
      const p = poissonUpperTail(k, 7);
      expect(p).toBeLessThanOrEqual(prev + 1e-15);
      prev = p;
    }
  });
});
