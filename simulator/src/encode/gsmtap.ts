/**
 * The repository's GSMTAP header encoder: version 2, the 16-octet header osmocom and gr-gsm put in front
 * of every Um block they send to UDP port 4729 (layout from osmocom libosmocore `gsmtap.h`), and
 * version 3 with its metadata TLVs (`gsmtapv3.h`), which newer osmocom sends and the edge agent reads.
 *
 * It writes only the header + the given payload; what the payload is (an L2 block, a RACH byte) is the
 * caller's business. It must not validate the payload against the channel type.
 */
import { checkRange, encodeSafely, type EncodeResult } from './encode-result.js';

/** IANA-registered GSMTAP UDP port. */
export const GSMTAP_UDP_PORT = 4729;
export const GSMTAP_VERSION = 2;
/** Header length in 32-bit words (16 octets). */
export const GSMTAP_V2_HEADER_WORDS = 4;
export const GSMTAP_V2_HEADER_OCTETS = GSMTAP_V2_HEADER_WORDS * 4;
/** Payload type "GSM Um (MS<->BTS)". */
export const GSMTAP_TYPE_UM = 1;

/** GSMTAP sub_type values for payload type UM (libosmocore gsmtap.h, GSMTAP_CHANNEL_*). */
export const GSMTAP_CHANNEL = {
  BCCH: 1,
  CCCH: 2,
  RACH: 3,
  AGCH: 4,
  PCH: 5,
  SDCCH: 6,
  SDCCH4: 7,
  SDCCH8: 8,
  TCH_F: 9,
  TCH_H: 10,
  PACCH: 11,
  CBCH52: 12,
  PDCH: 13,
  PTCCH: 14,
  CBCH51: 15,
} as const;
export type GsmtapChannel = (typeof GSMTAP_CHANNEL)[keyof typeof GSMTAP_CHANNEL];

/** Flag OR-ed into sub_type for the slow associated control channel (SACCH) of a dedicated channel. */
export const GSMTAP_CHANNEL_ACCH = 0x80;
/** Flags in the 16-bit ARFCN field. */
export const GSMTAP_ARFCN_F_PCS = 0x8000;
export const GSMTAP_ARFCN_F_UPLINK = 0x4000;
export const GSMTAP_ARFCN_MASK = 0x3fff;

export interface GsmtapHeader {
  /** Payload type; default GSMTAP_TYPE_UM (3 = UM burst, others for tests of unsupported payloads). */
  readonly payload_type?: number;
  /** Channel type (sub_type). */
  readonly channel: GsmtapChannel;
  /** Set for the SACCH of `channel` (sub_type | 0x80). */
  readonly acch?: boolean;
  readonly timeslot: number;
  /** 0..16383; the PCS and uplink flags are separate fields. */
  readonly arfcn: number;
  readonly uplink?: boolean;
  /** PCS 1900 band indicator (ARFCN 512–810 overlap with DCS 1800). */
  readonly pcs_band?: boolean;
  /** Received signal level, dBm, −128..127. */
  readonly signal_dbm?: number;
  readonly snr_db?: number;
  /** TDMA frame number, 0..2715647 on air (any uint32 is encodable). */
  readonly frame_number: number;
  readonly antenna?: number;
  /** Sub-channel of an SDCCH/4, SDCCH/8 or TCH/H (0..7). */
  readonly sub_slot?: number;
}

/** Writes the 16-octet header into `out` at `offset` (no allocation; used by the hot path). */
export function writeGsmtapV2Header(out: Uint8Array, offset: number, header: GsmtapHeader): void {
  checkRange('timeslot', header.timeslot, 0, 7);
  checkRange('arfcn', header.arfcn, 0, GSMTAP_ARFCN_MASK);
  checkRange('channel', header.channel, 0, 0x7f);
  const signal = checkRange('signal_dbm', header.signal_dbm ?? 0, -128, 127);
  const snr = checkRange('snr_db', header.snr_db ?? 0, -128, 127);
  checkRange('frame_number', header.frame_number, 0, 0xffffffff);
  const antenna = checkRange('antenna', header.antenna ?? 0, 0, 0xff);
  const subSlot = checkRange('sub_slot', header.sub_slot ?? 0, 0, 0xff);
  const payloadType = checkRange('payload_type', header.payload_type ?? GSMTAP_TYPE_UM, 0, 0xff);

  let arfcnField = header.arfcn;
  if (header.uplink) arfcnField |= GSMTAP_ARFCN_F_UPLINK;
  if (header.pcs_band) arfcnField |= GSMTAP_ARFCN_F_PCS;

  out[offset] = GSMTAP_VERSION;
  out[offset + 1] = GSMTAP_V2_HEADER_WORDS;
  out[offset + 2] = payloadType;
  out[offset + 3] = header.timeslot;
  out[offset + 4] = arfcnField >> 8;
  out[offset + 5] = arfcnField & 0xff;
  out[offset + 6] = signal & 0xff;
  out[offset + 7] = snr & 0xff;
  out[offset + 8] = (header.frame_number >>> 24) & 0xff;
  out[offset + 9] = (header.frame_number >>> 16) & 0xff;
  out[offset + 10] = (header.frame_number >>> 8) & 0xff;
  out[offset + 11] = header.frame_number & 0xff;
  out[offset + 12] = header.channel | (header.acch ? GSMTAP_CHANNEL_ACCH : 0);
  out[offset + 13] = antenna;
  out[offset + 14] = subSlot;
  out[offset + 15] = 0;
}

