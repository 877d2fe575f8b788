/**
 * Timing-Advance ring likelihood: a den served by a cell at TA k sits where the BTS measured a one-way
 * path of [k·553.5, (k+1)·553.5) m (TS 45.010), i.e. the distance to the tower plus two errors:
 *
 *  - the excess path of the strongest multipath component, e ≥ 0 (the first or strongest arrival is never
 *    earlier than the straight line): exponential with mean `excess_m` (urban NLOS: tens of metres);
 *  - a symmetric rest g ~ N(0, edge_sigma_m²): the BTS's timing estimate of the access burst and the
 *    tower-position error of the cell list.
 *
 * L(d) = P(a ≤ d + e + g < b) = F(b − d) − F(a − d), with F the CDF of e + g — the exponentially modified
 * normal: F(z) = Φ(z/σ) − exp(σ²/(2μ²) − z/μ)·Φ(z/σ − σ/μ). Evaluated in log space on the side where it
 * does not cancel (the survival 1 − F for z > 0, F itself below), so the tails stay finite far out
 * (the grid's tile bounds need them). Earlier versions used a normal shifted by the mean excess, whose
 * two-sided spread had to be wide enough for the one-sided excess and made the posterior too wide.
 * Tabulated at 1 m steps (the grid calls it millions of times). Pure; no I/O.
 */
import { logNormalCdf } from './normal.js';

export interface RingModel {
  /** Mean excess path of the strongest multipath component (exponential), metres. */
  excess_m: number;
  /** Sigma of the symmetric rest (BTS timing estimate, tower-position error), metres. */
  edge_sigma_m: number;
}

export const RING_MODEL_DEFAULTS: RingModel = { excess_m: 40, edge_sigma_m: 80 };

/** log(e^x − e^y) for x ≥ y. */
function logDiff(x: number, y: number): number {
  if (y === -Infinity) return x;
  return x + Math.log1p(-Math.exp(y - x));
}

/** log(e^x + e^y). */
function logSum(x: number, y: number): number {
  const m = Math.max(x, y);
  if (m === -Infinity) return m;
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

export class TaRingLikelihood {
  private readonly table: Float64Array;
  private readonly a: number;
  private readonly b: number;
  /** The distance at which the likelihood peaks. */
  readonly peak_m: number;

  constructor(
    readonly range_min_m: number,
    readonly range_max_m: number,
    readonly model: RingModel = RING_MODEL_DEFAULTS,
    max_distance_m = 40_000,
  ) {
    this.a = range_min_m;
    this.b = range_max_m;
    const n = Math.ceil(max_distance_m) + 2;
    this.table = new Float64Array(n);
    let peak = 0;
    for (let d = 0; d < n; d++) {
      const v = this.exact(d);
      this.table[d] = v;
      if (v > this.table[peak]!) peak = d;
    }
    this.peak_m = peak;
  }

  /** log F(z): the probability that e + g ≤ z. */
  private logCdf(z: number): number {
    const s = this.model.edge_sigma_m;
    const mu = this.model.excess_m;
    if (mu <= 0) return logNormalCdf(z / s);
    const lA = logNormalCdf(z / s);
    const lB = (s * s) / (2 * mu * mu) - z / mu + logNormalCdf(z / s - s / mu);
    return lB >= lA ? -Infinity : logDiff(lA, lB);
  }

  /** log(1 − F(z)): the probability that e + g > z. */
  private logSurvival(z: number): number {
    const s = this.model.edge_sigma_m;
    const mu = this.model.excess_m;
    if (mu <= 0) return logNormalCdf(-z / s);
    return logSum(logNormalCdf(-z / s), (s * s) / (2 * mu * mu) - z / mu + logNormalCdf(z / s - s / mu));
  }

  /** Exact log-likelihood at distance d (metres). */
  exact(d: number): number {
    const lo = this.a - d;
    const hi = this.b - d;
    // F(hi) − F(lo) = S(lo) − S(hi); use survivals when both are in the upper half, CDFs otherwise.
    if (lo > 0) return logDiff(this.logSurvival(lo), this.logSurvival(hi));
    const v = logDiff(this.logCdf(hi), this.logCdf(lo));
    return Number.isFinite(v) ? v : logDiff(this.logSurvival(lo), this.logSurvival(hi));
  }

  /** Log-likelihood at distance d, interpolated from the 1 m table. */
  at(d: number): number {
    const t = this.table;
    if (d >= t.length - 1) return this.exact(d);
    const i = d | 0;
    const f = d - i;
    return t[i]! + (t[i + 1]! - t[i]!) * f;
  }

  /** Largest log-likelihood over distances in [dmin, dmax] (it is unimodal in d: log-concave). */
  maxOver(dmin: number, dmax: number): number {
    return this.at(Math.min(Math.max(this.peak_m, dmin), dmax));
  }
}
