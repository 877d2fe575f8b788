/**
 * Poisson tail probabilities, computed in log space so that the tiny p-values a SIM-box burst produces
 * (1e-30 and below) come out as numbers rather than 0 − 0.
 */

const LOG_FACTORIAL_CACHE: number[] = [0];

export function logFactorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`logFactorial needs a non-negative integer, got ${n}`);
  for (let i = LOG_FACTORIAL_CACHE.length; i <= n; i++) LOG_FACTORIAL_CACHE[i] = LOG_FACTORIAL_CACHE[i - 1]! + Math.log(i);
  return LOG_FACTORIAL_CACHE[n]!;
}

function logPmf(i: number, lambda: number): number {
  return -lambda + i * Math.log(lambda) - logFactorial(i);
}

/** ln P(X ≥ k) for k > lambda: the terms decrease from i = k on, so sum from the largest until they stop mattering. */
function logUpperTailAboveMean(k: number, lambda: number): number {
  let sum = 1;
  let term = 1;
  for (let i = k + 1; i < k + 10_000; i++) {
    term *= lambda / i;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return logPmf(k, lambda) + Math.log(sum);
}

/** P(X ≥ k) for X ~ Poisson(lambda). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  if (k <= 0) return 1;
  if (k <= lambda) {
    // Upper tail is large: 1 − P(X < k), the lower sum has few terms and no cancellation problem here.
    let lower = 0;
    for (let i = 0; i < k; i++) lower += Math.exp(logPmf(i, lambda));
    return Math.min(1, Math.max(0, 1 - lower));
  }
  return Math.min(1, Math.exp(logUpperTailAboveMean(k, lambda)));
}

/** −log10 of the upper tail, finite even when the tail underflows a double. */
export function poissonUpperTailLog10(k: number, lambda: number): number {
  if (k <= lambda) return -Math.log10(poissonUpperTail(k, lambda));
  return -logUpperTailAboveMean(k, lambda) / Math.LN10;
}
