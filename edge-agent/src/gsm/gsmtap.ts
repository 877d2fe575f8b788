/**
 * GSMTAP pseudo-header parsing (versions 2 and 3), the wrapper gr-gsm and osmocom put around every air
 * interface block they send on UDP 4729. It fills a caller-owned `GsmtapHeader` (no allocation per
 * frame) and says where the payload starts. It does not look at the payload.
 *
 * Layouts (facts from osmocom's gsmtap.h / gsmtapv3.h):
 *  v2: version u8 (=2) | hdr_len u8 (32-bit words, ≥4) | type u8 | timeslot u8 | arfcn u16 (0x8000 PCS,
 *      0x4000 uplink, 0x3fff ARFCN) | signal_dbm i8 | snr_db i8 | frame_number u32 | sub_type u8
 *      (channel; 0x80 = ACCH) | antenna u8 | sub_slot u8 | reserved u8 — all big-endian.
 *  v3: version u8 (=3) | reserved u8 | hdr_len u16 (32-bit words, incl. metadata) | type u16 |
 *      sub_type u16 (channel; 0x0100 = ACCH) | metadata TLVs (tag u16, length u16, value) up to hdr_len.
 *      Tags used here: 0x0002 channel number (ARFCN), 0x0006 timeslot, 0x0007 sub-slot, 0x0008 frame
 *      number, 0x0100 signal level (float32 dBm), 0x0102 SNR (float32 dB). v3 has no uplink bit of its
 *      own; the channel number is read with v2's flag bits (0x4000 uplink, 0x8000 PCS).
 */

export const GSMTAP_UDP_PORT = 4729;

/** Payload kinds, normalised across versions. */
export type GsmtapPayloadKind = 'um' | 'um_burst' | 'other';

/** GSMTAP v2 channel sub-types for Um (gsmtap.h GSMTAP_CHANNEL_*); v3 uses the same numbers 1..17. */
export const GSMTAP_CHANNEL = {
  unknown: 0x00,
  bcch: 0x01,
  ccch: 0x02,
  rach: 0x03,
  agch: 0x04,
  pch: 0x05,
  sdcch: 0x06,
  sdcch4: 0x07,
  sdcch8: 0x08,
  tch_f: 0x09,
  tch_h: 0x0a,
  pacch: 0x0b,
  cbch52: 0x0c,
  pdch: 0x0d,
  ptcch: 0x0e,
  cbch51: 0x0f,
  voice_f: 0x10,
  voice_h: 0x11,
} as const;

export const GSMTAP_V2_ACCH_FLAG = 0x80;
export const GSMTAP_V3_ACCH_FLAG = 0x0100;
export const GSMTAP_ARFCN_PCS_FLAG = 0x8000;
export const GSMTAP_ARFCN_UPLINK_FLAG = 0x4000;
export const GSMTAP_ARFCN_MASK = 0x3fff;

const V2_TYPE_UM = 0x01;
const V2_TYPE_UM_BURST = 0x03;
const V3_TYPE_UM = 0x0200;
const V3_TYPE_UM_BURST = 0x0201;

const V3_TAG_CHANNEL_NUMBER = 0x0002;
const V3_TAG_TIMESLOT = 0x0006;
const V3_TAG_SUB_SLOT = 0x0007;
const V3_TAG_FRAME_NUMBER = 0x0008;
const V3_TAG_SIGNAL_LEVEL = 0x0100;
const V3_TAG_SNR = 0x0102;

/** Mutable, reused per frame: the decoder keeps one. */
export interface GsmtapHeader {
  version: number;
  /** Header length in bytes (payload starts at offset + header_bytes). */
  header_bytes: number;
  payload_kind: GsmtapPayloadKind;
  /** Raw type value as on the wire (v2 u8, v3 u16). */
  type: number;
  /** Channel number without the ACCH flag (GSMTAP_CHANNEL values). */
  channel: number;
  acch: boolean;
  timeslot: number;
  sub_slot: number;
  arfcn: number;
  uplink: boolean;
  pcs: boolean;
  /** Signal level in dBm; null when the sender did not fill it (v3 without the tag). */
  signal_dbm: number | null;
  snr_db: number | null;
  frame_number: number;
  antenna: number;
}

export function createGsmtapHeader(): GsmtapHeader {
  return {
    version: 0,
    header_bytes: 0,
    payload_kind: 'other',
    type: 0,
    channel: 0,
    acch: false,
    timeslot: 0,
    sub_slot: 0,
    arfcn: 0,
    uplink: false,
    pcs: false,
    signal_dbm: null,
    snr_db: null,
    frame_number: 0,
    antenna: 0,
  };
}

export type GsmtapRejection = 'too_short' | 'bad_version' | 'bad_header_length';

const f32 = new DataView(new ArrayBuffer(4));

function readFloat32BE(buf: Uint8Array, at: number): number {
  f32.setUint8(0, buf[at]!);
  f32.setUint8(1, buf[at + 1]!);
  f32.setUint8(2, buf[at + 2]!);
  f32.setUint8(3, buf[at + 3]!);
  return f32.getFloat32(0, false);
}

/**
 * Parse the GSMTAP header of `buf[offset .. offset+length)` into `out`.
 * Returns null on success, or the rejection reason (out is then partially filled, don't use it).
 */
export function parseGsmtapHeader(buf: Uint8Array, offset: number, length: number, out: GsmtapHeader): GsmtapRejection | null {
  if (length < 1) return 'too_short';
  const version = buf[offset]!;
  out.version = version;
  if (version === 2) return parseV2(buf, offset, length, out);
  if (version === 3) return parseV3(buf, offset, length, out);
  return 'bad_version';
}

