/**
 * Wraps a UDP payload (a GSMTAP datagram) in IPv4 / UDP headers, optionally behind an Ethernet II header,
 * with correct IPv4 header and UDP checksums, as a capture on a real interface would show it (RFC 791,
 * RFC 768, RFC 1071).
 *
 * The writers fill a caller-supplied buffer so a capture writer can fill large chunks without allocating
 * per frame; `ipv4UdpPacket` / `ethernetIpv4UdpFrame` allocate (tests, fixtures). It must not know about
 * capture file formats.
 */

export const ETHERNET_HEADER_OCTETS = 14;
export const IPV4_HEADER_OCTETS = 20;
export const UDP_HEADER_OCTETS = 8;
export const FRAME_OVERHEAD_OCTETS = ETHERNET_HEADER_OCTETS + IPV4_HEADER_OCTETS + UDP_HEADER_OCTETS;
/** Largest payload an IPv4 datagram without options can carry. */
export const MAX_UDP_PAYLOAD_OCTETS = 65535 - IPV4_HEADER_OCTETS - UDP_HEADER_OCTETS;

/** Parses a dotted-quad IPv4 address; undefined if it is not one. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

/** One's-complement sum of 16-bit big-endian words of buf[start, end), folded to 16 bits (not inverted). */
function onesComplementSum(buf: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += ((buf[i] as number) << 8) | (buf[i + 1] as number);
  if (i < end) sum += (buf[i] as number) << 8; // odd length: pad with a zero octet
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * Writes IPv4 + UDP headers and the payload at `offset`; returns the packet length.
 * `out` must have room for IPV4_HEADER_OCTETS + UDP_HEADER_OCTETS + payload.length octets.
 */
export function writeIpv4UdpPacket(
  out: Uint8Array,
  offset: number,
  payload: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
  srcPort: number,
  dstPort: number,
  ipId: number,
): number {
  const ip = offset;
  const udp = ip + IPV4_HEADER_OCTETS;
  const udpLength = UDP_HEADER_OCTETS + payload.length;
  const ipLength = IPV4_HEADER_OCTETS + udpLength;

  out[ip] = 0x45; // version 4, IHL 5
  out[ip + 1] = 0;
  out[ip + 2] = ipLength >> 8;
  out[ip + 3] = ipLength & 0xff;
  out[ip + 4] = (ipId >> 8) & 0xff;
  out[ip + 5] = ipId & 0xff;
  out[ip + 6] = 0x40; // don't fragment
  out[ip + 7] = 0;
  out[ip + 8] = 64; // TTL
  out[ip + 9] = 17; // UDP
  out[ip + 10] = 0;
  out[ip + 11] = 0;
  out.set(src, ip + 12);
  out.set(dst, ip + 16);
  const ipChecksum = ~onesComplementSum(out, ip, ip + IPV4_HEADER_OCTETS, 0) & 0xffff;
  out[ip + 10] = ipChecksum >> 8;
  out[ip + 11] = ipChecksum & 0xff;

  out[udp] = srcPort >> 8;
  out[udp + 1] = srcPort & 0xff;
  out[udp + 2] = dstPort >> 8;
  out[udp + 3] = dstPort & 0xff;
  out[udp + 4] = udpLength >> 8;
  out[udp + 5] = udpLength & 0xff;
  out[udp + 6] = 0;
  out[udp + 7] = 0;
  out.set(payload, udp + UDP_HEADER_OCTETS);

  // Pseudo header: source, destination, zero + protocol, UDP length.
  let pseudo = onesComplementSum(out, ip + 12, ip + 20, 0);
  pseudo += 17 + udpLength;
  const sum = onesComplementSum(out, udp, udp + udpLength, pseudo);
  let udpChecksum = ~sum & 0xffff;
  if (udpChecksum === 0) udpChecksum = 0xffff; // RFC 768: a computed zero is sent as all ones
  out[udp + 6] = udpChecksum >> 8;
  out[udp + 7] = udpChecksum & 0xff;
  return ipLength;
}

/**
 * Writes Ethernet + IPv4 + UDP headers and the payload at `offset`; returns the frame length.
 * `out` must have room for FRAME_OVERHEAD_OCTETS + payload.length octets.
 */
export function writeEthernetIpv4UdpFrame(
  out: Uint8Array,
  offset: number,
  payload: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
  srcPort: number,
  dstPort: number,
  ipId: number,
): number {
  // Ethernet II: zero MACs (as loopback captures of GSMTAP show them), EtherType IPv4.
  out.fill(0, offset, offset + 12);
  out[offset + 12] = 0x08;
  out[offset + 13] = 0x00;
  return ETHERNET_HEADER_OCTETS + writeIpv4UdpPacket(out, offset + ETHERNET_HEADER_OCTETS, payload, src, dst, srcPort, dstPort, ipId);
}

export interface UdpEndpoints {
  /** Default 127.0.0.1 → 127.0.0.1, port 4729 → 4729 (a local gr-gsm capture). */
  readonly src_ip?: string;
  readonly dst_ip?: string;
  readonly src_port?: number;
  readonly dst_port?: number;
  readonly ip_id?: number;
}

function endpoints(e: UdpEndpoints): [Uint8Array, Uint8Array, number, number, number] {
  const src = parseIpv4(e.src_ip ?? '127.0.0.1');
  const dst = parseIpv4(e.dst_ip ?? '127.0.0.1');
  if (src === undefined || dst === undefined) throw new RangeError(`not an IPv4 address: ${e.src_ip} / ${e.dst_ip}`);
  return [src, dst, e.src_port ?? 4729, e.dst_port ?? 4729, e.ip_id ?? 0];
}

/** A new IPv4/UDP packet around `payload` (raw-IP link types). */
export function ipv4UdpPacket(payload: Uint8Array, e: UdpEndpoints = {}): Uint8Array {
  const out = new Uint8Array(IPV4_HEADER_OCTETS + UDP_HEADER_OCTETS + payload.length);
  writeIpv4UdpPacket(out, 0, payload, ...endpoints(e));
  return out;
}

/** A new Ethernet/IPv4/UDP frame around `payload`. */
export function ethernetIpv4UdpFrame(payload: Uint8Array, e: UdpEndpoints = {}): Uint8Array {
  const out = new Uint8Array(FRAME_OVERHEAD_OCTETS + payload.length);
  writeEthernetIpv4UdpFrame(out, 0, payload, ...endpoints(e));
  return out;
}
