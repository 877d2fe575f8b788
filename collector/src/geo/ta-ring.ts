/**
 * Timing-Advance ring likelihood: a den served by a cell at TA k sits where the BTS measured a one-way
 * path of [k·553.5, (k+1)·553.5) m (TS 45.010), i.e. the distance to the tower plus the excess of the
 * strongest multipath component. The band in distance is therefore shifted in by the mean excess, and its
 * edges are soft: a normal blur whose sigma combines the excess' spread, the BTS's timing estimate and
 * the tower-position error of the cell database.
 *
 * log L(d) = log(Φ((d − a)/σ) − Φ((d − b)/σ)), a = range_min − excess, b = range_max − excess.
 * Tabulated at 1 m steps (the grid calls it millions of times). Pure; no I/O.
 */
import { logNormalInterval } from './normal.js';

export interface RingModel {
  /** Mean excess path of the strongest multipath component, metres (urban NLOS: tens of metres). */
  excess_m: number;
  /** Sigma of the soft edges, metres. */
  edge_sigma_m: number;
}

export const RING_MODEL_DEFAULTS: RingModel = { excess_m: 40, edge_sigma_m: 110 };

export class TaRingLikelihood {
  private readonly table: Float64Array;
  private readonly a: number;
  private readonly b: number;
  /** The distance at which the likelihood peaks (the band's middle). */
  readonly peak_m: number;

  constructor(
    readonly range_min_m: number,
    readonly range_max_m: number,
    readonly model: RingModel = RING_MODEL_DEFAULTS,
    max_distance_m = 40_000,
  ) {
    this.a = range_min_m - model.excess_m;
    this.b = range_max_m - model.excess_m;
    this.peak_m = Math.max(0, (this.a + this.b) / 2);
    const n = Math.ceil(max_distance_m) + 2;
    this.table = new Float64Array(n);
    for (let d = 0; d < n; d++) this.table[d] = this.exact(d);
  }

  /** Exact log-likelihood at distance d (metres). */
  exact(d: number): number {
    const s = this.model.edge_sigma_m;
    // P(a ≤ d + e ≤ b) with e ~ N(0, s²): Φ((b − d)/s) − Φ((a − d)/s).
    return logNormalInterval((this.a - d) / s, (this.b - d) / s);
  }

  /** Log-likelihood at distance d, interpolated from the 1 m table. */
  at(d: number): number {
    const t = this.table;
    if (d >= t.length - 1) return this.exact(d);
    const i = d | 0;
    const f = d - i;
    return t[i]! + (t[i + 1]! - t[i]!) * f;
  }

  /** Largest log-likelihood over distances in [dmin, dmax] (it is unimodal in d). */
  maxOver(dmin: number, dmax: number): number {
    return this.at(Math.min(Math.max(this.peak_m, dmin), dmax));
  }
}