/** GSMTAP v2 header followed by `payload`: the exact bytes of one GSMTAP UDP datagram. */
export function encodeGsmtapV2(header: GsmtapHeader, payload: Uint8Array): EncodeResult {
  return encodeSafely(() => {
    const out = new Uint8Array(GSMTAP_V2_HEADER_OCTETS + payload.length);
    writeGsmtapV2Header(out, 0, header);
    out.set(payload, GSMTAP_V2_HEADER_OCTETS);
    return out;
  });
}

/** GSMTAP v3 payload type for Um L2 blocks (gsmtapv3.h GSMTAP_TYPE_UM = 0x0200). */
export const GSMTAP_V3_TYPE_UM = 0x0200;
/** v3 sub_type flag of the slow associated control channel. */
export const GSMTAP_V3_CHANNEL_ACCH = 0x0100;

export interface GsmtapV3Header {
  /** Default GSMTAP_V3_TYPE_UM. */
  readonly payload_type?: number;
  readonly channel: number;
  readonly acch?: boolean;
  readonly arfcn: number;
  readonly uplink?: boolean;
  readonly timeslot: number;
  readonly sub_slot?: number;
  readonly frame_number: number;
  /** Omitted = no signal level TLV. */
  readonly signal_dbm?: number;
  readonly snr_db?: number;
}

/** v3 metadata TLV tags written here (gsmtapv3.h). */
const V3_TAG = { channel_number: 0x0002, timeslot: 0x0006, sub_slot: 0x0007, frame_number: 0x0008, signal_level: 0x0100, snr: 0x0102 } as const;

/**
 * GSMTAP v3 header (version, reserved, header length in 32-bit words, type u16, sub_type u16, then
 * metadata TLVs: channel number with v2's uplink flag, timeslot, sub-slot, frame number, and signal level /
 * SNR as float32 when given) followed by `payload`.
 */
export function encodeGsmtapV3(header: GsmtapV3Header, payload: Uint8Array): EncodeResult {
  return encodeSafely(() => {
    const tlvs: number[] = [];
    const tlv = (tag: number, value: readonly number[]) => tlvs.push(tag >> 8, tag & 0xff, value.length >> 8, value.length & 0xff, ...value);
    const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    const f32 = (v: number) => {
      const b = new DataView(new ArrayBuffer(4));
      b.setFloat32(0, v, false);
      return [b.getUint8(0), b.getUint8(1), b.getUint8(2), b.getUint8(3)];
    };
    const arfcn = checkRange('arfcn', header.arfcn, 0, GSMTAP_ARFCN_MASK);
    tlv(V3_TAG.channel_number, u32(arfcn | (header.uplink ? GSMTAP_ARFCN_F_UPLINK : 0)));
    tlv(V3_TAG.timeslot, [checkRange('timeslot', header.timeslot, 0, 7)]);
    tlv(V3_TAG.sub_slot, [checkRange('sub_slot', header.sub_slot ?? 0, 0, 0xff)]);
    tlv(V3_TAG.frame_number, u32(checkRange('frame_number', header.frame_number, 0, 0xffffffff)));
    if (header.signal_dbm !== undefined) tlv(V3_TAG.signal_level, f32(header.signal_dbm));
    if (header.snr_db !== undefined) tlv(V3_TAG.snr, f32(header.snr_db));
    while (tlvs.length % 4 !== 0) tlvs.push(0);
    const headerOctets = 8 + tlvs.length;
    const type = checkRange('payload_type', header.payload_type ?? GSMTAP_V3_TYPE_UM, 0, 0xffff);
    const subType = checkRange('channel', header.channel, 0, 0xff) | (header.acch ? GSMTAP_V3_CHANNEL_ACCH : 0);
    const out = new Uint8Array(headerOctets + payload.length);
    out.set([3, 0, (headerOctets / 4) >> 8, (headerOctets / 4) & 0xff, type >> 8, type & 0xff, subType >> 8, subType & 0xff], 0);
    out.set(tlvs, 8);
    out.set(payload, headerOctets);
    return out;
  });
}
