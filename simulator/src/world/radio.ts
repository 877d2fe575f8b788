/**
 * Radio facts the simulator needs: Timing Advance from distance, received level from path loss, GSM
 * frame numbers from time. Constants from 3GPP TS 45.010 (TA, TDMA timing).
 */
import { TA_MAX_STEPS, TA_STEP_M } from '@simhound/protocol';

/** One TDMA frame lasts 120/26 ms; frame numbers wrap at 26 × 51 × 2048 (TS 45.002 §4.3.3). */
export const FRAME_MS = 120 / 26;
export const FN_MODULUS = 26 * 51 * 2048;

export function frameNumberAt(ts_ms: number): number {
  return Math.floor(ts_ms / FRAME_MS) % FN_MODULUS;
}

export function timingAdvanceFor(distance_m: number): number {
  return Math.max(0, Math.min(TA_MAX_STEPS, Math.floor(distance_m / TA_STEP_M)));
}

/**
 * Received level at a probe `distance_m` from a BTS: log-distance model with an urban exponent
 * (COST-231-like at 900 MHz: 128 dB at 1 km, 37.6 dB/decade), floored to what a receiver reports.
 */
export function receivedLevelDbm(tx_power_dbm: number, distance_m: number, shadowing_db = 0): number {
  const km = Math.max(distance_m, 20) / 1000;
  const loss = 128.1 + 37.6 * Math.log10(km);
  return Math.max(-120, Math.round(tx_power_dbm + 15 - loss + shadowing_db)); // +15 dBi antenna gains
}
