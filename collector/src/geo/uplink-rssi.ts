/**
 * Uplink signal-strength likelihood with the path-loss model FITTED, not assumed. A probe at distance d
 * from the den receives its access bursts at r = P − n·10·log10(d) + e (log-distance model): P is the
 * level at 1 m (the den's transmit power, antenna and the building's wall/basement loss, all unknown),
 * n the path-loss exponent (free space 2, urban outdoor-to-indoor 3–4), e the shadowing (normal in dB).
 *
 * For a candidate den position the measurements give a linear regression in (P, n). With weak normal
 * priors on both, P and n are integrated out in closed form (a Bayesian linear model), so each grid
 * cell's likelihood is the evidence of "the den is here" with whatever power and exponent fit best —
 * the fit's uncertainty included (its log-determinant), which keeps the ellipse honest when few probes
 * hear the den. `fitAt` returns the fitted (P, n) at a point (for the estimate's report and guidance).
 *
 * Measurements are *bins* (rssi-bins.ts): one per fixed probe, or per stretch of a moving probe's route,
 * with a variance that already includes shadowing. Pure; no I/O.
 */

export interface RssiBin {
  x: number;
  y: number;
  /** Mean received level of the den's bursts in this bin, dBm. */
  rssi_dbm: number;
  /** Variance of that mean, dB² (shadowing + fast-fading residual). */
  var_db2: number;
  bursts: number;
  /** Which probe (site/probe) measured it. */
  probe: string;
}

export interface PathLossPrior {
  /** Prior mean and sigma of the level at 1 m, dBm. */
  p1m_dbm: number;
  p1m_sigma_db: number;
  /** Prior mean and sigma of the path-loss exponent. */
  exponent: number;
  exponent_sigma: number;
  /** Distances below this are clamped (near field, and the den is inside a building). */
  min_distance_m: number;
}

export const PATH_LOSS_PRIOR_DEFAULTS: PathLossPrior = {
  p1m_dbm: -15,
  p1m_sigma_db: 20,
  exponent: 3,
  exponent_sigma: 0.8,
  min_distance_m: 5,
};

export interface PathLossFit {
  p1m_dbm: number;
  exponent: number;
  /** Posterior sigmas of the two parameters. */
  p1m_sigma_db: number;
  exponent_sigma: number;
  /** Weighted RMS residual of the bins, dB. */
  rms_residual_db: number;
}

/**
 * Precomputed sums for a set of bins. `logLikelihoodAt` costs one log10 and one sqrt per bin.
 */
export class UplinkRssiLikelihood {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly ws: Float64Array;
  private readonly wr: Float64Array;
  private readonly sw: number;
  private readonly swr: number;
  private readonly swrr: number;
  private readonly lp1: number;
  private readonly ln: number;
  private readonly minD2: number;
  private readonly constant: number;

  constructor(readonly bins: readonly RssiBin[], readonly prior: PathLossPrior = PATH_LOSS_PRIOR_DEFAULTS) {
    const k = bins.length;
    this.xs = new Float64Array(k);
    this.ys = new Float64Array(k);
    this.ws = new Float64Array(k);
    this.wr = new Float64Array(k);
    let sw = 0;
    let swr = 0;
    let swrr = 0;
    let logVar = 0;
    bins.forEach((b, i) => {
      const w = 1 / b.var_db2;
      this.xs[i] = b.x;
      this.ys[i] = b.y;
      this.ws[i] = w;
      this.wr[i] = w * b.rssi_dbm;
      sw += w;
      swr += w * b.rssi_dbm;
      swrr += w * b.rssi_dbm * b.rssi_dbm;
      logVar += Math.log(b.var_db2);
    });
    this.sw = sw;
    this.swr = swr;
    this.swrr = swrr;
    this.lp1 = 1 / (prior.p1m_sigma_db * prior.p1m_sigma_db);
    this.ln = 1 / (prior.exponent_sigma * prior.exponent_sigma);
    this.minD2 = prior.min_distance_m * prior.min_distance_m;
    // Terms that do not depend on the position (kept so values are true log-evidences).
    this.constant = -0.5 * (k * Math.log(2 * Math.PI) + logVar) + 0.5 * Math.log(this.lp1 * this.ln);
  }

