/**
 * Bearing likelihood: a line of bearing from a rotator sweep or a direction-finding array says the den
 * lies near the ray from the probe at `bearing_deg`. The angular error is normal with the probe's own
 * sigma (floored: DF bearings "will always have inaccuracies of several degrees"), mixed with a small
 * uniform share for reflections and wrong peaks, so one bad bearing cannot veto the truth.
 * Angles are grid bearings in the local plane (the convergence of meridians is < 0.1° within 20 km).
 */

export interface BearingModel {
  /** Least sigma, degrees, whatever the probe claims. */
  min_sigma_deg: number;
  /** Share of bearings that are wrong (reflections, side lobes): a uniform floor. */
  outlier_share: number;
}

export const BEARING_MODEL_DEFAULTS: BearingModel = { min_sigma_deg: 4, outlier_share: 0.05 };

const TWO_PI = 2 * Math.PI;

export class BearingLikelihood {
  private readonly sigma: number;
  private readonly logNorm: number;
  private readonly logFloor: number;
  private readonly theta: number;

  constructor(
    readonly x: number,
    readonly y: number,
    bearing_deg: number,
    sigma_deg: number,
    model: BearingModel = BEARING_MODEL_DEFAULTS,
  ) {
    this.sigma = (Math.max(sigma_deg, model.min_sigma_deg) * Math.PI) / 180;
    this.theta = (bearing_deg * Math.PI) / 180;
    this.logNorm = Math.log(1 - model.outlier_share) - Math.log(this.sigma * Math.sqrt(TWO_PI));
    this.logFloor = Math.log(model.outlier_share / TWO_PI);
  }

  /** Signed angle (radians, in [−π, π)) between the observed bearing and the bearing to (px, py). */
  private offset(px: number, py: number): number {
    const b = Math.atan2(px - this.x, py - this.y);
    let d = (b - this.theta) % TWO_PI;
    if (d < -Math.PI) d += TWO_PI;
    else if (d >= Math.PI) d -= TWO_PI;
    return d;
  }

  private fromOffset(d: number): number {
    const g = this.logNorm - (d * d) / (2 * this.sigma * this.sigma);
    // log(e^g + e^floor), stable.
    return g > this.logFloor ? g + Math.log1p(Math.exp(this.logFloor - g)) : this.logFloor + Math.log1p(Math.exp(g - this.logFloor));
  }

  at(px: number, py: number): number {
    return this.fromOffset(this.offset(px, py));
  }

  /** Largest log-likelihood over an axis-aligned rectangle. */
  maxOverRect(x0: number, y0: number, x1: number, y1: number): number {
    if (this.x >= x0 && this.x <= x1 && this.y >= y0 && this.y <= y1) return this.fromOffset(0);
    // The rectangle is seen under an angular interval < π: the smallest |offset| is at a corner or 0 if
    // the ray passes between the extreme corners.
    const offs = [this.offset(x0, y0), this.offset(x1, y0), this.offset(x0, y1), this.offset(x1, y1)];
    const lo = Math.min(...offs);
    const hi = Math.max(...offs);
    if (hi - lo < Math.PI && lo <= 0 && hi >= 0) return this.fromOffset(0);
    let best = Infinity;
    for (const o of offs) best = Math.min(best, Math.abs(o));
    return this.fromOffset(best);
  }
}
