/**
 * Capture files: classic pcap in both byte orders with µs and ns timestamps, pcapng with several
 * interfaces / if_tsresol / Simple Packet Blocks, link types (Ethernet+VLAN, SLL, SLL2, raw IPv4/IPv6,
 * BSD null), chunk boundaries, and typed errors for broken files. Frames built by test-support.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bsdNull, CRAFTED_FRAMES, ethernet, gsmtapV2, linuxSll, linuxSll2, pcapBytes, pcapngBytes, udpIpv4, udpIpv6,
} from '@simhound/test-support/pcap-fixtures';
import { readCapture, type CapturePacket } from '../../src/sources/capture-reader.js';
import { createUdpPayload, extractGsmtap, LINKTYPE } from '../../src/sources/link-layer.js';

const dir = mkdtempSync(join(tmpdir(), 'simhound-capture-'));
const frame = CRAFTED_FRAMES[0]!;
const gsmtap = gsmtapV2(frame.header, frame.block);

function file(name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function collect(path: string, chunkBytes?: number) {
  const packets: { ts_ms: number; link_type: number; data: Buffer; number: number; interface_id: number }[] = [];
  const r = await readCapture(path, (p: CapturePacket) => {
    packets.push({ ts_ms: p.ts_ms, link_type: p.link_type, data: Buffer.from(p.buf.subarray(p.offset, p.offset + p.length)), number: p.number, interface_id: p.interface_id });
  }, chunkBytes === undefined ? {} : { chunkBytes });
  return { r, packets };
}

describe('readCapture: classic pcap', () => {
  for (const bigEndian of [false, true]) {
    for (const nanoseconds of [false, true]) {
      it(`reads ${bigEndian ? 'big' : 'little'}-endian ${nanoseconds ? 'ns' : 'µs'} files`, async () => {
        const data = ethernet(udpIpv4(gsmtap));
        const path = file(`c-${bigEndian}-${nanoseconds}.pcap`, pcapBytes(1, [{ ts_ms: 1700000000123.456, data }, { ts_ms: 1700000000124, data }], { bigEndian, nanoseconds }));
        const { r, packets } = await collect(path);
        expect(r.ok && r.value.format).toBe('pcap');
        expect(packets.map((p) => p.number)).toEqual([1, 2]);
        expect(packets[0]!.ts_ms).toBeCloseTo(1700000000123.456, nanoseconds ? 5 : 2);
        expect(packets[0]!.data.equals(data)).toBe(true);
      });
    }
  }

  it('carries records across chunk boundaries (1-byte-aligned chunks of 37 bytes)', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ ts_ms: i, data: ethernet(udpIpv4(gsmtapV2({ ...frame.header, frame_number: i }, frame.block))) }));
    const path = file('chunks.pcap', pcapBytes(1, records));
    const { r, packets } = await collect(path, 37);
    expect(r.ok).toBe(true);
    expect(packets).toHaveLength(50);
    packets.forEach((p, i) => expect(p.data.equals(records[i]!.data)).toBe(true));
  });

  it('counts a truncated last record and keeps the packets before it', async () => {
    const whole = pcapBytes(1, [{ ts_ms: 0, data: ethernet(udpIpv4(gsmtap)) }, { ts_ms: 1, data: ethernet(udpIpv4(gsmtap)) }]);
    const path = file('trunc.pcap', whole.subarray(0, whole.length - 10));
    const { r, packets } = await collect(path);
    expect(packets).toHaveLength(1);
    expect(r.ok && r.value.errors.truncated_record).toBe(1);
  });

  it('rejects a file that is no capture with bad_magic, and a missing file with io_error', async () => {
    const bad = await collect(file('bad.pcap', Buffer.from('this is not a capture file at all')));
    expect(bad.r.ok ? 'ok' : bad.r.reason).toBe('bad_magic');
    const missing = await collect(join(dir, 'nope.pcap'));
    expect(missing.r.ok ? 'ok' : missing.r.reason).toBe('io_error');
    const tiny = await collect(file('tiny.pcap', Buffer.from([0xd4, 0xc3])));
    expect(tiny.r.ok ? 'ok' : tiny.r.reason).toBe('truncated_header');
  });
});

describe('readCapture: pcapng', () => {
  for (const bigEndian of [false, true]) {
    it(`reads several interfaces with their own link type and timestamp resolution (${bigEndian ? 'BE' : 'LE'}), and SPBs`, async () => {
      const eth = ethernet(udpIpv4(gsmtap));
      const sll = linuxSll(udpIpv4(gsmtap));
      const bytes = pcapngBytes(
        [{ linkType: LINKTYPE.ethernet }, { linkType: LINKTYPE.linux_sll, tsresol: 9 }],
        [
          { iface: 0, ts_ms: 1700000000123.456, data: eth },
          { iface: 1, ts_ms: 1700000000200.000001, data: sll },
          { iface: 0, ts_ms: 0, data: eth, simple: true },
        ],
        { bigEndian },
      );
      const { r, packets } = await collect(file(`ng-${bigEndian}.pcapng`, bytes));
      expect(r.ok && r.value.format).toBe('pcapng');
      expect(packets.map((p) => [p.link_type, p.interface_id])).toEqual([[1, 0], [113, 1], [1, 0]]);
      expect(packets[0]!.ts_ms).toBeCloseTo(1700000000123.456, 2);
      expect(packets[1]!.ts_ms).toBeCloseTo(1700000000200.000001, 3);
      // An SPB has no timestamp: it repeats the last one.
      expect(packets[2]!.ts_ms).toBe(packets[1]!.ts_ms);
      expect(packets[1]!.data.equals(sll)).toBe(true);
    });
  }

  it('counts a block whose trailing length disagrees', async () => {
    const bytes = pcapngBytes([{ linkType: 1 }], [{ iface: 0, ts_ms: 1, data: ethernet(udpIpv4(gsmtap)) }]);
    bytes.writeUInt32LE(0xdead, bytes.length - 4);
    const { r, packets } = await collect(file('badlen.pcapng', bytes));
    expect(packets).toHaveLength(0);
    expect(r.ok && r.value.errors.bad_block_length).toBe(1);
  });

  it('counts packets on an interface that was never described', async () => {
    const bytes = pcapngBytes([{ linkType: 1 }], [{ iface: 0, ts_ms: 1, data: ethernet(udpIpv4(gsmtap)) }]);
    // Point the EPB at interface 7.
    const epb = bytes.indexOf(Buffer.from([6, 0, 0, 0]), 28);
    bytes.writeUInt32LE(7, epb + 8);
    const { r } = await collect(file('noif.pcapng', bytes));
    expect(r.ok && r.value.errors.unknown_interface).toBe(1);
  });
});

describe('extractGsmtap: link types and UDP framing', () => {
  const cases: [string, number, Buffer][] = [
    ['Ethernet', LINKTYPE.ethernet, ethernet(udpIpv4(gsmtap))],
    ['Ethernet + 802.1Q', LINKTYPE.ethernet, (() => {
      const e = ethernet(udpIpv4(gsmtap));
      return Buffer.concat([e.subarray(0, 12), Buffer.from([0x81, 0x00, 0x00, 0x05, 0x08, 0x00]), e.subarray(14)]);
    })()],
    ['Ethernet IPv6', LINKTYPE.ethernet, ethernet(udpIpv6(gsmtap), 0x86dd)],
    ['Linux SLL', LINKTYPE.linux_sll, linuxSll(udpIpv4(gsmtap))],
    ['Linux SLL2', LINKTYPE.linux_sll2, linuxSll2(udpIpv4(gsmtap))],
    ['raw IPv4', LINKTYPE.raw, udpIpv4(gsmtap)],
    ['raw IPv6', LINKTYPE.raw, udpIpv6(gsmtap)],
    ['LINKTYPE_IPV4', LINKTYPE.ipv4, udpIpv4(gsmtap)],
    ['BSD null IPv4', LINKTYPE.null, bsdNull(udpIpv4(gsmtap))],
    ['BSD null IPv6', LINKTYPE.null, bsdNull(udpIpv6(gsmtap), 30)],
    ['GSMTAP on another UDP port', LINKTYPE.ethernet, ethernet(udpIpv4(gsmtap, { srcPort: 5000, dstPort: 5001 }))],
  ];
  for (const [name, lt, data] of cases) {
    it(`finds the GSMTAP payload in ${name}`, () => {
      const out = createUdpPayload();
      expect(extractGsmtap(lt, data, 0, data.length, true, out)).toBeNull();
      expect(Buffer.from(data.subarray(out.offset, out.offset + out.length)).equals(gsmtap)).toBe(true);
    });
  }

  it('gives typed reasons for packets without GSMTAP', () => {
    const out = createUdpPayload();
    const notGsmtap = ethernet(udpIpv4(Buffer.from('hello world, not gsmtap'), { dstPort: 53 }));
    expect(extractGsmtap(1, notGsmtap, 0, notGsmtap.length, true, out)).toBe('not_gsmtap');
    const otherPort = ethernet(udpIpv4(gsmtap, { srcPort: 5000, dstPort: 5001 }));
    expect(extractGsmtap(1, otherPort, 0, otherPort.length, false, out)).toBe('not_gsmtap');
    const arp = Buffer.concat([ethernet(Buffer.alloc(28), 0x0806)]);
    expect(extractGsmtap(1, arp, 0, arp.length, true, out)).toBe('not_ip');
    const tcp = ethernet(udpIpv4(gsmtap));
    tcp[14 + 9] = 6;
    expect(extractGsmtap(1, tcp, 0, tcp.length, true, out)).toBe('not_udp');
    const frag = ethernet(udpIpv4(gsmtap));
    frag[14 + 6] = 0x20; // MF
    expect(extractGsmtap(1, frag, 0, frag.length, true, out)).toBe('ip_fragment');
    expect(extractGsmtap(1, tcp, 0, 10, true, out)).toBe('truncated_packet');
    expect(extractGsmtap(147, tcp, 0, tcp.length, true, out)).toBe('unsupported_link_type');
  });
});

describe('readCapture: streams, back-pressure, abort', () => {
  const records = Array.from({ length: 200 }, (_, i) => ({ ts_ms: i, data: ethernet(udpIpv4(gsmtapV2({ ...frame.header, frame_number: i }, frame.block))) }));
  const bytes = pcapBytes(1, records);

  it('reads a capture from a stream in odd-sized pieces exactly as from the file', async () => {
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 113) pieces.push(bytes.subarray(at, at + 113));
    const got: Buffer[] = [];
    const r = await readCapture(Readable.from(pieces), (p) => got.push(Buffer.from(p.buf.subarray(p.offset, p.offset + p.length))), { chunkBytes: 500 });
    expect(r).toMatchObject({ ok: true, value: { packets: 200, aborted: false } });
    got.forEach((g, i) => expect(g.equals(records[i]!.data)).toBe(true));
  });

  it('counts a stream that ends mid-record as truncated', async () => {
    const r = await readCapture(Readable.from([bytes.subarray(0, bytes.length - 7)]), () => {});
    expect(r.ok && r.value.errors.truncated_record).toBe(1);
    expect(r.ok && r.value.packets).toBe(199);
  });

  it('waits for pace() before every chunk: no packet runs ahead of the consumer', async () => {
    let delivered = 0;
    const atEachPace: number[] = [];
    const gates: Array<() => void> = [];
    const reading = readCapture(file('paced.pcap', bytes), () => delivered++, {
      chunkBytes: 1000,
      pace: () => {
        atEachPace.push(delivered);
        return new Promise<void>((r) => gates.push(r));
      },
    });
    let done = false;
    void reading.then(() => (done = true));
    // Held at the first gate, the reader has delivered nothing.
    await new Promise((r) => setTimeout(r, 50));
    expect(delivered).toBe(0);
    while (!done) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 2));
    }
    const r = await reading;
    expect(r.ok && r.value.packets).toBe(200);
    // Between two waits at most one chunk's worth of records (≤ 1000 bytes each time) went out.
    const perChunk = Math.ceil(1000 / (16 + records[0]!.data.length));
    for (let k = 1; k < atEachPace.length; k++) expect(atEachPace[k]! - atEachPace[k - 1]!).toBeLessThanOrEqual(perChunk);
    expect(atEachPace.length).toBeGreaterThan(10);
  });

  it('stops at the next chunk once aborted, without calling it damage', async () => {
    const abort = new AbortController();
    let n = 0;
    const r = await readCapture(file('abort.pcap', bytes), () => {
      if (++n === 5) abort.abort();
    }, { chunkBytes: 600, signal: abort.signal });
    expect(r).toMatchObject({ ok: true, value: { aborted: true } });
    expect(r.ok && r.value.packets).toBeLessThan(200);
    expect(r.ok && r.value.errors.truncated_record).toBe(0);
  });
});
