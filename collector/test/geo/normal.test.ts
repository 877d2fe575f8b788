import { describe, expect, it } from 'vitest';
import { CHI2_2DOF_95, logNormalCdf, logNormalInterval, normalCdf } from '../../src/geo/normal.js';

describe('normal distribution helpers', () => {
  it('match tabulated Φ values, including far tails', () => {
    // Φ(z) from standard tables (Abramowitz & Stegun 26.2).
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1)).toBeCloseTo(0.8413447461, 6);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
    expect(logNormalCdf(-8) / Math.log(6.220960574e-16)).toBeCloseTo(1, 5);
    expect(logNormalCdf(-30)).toBeCloseTo(Math.log(4.906713927e-198), 2);
    expect(Number.isFinite(logNormalCdf(-200))).toBe(true);
  });

  it('computes interval probabilities without cancellation', () => {
    expect(Math.exp(logNormalInterval(-1, 1))).toBeCloseTo(0.6826894921, 6);
    expect(logNormalInterval(5, 6)).toBeCloseTo(Math.log(2.8665157e-7 - 9.8658765e-10), 4);
    expect(logNormalInterval(-6, -5)).toBeCloseTo(logNormalInterval(5, 6), 10);
    expect(logNormalInterval(1, 1)).toBe(-Infinity);
  });

  it('scales a covariance to a 95 % ellipse with χ²₂(0.95) = 5.991', () => {
    expect(CHI2_2DOF_95).toBeCloseTo(5.991, 3);
  });
});
