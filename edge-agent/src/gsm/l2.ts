/**
 * Layer 2 framing of a Um block down to its L3 message (3GPP TS 44.006 LAPDm, TS 44.018 §10.5.2.19):
 *  - BCCH/CCCH/AGCH/PCH: B4 format with the L2 pseudo length octet (`LLLLLL01`) first;
 *  - SACCH (GSMTAP ACCH flag): a 2-octet L1 header (power level, timing advance), then LAPDm; a downlink
 *    SAPI 0 UI frame there is format B4 (TS 44.006 §2.1: address and control, no length octet), its
 *    information a system information message with its own L2 pseudo length (SI5/5bis/5ter/6);
 *  - SDCCH and FACCH: LAPDm address, control and length octets.
 * Writes the L3 bounds into a caller-owned `L2Result` and returns null, or returns the outcome that
 * ends the frame here. Knows nothing about L3 contents.
 */
import type { FrameOutcome } from './frame-outcome.js';
import { GSMTAP_CHANNEL } from './gsmtap.js';

export interface L2Result {
  l3Start: number;
  l3End: number;
  /** End of the octets counted by the pseudo length (rest octets start here). */
  pseudoEnd: number;
  /** LAPDm "more data" bit: this frame is a non-final segment. */
  more: boolean;
  /** True when the frame is a LAPDm I frame (only those can be segmented). */
  iFrame: boolean;
}

export function createL2Result(): L2Result {
  return { l3Start: 0, l3End: 0, pseudoEnd: 0, more: false, iFrame: false };
}

const FILL = 0x2b;

/** B4 with L2 pseudo length: BCCH and CCCH blocks. */
function pseudoLengthFrame(buf: Uint8Array, p: number, end: number, out: L2Result): FrameOutcome | null {
  if (p >= end) return 'too_short';
  const b = buf[p]!;
  if (b === FILL) return 'fill_frame';
  if ((b & 0x03) !== 0x01) return 'bad_l2_header';
  // A pseudo length of 0 is legitimate (SI13, SI2ter: everything after the header is rest octets).
  const pseudo = b >> 2;
  const l3Start = p + 1;
  if (l3Start + pseudo > end) return 'bad_length';
  out.l3Start = l3Start;
  out.l3End = end;
  out.pseudoEnd = l3Start + pseudo;
  out.more = false;
  out.iFrame = false;
  return null;
}

/** LAPDm address + control + length (formats A/B). */
function lapdmFrame(buf: Uint8Array, p: number, end: number, out: L2Result): FrameOutcome | null {
  if (p + 3 > end) return 'too_short';
  const address = buf[p]!;
  const control = buf[p + 1]!;
  const length = buf[p + 2]!;
  // EA must be 1: LAPDm addresses are one octet. The length octet's EL bit must be 1 likewise.
  if ((address & 0x01) === 0 || (length & 0x01) === 0) return 'bad_l2_header';
  const lpd = (address >> 5) & 0x03;
  if (lpd !== 0) return 'unsupported_channel';
  const sapi = (address >> 2) & 0x07;
  const iFrame = (control & 0x01) === 0;
  let carriesInformation = iFrame;
  if (!iFrame && (control & 0x03) === 0x03) {
    // U frames: UI, SABM and UA may carry an information field (contention resolution echoes it).
    const u = control & 0xef;
    carriesInformation = u === 0x03 || u === 0x2f || u === 0x63;
  }
  const l = length >> 2;
  if (!carriesInformation) return 'no_information';
  if (l === 0) return 'fill_frame';
  if (sapi !== 0) return 'no_information';
  const l3Start = p + 3;
  if (l3Start + l > end) return 'bad_length';
  out.l3Start = l3Start;
  out.l3End = l3Start + l;
  out.pseudoEnd = out.l3End;
  out.more = (length & 0x02) !== 0;
  out.iFrame = iFrame;
  return null;
}

/**
 * Downlink SACCH: a SAPI 0 UI frame is format B4 (its information starts with the L2 pseudo length of the
 * system information message it carries); anything else is format B.
 */
function downlinkSacchFrame(buf: Uint8Array, p: number, end: number, out: L2Result): FrameOutcome | null {
  if (p + 2 > end) return 'too_short';
  const address = buf[p]!;
  const control = buf[p + 1]!;
  const b4 = (address & 0x01) === 1 && (address & 0x7c) === 0 && (control & 0xef) === 0x03;
  if (!b4) return lapdmFrame(buf, p, end, out);
  return pseudoLengthFrame(buf, p + 2, end, out);
}

export function frameL3(channel: number, acch: boolean, uplink: boolean, buf: Uint8Array, p: number, end: number, out: L2Result): FrameOutcome | null {
  switch (channel) {
    case GSMTAP_CHANNEL.bcch:
    case GSMTAP_CHANNEL.ccch:
    case GSMTAP_CHANNEL.agch:
    case GSMTAP_CHANNEL.pch:
      if (acch) return 'unsupported_channel';
      return pseudoLengthFrame(buf, p, end, out);
    case GSMTAP_CHANNEL.sdcch:
    case GSMTAP_CHANNEL.sdcch4:
    case GSMTAP_CHANNEL.sdcch8:
    case GSMTAP_CHANNEL.tch_f:
    case GSMTAP_CHANNEL.tch_h:
      if (acch) {
        if (p + 2 > end) return 'too_short';
        return uplink ? lapdmFrame(buf, p + 2, end, out) : downlinkSacchFrame(buf, p + 2, end, out);
      }
      return lapdmFrame(buf, p, end, out);
    default:
      return 'unsupported_channel';
  }
}
