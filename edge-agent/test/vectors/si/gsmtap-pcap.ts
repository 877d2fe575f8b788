/**
 * Test-vector writer: wraps hand-built GSM Um L2 blocks (23 octets: L2 pseudo length, PD, message type,
 * body) in GSMTAP v2 / UDP 4729 / IPv4 and writes a classic pcap (LINKTYPE_IPV4 = 228), so tshark can
 * decode the same bytes our decoders see. Test-only; it must not be used to produce evidence files.
 *
 * Layout facts: pcap global header and record header (pcap-savefile(5)); GSMTAP v2 header (osmocom
 * gsmtap.h: version 2, hdr_len 4 words, type 1 = Um, timeslot, arfcn, signal dBm, SNR, frame number,
 * sub_type = channel, antenna, sub_slot, reserved).
 */
import { writeFileSync } from 'node:fs';

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

function gsmtapV2(block: UmBlock): Uint8Array {
  const header = new Uint8Array(GSMTAP_V2_HEADER_LEN);
  const view = new DataView(header.buffer);
  header[0] = 2; // version
  header[1] = 4; // header length in 32-bit words
  header[2] = 1; // type: Um
  header[3] = 0; // timeslot
  view.setUint16(4, (block.arfcn ?? 0) & 0x3fff);
  view.setInt8(6, -70); // signal dBm
  view.setInt8(7, 20); // SNR dB
  view.setUint32(8, block.fn ?? 0);
  header[12] = block.channel ?? GSMTAP_BCCH;
  const l2 = new Uint8Array(23).fill(PADDING);
  l2.set(block.l2.subarray(0, 23));
  const out = new Uint8Array(GSMTAP_V2_HEADER_LEN + 23);
  out.set(header);
  out.set(l2, GSMTAP_V2_HEADER_LEN);
  return out;
}

function ipv4Udp(payload: Uint8Array): Uint8Array {
  const total = 20 + 8 + payload.length;
  const packet = new Uint8Array(total);
  const view = new DataView(packet.buffer);
  packet[0] = 0x45;
  view.setUint16(2, total);
  packet[8] = 64; // TTL
  packet[9] = 17; // UDP
  packet.set([127, 0, 0, 1], 12);
  packet.set([127, 0, 0, 1], 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += view.getUint16(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  view.setUint16(10, ~sum & 0xffff);
  view.setUint16(20, 40000); // source port
  view.setUint16(22, 4729); // GSMTAP
  view.setUint16(24, 8 + payload.length);
  view.setUint16(26, 0); // no UDP checksum (allowed on IPv4)
  packet.set(payload, 28);
  return packet;
}

/** The GSMTAP v2 payload (header + L2 block) of one vector, as a GSMTAP source would hand it over. */
export function gsmtapPayload(block: UmBlock): Uint8Array {
  return gsmtapV2(block);
}

/** Writes `blocks` as one pcap file, frame i at i ms. */
export function writeGsmtapPcap(path: string, blocks: readonly UmBlock[]): void {
  const records: Uint8Array[] = [];
  const global = new Uint8Array(24);
  const g = new DataView(global.buffer);
  g.setUint32(0, 0xa1b2c3d4, true);
  g.setUint16(4, 2, true);
  g.setUint16(6, 4, true);
  g.setUint32(16, 65535, true);
  g.setUint32(20, 228, true); // LINKTYPE_IPV4
  records.push(global);
  blocks.forEach((block, i) => {
    const packet = ipv4Udp(gsmtapV2(block));
    const rec = new Uint8Array(16);
    const r = new DataView(rec.buffer);
    r.setUint32(0, Math.floor(i / 1000), true);
    r.setUint32(4, (i % 1000) * 1000, true);
    r.setUint32(8, packet.length, true);
    r.setUint32(12, packet.length, true);
    records.push(rec, packet);
  });
  const size = records.reduce((n, r) => n + r.length, 0);
  const file = new Uint8Array(size);
  let at = 0;
  for (const r of records) {
    file.set(r, at);
    at += r.length;
  }
  writeFileSync(path, file);
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
