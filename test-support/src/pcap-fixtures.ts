/**
 * Build test captures: GSMTAP v2/v3 headers around hand-made Um blocks, link-layer framings the reader
 * must handle (Ethernet, IPv4/IPv6, Linux SLL/SLL2, BSD null), written as classic pcap or pcapng. The
 * GSMTAP headers, IPv4/UDP packets and capture files come from the simulator's encoders and capture
 * writer (the repository's one writer); this module only gives them the shapes the tests use. Used to
 * craft vectors for messages the real captures lack, then checked against tshark. Test-only.
 */
import { writeFileSync } from 'node:fs';
import { GsmtapCaptureBuffer, encodeGsmtapV2, encodeGsmtapV3, ipv4UdpPacket, type CaptureOptions, type EncodeResult, type GsmtapChannel } from '@simhound/simulator';

function unwrap(r: EncodeResult, what: string): Buffer {
  if (!r.ok) throw new Error(`${what}: ${r.reason} ${r.detail ?? ''}`);
  return Buffer.from(r.value);
}

export interface GsmtapV2Fields {
  type?: number;
  timeslot?: number;
  arfcn?: number;
  uplink?: boolean;
  pcs?: boolean;
  signal_dbm?: number;
  snr_db?: number;
  frame_number?: number;
  channel: number;
  acch?: boolean;
  antenna?: number;
  sub_slot?: number;
}

/** GSMTAP v2 datagram; signal −70 dBm and everything else 0 unless given. */
export function gsmtapV2(f: GsmtapV2Fields, payload: Uint8Array): Buffer {
  return unwrap(
    encodeGsmtapV2(
      {
        payload_type: f.type,
        // Tests also use channel numbers the simulator never sends (unknown, voice …).
        channel: f.channel as GsmtapChannel,
        acch: f.acch,
        timeslot: f.timeslot ?? 0,
        arfcn: f.arfcn ?? 0,
        uplink: f.uplink,
        pcs_band: f.pcs,
        signal_dbm: f.signal_dbm ?? -70,
        snr_db: f.snr_db ?? 0,
        frame_number: (f.frame_number ?? 0) >>> 0,
        antenna: f.antenna,
        sub_slot: f.sub_slot,
      },
      payload,
    ),
    'GSMTAP v2',
  );
}

/** GSMTAP v3 with the metadata TLVs simhound reads (tags from osmocom gsmtapv3.h). */
export function gsmtapV3(
  f: { type?: number; channel: number; acch?: boolean; arfcn?: number; uplink?: boolean; timeslot?: number; sub_slot?: number; frame_number?: number; signal_dbm?: number; snr_db?: number },
  payload: Uint8Array,
): Buffer {
  return unwrap(
    encodeGsmtapV3(
      { payload_type: f.type, channel: f.channel, acch: f.acch, arfcn: f.arfcn ?? 0, uplink: f.uplink, timeslot: f.timeslot ?? 0, sub_slot: f.sub_slot, frame_number: f.frame_number ?? 0, signal_dbm: f.signal_dbm, snr_db: f.snr_db },
      payload,
    ),
    'GSMTAP v3',
  );
}

/** Pad a Um block to 23 octets with the 0x2b fill pattern. */
export function padBlock(bytes: readonly number[], size = 23): Uint8Array {
  const out = new Uint8Array(size).fill(0x2b);
  out.set(bytes.slice(0, size));
  return out;
}

/** IPv4/UDP packet (checksums valid) from 127.0.0.1:40000 to 127.0.0.1:4729 unless told. */
export function udpIpv4(payload: Uint8Array, opts: { srcPort?: number; dstPort?: number } = {}): Buffer {
  return Buffer.from(ipv4UdpPacket(payload, { src_port: opts.srcPort ?? 40000, dst_port: opts.dstPort ?? 4729 }));
}

export function udpIpv6(payload: Uint8Array, opts: { srcPort?: number; dstPort?: number } = {}): Buffer {
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(opts.srcPort ?? 40000, 0);
  udp.writeUInt16BE(opts.dstPort ?? 4729, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(40);
  ip[0] = 0x60;
  ip.writeUInt16BE(8 + payload.length, 4);
  ip[6] = 17;
  ip[7] = 64;
  ip[23] = 1;
  ip[39] = 1;
  return Buffer.concat([ip, udp, Buffer.from(payload)]);
}

export function ethernet(ipPacket: Buffer, ethertype = 0x0800): Buffer {
  const h = Buffer.alloc(14);
  h.writeUInt16BE(ethertype, 12);
  return Buffer.concat([h, ipPacket]);
}

export function linuxSll(ipPacket: Buffer, ethertype = 0x0800): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0); // to us
  h.writeUInt16BE(772, 2); // ARPHRD_LOOPBACK
  h.writeUInt16BE(6, 4);
  h.writeUInt16BE(ethertype, 14);
  return Buffer.concat([h, ipPacket]);
}

