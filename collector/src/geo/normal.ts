/**
 * The standard normal's log-CDF and the log of a probability mass between two normal quantiles, stable
 * far into the tails (soft TA-ring edges need log Φ(−8) without underflow). erfc by W. J. Cody's
 * rational Chebyshev approximation as given in Numerical Recipes (fractional error < 1.2e-7), asymptotic
 * expansion beyond it. Pure math; no geometry here.
 */

/** erfc(x) for x ≥ 0 divided by exp(−x²) — the scaled complementary error function, erfcx. */
function erfcxPositive(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(poly);
}

const LN_HALF = Math.log(0.5);
const SQRT1_2 = Math.SQRT1_2;

/** log Φ(z), Φ the standard normal CDF. */
export function logNormalCdf(z: number): number {
  if (z >= 0) {
    // Φ(z) = 1 − ½ erfc(z/√2)
    const x = z * SQRT1_2;
    return Math.log1p(-0.5 * erfcxPositive(x) * Math.exp(-x * x));
  }
  const x = -z * SQRT1_2;
  // Φ(z) = ½ erfc(−z/√2) = ½ erfcx(x) e^{−x²}
  return LN_HALF + Math.log(erfcxPositive(x)) - x * x;
}

/** Φ(z). */
export function normalCdf(z: number): number {
  return Math.exp(logNormalCdf(z));
}

/**
 * log(Φ(b) − Φ(a)) for a < b: the log-probability that a normal variable falls between two quantiles,
 * computed on the side of the tail where it does not cancel.
 */
export function logNormalInterval(a: number, b: number): number {
  if (b <= a) return -Infinity;
  if (a >= 0) {
    // Both in the upper tail: Φ(b) − Φ(a) = Φ(−a) − Φ(−b).
    const hi = logNormalCdf(-a);
    const lo = logNormalCdf(-b);
    return hi + Math.log1p(-Math.exp(lo - hi));
  }
  const hi = logNormalCdf(b);
  const lo = logNormalCdf(a);
  return hi + Math.log1p(-Math.exp(lo - hi));
}

/** The 0.95 quantile of χ² with 2 degrees of freedom (−2 ln 0.05): scales a covariance to a 95 % ellipse. */
export const CHI2_2DOF_95 = -2 * Math.log(0.05);
