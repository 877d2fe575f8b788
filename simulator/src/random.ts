/**
 * Seeded randomness for the simulator: the same scenario and seed give the same world, byte for byte,
 * so tests and evaluations are repeatable. Samplers for the distributions the world's models use
 * (exponential, normal, lognormal, gamma, Poisson, Weibull).
 *
 * It must not read the clock or any global randomness (Math.random).
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(min: number, max: number): number;
  int(minInclusive: number, maxExclusive: number): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Standard normal (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** exp(N(mu, sigma²)). */
  lognormal(mu: number, sigma: number): number;
  /** Lognormal given its median and sigma (of the log). */
  lognormalMedian(median: number, sigma: number): number;
  /** Gamma(shape, scale), mean = shape·scale (Marsaglia–Tsang). */
  gamma(shape: number, scale: number): number;
  /** Poisson with the given mean (inversion for small means, normal approximation above 500). */
  poisson(mean: number): number;
  /** Weibull with shape k and scale lambda. */
  weibull(shape: number, scale: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
  weighted(weights: readonly number[]): number;
  /** A child generator with its own stream, derived from this one's seed and the label. */
  fork(label: string): Random;
}

/** mulberry32: a small, fast 32-bit generator; uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashLabel(seed: number, label: string): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A 32-bit hash of integers, for position- or pair-keyed values that must not consume a stream. */
export function hashInts(a: number, b: number, c = 0): number {
  let h = Math.imul(a ^ 0x85ebca6b, 0xc2b2ae35) ^ Math.imul(b + 0x27d4eb2f, 0x165667b1) ^ Math.imul(c ^ 0x9e3779b9, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> 0;
}

/** A standard normal value that depends only on the hashed integers (deterministic shadowing). */
export function hashedNormal(a: number, b: number, c = 0): number {
  const u1 = (hashInts(a, b, c) + 0.5) / 4294967296;
  const u2 = (hashInts(b, c, a ^ 0x5bd1e995) + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const normal = (mean = 0, sd = 1): number => {
    const u = 1 - next();
    const v = next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number, scale: number): number => {
    if (shape < 1) {
      // Boost: Gamma(a) = Gamma(a + 1) · U^(1/a).
      const u = 1 - next();
      return gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  };
  const r: Random = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min) * next()),
    exponential: (mean) => -mean * Math.log(1 - next()),
    normal,
    lognormal: (mu, sigma) => Math.exp(mu + sigma * normal()),
    lognormalMedian: (median, sigma) => median * Math.exp(sigma * normal()),
    gamma,
    poisson: (mean) => {
      if (mean <= 0) return 0;
      if (mean > 500) return Math.max(0, Math.round(normal(mean, Math.sqrt(mean))));
      // Inversion by sequential search; splits large means so exp(-mean) stays representable.
      let total = 0;
      let remaining = mean;
      while (remaining > 0) {
        const m = Math.min(remaining, 30);
        remaining -= m;
        const limit = Math.exp(-m);
        let k = 0;
        let p = next();
        while (p > limit) {
          p *= next();
          k++;
        }
        total += k;
      }
      return total;
    },
    weibull: (shape, scale) => scale * Math.pow(-Math.log(1 - next()), 1 / shape),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (weights) => {
      let sum = 0;
      for (const w of weights) sum += w;
      let x = next() * sum;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i]!;
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
    fork: (label) => createRandom(hashLabel(seed, label)),
  };
  return r;
}
