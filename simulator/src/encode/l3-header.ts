/**
 * The first octets of every L3 message (TS 24.007 §11.2.3): RR (skip indicator 0 + PD), MM (PD, message
 * type with the R99 N(SD) send sequence number in bits 8–7), CC (transaction identifier + PD, type with
 * N(SD)); and the LV wrapper most IEs use. Header writers only; they know no message body.
 */
import { checkRange } from './encode-result.js';
import { CC_PROTOCOL_DISCRIMINATOR, MM_PROTOCOL_DISCRIMINATOR, RR_PROTOCOL_DISCRIMINATOR } from './message-types.js';
import { OctetWriter } from './writers.js';

export function rrMessage(type: number): OctetWriter {
  return new OctetWriter().u8(RR_PROTOCOL_DISCRIMINATOR).u8(type);
}

/** MM header; `sendSequenceNumber` N(SD) 0..3 (MS → network messages of R99+ mobiles). */
export function mmMessage(type: number, sendSequenceNumber = 0): OctetWriter {
  const nsd = checkRange('send_sequence_number', sendSequenceNumber, 0, 3);
  return new OctetWriter().u8(MM_PROTOCOL_DISCRIMINATOR).u8((nsd << 6) | type);
}

/**
 * CC header: TI flag (false = sent by the side that allocated the TI), TI value 0..6, N(SD) 0..3
 * (TS 24.007 §11.2.3.1.3, §11.2.3.2.3).
 */
export function ccMessage(type: number, tiFlag: boolean, tiValue: number, sendSequenceNumber = 0): OctetWriter {
  const ti = checkRange('transaction_id', tiValue, 0, 6);
  const nsd = checkRange('send_sequence_number', sendSequenceNumber, 0, 3);
  return new OctetWriter().u8((((tiFlag ? 0x08 : 0) | ti) << 4) | CC_PROTOCOL_DISCRIMINATOR).u8((nsd << 6) | type);
}

/** A value as LV: length octet + value. */
export function lv(value: ArrayLike<number>): Uint8Array {
  checkRange('lv_length', value.length, 0, 255);
  const out = new Uint8Array(1 + value.length);
  out[0] = value.length;
  out.set(Array.from(value), 1);
  return out;
}
