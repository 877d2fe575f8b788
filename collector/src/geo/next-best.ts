/**
 * Where a mobile unit should measure next: the candidate spot (around where it stands) with the largest
 * expected shrink of the 95 % ellipse after one more uplink measurement there.
 *
 * The posterior is represented by samples; each sample is a hypothesised den position with the path
 * loss fitted there. For a candidate spot c, each sample predicts the level at c. If the truth were
 * sample r, the unit would read about μ_r(c); re-weighting every sample s by N(μ_s(c); μ_r(c), σ²) gives
 * the posterior after that reading, and the mean over r of its ellipse area (√det of the covariance) is
 * the expected area. Spots where the hypotheses disagree most shrink it most (near the den the level
 * changes fastest). A small walking cost breaks ties toward nearer spots.
 *
 * Pure given the locator's current posterior.
 */
import type { LatLon } from '@simhound/geo';
import { CHI2_2DOF_95 } from './normal.js';
import type { Locator } from './locator.js';
import { UplinkRssiLikelihood } from './uplink-rssi.js';

export interface GuidanceOptions {
  /** Distances (m) of candidate spots from the unit. */
  step_distances_m: number[];
  /** Number of directions (evenly spaced) at each distance. */
  directions: number;
  /** Posterior samples and reference truths used. */
  samples: number;
  references: number;
  /** Expected bursts in one measurement (their fading averages out; shadowing does not). */
  expected_bursts: number;
  /** Relative area cost per metre walked (0.001 = 100 m costs 10 % more area). */
  walk_cost_per_m: number;
}

export const GUIDANCE_DEFAULTS: GuidanceOptions = {
  step_distances_m: [25, 50, 100],
  directions: 12,
  samples: 300,
  references: 40,
  expected_bursts: 20,
  walk_cost_per_m: 0.001,
};

export interface Guidance {
  from: LatLon;
  /** Where to measure next. */
  target: LatLon;
  bearing_deg: number;
  distance_m: number;
  /** Current 95 % ellipse area and the expected area after measuring at the target, m². */
  current_area_m2: number;
  expected_area_m2: number;
  candidates: number;
}

function areaOf(xs: Float64Array, ys: Float64Array, w: Float64Array): number {
  let sw = 0, sx = 0, sy = 0;
  for (let i = 0; i < w.length; i++) {
    sw += w[i]!; sx += w[i]! * xs[i]!; sy += w[i]! * ys[i]!;
  }
  if (sw <= 0) return Infinity;
  const mx = sx / sw;
  const my = sy / sw;
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < w.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    xx += w[i]! * dx * dx; yy += w[i]! * dy * dy; xy += w[i]! * dx * dy;
  }
  xx /= sw; yy /= sw; xy /= sw;
  return Math.PI * CHI2_2DOF_95 * Math.sqrt(Math.max(0, xx * yy - xy * xy));
}

