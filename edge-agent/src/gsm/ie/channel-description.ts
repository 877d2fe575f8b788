/**
 * Channel Description (3GPP TS 44.018 §10.5.2.5) and Packet Channel Description (§10.5.2.25a), 3 octets
 * each: channel type + timeslot, training sequence, then either a single ARFCN or the hopping
 * parameters MAIO/HSN. Reads exactly 3 octets at `at`; the caller checks they exist.
 */
import type { ChannelDescription } from '../events.js';

/** §10.5.2.5: channel type and TDMA offset (5 bits) → channel type and sub-channel. */
function dedicatedType(code: number): { chan_type: ChannelDescription['chan_type']; subchannel: number } {
  if (code === 0b00001) return { chan_type: 'tch_f', subchannel: 0 };
  if ((code & 0b11110) === 0b00010) return { chan_type: 'tch_h', subchannel: code & 0b1 };
  if ((code & 0b11100) === 0b00100) return { chan_type: 'sdcch4', subchannel: code & 0b11 };
  if ((code & 0b11000) === 0b01000) return { chan_type: 'sdcch8', subchannel: code & 0b111 };
  return { chan_type: 'unknown', subchannel: 0 };
}

export function channelDescription(buf: Uint8Array, at: number): ChannelDescription {
  const o1 = buf[at]!;
  const o2 = buf[at + 1]!;
  const o3 = buf[at + 2]!;
  const { chan_type, subchannel } = dedicatedType(o1 >> 3);
  const hopping = (o2 & 0x10) !== 0;
  return {
    chan_type,
    subchannel,
    timeslot: o1 & 0x07,
    tsc: o2 >> 5,
    hopping,
    arfcn: hopping ? null : ((o2 & 0x03) << 8) | o3,
    maio: hopping ? ((o2 & 0x0f) << 2) | (o3 >> 6) : null,
    hsn: hopping ? o3 & 0x3f : null,
  };
}

/**
 * §10.5.2.25a: octet 2 bit 5 set = direct encoding of a hopping channel (MAIO, HSN as in §10.5.2.5);
 * clear with bit 4 clear = single ARFCN; clear with bit 4 set = indirect encoding (MAIO only, the
 * frequency list lives in a GPRS mobile allocation we do not follow: HSN null).
 */
export function packetChannelDescription(buf: Uint8Array, at: number): ChannelDescription {
  const o1 = buf[at]!;
  const o2 = buf[at + 1]!;
  const o3 = buf[at + 2]!;
  const direct = (o2 & 0x10) !== 0;
  const indirect = !direct && (o2 & 0x08) !== 0;
  const hopping = direct || indirect;
  return {
    chan_type: 'pdch',
    subchannel: 0,
    timeslot: o1 & 0x07,
    tsc: o2 >> 5,
    hopping,
    arfcn: hopping ? null : ((o2 & 0x03) << 8) | o3,
    maio: direct ? ((o2 & 0x0f) << 2) | (o3 >> 6) : indirect ? o3 & 0x3f : null,
    hsn: direct ? o3 & 0x3f : null,
  };
}
