/** The samplers against their distributions' moments (fixed seed, large samples). */
import { describe, expect, it } from 'vitest';
import { createRandom, hashedNormal } from '../src/random.js';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

const N = 60_000;
const draw = (f: () => number) => Array.from({ length: N }, f);

describe('random samplers', () => {
  const r = createRandom(12345);
  it('gamma(shape, scale) has mean k·θ and variance k·θ² (shape below and above 1)', () => {
    for (const [k, theta] of [[0.5, 2], [3, 1.5]] as const) {
      const m = moments(draw(() => r.gamma(k, theta)));
      expect(m.mean).toBeCloseTo(k * theta, 1);
      expect(m.variance / (k * theta * theta)).toBeGreaterThan(0.93);
      expect(m.variance / (k * theta * theta)).toBeLessThan(1.07);
    }
  });
  it('lognormal(mu, sigma) has the median e^mu and mean e^(mu + sigma²/2)', () => {
    const xs = draw(() => r.lognormal(1, 0.8)).sort((a, b) => a - b);
    expect(xs[N / 2]! / Math.exp(1)).toBeGreaterThan(0.97);
    expect(xs[N / 2]! / Math.exp(1)).toBeLessThan(1.03);
    expect(moments(xs).mean / Math.exp(1 + 0.32)).toBeGreaterThan(0.97);
    expect(moments(xs).mean / Math.exp(1 + 0.32)).toBeLessThan(1.03);
    const med = draw(() => r.lognormalMedian(60, 1)).sort((a, b) => a - b)[N / 2]!;
    expect(med).toBeGreaterThan(57);
    expect(med).toBeLessThan(63);
  });
  it('poisson(mean) has mean = variance, for small, large (split) and very large means', () => {
    for (const lambda of [0.7, 12, 95, 900]) {
      const m = moments(draw(() => r.poisson(lambda)));
      expect(Math.abs(m.mean - lambda) / lambda).toBeLessThan(0.03);
      expect(m.variance / lambda).toBeGreaterThan(0.93);
      expect(m.variance / lambda).toBeLessThan(1.07);
    }
  });
  it('exponential, weibull and weighted picks match their definitions', () => {
    expect(moments(draw(() => r.exponential(5))).mean).toBeCloseTo(5, 0);
    // Weibull(k = 1) is exponential with mean lambda.
    expect(moments(draw(() => r.weibull(1, 3))).mean).toBeCloseTo(3, 0);
    const counts = [0, 0, 0];
    for (let i = 0; i < N; i++) counts[r.weighted([1, 2, 7])]!++;
    expect(counts[2]! / N).toBeCloseTo(0.7, 1);
    expect(counts[0]! / N).toBeCloseTo(0.1, 1);
  });
  it('is reproducible by seed and forks are independent streams', () => {
    const a = createRandom(9);
    const b = createRandom(9);
    expect(draw(() => a.next()).slice(0, 50)).toEqual(draw(() => b.next()).slice(0, 50));
    const f1 = createRandom(9).fork('x');
    const f2 = createRandom(9).fork('y');
    expect(f1.next()).not.toBe(f2.next());
  });
  it('hashedNormal is a deterministic standard normal of its keys', () => {
    expect(hashedNormal(3, 4, 5)).toBe(hashedNormal(3, 4, 5));
    const m = moments(Array.from({ length: N }, (_, i) => hashedNormal(i, 77, 1)));
    expect(Math.abs(m.mean)).toBeLessThan(0.02);
    expect(m.variance).toBeGreaterThan(0.97);
    expect(m.variance).toBeLessThan(1.03);
  });
});
