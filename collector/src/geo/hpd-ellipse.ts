/**
 * The 95 % ellipse of a gridded posterior as the smallest single ellipse that holds 95 % of the posterior
 * mass — not 2.45 σ of the covariance. The two agree for a normal posterior (χ²₂ quantile 5.991), but the
 * location posterior is rarely normal: a TA ring is an annulus, two rings meet in two lenses, an RSSI
 * fit is a banana. There the covariance is dominated by the spread between the lobes and its χ² ellipse
 * holds far more than 95 % (the evaluation saw 100 % coverage with ellipses 1.5 km across). Here the
 * ellipse's scale is the weighted 95 % quantile of the points' Mahalanobis distance, and its centre,
 * orientation and axis ratio are chosen to make that ellipse's area smallest:
 *
 *  1. candidate shapes: the covariance of all the mass, of the 95 % and of the 50 % highest-density cells
 *     (each centred at its own weighted mean), each scaled to hold 95 %;
 *  2. the best one refined by Nelder–Mead over (centre, orientation, log axis ratio), the area of the
 *     95 %-mass ellipse as the objective.
 *
 * Points are weighted cell centres (the locator aggregates fine cells into super-cells first so this
 * costs milliseconds). Pure math; no geography.
 */

export interface WeightedPoints {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  n: number;
}

export interface PlaneEllipse {
  cx: number;
  cy: number;
  semi_major_m: number;
  semi_minor_m: number;
  /** Major-axis bearing, degrees clockwise from north (y axis), in [0, 180). */
  orientation_deg: number;
}

/** Ellipse shape: centre, angle of the major axis from the x axis (radians), log of √(a/b). */
interface Shape {
  cx: number;
  cy: number;
  theta: number;
  rho: number;
}

const BUCKETS = 2048;

/**
 * The weighted `mass` quantile of the points' squared normalised distance r² = (u/a)² + (v/b)² in a
 * shape with a·b = 1; `scale` (a typical r²) sets the histogram's resolution (exact up to 1/BUCKETS of it
 * near the quantile).
 */
function massQuantile(p: WeightedPoints, s: Shape, mass: number, total: number, scale: number, hist: Float64Array): number {
  const c = Math.cos(s.theta);
  const sn = Math.sin(s.theta);
  const ia2 = Math.exp(-4 * s.rho); // 1/a², a = e^{2ρ} (shapeAxes)
  const ib2 = Math.exp(4 * s.rho);
  hist.fill(0);
  for (let i = 0; i < p.n; i++) {
    const dx = p.x[i]! - s.cx;
    const dy = p.y[i]! - s.cy;
    const u = c * dx + sn * dy;
    const v = -sn * dx + c * dy;
    const r2 = u * u * ia2 + v * v * ib2;
    // t = r²/(r² + scale) ∈ [0, 1): fine near the scale, everything else still counted.
    const t = r2 / (r2 + scale);
    hist[Math.min(BUCKETS - 1, (t * BUCKETS) | 0)] += p.w[i]!;
  }
  const target = mass * total;
  let acc = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const h = hist[b]!;
    if (acc + h >= target) {
      const f = h > 0 ? (target - acc) / h : 0;
      const t = Math.min((b + f) / BUCKETS, 1 - 1e-12);
      return (t * scale) / (1 - t);
    }
    acc += h;
  }
  return Infinity;
}

/** Semi-axes of the ellipse {r² ≤ k} of a shape: a = e^{2ρ}·√k, b = e^{−2ρ}·√k. */
function shapeAxes(s: Shape, k: number): { a: number; b: number } {
  return { a: Math.exp(2 * s.rho) * Math.sqrt(k), b: Math.exp(-2 * s.rho) * Math.sqrt(k) };
}

/** Weighted mean and covariance of the points with weight ≥ minW (all when minW = 0). */
function moments(p: WeightedPoints, minW: number): Shape | null {
  let sw = 0, sx = 0, sy = 0;
  for (let i = 0; i < p.n; i++) {
    const w = p.w[i]!;
    if (w < minW) continue;
    sw += w; sx += w * p.x[i]!; sy += w * p.y[i]!;
  }
  if (!(sw > 0)) return null;
  const mx = sx / sw;
  const my = sy / sw;
  let xx = 0, xy = 0, yy = 0;
  for (let i = 0; i < p.n; i++) {
    const w = p.w[i]!;
    if (w < minW) continue;
    const dx = p.x[i]! - mx;
    const dy = p.y[i]! - my;
    xx += w * dx * dx; xy += w * dx * dy; yy += w * dy * dy;
  }
  xx /= sw; xy /= sw; yy /= sw;
  const tr = xx + yy;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - (xx * yy - xy * xy)));
  const l1 = Math.max(tr / 2 + disc, 1e-6);
  const l2 = Math.max(tr / 2 - disc, l1 * 1e-6, 1e-6);
  const theta = 0.5 * Math.atan2(2 * xy, xx - yy);
  // a/b = √(l1/l2) = e^{4ρ}
  return { cx: mx, cy: my, theta, rho: Math.log(l1 / l2) / 8 };
}

/** Weight thresholds holding the `levels` highest-density masses (e.g. 0.95, 0.5). */
function densityThresholds(p: WeightedPoints, levels: readonly number[], total: number): number[] {
  const idx = Array.from({ length: p.n }, (_, i) => i).sort((a, b) => p.w[b]! - p.w[a]!);
  const out: number[] = [];
  let acc = 0;
  let li = 0;
  const sorted = [...levels].sort((a, b) => a - b);
  for (const i of idx) {
    acc += p.w[i]!;
    while (li < sorted.length && acc >= sorted[li]! * total) {
      out.push(p.w[i]!);
      li++;
    }
    if (li >= sorted.length) break;
  }
  while (out.length < sorted.length) out.push(0);
  return out;
}

