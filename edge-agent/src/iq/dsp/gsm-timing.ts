/**
 * GSM air-interface timing facts the SDR meters need (3GPP TS 45.002 §4.3, §5.2; TS 45.010 §6.6):
 * symbol rate, timeslot and TDMA frame lengths, burst lengths, the 51-multiframe FCCH/SCH positions.
 */
export const SYMBOL_RATE_HZ = 1_625_000 / 6;
export const SYMBOLS_PER_SLOT = 156.25;
export const SLOTS_PER_FRAME = 8;
export const SYMBOLS_PER_FRAME = SYMBOLS_PER_SLOT * SLOTS_PER_FRAME;
/** Bits in a normal, FCCH, SCH or dummy burst (3 + 142 + 3); the rest of the slot is guard time. */
export const NORMAL_BURST_SYMBOLS = 148;
/** Bits in an access (RACH) burst: 8 + 41 + 36 + 3, then a 68.25-bit guard for the unknown timing advance. */
export const ACCESS_BURST_SYMBOLS = 88;
/** Uplink TDMA frames start 3 timeslots after the downlink's. */
export const UPLINK_DELAY_SLOTS = 3;
/** FCCH tone offset above the carrier: 1625/24 kHz (all-zero bits, GMSK). */
export const FCCH_TONE_HZ = 1_625_000 / 24;
/** FN runs 0 … 26·51·2048 − 1. */
export const HYPERFRAME = 26 * 51 * 2048;
export const FRAME_S = SYMBOLS_PER_FRAME / SYMBOL_RATE_HZ;
export const SLOT_S = SYMBOLS_PER_SLOT / SYMBOL_RATE_HZ;

export function samplesPerSymbol(sampleRateHz: number): number {
  return sampleRateHz / SYMBOL_RATE_HZ;
}
export function samplesPerSlot(sampleRateHz: number): number {
  return samplesPerSymbol(sampleRateHz) * SYMBOLS_PER_SLOT;
}
export function samplesPerFrame(sampleRateHz: number): number {
  return samplesPerSymbol(sampleRateHz) * SYMBOLS_PER_FRAME;
}

export const isFcchFrame = (fn: number) => [0, 10, 20, 30, 40].includes(fn % 51);
export const isSchFrame = (fn: number) => [1, 11, 21, 31, 41].includes(fn % 51);

/** FN from the SCH's reduced frame number (T1, T2, T3'), TS 45.002 §3.3.2.2.1. */
export function fnFromReduced(t1: number, t2: number, t3p: number): number {
  const t3 = 10 * t3p + 1;
  const t3MinusT2 = (((t3 - t2) % 26) + 26) % 26;
  return 51 * 26 * t1 + 51 * t3MinusT2 + t3;
}