export function linuxSll2(ipPacket: Buffer, ethertype = 0x0800): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(ethertype, 0);
  h.writeUInt32BE(1, 4); // interface index
  h.writeUInt16BE(772, 8);
  h[10] = 0;
  h[11] = 6;
  return Buffer.concat([h, ipPacket]);
}

export function bsdNull(ipPacket: Buffer, family = 2): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(family, 0);
  return Buffer.concat([h, ipPacket]);
}

export interface PcapRecord {
  ts_ms: number;
  data: Uint8Array;
}

function captureOf(options: CaptureOptions): GsmtapCaptureBuffer {
  const capture = GsmtapCaptureBuffer.create(options);
  if (!capture.ok) throw new Error(`capture options ${JSON.stringify(options)}: ${capture.reason}`);
  return capture.value;
}

/** Classic pcap of link-layer frames: little- or big-endian, microsecond or nanosecond timestamps. */
export function pcapBytes(linkType: number, records: readonly PcapRecord[], opts: { nanoseconds?: boolean; bigEndian?: boolean } = {}): Buffer {
  const capture = captureOf({ format: 'pcap', interfaces: [{ link_type: linkType }], ts_resolution: opts.nanoseconds ? 'ns' : 'us', byte_order: opts.bigEndian ? 'big' : 'little' });
  for (const r of records) if (!capture.writeFrame(r.data, r.ts_ms * 1000)) throw new Error('pcap record rejected');
  return capture.toBuffer();
}

export function writePcap(path: string, linkType: number, records: readonly PcapRecord[], opts: { nanoseconds?: boolean; bigEndian?: boolean } = {}): void {
  writeFileSync(path, pcapBytes(linkType, records, opts));
}

/** pcapng with one section and the given interfaces (if_tsresol 6 = µs or 9 = ns); packets as EPBs (or SPBs when `simple`). */
export function pcapngBytes(
  interfaces: readonly { linkType: number; tsresol?: number }[],
  packets: readonly { iface: number; ts_ms: number; data: Uint8Array; simple?: boolean }[],
  opts: { bigEndian?: boolean } = {},
): Buffer {
  const capture = captureOf({
    format: 'pcapng',
    byte_order: opts.bigEndian ? 'big' : 'little',
    interfaces: interfaces.map((i) => {
      if (i.tsresol !== undefined && i.tsresol !== 6 && i.tsresol !== 9) throw new Error(`if_tsresol ${i.tsresol} not written here`);
      return { link_type: i.linkType, ts_resolution: i.tsresol === 9 ? ('ns' as const) : ('us' as const) };
    }),
  });
  for (const p of packets) if (!capture.writeFrame(p.data, p.ts_ms * 1000, { interface: p.iface, simple: p.simple })) throw new Error('pcapng packet rejected');
  return capture.toBuffer();
}

// ---------------------------------------------------------------------------------------------------
// Hand-made Um blocks for messages the real captures lack, encoded from the spec clauses named below.

/** Mobile Identity value part (TS 24.008 §10.5.1.4) for BCD identities: type 1 IMSI, 2 IMEI, 3 IMEISV. */
export function bcdIdentity(type: 1 | 2 | 3, digits: string): number[] {
  const d = [...digits].map((c) => Number(c));
  const odd = d.length % 2 === 1;
  const out = [(d[0]! << 4) | (odd ? 0x08 : 0) | type];
  for (let i = 1; i < d.length; i += 2) {
    const lo = d[i]!;
    const hi = i + 1 < d.length ? d[i + 1]! : 0x0f;
    out.push((hi << 4) | lo);
  }
  return out;
}

/** Length-prefixed (LV) form of an IE value. */
export function lv(value: readonly number[]): number[] {
  return [value.length, ...value];
}

export function tmsiIdentity(tmsi: number): number[] {
  return [0xf4, (tmsi >>> 24) & 0xff, (tmsi >>> 16) & 0xff, (tmsi >>> 8) & 0xff, tmsi & 0xff];
}

/** Request Reference (TS 44.018 §10.5.2.30) from RA and the request's FN. */
export function requestReferenceBytes(ra: number, fn: number): number[] {
  const t1p = Math.floor(fn / 1326) % 32;
  const t3 = fn % 51;
  const t2 = fn % 26;
  return [ra, (t1p << 3) | (t3 >> 3), ((t3 & 0x07) << 5) | t2];
}

/** CCCH block: L2 pseudo length octet (§10.5.2.19) counting `l3` (without rest octets), then fill. */
export function ccchBlock(l3: readonly number[], rest: readonly number[] = []): Uint8Array {
  return padBlock([(l3.length << 2) | 0x01, ...l3, ...rest]);
}

