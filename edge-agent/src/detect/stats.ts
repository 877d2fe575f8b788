/**
 * The tail probabilities the detectors test with, all returned as evidence in −log10 p (0 = no
 * evidence, capped at EVIDENCE_CAP so "p = 1e-300" and "p = 1e-40" weigh the same: both are certain).
 *
 * Human traffic is overdispersed (people move in crowds, call in bursts), so every count test here takes
 * a dispersion parameter instead of assuming Poisson/binomial independence:
 * - counts against an expected rate: negative binomial (gamma–Poisson) with size `r`;
 * - a share of events (e.g. answered pagings among a TA slot's accesses): a binomial whose sample size is
 *   deflated by the design effect 1 + (n − 1)·ρ (quasi-binomial), ρ being the intra-class correlation.
 * Tails come from the regularised incomplete beta/gamma functions (@stdlib), which stay accurate far
 * into the tails where 1 − cdf would cancel to zero.
 *
 * Must not decide anything: thresholds live in the detectors and the config schema.
 */
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';

/** Evidence is reported as −log10 p, capped: beyond 1e-30 nothing changes a decision. */
export const EVIDENCE_CAP = 30;

export function evidenceOf(p: number): number {
  if (!(p > 0)) return EVIDENCE_CAP;
  return Math.min(EVIDENCE_CAP, Math.max(0, -Math.log10(p)));
}

/**
 * P(X ≥ k) for X ~ NegBin(mean μ, size r) (variance μ + μ²/r). r = ∞ gives Poisson. Continuous in k,
 * so a count already scaled by an effective sample size may be passed.
 */
export function negBinUpperTail(k: number, mean: number, size: number): number {
  if (k <= 0) return 1;
  if (!(mean > 0)) return 0;
  if (!Number.isFinite(size)) return gammainc(mean, k, true, false); // Poisson: P(X ≥ k) = P(k, μ) lower regularised gamma
  const p = size / (size + mean);
  return betainc(1 - p, k, size, true, false);
}

/** P(X ≤ k) for X ~ Binomial(n, q), continuous in k and n (quasi-binomial use). */
export function binomialLowerTail(k: number, n: number, q: number): number {
  if (k >= n) return 1;
  if (k < 0) return 0;
  if (q <= 0) return 1;
  if (q >= 1) return 0;
  // P(X ≤ k) = I_{1−q}(n − k, k + 1)
  return betainc(1 - q, n - k, k + 1, true, false);
}

/** P(X ≥ k) for X ~ Binomial(n, q), continuous in k and n. */
export function binomialUpperTail(k: number, n: number, q: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  // P(X ≥ k) = I_q(k, n − k + 1)
  return betainc(q, k, n - k + 1, true, false);
}

/** Design effect of correlated events: n independent-equivalent events out of n observed. */
export function effectiveSize(n: number, rho: number): number {
  return n / (1 + Math.max(0, n - 1) * rho);
}

/**
 * Evidence that a share is BELOW q: x successes out of n, with intra-class correlation ρ (x and n are
 * scaled to the effective sample size before the binomial tail).
 */
export function shareBelowEvidence(x: number, n: number, q: number, rho: number): number {
  if (n <= 0) return 0;
  const ne = effectiveSize(n, rho);
  const scale = ne / n;
  return evidenceOf(binomialLowerTail(x * scale, ne, q));
}

/** Evidence that a share is ABOVE q (see shareBelowEvidence). */
export function shareAboveEvidence(x: number, n: number, q: number, rho: number): number {
  if (n <= 0) return 0;
  const ne = effectiveSize(n, rho);
  const scale = ne / n;
  return evidenceOf(binomialUpperTail(x * scale, ne, q));
}

/** Evidence that a count exceeds its expectation under a negative binomial with size r. */
export function countAboveEvidence(k: number, expected: number, size: number): number {
  if (k <= expected) return 0;
  return evidenceOf(negBinUpperTail(k, Math.max(expected, 1e-9), size));
}

/**
 * Evidence that counts are UNDER-dispersed (more regular than Poisson): the index of dispersion
 * D = Σ(xᵢ − x̄)²/x̄ over m bins is χ²(m − 1) under Poisson; machines dialling at fixed intervals give a
 * small D. Returns evidence from the lower χ² tail.
 */
export function underdispersionEvidence(binCounts: ArrayLike<number>, first = 0, count = binCounts.length): number {
  if (count < 4) return 0;
  let sum = 0;
  for (let i = first; i < first + count; i++) sum += binCounts[i]!;
  const mean = sum / count;
  if (mean <= 0) return 0;
  let ss = 0;
  for (let i = first; i < first + count; i++) ss += (binCounts[i]! - mean) ** 2;
  const d = ss / mean;
  // P(χ²_{m−1} ≤ d) = lower regularised gamma P((m−1)/2, d/2)
  return evidenceOf(gammainc(d / 2, (count - 1) / 2, true, false));
}

/** P(Z > z) for a standard normal Z: ½·Q(½, z²/2) through the regularised upper incomplete gamma. */
export function normalUpperTail(z: number): number {
  const tail = 0.5 * gammainc((z * z) / 2, 0.5, true, true);
  return z >= 0 ? tail : 1 - tail;
}

/** Fano factor (variance / mean) of bin counts; NaN when the mean is 0. */
export function fanoFactor(binCounts: ArrayLike<number>, first = 0, count = binCounts.length): number {
  let sum = 0;
  for (let i = first; i < first + count; i++) sum += binCounts[i]!;
  const mean = sum / count;
  if (!(mean > 0) || count < 2) return Number.NaN;
  let ss = 0;
  for (let i = first; i < first + count; i++) ss += (binCounts[i]! - mean) ** 2;
  return ss / (count - 1) / mean;
}

/** Upper bound of a binomial share by the Wilson score interval at z standard errors. */
export function wilsonUpper(x: number, n: number, z: number): number {
  if (n <= 0) return 1;
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.min(1, (centre + half) / (1 + z2 / n));
}

/** Lower bound of a binomial share by the Wilson score interval at z standard errors. */
export function wilsonLower(x: number, n: number, z: number): number {
  if (n <= 0) return 0;
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - half) / (1 + z2 / n));
}