export interface HpdEllipseOptions {
  mass: number;
  /** Nelder–Mead evaluations after the candidates. */
  max_evaluations: number;
  /** Smallest semi-axis reported, metres (e.g. half a grid cell). */
  min_axis_m: number;
}

export const HPD_ELLIPSE_DEFAULTS: HpdEllipseOptions = { mass: 0.95, max_evaluations: 160, min_axis_m: 0 };

/** The smallest (approximately) ellipse holding `mass` of the weighted points. */
export function hpdEllipse(p: WeightedPoints, options: Partial<HpdEllipseOptions> = {}): PlaneEllipse | null {
  const o = { ...HPD_ELLIPSE_DEFAULTS, ...options };
  let total = 0;
  for (let i = 0; i < p.n; i++) total += p.w[i]!;
  if (!(total > 0)) return null;
  const hist = new Float64Array(BUCKETS);
  const [w50, w95] = densityThresholds(p, [0.5, o.mass], total);
  const candidates = [moments(p, 0), moments(p, w95!), moments(p, w50!)].filter((s): s is Shape => s !== null);
  // Area of the mass ellipse of a shape (a·b = 1, so area = π·k). The histogram's scale is set from the
  // first candidate's mean r² and then from the best quantile found.
  let scale = meanR2(p, candidates[0]!, total) || 1;
  scale = massQuantile(p, candidates[0]!, o.mass, total, scale, hist) || scale;
  const area = (s: Shape): number => massQuantile(p, s, o.mass, total, scale, hist);
  let best = candidates[0]!;
  let bestK = area(best);
  for (const s of candidates.slice(1)) {
    const k = area(s);
    if (k < bestK) {
      best = s;
      bestK = k;
    }
  }
  scale = bestK > 0 && Number.isFinite(bestK) ? bestK : scale;
  bestK = area(best);

  // Nelder–Mead over (cx, cy, θ, ρ).
  const toVec = (s: Shape) => [s.cx, s.cy, s.theta, s.rho];
  const fromVec = (v: number[]): Shape => ({ cx: v[0]!, cy: v[1]!, theta: v[2]!, rho: v[3]! });
  const ax = shapeAxes(best, bestK);
  const steps = [0.3 * ax.b + 1e-3, 0.3 * ax.b + 1e-3, 0.25, 0.1];
  let simplex: Array<{ v: number[]; f: number }> = [{ v: toVec(best), f: bestK }];
  for (let d = 0; d < 4; d++) {
    const v = toVec(best);
    v[d]! += steps[d]!;
    simplex.push({ v, f: area(fromVec(v)) });
  }
  let evals = 5;
  const f = (v: number[]) => {
    evals++;
    return area(fromVec(v));
  };
  while (evals < o.max_evaluations) {
    simplex.sort((a, b) => a.f - b.f);
    const lo = simplex[0]!;
    const hi = simplex[4]!;
    if (hi.f - lo.f <= 1e-4 * lo.f) break;
    const centroid = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) for (let d = 0; d < 4; d++) centroid[d]! += simplex[i]!.v[d]! / 4;
    const along = (t: number) => centroid.map((c, d) => c + t * (hi.v[d]! - c));
    const xr = along(-1);
    const fr = f(xr);
    if (fr < lo.f) {
      const xe = along(-2);
      const fe = f(xe);
      simplex[4] = fe < fr ? { v: xe, f: fe } : { v: xr, f: fr };
    } else if (fr < simplex[3]!.f) {
      simplex[4] = { v: xr, f: fr };
    } else {
      const xc = fr < hi.f ? along(-0.5) : along(0.5);
      const fc = f(xc);
      if (fc < Math.min(fr, hi.f)) simplex[4] = { v: xc, f: fc };
      else {
        simplex = simplex.map((s, i) => (i === 0 ? s : { v: s.v.map((x, d) => lo.v[d]! + 0.5 * (x - lo.v[d]!)), f: 0 }));
        for (let i = 1; i < 5; i++) simplex[i]!.f = f(simplex[i]!.v);
      }
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  const s = fromVec(simplex[0]!.v);
  const k = simplex[0]!.f < bestK ? simplex[0]!.f : bestK;
  const chosen = simplex[0]!.f < bestK ? s : best;
  return planeEllipse(chosen, k, o.min_axis_m);
}

function meanR2(p: WeightedPoints, s: Shape, total: number): number {
  const c = Math.cos(s.theta);
  const sn = Math.sin(s.theta);
  const ia2 = Math.exp(-4 * s.rho);
  const ib2 = Math.exp(4 * s.rho);
  let acc = 0;
  for (let i = 0; i < p.n; i++) {
    const dx = p.x[i]! - s.cx;
    const dy = p.y[i]! - s.cy;
    const u = c * dx + sn * dy;
    const v = -sn * dx + c * dy;
    acc += p.w[i]! * (u * u * ia2 + v * v * ib2);
  }
  return acc / total;
}

function planeEllipse(s: Shape, k: number, minAxis: number): PlaneEllipse {
  const { a, b } = shapeAxes(s, k);
  let theta = s.theta;
  let major = a;
  let minor = b;
  if (b > a) {
    major = b;
    minor = a;
    theta += Math.PI / 2;
  }
  // θ from the x (east) axis → bearing from north, clockwise.
  let bearing = 90 - (theta * 180) / Math.PI;
  bearing = ((bearing % 180) + 180) % 180;
  return { cx: s.cx, cy: s.cy, semi_major_m: Math.max(major, minAxis), semi_minor_m: Math.max(minor, minAxis), orientation_deg: bearing };
}
