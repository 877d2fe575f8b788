/**
 * GSM air-interface timing (3GPP TS 45.002 §4.3, TS 45.010): symbol rate 1625/6 kbit/s, 156.25 symbol
 * periods per timeslot, 8 timeslots per TDMA frame (120/26 ms), 51-multiframe FCCH/SCH positions.
 * The simulator places bursts with these; the edge agent's slot meter has its own copy of the facts.
 */
export const SYMBOL_RATE_HZ = 1_625_000 / 6;
export const SYMBOLS_PER_SLOT = 156.25;
export const SLOTS_PER_FRAME = 8;
export const SYMBOLS_PER_FRAME = SYMBOLS_PER_SLOT * SLOTS_PER_FRAME;
/** Uplink TDMA frames start 3 timeslots after the downlink's (TS 45.010 §6.6). */
export const UPLINK_DELAY_SLOTS = 3;
/** FN wraps at 26·51·2048 (the hyperframe). */
export const HYPERFRAME = 26 * 51 * 2048;
export const FCCH_FRAMES_51 = [0, 10, 20, 30, 40] as const;
export const SCH_FRAMES_51 = [1, 11, 21, 31, 41] as const;

/** Samples per symbol, slot and frame at a sample rate. */
export function samplesPer(sampleRateHz: number): { symbol: number; slot: number; frame: number } {
  const symbol = sampleRateHz / SYMBOL_RATE_HZ;
  return { symbol, slot: symbol * SYMBOLS_PER_SLOT, frame: symbol * SYMBOLS_PER_FRAME };
}