/** Call after locator.estimate(). */
export function nextBestPlace(locator: Locator, from: LatLon, options: Partial<GuidanceOptions> & { toward?: LatLon; around_m?: number } = {}): Guidance | null {
  const o = { ...GUIDANCE_DEFAULTS, ...options };
  const pts = locator.samplePosterior(o.samples);
  if (pts.length === 0) return null;
  const n = pts.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const p1m = new Float64Array(n);
  const expo = new Float64Array(n);
  const rssi = locator.rssiLikelihood;
  const prior = locator.config.path_loss;
  pts.forEach((p, i) => {
    xs[i] = p.x;
    ys[i] = p.y;
    const fit = rssi.size > 0 ? rssi.fitAt(p.x, p.y) : { p1m_dbm: prior.p1m_dbm, exponent: prior.exponent };
    p1m[i] = fit.p1m_dbm;
    expo[i] = fit.exponent;
  });
  const uniform = new Float64Array(n).fill(1);
  const currentArea = areaOf(xs, ys, uniform);
  const here = locator.projection.toXY(from);
  const b = locator.config.binning;
  const sigma2 = b.shadowing_sigma_db ** 2 + b.fading_sigma_db ** 2 / o.expected_bursts;
  const refs = Array.from({ length: Math.min(o.references, n) }, (_, k) => Math.floor(((k + 0.5) * n) / Math.min(o.references, n)));
  const candidates: Array<{ x: number; y: number; d: number }> = [];
  for (const d of o.step_distances_m) {
    for (let k = 0; k < o.directions; k++) {
      const a = (2 * Math.PI * k) / o.directions;
      candidates.push({ x: here.x + d * Math.sin(a), y: here.y + d * Math.cos(a), d });
    }
  }
  if (options.toward !== undefined) {
    // Spots on the way to the most likely place, and that place itself when near: the level changes
    // fastest close to the den, so these are often the most telling.
    const t = locator.projection.toXY(options.toward);
    const dist = Math.hypot(t.x - here.x, t.y - here.y);
    for (const d of [...o.step_distances_m, dist]) {
      if (d > dist || d <= 0) continue;
      candidates.push({ x: here.x + ((t.x - here.x) * d) / dist, y: here.y + ((t.y - here.y) * d) / dist, d });
    }
    // Spots around it: seen from another side, the same place reads differently if it is not the den.
    if (options.around_m !== undefined) {
      for (let k = 0; k < 8; k++) {
        const a = (k * Math.PI) / 4;
        const x = t.x + options.around_m * Math.sin(a);
        const y = t.y + options.around_m * Math.cos(a);
        candidates.push({ x, y, d: Math.hypot(x - here.x, y - here.y) });
      }
    }
  }
  let best: { x: number; y: number; d: number; area: number; cost: number } | null = null;
  const mu = new Float64Array(n);
  const w = new Float64Array(n);
  for (const c of candidates) {
    for (let i = 0; i < n; i++) mu[i] = UplinkRssiLikelihood.predict({ p1m_dbm: p1m[i]!, exponent: expo[i]! }, xs[i]!, ys[i]!, c.x, c.y, prior.min_distance_m);
    let area = 0;
    for (const r of refs) {
      const y = mu[r]!;
      for (let i = 0; i < n; i++) {
        const e = mu[i]! - y;
        w[i] = Math.exp((-e * e) / (2 * sigma2));
      }
      area += areaOf(xs, ys, w);
    }
    area /= refs.length;
    const cost = area * (1 + o.walk_cost_per_m * c.d);
    if (best === null || cost < best.cost) best = { ...c, area, cost };
  }
  if (best === null) return null;
  const target = locator.projection.toLatLon(best.x, best.y);
  const dx = best.x - here.x;
  const dy = best.y - here.y;
  return {
    from,
    target,
    bearing_deg: ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360,
    distance_m: Math.hypot(dx, dy),
    current_area_m2: currentArea,
    expected_area_m2: best.area,
    candidates: candidates.length,
  };
}

export interface FoxHuntStep {
  phase: 'approach' | 'refine' | 'done';
  target: LatLon;
  bearing_deg: number;
  distance_m: number;
  guidance: Guidance | null;
}

export interface FoxHuntPolicy {
  /** Walk straight toward the most likely place while farther than this, metres. */
  approach_until_m: number;
  /** Longest leg before asking again, metres. */
  max_leg_m: number;
  /** Done when the 95 % ellipse's semi-major axis is below this, metres … */
  done_semi_major_m: number;
  /** … and the unit stands within this of the most likely place. */
  done_distance_m: number;
}

export const FOX_HUNT_DEFAULTS: FoxHuntPolicy = { approach_until_m: 60, max_leg_m: 80, done_semi_major_m: 15, done_distance_m: 15 };

/**
 * What a unit on foot should do next: far from the most likely place, walk toward it (the level rises
 * fastest there and a wrong guess shows itself on the way); near it, measure where the expected shrink of
 * the ellipse is largest; stop when the ellipse is small and the unit stands at its point.
 */
export function foxHuntStep(
  locator: Locator,
  estimate: { ml_point: LatLon; ellipse_95: { semi_major_m: number } },
  from: LatLon,
  policy: FoxHuntPolicy = FOX_HUNT_DEFAULTS,
  options: Partial<GuidanceOptions> = {},
): FoxHuntStep {
  const here = locator.projection.toXY(from);
  const ml = locator.projection.toXY(estimate.ml_point);
  const dx = ml.x - here.x;
  const dy = ml.y - here.y;
  const dist = Math.hypot(dx, dy);
  const bearing = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
  if (estimate.ellipse_95.semi_major_m <= policy.done_semi_major_m && dist <= policy.done_distance_m) {
    return { phase: 'done', target: estimate.ml_point, bearing_deg: bearing, distance_m: dist, guidance: null };
  }
  if (dist > policy.approach_until_m) {
    const leg = Math.min(dist, policy.max_leg_m);
    const target = locator.projection.toLatLon(here.x + (dx * leg) / dist, here.y + (dy * leg) / dist);
    return { phase: 'approach', target, bearing_deg: bearing, distance_m: leg, guidance: null };
  }
  const around = Math.min(150, Math.max(30, estimate.ellipse_95.semi_major_m));
  const g = nextBestPlace(locator, from, { step_distances_m: [15, 30, 50], ...options, toward: estimate.ml_point, around_m: around });
  if (g === null) return { phase: 'approach', target: estimate.ml_point, bearing_deg: bearing, distance_m: dist, guidance: null };
  return { phase: 'refine', target: g.target, bearing_deg: g.bearing_deg, distance_m: g.distance_m, guidance: g };
}
