/**
 * Test support for the encoder tests: wrap encoded blocks in GSMTAP, write a real capture file with the
 * simulator's own capture writer, let the real tshark dissect it, and hand back one flattened PDML
 * packet per frame. Also asserts what every round trip must satisfy: tshark found no malformed packet,
 * raised no expert info, and validated the IPv4 and UDP checksums.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type PdmlPacket, pdmlShows, tsharkPdml } from './tshark-pdml.js';
import { type CaptureFormat, GsmtapCaptureBuffer } from '../../src/capture/pcap-writer.js';
import { type EncodeResult, GSMTAP_CHANNEL, type GsmtapHeader, encodeGsmtapV2 } from '../../src/encode/index.js';

export interface FrameToDecode {
  /** An encoder's result (must be ok) or raw payload bytes. */
  readonly block: EncodeResult | Uint8Array;
  /** GSMTAP header fields; defaults: CCCH, TS 0, ARFCN 1, frame number = index. */
  readonly header?: Partial<GsmtapHeader>;
}

export function unwrap(result: EncodeResult): Uint8Array {
  if (!result.ok) throw new Error(`encoder failed: ${result.reason} ${result.detail ?? ''}`);
  return result.value;
}

export function buildCapture(frames: readonly FrameToDecode[], format: CaptureFormat = 'pcap'): Buffer {
  const capture = GsmtapCaptureBuffer.create({ format });
  if (!capture.ok) throw new Error(capture.reason);
  frames.forEach((frame, index) => {
    const payload = frame.block instanceof Uint8Array ? frame.block : unwrap(frame.block);
    const header: GsmtapHeader = {
      channel: GSMTAP_CHANNEL.CCCH,
      timeslot: 0,
      arfcn: 1,
      frame_number: index,
      ...frame.header,
    };
    const datagram = encodeGsmtapV2(header, payload);
    if (!datagram.ok) throw new Error(`GSMTAP header failed: ${datagram.reason}`);
    if (!capture.value.write(datagram.value, 1_700_000_000_000_000 + index * 4615)) throw new Error('capture write');
  });
  return capture.value.toBuffer();
}

/** Writes the frames as a capture, runs tshark -T pdml on it and checks the universal invariants. */
export async function decodeWithTshark(
  frames: readonly FrameToDecode[],
  format: CaptureFormat = 'pcap',
): Promise<PdmlPacket[]> {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-encode-'));
  try {
    const path = join(dir, `frames.${format}`);
    writeFileSync(path, buildCapture(frames, format));
    const packets = await tsharkPdml(path, { 'ip.check_checksum': 'TRUE', 'udp.check_checksum': 'TRUE' });
    expect(packets).toHaveLength(frames.length);
    packets.forEach((packet, i) => expectCleanDissection(packet, i));
    return packets;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** No malformed/expert items; checksums verified good (status 1 = Good in tshark 4.0). */
export function expectCleanDissection(packet: PdmlPacket, index: number): void {
  const problems = packet.fields.filter((f) => f.name.startsWith('_ws.malformed') || f.name.startsWith('_ws.expert'));
  expect(problems.map((f) => `${f.name}: ${f.showname ?? f.show}`), `frame ${index}`).toEqual([]);
  expect(pdmlShows(packet, 'ip.checksum.status'), `frame ${index} IPv4 checksum`).toEqual(['1']);
  expect(pdmlShows(packet, 'udp.checksum.status'), `frame ${index} UDP checksum`).toEqual(['1']);
  expect(pdmlShows(packet, 'gsmtap.version'), `frame ${index} is GSMTAP`).toEqual(['2']);
}

/** All `show` values of a field (tshark's own rendering of the decoded value). */
export function shows(packet: PdmlPacket, name: string): string[] {
  return pdmlShows(packet, name);
}

/** The single `show` value of a field; fails the test unless it occurs exactly once. */
export function show(packet: PdmlPacket, name: string): string {
  const values = pdmlShows(packet, name);
  expect(values, `field ${name}`).toHaveLength(1);
  return values[0] as string;
}

/** `show` parsed as an integer (tshark renders some fields in hex, e.g. "0x013e"). */
export function showInt(packet: PdmlPacket, name: string): number {
  const text = show(packet, name);
  return text.startsWith('0x') ? parseInt(text.slice(2), 16) : parseInt(text, 10);
}

/** The `showname` of a single field (for values tshark only renders in text, like ARFCN lists). */
export function showname(packet: PdmlPacket, name: string): string {
  const matches = packet.fields.filter((f) => f.name === name);
  expect(matches, `field ${name}`).toHaveLength(1);
  return matches[0]?.showname ?? '';
}

/** The ARFCNs tshark lists for a frequency list IE ("List of ARFCNs = 1 5 10"), sorted. */
export function arfcnList(packet: PdmlPacket): number[] {
  const text = showname(packet, 'gsm_a.rr.arfcn_list');
  const match = /List of ARFCNs =([\d ]*)$/.exec(text);
  expect(match, text).not.toBeNull();
  return (match?.[1] ?? '')
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
    .sort((a, b) => a - b);
}

/** The MNC exactly as tshark prints it in the showname, keeping 2- vs 3-digit form ("02" vs "002"). */
export function mncDigits(packet: PdmlPacket, name: string): string[] {
  return packet.fields
    .filter((f) => f.name === name)
    .map((f) => /\((\d{2,3})\)$/.exec(f.showname ?? '')?.[1] ?? `?${f.showname}`);
}
