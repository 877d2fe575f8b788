/**
 * Radio facts the world needs: GSM frame numbers and CCCH block positions from time (TS 45.002), the
 * Timing Advance a BTS measures from an access burst (TS 45.010: one step = 553.5 m), received level
 * from path loss (3GPP TR 36.942 macro model at 900 MHz) with a sector antenna pattern, and the
 * shadowing and excess-delay terms that make two places at the same distance look different.
 *
 * Pure functions of their arguments.
 */
import { TA_MAX_STEPS, TA_STEP_M } from '@simhound/protocol';

/** One TDMA frame lasts 120/26 ms; frame numbers wrap at 26 × 51 × 2048 (TS 45.002 §4.3.3). */
export const FRAME_MS = 120 / 26;
export const FN_MODULUS = 26 * 51 * 2048;
/** One 51-multiframe (the control-channel cycle), ≈ 235.4 ms. */
export const MULTIFRAME_51_MS = 51 * FRAME_MS;

/** FN on air at `ts_ms` for a cell whose frame counter is offset by `offset_frames`. */
export function frameNumberAt(ts_ms: number, offset_frames = 0): number {
  return (Math.floor(ts_ms / FRAME_MS) + offset_frames) % FN_MODULUS;
}

/** Absolute (unwrapped) frame index at `ts_ms` for a cell with a frame offset. */
export function absoluteFrame(ts_ms: number, offset_frames = 0): number {
  return Math.floor(ts_ms / FRAME_MS) + offset_frames;
}

/** Start time of an absolute frame index of a cell with a frame offset. */
export function frameStartMs(absFrame: number, offset_frames = 0): number {
  return (absFrame - offset_frames) * FRAME_MS;
}

/**
 * First frames (within the 51-multiframe) of the nine CCCH blocks of a non-combined BCCH/CCCH timeslot 0
 * (TS 45.002 §6.3, table 5 clause 7): the blocks AGCH and PCH share. BCCH Norm occupies frames 2–5.
 */
export const CCCH_BLOCK_FIRST_FRAMES = [6, 12, 16, 22, 26, 32, 36, 42, 46] as const;
export const BCCH_FIRST_FRAME = 2;

/** TA the project's rings assume: the step containing the distance ([k·553.5, (k+1)·553.5) m). */
export function timingAdvanceFor(distance_m: number): number {
  return Math.max(0, Math.min(TA_MAX_STEPS, Math.floor(distance_m / TA_STEP_M)));
}

/**
 * The TA a BTS reports for one access: the one-way path (line of sight plus the excess of the strongest
 * multipath component) converted to steps, with the burst-timing estimation error (`noise_steps`, a
 * standard normal draw scaled by the caller), floored to the project's ring convention.
 */
export function measuredTimingAdvance(distance_m: number, excess_m: number, noise_steps: number): number {
  const steps = Math.floor((distance_m + excess_m) / TA_STEP_M + noise_steps);
  return steps < 0 ? 0 : steps > TA_MAX_STEPS ? TA_MAX_STEPS : steps;
}

/** Macro-cell path loss at 900 MHz, urban (3GPP TR 36.942 §4.5.2: L = 120.9 + 37.6·log10(R km)). */
export function macroPathLossDb(distance_m: number): number {
  return 120.9 + 37.6 * Math.log10(Math.max(distance_m, 30) / 1000);
}

/** Indoor path loss at 900 MHz (ITU-R P.1238 form, N = 30): L = 20·log10(900) + 30·log10(d) − 28. */
export function indoorPathLossDb(distance_m: number): number {
  return 31.1 + 30 * Math.log10(Math.max(distance_m, 1));
}

/** Horizontal sector pattern (3GPP TR 36.942 §4.2.1): −min(12·(θ/θ3dB)², 20) dB. */
export function sectorGainDb(bearing_deg: number, azimuth_deg: number | undefined, beamwidth_deg: number): number {
  if (azimuth_deg === undefined) return 0;
  let off = Math.abs(bearing_deg - azimuth_deg) % 360;
  if (off > 180) off = 360 - off;
  const x = off / beamwidth_deg;
  return -Math.min(12 * x * x, 20);
}

/** Bearing from (x0, y0) to (x1, y1) in degrees clockwise from north (local metres). */
export function bearingDeg(x0: number, y0: number, x1: number, y1: number): number {
  const b = (Math.atan2(x1 - x0, y1 - y0) * 180) / Math.PI;
  return b < 0 ? b + 360 : b;
}

/**
 * Received level at a probe `distance_m` from a BTS (kept for callers of the single-number model):
 * macro path loss, +15 dBi of antenna gains, floored at −120 dBm.
 */
export function receivedLevelDbm(tx_power_dbm: number, distance_m: number, shadowing_db = 0): number {
  return Math.max(-120, Math.round(tx_power_dbm + 15 - macroPathLossDb(distance_m) + shadowing_db));
}

/** Mobile uplink power of a GSM 900 class-4 handset (2 W), dBm. */
export const MS_TX_POWER_DBM = 33;
/** Typical BTS receiver sensitivity for an access burst, dBm. */
export const BTS_SENSITIVITY_DBM = -110;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf approximation, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** TA values measuredTimingAdvance gives with probability ≥ `minShare`, for noise of sd `noiseSteps`. */
export function likelyTimingAdvances(distance_m: number, excess_m: number, noiseSteps: number, minShare = 0.05): number[] {
  const x = (distance_m + excess_m) / TA_STEP_M;
  const k = Math.floor(x);
  const out: number[] = [];
  for (let ta = k - 2; ta <= k + 2; ta++) {
    const p = normalCdf((ta + 1 - x) / noiseSteps) - normalCdf((ta - x) / noiseSteps);
    if (p >= minShare && ta >= 0 && ta <= TA_MAX_STEPS) out.push(ta);
  }
  return out;
}
