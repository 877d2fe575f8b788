/**
 * The probe MCU wire protocol (version 1), mirror of firmware/protocol.h: frame types, command
 * encoding (type, seq, payload, CRC-16/CCITT-FALSE big-endian, COBS, 0x00), and typed decoding of the
 * device's frames. Payload integers are little-endian.
 * Must not: do I/O, or throw on bad bytes (decoders return typed failures).
 */
import { crc16ccitt } from 'crc';
import { fail, ok, type Result } from '@simhound/protocol';
import { cobsEncode } from './cobs.js';

export const PROTO_VERSION = 1;
export const SLOT_COUNT = 8;
export const FRAME = { HELLO: 0x01, REPORT: 0x02, ACK: 0x03, ERRORS: 0x04 } as const;
export const CMD = { START: 0x10, STOP: 0x11, SET_THRESHOLD: 0x12, SET_REPORT_RATE: 0x13, HELLO: 0x14, GET_ERRORS: 0x15 } as const;
export type CommandType = (typeof CMD)[keyof typeof CMD];
export const ACK_STATUS = ['ok', 'bad_argument', 'unknown_command'] as const;
export type AckStatus = (typeof ACK_STATUS)[number] | 'unknown_status';

/** TDMA frame period (TS 45.002: 120/26 ms) and timeslot (15/26 ms). */
export const TDMA_FRAME_MS = 120 / 26;
export const TIMESLOT_US = 15_000 / 26;

export function crc16(bytes: Uint8Array): number {
  return crc16ccitt(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** type | seq | payload → with CRC, COBS-encoded, 0x00-terminated: ready for the wire. */
export function encodeFrame(type: number, seq: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const raw = new Uint8Array(payload.length + 4);
  raw[0] = type;
  raw[1] = seq & 0xff;
  raw.set(payload, 2);
  const c = crc16(raw.subarray(0, payload.length + 2));
  raw[payload.length + 2] = c >> 8;
  raw[payload.length + 3] = c & 0xff;
  return Buffer.concat([cobsEncode(raw), Buffer.from([0])]);
}

export const u16le = (v: number) => Uint8Array.of(v & 0xff, (v >> 8) & 0xff);

export interface HelloFrame {
  type: 'hello';
  seq: number;
  proto_version: number;
  firmware_version: string;
  adc_bits: number;
  vref_mv: number;
  threshold_adc: number;
  frames_per_report: number;
  running: boolean;
  slot_count: number;
}

export interface SlotReport {
  bursts: number;
  peak_adc: number;
  mean_adc: number;
}

export interface ReportFrame {
  type: 'report';
  seq: number;
  report_seq: number;
  frame_count: number;
  slots: SlotReport[];
}

export interface AckFrame {
  type: 'ack';
  seq: number;
  command: number;
  command_seq: number;
  status: AckStatus;
}

export interface DeviceErrors {
  rx_crc: number;
  rx_cobs: number;
  rx_overflow: number;
  tx_dropped: number;
  unknown_cmd: number;
  report_overrun: number;
}

export interface ErrorsFrame extends DeviceErrors {
  type: 'errors';
  seq: number;
}

export type DeviceFrame = HelloFrame | ReportFrame | AckFrame | ErrorsFrame;
export type FrameDecodeReason = 'unknown_frame_type' | 'bad_frame_length';

/** A CRC-checked frame body (type, seq, payload; CRC removed) → typed frame. */
export function decodeDeviceFrame(body: Uint8Array): Result<DeviceFrame, FrameDecodeReason> {
  if (body.length < 2) return fail('bad_frame_length');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const [type, seq] = [body[0]!, body[1]!];
  const n = body.length - 2;
  switch (type) {
    case FRAME.HELLO:
      if (n !== 13) return fail('bad_frame_length', `hello ${n}`);
      return ok({
        type: 'hello', seq, proto_version: body[2]!, firmware_version: `${body[3]}.${body[4]}.${body[5]}`, adc_bits: body[6]!,
        vref_mv: u16(7), threshold_adc: u16(9), frames_per_report: u16(11), running: body[13] === 1, slot_count: body[14]!,
      });
    case FRAME.REPORT: {
      if (n !== 4 + SLOT_COUNT * 6) return fail('bad_frame_length', `report ${n}`);
      const slots: SlotReport[] = [];
      for (let i = 0; i < SLOT_COUNT; i++) {
        const at = 6 + i * 6;
        slots.push({ bursts: u16(at), peak_adc: u16(at + 2), mean_adc: u16(at + 4) / 16 });
      }
      return ok({ type: 'report', seq, report_seq: u16(2), frame_count: u16(4), slots });
    }
    case FRAME.ACK:
      if (n !== 3) return fail('bad_frame_length', `ack ${n}`);
      return ok({ type: 'ack', seq, command: body[2]!, command_seq: body[3]!, status: ACK_STATUS[body[4]!] ?? 'unknown_status' });
    case FRAME.ERRORS:
      if (n !== 12) return fail('bad_frame_length', `errors ${n}`);
      return ok({ type: 'errors', seq, rx_crc: u16(2), rx_cobs: u16(4), rx_overflow: u16(6), tx_dropped: u16(8), unknown_cmd: u16(10), report_overrun: u16(12) });
    default:
      return fail('unknown_frame_type', `0x${type.toString(16)}`);
  }
}
