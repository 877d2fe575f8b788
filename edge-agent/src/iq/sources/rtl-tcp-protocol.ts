/**
 * The rtl_tcp wire protocol (librtlsdr's rtl_tcp, also spoken by rtl_tcp forks for Airspy/HackRF
 * and by SDR++/SDR# servers): after connecting, the server sends a 12-byte dongle-info header —
 * "RTL0", tuner type (u32 BE), number of tuner gains (u32 BE) — then an endless stream of unsigned
 * 8-bit interleaved I/Q. The client sends 5-byte commands: one command byte and a u32 BE parameter.
 * Pure functions; the client (rtl-tcp-client.ts) owns the socket.
 */
import { fail, ok, type Result } from '@simhound/protocol';

export const RTL_TCP_HEADER_BYTES = 12;
export const RTL_TCP_MAGIC = 'RTL0';
export const RTL_TCP_COMMAND_BYTES = 5;

export const RTL_TCP_COMMANDS = {
  set_frequency: 0x01,
  set_sample_rate: 0x02,
  /** 0 = automatic tuner gain, 1 = manual (then set_gain applies). */
  set_gain_mode: 0x03,
  /** Tuner gain in tenths of a dB. */
  set_gain: 0x04,
  /** Frequency correction in ppm (signed). */
  set_freq_correction: 0x05,
  /** (stage << 16) | gain in tenths of a dB. */
  set_if_gain: 0x06,
  set_test_mode: 0x07,
  /** RTL2832 digital AGC on/off. */
  set_agc_mode: 0x08,
  set_direct_sampling: 0x09,
  set_offset_tuning: 0x0a,
  set_rtl_xtal: 0x0b,
  set_tuner_xtal: 0x0c,
  set_tuner_gain_by_index: 0x0d,
  set_bias_tee: 0x0e,
} as const;
export type RtlTcpCommandName = keyof typeof RTL_TCP_COMMANDS;

/** librtlsdr's tuner enum, as sent in the header. */
export const RTL_TUNERS = ['unknown', 'E4000', 'FC0012', 'FC0013', 'FC2580', 'R820T', 'R828D'] as const;

export interface RtlTcpDongleInfo {
  tuner: string;
  tuner_type: number;
  gain_count: number;
}

export type RtlTcpHeaderError = 'short_header' | 'bad_magic';

export function parseDongleInfo(header: Uint8Array): Result<RtlTcpDongleInfo, RtlTcpHeaderError> {
  if (header.length < RTL_TCP_HEADER_BYTES) return fail('short_header', `${header.length} of ${RTL_TCP_HEADER_BYTES} bytes`);
  const magic = String.fromCharCode(header[0]!, header[1]!, header[2]!, header[3]!);
  if (magic !== RTL_TCP_MAGIC) return fail('bad_magic', `expected "RTL0", got ${JSON.stringify(magic)}: not an rtl_tcp server`);
  const view = new DataView(header.buffer, header.byteOffset, RTL_TCP_HEADER_BYTES);
  const type = view.getUint32(4, false);
  return ok({ tuner: RTL_TUNERS[type] ?? `type ${type}`, tuner_type: type, gain_count: view.getUint32(8, false) });
}

export function encodeDongleInfo(tunerType: number, gainCount: number): Buffer {
  const b = Buffer.alloc(RTL_TCP_HEADER_BYTES);
  b.write(RTL_TCP_MAGIC, 0, 'latin1');
  b.writeUInt32BE(tunerType >>> 0, 4);
  b.writeUInt32BE(gainCount >>> 0, 8);
  return b;
}

/** One 5-byte command. Negative parameters (ppm) go as two's complement, as rtl_tcp reads them. */
export function encodeCommand(name: RtlTcpCommandName, param: number): Buffer {
  const b = Buffer.alloc(RTL_TCP_COMMAND_BYTES);
  b[0] = RTL_TCP_COMMANDS[name];
  b.writeUInt32BE(Math.round(param) >>> 0, 1);
  return b;
}

export interface DecodedCommand {
  code: number;
  name: RtlTcpCommandName | null;
  /** The parameter as unsigned and as signed 32-bit. */
  param: number;
  param_signed: number;
}

const NAMES = new Map<number, RtlTcpCommandName>(Object.entries(RTL_TCP_COMMANDS).map(([k, v]) => [v, k as RtlTcpCommandName]));

/** Decode one command (the server side; used by the emulator in tests). */
export function decodeCommand(bytes: Uint8Array): DecodedCommand {
  const view = new DataView(bytes.buffer, bytes.byteOffset, RTL_TCP_COMMAND_BYTES);
  return { code: bytes[0]!, name: NAMES.get(bytes[0]!) ?? null, param: view.getUint32(1, false), param_signed: view.getInt32(1, false) };
}

/** The commands that configure a receiver, in the order rtl_tcp clients usually send them. */
export interface RtlTcpTuning {
  center_freq_hz: number;
  sample_rate_hz: number;
  /** Tuner gain in dB, or 'auto' for the tuner's AGC. */
  gain_db: number | 'auto';
  ppm: number;
  /** RTL2832 digital AGC. */
  rtl_agc: boolean;
  bias_tee?: boolean;
}

export function tuningCommands(t: RtlTcpTuning): Buffer[] {
  const out = [
    encodeCommand('set_sample_rate', t.sample_rate_hz),
    encodeCommand('set_freq_correction', t.ppm),
    encodeCommand('set_frequency', t.center_freq_hz),
    encodeCommand('set_gain_mode', t.gain_db === 'auto' ? 0 : 1),
  ];
  if (t.gain_db !== 'auto') out.push(encodeCommand('set_gain', Math.round(t.gain_db * 10)));
  out.push(encodeCommand('set_agc_mode', t.rtl_agc ? 1 : 0));
  if (t.bias_tee !== undefined) out.push(encodeCommand('set_bias_tee', t.bias_tee ? 1 : 0));
  return out;
}
