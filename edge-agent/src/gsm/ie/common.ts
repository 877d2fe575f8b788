/**
 * Small fixed-format IEs shared by several RR messages (3GPP TS 44.018 §10.5.2): Page Mode (§10.5.2.26),
 * Channel Needed (§10.5.2.8), Timing Advance (§10.5.2.40), Request Reference (§10.5.2.30).
 * Pure lookups and bit arithmetic; no validation beyond what the bits allow.
 */
import type { ChannelNeeded, PagingEvent, RequestReference } from '../events.js';
import { establishmentCause } from '../establishment-cause.js';

const PAGE_MODES: readonly PagingEvent['page_mode'][] = ['normal', 'extended', 'reorganisation', 'same_as_before'];
const CHANNEL_NEEDED: readonly ChannelNeeded[] = ['any', 'sdcch', 'tch_f', 'tch_h_or_f'];

/** Page Mode: bits 2..1 of the half octet. */
export function pageMode(halfOctet: number): PagingEvent['page_mode'] {
  return PAGE_MODES[halfOctet & 0x03]!;
}

/** One 2-bit CHANNEL field of Channel Needed. */
export function channelNeeded(twoBits: number): ChannelNeeded {
  return CHANNEL_NEEDED[twoBits & 0x03]!;
}

/** Timing Advance value (6 bits; bits 8..7 spare). One step = 553.5 m. */
export function timingAdvance(octet: number): number {
  return octet & 0x3f;
}

/** Frames in the reduced frame number cycle (TS 45.002: 26 × 51 × 32). */
export const RFN_MODULUS = 42_432;
/** The full TDMA frame number space (hyperframe). */
export const FN_MODULUS = 2_715_648;

/**
 * Request Reference (§10.5.2.30): RA, then T1' (5 bits), T3 (6 bits), T2 (5 bits). The reduced frame number
 * follows §10.5.2.38: T1'·1326 + ((T3 − T2) mod 26)·51 + T3. `frameFn` (the FN of the frame carrying the
 * assignment) resolves it into the absolute FN of the channel request, the latest FN ≤ frameFn with
 * that RFN.
 */
export function requestReference(buf: Uint8Array, at: number, neci: 0 | 1 | null, frameFn: number): RequestReference {
  const ra = buf[at]!;
  const o2 = buf[at + 1]!;
  const o3 = buf[at + 2]!;
  const t1p = o2 >> 3;
  const t3 = ((o2 & 0x07) << 3) | (o3 >> 5);
  const t2 = o3 & 0x1f;
  const rfn = t1p * 1326 + ((((t3 - t2) % 26) + 26) % 26) * 51 + t3;
  const back = ((((frameFn - rfn) % RFN_MODULUS) + RFN_MODULUS) % RFN_MODULUS);
  const requestFn = (((frameFn - back) % FN_MODULUS) + FN_MODULUS) % FN_MODULUS;
  return { ra, cause: establishmentCause(ra, neci), t1p, t2, t3, request_rfn: rfn, request_fn: requestFn };
}