/** LAPDm frame on SDCCH (TS 44.006): address SAPI 0, the given control octet, length with EL=1. */
export function lapdmBlock(control: number, l3: readonly number[], commandResponse = 0): Uint8Array {
  return padBlock([0x01 | (commandResponse << 1), control, (l3.length << 2) | 0x01, ...l3]);
}

const LAPDM_SABM = 0x3f;
const LAPDM_UA = 0x73;
const LAPDM_I_NR1_NS0 = 0x20;

export interface CraftedFrame {
  name: string;
  header: GsmtapV2Fields;
  block: Uint8Array;
}

export const CRAFTED_FRAMES: readonly CraftedFrame[] = [
  {
    // §9.1.22: IMSI (odd, 15 digits) + Mobile Identity 2 = TMSI; extended paging; ch1 TCH/H|F, ch2 SDCCH.
    name: 'paging_request_1_imsi_and_tmsi',
    header: { channel: 2, frame_number: 1000051, arfcn: 62, signal_dbm: -71, snr_db: 9 },
    block: ccchBlock([0x06, 0x21, 0x71, ...lv(bcdIdentity(1, '262011234567890')), 0x17, ...lv(tmsiIdentity(0xdeadbeef))]),
  },
  {
    // §9.1.22 with an IMEI (odd, 15 digits) as Mobile Identity 1.
    name: 'paging_request_1_imei',
    header: { channel: 2, frame_number: 1000102, arfcn: 62, signal_dbm: -72 },
    block: ccchBlock([0x06, 0x21, 0x20, ...lv(bcdIdentity(2, '490154203237518'))]),
  },
  {
    // §9.1.22 with an IMEISV (even, 16 digits: filler in the last octet) and page mode reorganisation.
    name: 'paging_request_1_imeisv',
    header: { channel: 2, frame_number: 1000153, arfcn: 62, signal_dbm: -73 },
    block: ccchBlock([0x06, 0x21, 0x02, ...lv(bcdIdentity(3, '3554880612345601'))]),
  },
  {
    // §9.1.23: two TMSIs and Mobile Identity 3 = IMSI (even, 14 digits).
    name: 'paging_request_2_with_imsi',
    header: { channel: 5, frame_number: 1000204, arfcn: 62, signal_dbm: -74 },
    block: ccchBlock([0x06, 0x22, 0x90, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d, 0x17, ...lv(bcdIdentity(1, '26202987654321'))]),
  },
  {
    // §9.1.24: four TMSIs, ch1 TCH/F ch2 any, P3 rest octets filled (pseudo length 19).
    name: 'paging_request_3',
    header: { channel: 2, frame_number: 1000255, arfcn: 62, signal_dbm: -75 },
    block: ccchBlock([0x06, 0x24, 0x20, 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22, 0x33, 0x33, 0x33, 0x33, 0x44, 0x44, 0x44, 0x44]),
  },
  {
    // §9.1.18 dedicated, hopping: TCH/H sub-channel 1 on TN 3, TSC 5, MAIO 13, HSN 45; RA 0xe5; TA 12;
    // mobile allocation of 2 octets; page mode extended.
    name: 'immediate_assignment_hopping_tch_h',
    header: { channel: 4, frame_number: 1000306, arfcn: 62, signal_dbm: -76 },
    block: ccchBlock([0x06, 0x3f, 0x01, 0x1b, 0xb3, 0x6d, ...requestReferenceBytes(0xe5, 1000290), 12, 2, 0x01, 0x23]),
  },
  {
    // §9.1.18 packet (TBF): Packet Channel Description (§10.5.2.25a) TN 2, TSC 3, ARFCN 650; RA 0x7c;
    // TA 0; empty mobile allocation.
    name: 'immediate_assignment_packet',
    header: { channel: 4, frame_number: 1000357, arfcn: 62, signal_dbm: -77 },
    block: ccchBlock([0x06, 0x3f, 0x10, 0x0a, 0x62, 0x8a, ...requestReferenceBytes(0x7c, 1000350), 0, 0], [0xd0, 0x00]),
  },
  {
    // §9.1.18 dedicated SDCCH/4 sub-channel 3, TN 0, TSC 7, ARFCN 1023; RA 0x02 (location updating).
    name: 'immediate_assignment_sdcch4',
    header: { channel: 2, frame_number: 1000408, arfcn: 1023, signal_dbm: -60, uplink: false },
    block: ccchBlock([0x06, 0x3f, 0x00, 0x38, 0xe3, 0xff, ...requestReferenceBytes(0x02, 1000401), 7, 0]),
  },
  {
    // §9.1.19: SDCCH/4 sub 2 TN 0 (RA 0x05, TA 5) and SDCCH/8 sub 5 TN 1 (RA 0x8f, TA 63).
    name: 'immediate_assignment_extended',
    header: { channel: 2, frame_number: 1000459, arfcn: 62, signal_dbm: -78 },
    block: ccchBlock([
      0x06, 0x39, 0x00,
      0x30, 0xe0, 0x3e, ...requestReferenceBytes(0x05, 1000440), 5,
      0x69, 0xe0, 0x3e, ...requestReferenceBytes(0x8f, 1000445), 63,
      0,
    ]),
  },
  {
    // §9.1.20: two distinct rejected requests (emergency 0xa3 / wait 10 s, 0x45 / wait 20 s), the first
    // repeated to fill the four positions.
    name: 'immediate_assignment_reject',
    header: { channel: 2, frame_number: 1000510, arfcn: 62, signal_dbm: -79 },
    block: ccchBlock([
      0x06, 0x3a, 0x00,
      ...requestReferenceBytes(0xa3, 1000500), 10,
      ...requestReferenceBytes(0x45, 1000505), 20,
      ...requestReferenceBytes(0xa3, 1000500), 10,
      ...requestReferenceBytes(0xa3, 1000500), 10,
    ]),
  },
  {
    // TS 24.008 §9.2.9 in a LAPDm SABM (uplink SDCCH/8): MO call, TMSI.
    name: 'cm_service_request_call_tmsi',
    header: { channel: 8, frame_number: 1000561, arfcn: 62, uplink: true, timeslot: 1, sub_slot: 5, signal_dbm: -80 },
    block: lapdmBlock(LAPDM_SABM, [0x05, 0x24, 0x71, 3, 0x57, 0x18, 0x81, ...lv(tmsiIdentity(0x0badcafe))]),
  },
  {
    // TS 24.008 §9.2.9: SMS, IMSI (odd).
    name: 'cm_service_request_sms_imsi',
    header: { channel: 7, frame_number: 1000612, arfcn: 62, uplink: true, timeslot: 0, sub_slot: 2, signal_dbm: -81 },
    block: lapdmBlock(LAPDM_SABM, [0x05, 0x24, 0x74, 3, 0x57, 0x18, 0x81, ...lv(bcdIdentity(1, '262021111122222'))]),
  },
  {
    // TS 24.008 §9.2.15: IMSI attach, old LAI 262-02 LAC 0x013e, classmark 1, IMSI.
    name: 'location_updating_request_imsi_attach',
    header: { channel: 8, frame_number: 1000663, arfcn: 62, uplink: true, timeslot: 1, sub_slot: 2, signal_dbm: -82 },
    block: lapdmBlock(LAPDM_SABM, [0x05, 0x08, 0x72, 0x62, 0xf2, 0x20, 0x01, 0x3e, 0x57, ...lv(bcdIdentity(1, '262023333344444'))]),
  },
  {
    // TS 24.008 §9.2.15: periodic update with a TMSI.
    name: 'location_updating_request_periodic',
    header: { channel: 8, frame_number: 1000714, arfcn: 62, uplink: true, timeslot: 1, sub_slot: 3, signal_dbm: -83 },
    block: lapdmBlock(LAPDM_SABM, [0x05, 0x08, 0x01, 0x62, 0xf2, 0x20, 0x01, 0x3e, 0x57, ...lv(tmsiIdentity(0x12345678))]),
  },
  {
    // TS 24.008 §9.2.11 in an I frame, with N(SD) = 1 in the message type octet (0x19 | 0x40): IMEISV.
    name: 'identity_response_imeisv',
    header: { channel: 8, frame_number: 1000765, arfcn: 62, uplink: true, timeslot: 1, sub_slot: 5, signal_dbm: -84 },
    block: lapdmBlock(LAPDM_I_NR1_NS0, [0x05, 0x59, ...lv(bcdIdentity(3, '3554880612345601'))]),
  },
  {
    // TS 44.018 §9.1.25 echoed in a LAPDm UA (downlink): IMSI.
    name: 'paging_response_imsi',
    header: { channel: 8, frame_number: 1000816, arfcn: 62, timeslot: 1, sub_slot: 5, signal_dbm: -85 },
    block: lapdmBlock(LAPDM_UA, [0x06, 0x27, 0x07, 3, 0x57, 0x18, 0x81, ...lv(bcdIdentity(1, '262025555566666'))], 1),
  },
];

/** The crafted frames as an Ethernet/IPv4/UDP/GSMTAP v2 pcap (timestamps from the frame numbers). */
export function craftedPcapBytes(): Buffer {
  const capture = captureOf({ format: 'pcap', src_port: 40000 });
  for (const f of CRAFTED_FRAMES) capture.write(gsmtapV2(f.header, f.block), Math.round(((f.header.frame_number ?? 0) * 120 * 1000) / 26));
  return capture.toBuffer();
}