function parseV2(buf: Uint8Array, o: number, length: number, out: GsmtapHeader): GsmtapRejection | null {
  if (length < 16) return 'too_short';
  const headerBytes = buf[o + 1]! * 4;
  // The v2 fixed part is 16 bytes; a header claiming less, or more than the datagram, is a lie.
  if (headerBytes < 16) return 'bad_header_length';
  if (headerBytes > length) return 'bad_header_length';
  out.header_bytes = headerBytes;
  const type = buf[o + 2]!;
  out.type = type;
  out.payload_kind = type === V2_TYPE_UM ? 'um' : type === V2_TYPE_UM_BURST ? 'um_burst' : 'other';
  out.timeslot = buf[o + 3]!;
  const arfcnField = (buf[o + 4]! << 8) | buf[o + 5]!;
  out.arfcn = arfcnField & GSMTAP_ARFCN_MASK;
  out.uplink = (arfcnField & GSMTAP_ARFCN_UPLINK_FLAG) !== 0;
  out.pcs = (arfcnField & GSMTAP_ARFCN_PCS_FLAG) !== 0;
  const signal = buf[o + 6]!;
  out.signal_dbm = signal > 127 ? signal - 256 : signal;
  const snr = buf[o + 7]!;
  out.snr_db = snr > 127 ? snr - 256 : snr;
  out.frame_number = ((buf[o + 8]! << 24) >>> 0) + ((buf[o + 9]! << 16) | (buf[o + 10]! << 8) | buf[o + 11]!);
  const subType = buf[o + 12]!;
  out.channel = subType & ~GSMTAP_V2_ACCH_FLAG & 0xff;
  out.acch = (subType & GSMTAP_V2_ACCH_FLAG) !== 0;
  out.antenna = buf[o + 13]!;
  out.sub_slot = buf[o + 14]!;
  return null;
}

function parseV3(buf: Uint8Array, o: number, length: number, out: GsmtapHeader): GsmtapRejection | null {
  if (length < 8) return 'too_short';
  const headerBytes = ((buf[o + 2]! << 8) | buf[o + 3]!) * 4;
  if (headerBytes < 8 || headerBytes > length) return 'bad_header_length';
  out.header_bytes = headerBytes;
  const type = (buf[o + 4]! << 8) | buf[o + 5]!;
  out.type = type;
  out.payload_kind = type === V3_TYPE_UM ? 'um' : type === V3_TYPE_UM_BURST ? 'um_burst' : 'other';
  const subType = (buf[o + 6]! << 8) | buf[o + 7]!;
  out.channel = subType & 0xff;
  out.acch = (subType & GSMTAP_V3_ACCH_FLAG) !== 0;
  out.timeslot = 0;
  out.sub_slot = 0;
  out.arfcn = 0;
  out.uplink = false;
  out.pcs = false;
  out.signal_dbm = null;
  out.snr_db = null;
  out.frame_number = 0;
  out.antenna = 0;
  let at = o + 8;
  const end = o + headerBytes;
  while (at + 4 <= end) {
    const tag = (buf[at]! << 8) | buf[at + 1]!;
    const len = (buf[at + 2]! << 8) | buf[at + 3]!;
    const v = at + 4;
    if (v + len > end) return 'bad_header_length';
    switch (tag) {
      case V3_TAG_CHANNEL_NUMBER:
        if (len >= 2) {
          // u16 or u32; the low 16 bits carry ARFCN and v2-style flags.
          const field = len >= 4 ? (buf[v + 2]! << 8) | buf[v + 3]! : (buf[v]! << 8) | buf[v + 1]!;
          out.arfcn = field & GSMTAP_ARFCN_MASK;
          out.uplink = (field & GSMTAP_ARFCN_UPLINK_FLAG) !== 0;
          out.pcs = (field & GSMTAP_ARFCN_PCS_FLAG) !== 0;
        }
        break;
      case V3_TAG_TIMESLOT:
        if (len >= 1) out.timeslot = buf[v]!;
        break;
      case V3_TAG_SUB_SLOT:
        if (len >= 1) out.sub_slot = buf[v]!;
        break;
      case V3_TAG_FRAME_NUMBER:
        if (len >= 4) out.frame_number = ((buf[v]! << 24) >>> 0) + ((buf[v + 1]! << 16) | (buf[v + 2]! << 8) | buf[v + 3]!);
        break;
      case V3_TAG_SIGNAL_LEVEL:
        if (len >= 4) out.signal_dbm = Math.round(readFloat32BE(buf, v) * 100) / 100;
        break;
      case V3_TAG_SNR:
        if (len >= 4) out.snr_db = Math.round(readFloat32BE(buf, v) * 100) / 100;
        break;
      default:
        break;
    }
    // A zero-length TLV ends the metadata (padding to the 32-bit boundary).
    if (len === 0 && tag === 0) break;
    at = v + len;
  }
  return null;
}

/**
 * Does this look like a GSMTAP header? Used to accept GSMTAP on UDP ports other than 4729 without
 * mistaking unrelated traffic for it.
 */
export function looksLikeGsmtap(buf: Uint8Array, offset: number, length: number): boolean {
  if (length < 8) return false;
  const version = buf[offset]!;
  if (version === 2) {
    if (length < 16) return false;
    const hdr = buf[offset + 1]! * 4;
    const type = buf[offset + 2]!;
    return hdr >= 16 && hdr <= 64 && hdr <= length && type >= 1 && type <= 0x12 && (buf[offset + 4]! & 0x30) === 0;
  }
  if (version === 3) {
    const hdr = ((buf[offset + 2]! << 8) | buf[offset + 3]!) * 4;
    const type = (buf[offset + 4]! << 8) | buf[offset + 5]!;
    return hdr >= 8 && hdr <= 1024 && hdr <= length && type <= 0x0600;
  }
  return false;
}
