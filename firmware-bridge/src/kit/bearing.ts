/**
 * Bearing from a rotator sweep: received level (dBm) against antenna azimuth → the direction of the
 * strongest emitter, with its uncertainty and a confidence.
 *  1. Smooth the sweep with the antenna's own pattern: for every candidate bearing θ (0.5° grid) fit
 *     `level(az) = c + G(az − θ)` by least squares (G = the antenna pattern in dB, c = the unknown
 *     emitter level) and keep the θ with the smallest residual, refined by a parabola through the cost
 *     around it. With Gaussian fading in dB this is the maximum-likelihood bearing, and it uses every
 *     sample instead of trusting the single strongest one.
 *  2. Its standard deviation is the Cramér–Rao form σ / √Σ(∂G/∂θ)², with σ from the fit's residuals.
 *  3. Front-to-back: mean level of the samples within ±smooth_deg of θ minus that of θ + 180°. A
 *     directional antenna pointed at the emitter shows 10–20 dB; a flat pattern (no emitter, or one so
 *     close it saturates every direction) shows ~0 and is refused.
 * G defaults to a ((1 + cos)/2)^n main lobe with the configured half-power beamwidth, floored at the
 * antenna's front-to-back ratio; set `beamwidth_deg` / `antenna_front_to_back_db` to the antenna used.
 * confidence = clamp((F/B − 3 dB) / 12 dB) × clamp(1 − std / 45°). A sweep must cover the full circle.
 * Must not: move anything (rotator.ts does) or invent a bearing: too few samples, a partial sweep or a
 * flat pattern give a typed failure.
 */
import { fail, ok, type Result } from '@simhound/protocol';

export interface SweepSample {
  azimuth_deg: number;
  rssi_dbm: number;
}

export interface BearingEstimate {
  bearing_deg: number;
  bearing_std_deg: number;
  confidence: number;
  peak_rssi_dbm: number;
  front_to_back_db: number;
}

export interface BearingOptions {
  /** Half-power beamwidth of the antenna's main lobe (a 3-element Yagi ≈ 60–70°). */
  beamwidth_deg?: number;
  /** The antenna's own front-to-back ratio, the floor of the pattern model. */
  antenna_front_to_back_db?: number;
  /** Half-width of the windows the measured front-to-back compares. */
  smooth_deg?: number;
  min_front_to_back_db?: number;
}

export type BearingFailure = 'too_few_samples' | 'not_full_circle' | 'flat_pattern';

const wrap = (deg: number) => ((deg % 360) + 360) % 360;
/** Signed smallest difference a − b in (−180, 180]. */
export const angleDiff = (a: number, b: number) => {
  const d = wrap(a - b);
  return d > 180 ? d - 360 : d;
};

function windowMean(samples: SweepSample[], azimuth: number, halfWidth: number): number {
  let sum = 0;
  let n = 0;
  for (const s of samples) {
    if (Math.abs(angleDiff(s.azimuth_deg, azimuth)) <= halfWidth + 1e-9) {
      sum += s.rssi_dbm;
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

/** The antenna pattern model: gain in dB (0 at boresight) at `offDeg` from boresight. */
export function cosinePowerPattern(beamwidthDeg: number, frontToBackDb: number): (offDeg: number) => number {
  const halfPower = (1 + Math.cos((beamwidthDeg / 2) * (Math.PI / 180))) / 2;
  const n = Math.log(0.5) / Math.log(halfPower);
  return (offDeg) => Math.max(-frontToBackDb, 10 * n * Math.log10(Math.max((1 + Math.cos(offDeg * (Math.PI / 180))) / 2, 1e-12)));
}

export function estimateBearing(samples: readonly SweepSample[], options: BearingOptions = {}): Result<BearingEstimate, BearingFailure> {
  const pts = samples.filter((s) => Number.isFinite(s.rssi_dbm) && Number.isFinite(s.azimuth_deg)).map((s) => ({ azimuth_deg: wrap(s.azimuth_deg), rssi_dbm: s.rssi_dbm }));
  if (pts.length < 8) return fail('too_few_samples', `${pts.length}`);
  const sorted = [...pts].sort((a, b) => a.azimuth_deg - b.azimuth_deg);
  let maxGap = 360 - sorted[sorted.length - 1]!.azimuth_deg + sorted[0]!.azimuth_deg;
  for (let i = 1; i < sorted.length; i++) maxGap = Math.max(maxGap, sorted[i]!.azimuth_deg - sorted[i - 1]!.azimuth_deg);
  if (maxGap > 45) return fail('not_full_circle', `gap ${maxGap.toFixed(1)}°`);
  const G = cosinePowerPattern(options.beamwidth_deg ?? 60, options.antenna_front_to_back_db ?? 20);
  const n = pts.length;
  const cost = (theta: number): number => {
    let mean = 0;
    for (const p of pts) mean += p.rssi_dbm - G(angleDiff(p.azimuth_deg, theta));
    mean /= n;
    let c = 0;
    for (const p of pts) c += (p.rssi_dbm - G(angleDiff(p.azimuth_deg, theta)) - mean) ** 2;
    return c;
  };
  const GRID = 0.5;
  let bestI = 0;
  let best = Infinity;
  const costs: number[] = [];
  for (let i = 0; i < 360 / GRID; i++) {
    const c = cost(i * GRID);
    costs.push(c);
    if (c < best) {
      best = c;
      bestI = i;
    }
  }
  const m = costs.length;
  const [cl, c0, cr] = [costs[(bestI - 1 + m) % m]!, costs[bestI]!, costs[(bestI + 1) % m]!];
  const denom = cl - 2 * c0 + cr;
  const delta = denom > 0 ? (0.5 * (cl - cr)) / denom : 0;
  const theta = wrap((bestI + Math.max(-0.5, Math.min(0.5, delta))) * GRID);
  const smooth = options.smooth_deg ?? Math.max((360 / n) * 1.01, 10);
  const fb = windowMean(pts, theta, smooth) - windowMean(pts, wrap(theta + 180), smooth);
  if (!(fb >= (options.min_front_to_back_db ?? 1))) return fail('flat_pattern', `front-to-back ${fb.toFixed(1)} dB`);
  // Cramér–Rao: var(θ) = σ² / Σ (∂G/∂θ − mean)², the offset c being estimated too.
  const sigma2 = cost(theta) / Math.max(1, n - 2);
  const d = pts.map((p) => (G(angleDiff(p.azimuth_deg, theta) - 0.05) - G(angleDiff(p.azimuth_deg, theta) + 0.05)) / 0.1);
  const dMean = d.reduce((a, b) => a + b, 0) / n;
  const info = d.reduce((a, b) => a + (b - dMean) ** 2, 0);
  const std = Math.min(180, Math.max(0.05, info > 0 ? Math.sqrt(sigma2 / info) : 180));
  const near = pts.filter((p) => Math.abs(angleDiff(p.azimuth_deg, theta)) <= smooth);
  const peak = Math.max(...(near.length > 0 ? near : pts).map((p) => p.rssi_dbm));
  const confidence = Math.max(0, Math.min(1, (fb - 3) / 12)) * Math.max(0, Math.min(1, 1 - std / 45));
  return ok({
    bearing_deg: (Math.round(theta * 100) / 100) % 360,
    bearing_std_deg: Math.round(std * 100) / 100,
    confidence: Math.round(confidence * 1000) / 1000,
    peak_rssi_dbm: peak,
    front_to_back_db: Math.round(fb * 100) / 100,
  });
}
