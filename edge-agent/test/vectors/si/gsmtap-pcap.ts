/**
 * Test-vector helpers for the System Information tests: builds 23-octet BCCH/CCCH L2 blocks (L2 pseudo
 * length, PD, message type, body, 0x2B padding) from the spec, writes them as a GSMTAP pcap with the
 * repository's one capture writer (the simulator's, through test-support) so tshark can decode the same
 * bytes our decoders see, and reads the vectors' captures back. Test-only; it must not be used to produce
 * evidence files.
 */
import { writeFileSync } from 'node:fs';
import { GsmtapCaptureBuffer } from '@simhound/simulator';
import { gsmtapV2 } from '@simhound/test-support/pcap-fixtures';

/** GSMTAP channel numbers used by the vectors. */
export const GSMTAP_BCCH = 1;
export const GSMTAP_CCCH = 2;

/** Offset of the L2 block inside a GSMTAP v2 payload as our decoders receive it. */
export const GSMTAP_V2_HEADER_LEN = 16;
/** Spare padding octet of rest octets and unused L2 octets. */
export const PADDING = 0x2b;

export interface UmBlock {
  /** The 23-octet L2 block (or shorter; it is padded with 0x2B). */
  readonly l2: Uint8Array;
  readonly fn?: number;
  readonly arfcn?: number;
  readonly channel?: number;
}

/**
 * Builds the 23-octet L2 block of a BCCH/CCCH RR message: pseudo length (`l2Length` octets counted from the
 * PD, coded ·4+1 per TS 44.018 §10.5.2.19), PD 0x06, message type, body, padding 0x2B.
 */
export function rrBlock(messageType: number, body: ArrayLike<number>, l2Length = 2 + body.length): Uint8Array {
  const block = new Uint8Array(23).fill(PADDING);
  block[0] = ((l2Length & 0x3f) << 2) | 0x01;
  block[1] = 0x06;
  block[2] = messageType;
  for (let i = 0; i < body.length && 3 + i < 23; i++) block[3 + i] = body[i]!;
  return block;
}

/** The GSMTAP v2 payload (header + L2 block) of one vector, as a GSMTAP source would hand it over. */
export function gsmtapPayload(block: UmBlock): Uint8Array {
  const l2 = new Uint8Array(23).fill(PADDING);
  l2.set(block.l2.subarray(0, 23));
  return gsmtapV2({ channel: block.channel ?? GSMTAP_BCCH, arfcn: block.arfcn ?? 0, frame_number: block.fn ?? 0, signal_dbm: -70, snr_db: 20 }, l2);
}

/** Writes `blocks` as one pcap file (Ethernet/IPv4/UDP/GSMTAP), frame i at i ms. */
export function writeGsmtapPcap(path: string, blocks: readonly UmBlock[]): void {
  const capture = GsmtapCaptureBuffer.create();
  if (!capture.ok) throw new Error(capture.reason);
  blocks.forEach((block, i) => capture.value.write(gsmtapPayload(block), i * 1000));
  writeFileSync(path, capture.value.toBuffer());
}

/** One GSMTAP datagram read back from a capture, numbered like tshark's frame.number. */
export interface GsmtapRecord {
  readonly frame: number;
  readonly gsmtap: Uint8Array;
}

/**
 * Minimal classic-pcap reader for the vectors (little-endian µs pcap; link types Ethernet 1, raw IP 101,
 * IPv4 228; IPv4/UDP only). Returns the UDP payloads. Test-only: the product reader is sources/.
 */
export function readGsmtapPcap(file: Uint8Array): GsmtapRecord[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, true) !== 0xa1b2c3d4) throw new Error('not a little-endian µs pcap');
  const linkType = view.getUint32(20, true);
  const out: GsmtapRecord[] = [];
  let at = 24;
  let frame = 0;
  while (at + 16 <= file.length) {
    const caplen = view.getUint32(at + 8, true);
    const packet = file.subarray(at + 16, at + 16 + caplen);
    at += 16 + caplen;
    frame++;
    let ip = 0;
    if (linkType === 1) {
      if (((packet[12]! << 8) | packet[13]!) !== 0x0800) continue;
      ip = 14;
    } else if (linkType !== 101 && linkType !== 228) {
      throw new Error(`link type ${linkType} not handled by the vector reader`);
    }
    if (packet[ip]! >> 4 !== 4 || packet[ip + 9] !== 17) continue;
    const udp = ip + (packet[ip]! & 0x0f) * 4;
    const udpLength = (packet[udp + 4]! << 8) | packet[udp + 5]!;
    out.push({ frame, gsmtap: packet.slice(udp + 8, udp + udpLength) });
  }
  return out;
}
