/**
 * Link layer → IPv4/IPv6 → UDP → GSMTAP payload, for packets read from capture files. Supported link
 * types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked SLL and SLL2, raw IP (LINKTYPE_RAW and the
 * IPv4/IPv6 link types), BSD loopback/null (host byte order) and OpenBSD loop (network byte order).
 * GSMTAP is accepted on UDP port 4729 (either end) or, with `anyPort`, on any port whose payload looks
 * like a GSMTAP header.
 *
 * Writes the payload bounds into a caller-owned `UdpPayload` and returns null, or the reason the packet
 * carries no GSMTAP. Never throws, never allocates.
 */
import { GSMTAP_UDP_PORT, looksLikeGsmtap } from '../gsm/gsmtap.js';

export const LINKTYPE = {
  null: 0,
  ethernet: 1,
  raw: 101,
  loop: 108,
  linux_sll: 113,
  ipv4: 228,
  ipv6: 229,
  linux_sll2: 276,
} as const;

export const LINK_SKIP_REASONS = [
  'unsupported_link_type',
  'not_ip',
  'not_udp',
  'ip_fragment',
  'truncated_packet',
  'bad_ip_header',
  'not_gsmtap',
] as const;
export type LinkSkipReason = (typeof LINK_SKIP_REASONS)[number];

export interface UdpPayload {
  offset: number;
  length: number;
  src_port: number;
  dst_port: number;
}

export function createUdpPayload(): UdpPayload {
  return { offset: 0, length: 0, src_port: 0, dst_port: 0 };
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const IPPROTO_UDP = 17;

export function extractGsmtap(
  linkType: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  anyPort: boolean,
  out: UdpPayload,
): LinkSkipReason | null {
  const end = offset + length;
  let p = offset;
  let ethertype: number;
  switch (linkType) {
    case LINKTYPE.ethernet: {
      if (length < 14) return 'truncated_packet';
      ethertype = (buf[p + 12]! << 8) | buf[p + 13]!;
      p += 14;
      while (ethertype === ETHERTYPE_VLAN || ethertype === ETHERTYPE_QINQ) {
        if (p + 4 > end) return 'truncated_packet';
        ethertype = (buf[p + 2]! << 8) | buf[p + 3]!;
        p += 4;
      }
      break;
    }
    case LINKTYPE.linux_sll:
      if (length < 16) return 'truncated_packet';
      ethertype = (buf[p + 14]! << 8) | buf[p + 15]!;
      p += 16;
      break;
    case LINKTYPE.linux_sll2:
      if (length < 20) return 'truncated_packet';
      ethertype = (buf[p]! << 8) | buf[p + 1]!;
      p += 20;
      break;
    case LINKTYPE.raw:
    case 12: // DLT_RAW on some BSDs
    case 14:
      if (length < 1) return 'truncated_packet';
      ethertype = buf[p]! >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
      break;
    case LINKTYPE.ipv4:
      ethertype = ETHERTYPE_IPV4;
      break;
    case LINKTYPE.ipv6:
      ethertype = ETHERTYPE_IPV6;
      break;
    case LINKTYPE.null:
    case LINKTYPE.loop: {
      if (length < 4) return 'truncated_packet';
      // Address family: host byte order for NULL (either order seen in files), network order for LOOP.
      const be = ((buf[p]! << 24) >>> 0) + ((buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!);
      const le = ((buf[p + 3]! << 24) >>> 0) + ((buf[p + 2]! << 16) | (buf[p + 1]! << 8) | buf[p]!);
      const af = linkType === LINKTYPE.loop ? be : le < 256 ? le : be;
      p += 4;
      if (af === 2) ethertype = ETHERTYPE_IPV4;
      else if (af === 24 || af === 28 || af === 30 || af === 10) ethertype = ETHERTYPE_IPV6;
      else return 'not_ip';
      break;
    }
    default:
      return 'unsupported_link_type';
  }

  let udp: number;
  let ipEnd: number;
  if (ethertype === ETHERTYPE_IPV4) {
    if (p + 20 > end) return 'truncated_packet';
    const vihl = buf[p]!;
    if (vihl >> 4 !== 4) return 'bad_ip_header';
    const ihl = (vihl & 0x0f) * 4;
    if (ihl < 20 || p + ihl > end) return 'bad_ip_header';
    const total = (buf[p + 2]! << 8) | buf[p + 3]!;
    if (total < ihl) return 'bad_ip_header';
    const frag = ((buf[p + 6]! << 8) | buf[p + 7]!) & 0x3fff; // MF flag + fragment offset
    if (frag !== 0) return 'ip_fragment';
    if (buf[p + 9] !== IPPROTO_UDP) return 'not_udp';
    // Ethernet may pad short frames: trust the IP total length, bounded by what was captured.
    ipEnd = Math.min(end, p + total);
    udp = p + ihl;
  } else if (ethertype === ETHERTYPE_IPV6) {
    if (p + 40 > end) return 'truncated_packet';
    if (buf[p]! >> 4 !== 6) return 'bad_ip_header';
    const payloadLength = (buf[p + 4]! << 8) | buf[p + 5]!;
    ipEnd = Math.min(end, p + 40 + payloadLength);
    let next = buf[p + 6]!;
    udp = p + 40;
    // Hop-by-hop (0), routing (43) and destination options (60) headers may precede UDP.
    while (next === 0 || next === 43 || next === 60) {
      if (udp + 2 > ipEnd) return 'truncated_packet';
      next = buf[udp]!;
      udp += (buf[udp + 1]! + 1) * 8;
    }
    if (next === 44) return 'ip_fragment';
    if (next !== IPPROTO_UDP) return 'not_udp';
  } else {
    return 'not_ip';
  }

  if (udp + 8 > ipEnd) return 'truncated_packet';
  const srcPort = (buf[udp]! << 8) | buf[udp + 1]!;
  const dstPort = (buf[udp + 2]! << 8) | buf[udp + 3]!;
  const udpLength = (buf[udp + 4]! << 8) | buf[udp + 5]!;
  if (udpLength < 8) return 'bad_ip_header';
  const payload = udp + 8;
  const payloadEnd = Math.min(ipEnd, udp + udpLength);
  out.offset = payload;
  out.length = payloadEnd - payload;
  out.src_port = srcPort;
  out.dst_port = dstPort;
  if (srcPort === GSMTAP_UDP_PORT || dstPort === GSMTAP_UDP_PORT) return null;
  if (anyPort && looksLikeGsmtap(buf, payload, out.length)) return null;
  return 'not_gsmtap';
}