  get size(): number {
    return this.bins.length;
  }

  /** Sums over bins of w·L, w·L², w·r·L at (x, y), L = 10·log10(d). */
  private sums(x: number, y: number): [number, number, number] {
    let swl = 0;
    let swll = 0;
    let swrl = 0;
    const { xs, ys, ws, wr, minD2 } = this;
    for (let i = 0; i < xs.length; i++) {
      const dx = xs[i]! - x;
      const dy = ys[i]! - y;
      const d2 = dx * dx + dy * dy;
      // 10·log10(d) = 5·log10(d²)
      const l = 5 * Math.log10(d2 < minD2 ? minD2 : d2);
      const w = ws[i]!;
      swl += w * l;
      swll += w * l * l;
      swrl += wr[i]! * l;
    }
    return [swl, swll, swrl];
  }

  /** Log-evidence of the bins for a den at (x, y), with P and n integrated out. */
  logLikelihoodAt(x: number, y: number): number {
    if (this.xs.length === 0) return 0;
    const [swl, swll, swrl] = this.sums(x, y);
    return this.fromSums(swl, swll, swrl);
  }

  /**
   * The same from the position-dependent sums Σw·L, Σw·L², Σw·r·L (L = 10·log10 d), which a caller may
   * keep per grid cell and update bin by bin (locator.ts does).
   */
  fromSums(swl: number, swll: number, swrl: number): number {
    if (this.xs.length === 0) return 0;
    const p = this.prior;
    // θ = (P, n); row a_i = (1, −L_i). H = Σ w a aᵀ + Λ, g = Σ w a r + Λ θ0.
    const h11 = this.sw + this.lp1;
    const h12 = -swl;
    const h22 = swll + this.ln;
    const g1 = this.swr + this.lp1 * p.p1m_dbm;
    const g2 = -swrl + this.ln * p.exponent;
    const det = h11 * h22 - h12 * h12;
    const quad = (h22 * g1 * g1 - 2 * h12 * g1 * g2 + h11 * g2 * g2) / det;
    const jmin = this.swrr + this.lp1 * p.p1m_dbm * p.p1m_dbm + this.ln * p.exponent * p.exponent - quad;
    return this.constant - 0.5 * jmin - 0.5 * Math.log(det);
  }

  /** The fitted level at 1 m and exponent for a den at (x, y) (posterior mean and sigmas). */
  fitAt(x: number, y: number): PathLossFit {
    const p = this.prior;
    const [swl, swll, swrl] = this.xs.length ? this.sums(x, y) : [0, 0, 0];
    const h11 = this.sw + this.lp1;
    const h12 = -swl;
    const h22 = swll + this.ln;
    const g1 = this.swr + this.lp1 * p.p1m_dbm;
    const g2 = -swrl + this.ln * p.exponent;
    const det = h11 * h22 - h12 * h12;
    const p1m = (h22 * g1 - h12 * g2) / det;
    const n = (h11 * g2 - h12 * g1) / det;
    let ss = 0;
    let sw = 0;
    for (const b of this.bins) {
      const d = Math.max(Math.hypot(b.x - x, b.y - y), p.min_distance_m);
      const res = b.rssi_dbm - (p1m - n * 10 * Math.log10(d));
      ss += (res * res) / b.var_db2;
      sw += 1 / b.var_db2;
    }
    return {
      p1m_dbm: p1m,
      exponent: n,
      p1m_sigma_db: Math.sqrt(h22 / det),
      exponent_sigma: Math.sqrt(h11 / det),
      rms_residual_db: sw > 0 ? Math.sqrt(ss / sw) : 0,
    };
  }

  /** Predicted level at (qx, qy) for a den at (x, y) with a given fit. */
  static predict(fit: { p1m_dbm: number; exponent: number }, x: number, y: number, qx: number, qy: number, minDistance_m: number): number {
    const d = Math.max(Math.hypot(qx - x, qy - y), minDistance_m);
    return fit.p1m_dbm - fit.exponent * 10 * Math.log10(d);
  }
}
