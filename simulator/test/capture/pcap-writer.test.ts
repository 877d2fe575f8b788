import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tsharkFields } from '@simhound/test-support/tshark';
import { GsmtapCaptureBuffer, GsmtapCaptureFileWriter } from '../../src/capture/pcap-writer.js';
import { ethernetIpv4UdpFrame, ipv4UdpPacket } from '../../src/capture/udp-frame.js';
import {
  GSMTAP_CHANNEL,
  encodeCmServiceRequest,
  encodeGsmtapV2,
  encodeImmediateAssignment,
  encodeLapdmBlock,
  encodePagingRequestType1,
  encodeSystemInformation3,
} from '../../src/encode/index.js';
import { type FrameToDecode, buildCapture, unwrap } from '../encode/tshark-roundtrip.js';
import { type PdmlPacket, pdmlShows, tsharkPdml } from '../encode/tshark-pdml.js';

const dir = mkdtempSync(join(tmpdir(), 'simhound-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHECKSUMS = { 'ip.check_checksum': 'TRUE', 'udp.check_checksum': 'TRUE' };

/** A mix of downlink CCCH/BCCH and uplink SDCCH frames. */
function sampleFrames(): FrameToDecode[] {
  const frames: FrameToDecode[] = [];
  for (let i = 0; i < 12; i++) {
    frames.push({ header: { frame_number: 1000 + i * 51 }, block: encodePagingRequestType1({ identity_1: { type: 'tmsi', tmsi: 0x1000 + i } }) });
    frames.push({
      header: { channel: GSMTAP_CHANNEL.AGCH, frame_number: 1001 + i * 51, signal_dbm: -60 - i },
      block: encodeImmediateAssignment({
        request: { ra: 0xe0 + i, request_frame_number: 990 + i * 51 },
        ta_steps: i * 5,
        assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: i % 8, timeslot: 1, tsc: 3, rf: { arfcn: 62 } } },
      }),
    });
    frames.push({
      header: { channel: GSMTAP_CHANNEL.SDCCH8, timeslot: 1, sub_slot: i % 8, uplink: true, frame_number: 1020 + i * 51 },
      block: encodeLapdmBlock({
        type: 'SABM',
        direction: 'uplink',
        information: unwrap(encodeCmServiceRequest({ service_type: 'mo_call', identity: { type: 'imsi', digits: `46000123456789${i % 10}` } })),
      }),
    });
  }
  frames.push({
    header: { channel: GSMTAP_CHANNEL.BCCH, frame_number: 2 },
    block: encodeSystemInformation3({
      ci: 4660,
      lai: { mcc: '460', mnc: '00', lac: 0x2345 },
      control_channel: { bs_ag_blks_res: 1, ccch_conf: 0, bs_pa_mfrms: 4, t3212_decihours: 20 },
      cell_selection: { neci: true },
    }),
  });
  return frames;
}

/** Decoded fields from the Ethernet layer on (the file-format specific frame metadata is left out). */
function protocolFields(packet: PdmlPacket): string[] {
  const start = packet.fields.findIndex((f) => f.name.startsWith('eth.'));
  return packet.fields.slice(start).map((f) => `${f.name}=${f.show}`);
}

describe('capture writers', () => {

  it('pcap and pcapng of the same frames open in tshark with identical decoding, timestamps and good checksums', async () => {
    const frames = sampleFrames();
    const pcapPath = join(dir, 'same.pcap');
    const pcapngPath = join(dir, 'same.pcapng');
    writeFileSync(pcapPath, buildCapture(frames, 'pcap'));
    writeFileSync(pcapngPath, buildCapture(frames, 'pcapng'));
    const [pcap, pcapng] = await Promise.all([tsharkPdml(pcapPath, CHECKSUMS), tsharkPdml(pcapngPath, CHECKSUMS)]);
    expect(pcap).toHaveLength(frames.length);
    expect(pcapng).toHaveLength(frames.length);
    pcap.forEach((p, i) => {
      const q = pcapng[i] as PdmlPacket;
      expect(protocolFields(q), `frame ${i}`).toEqual(protocolFields(p));
      expect(pdmlShows(q, 'frame.time_epoch')).toEqual(pdmlShows(p, 'frame.time_epoch'));
      expect(pdmlShows(p, 'udp.checksum.status')).toEqual(['1']);
      expect(pdmlShows(p, 'ip.checksum.status')).toEqual(['1']);
      expect(pdmlShows(p, 'udp.dstport')).toEqual(['4729']);
      expect(p.fields.filter((f) => f.name.startsWith('_ws.'))).toEqual([]);
    });
    const types = await tsharkFields(pcapngPath, ['frame.interface_id', 'eth.type']);
    expect(new Set(types.map((r) => `${r['frame.interface_id']?.[0]}/${r['eth.type']?.[0]}`))).toEqual(new Set(['0/0x0800'])); // one Ethernet interface, IPv4
    // Microsecond timestamps survive in both formats (the frame builder uses 1.7e15 µs + 4615·i).
    expect(pdmlShows(pcap[1] as PdmlPacket, 'frame.time_epoch')).toEqual(['1700000000.004615000']);
  });

  it('streams a large capture to disk in both formats, honouring backpressure', async () => {
    const payload = unwrap(
      encodeGsmtapV2(
        { channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 30, frame_number: 0 },
        unwrap(encodePagingRequestType1({ identity_1: { type: 'none' } })),
      ),
    );
    const count = 100_000;
    for (const format of ['pcap', 'pcapng'] as const) {
      const path = join(dir, `stream.${format}`);
      const opened = await GsmtapCaptureFileWriter.open(path, { format });
      if (!opened.ok) throw new Error(opened.reason);
      const writer = opened.value;
      let waited = 0;
      for (let i = 0; i < count; i++) {
        // Frame numbers move on, so every record differs (checked by tshark on the last one).
        payload[8] = (i >>> 24) & 0xff;
        payload[9] = (i >>> 16) & 0xff;
        payload[10] = (i >>> 8) & 0xff;
        payload[11] = i & 0xff;
        const pending = writer.write(payload, 1_700_000_000_000_000 + i * 4615);
        if (pending) {
          waited++;
          await pending;
        }
      }
      const closed = await writer.close();
      if (!closed.ok) throw new Error(closed.reason);
      expect(closed.value.frames).toBe(count);
      expect(closed.value.octets).toBe(statSync(path).size);
      expect(waited).toBeGreaterThan(0); // chunks were handed to the stream along the way
      const rows = await tsharkFields(path, ['frame.number', 'gsmtap.frame_nr'], 'frame.number == 1 || frame.number == 100000');
      expect(rows.map((r) => [r['frame.number']?.[0], r['gsmtap.frame_nr']?.[0]])).toEqual([
        ['1', '0'],
        [String(count), String(count - 1)],
      ]);
    }
  });

  it('counts and skips bad datagrams instead of throwing, and the file stays readable', async () => {
    const good = unwrap(
      encodeGsmtapV2(
        { channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 1, frame_number: 7 },
        unwrap(encodePagingRequestType1({ identity_1: { type: 'none' } })),
      ),
    );
    const path = join(dir, 'bad-input.pcapng');
    const opened = await GsmtapCaptureFileWriter.open(path, { format: 'pcapng' });
    if (!opened.ok) throw new Error(opened.reason);
    const w = opened.value;
    expect(w.write(good, 1)).toBeUndefined();
    w.write(new Uint8Array(70_000), 2);
    w.write(good, -1);
    w.write(good, Number.NaN);
    w.write(good, 3);
    const closed = await w.close();
    expect(closed).toMatchObject({ ok: true, value: { frames: 2, rejected: { bad_timestamp: 2, too_long: 1 } } });
    const rows = await tsharkFields(path, ['gsmtap.frame_nr']);
    expect(rows.map((r) => r['gsmtap.frame_nr'])).toEqual([['7'], ['7']]);

    const memory = GsmtapCaptureBuffer.create({ format: 'pcap' });
    if (!memory.ok) throw new Error(memory.reason);
    expect(memory.value.write(good, 0)).toBe(true);
    expect(memory.value.write(new Uint8Array(70_000), 0)).toBe(false);
    expect(memory.value.stats).toMatchObject({ frames: 1, rejected: { too_long: 1 } });
  });

  it('reports unusable options and unwritable paths as typed failures', async () => {
    expect(await GsmtapCaptureFileWriter.open(join(dir, 'no-such-dir', 'x.pcap'))).toMatchObject({ ok: false, reason: 'io_error' });
    expect(await GsmtapCaptureFileWriter.open(join(dir, 'x.pcap'), { dst_ip: '300.1.1.1' })).toMatchObject({ ok: false, reason: 'bad_options' });
    expect(GsmtapCaptureBuffer.create({ dst_port: 70000 })).toMatchObject({ ok: false, reason: 'bad_options' });
    expect(GsmtapCaptureBuffer.create({ format: 'erf' as 'pcap' })).toMatchObject({ ok: false, reason: 'bad_options' });
  });

  it('writes either byte order, nanosecond timestamps, several pcapng interfaces and simple packets as tshark reads them', async () => {
    const datagram = unwrap(
      encodeGsmtapV2({ channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 1, frame_number: 77 }, unwrap(encodePagingRequestType1({ identity_1: { type: 'none' } }))),
    );
    const ng = GsmtapCaptureBuffer.create({ format: 'pcapng', byte_order: 'big', interfaces: [{ link_type: 1 }, { link_type: 228, ts_resolution: 'ns' }] });
    if (!ng.ok) throw new Error(ng.reason);
    expect(ng.value.write(datagram, 1_700_000_000_123_456)).toBe(true);
    expect(ng.value.writeFrame(ipv4UdpPacket(datagram), 1_700_000_000_200_000.5, { interface: 1 })).toBe(true);
    expect(ng.value.writeFrame(ethernetIpv4UdpFrame(datagram), 0, { simple: true })).toBe(true);
    const ngPath = join(dir, 'variants.pcapng');
    writeFileSync(ngPath, ng.value.toBuffer());
    const ngRows = await tsharkFields(ngPath, ['frame.time_epoch', 'frame.interface_id', 'frame.encap_type', 'gsmtap.frame_nr']);
    expect(ngRows.map((r) => [r['frame.time_epoch'], r['frame.interface_id'], r['frame.encap_type'], r['gsmtap.frame_nr']])).toEqual([
      [['1700000000.123456000'], ['0'], ['1'], ['77']],
      [['1700000000.200000500'], ['1'], ['129'], ['77']],
      [[], ['0'], ['1'], ['77']],
    ]);
    const pcap = GsmtapCaptureBuffer.create({ format: 'pcap', byte_order: 'big', ts_resolution: 'ns', interfaces: [{ link_type: 228 }] });
    if (!pcap.ok) throw new Error(pcap.reason);
    expect(pcap.value.writeFrame(ipv4UdpPacket(datagram), 1_700_000_000_123_456.5)).toBe(true);
    const pcapPath = join(dir, 'variants.pcap');
    const bytes = pcap.value.toBuffer();
    expect(bytes.readUInt32BE(0)).toBe(0xa1b23c4d);
    writeFileSync(pcapPath, bytes);
    const rows = await tsharkFields(pcapPath, ['frame.time_epoch', 'frame.encap_type', 'gsmtap.frame_nr']);
    expect(rows).toEqual([{ 'frame.time_epoch': ['1700000000.123456500'], 'frame.encap_type': ['129'], 'gsmtap.frame_nr': ['77'] }]);
  });

  it('counts frames it cannot write (unknown interface, simple packets in pcap, datagrams on a non-Ethernet interface)', () => {
    const raw = GsmtapCaptureBuffer.create({ format: 'pcap', interfaces: [{ link_type: 228 }] });
    if (!raw.ok) throw new Error(raw.reason);
    expect(raw.value.write(new Uint8Array(20), 0)).toBe(false);
    expect(raw.value.writeFrame(new Uint8Array(20), 0, { interface: 1 })).toBe(false);
    expect(raw.value.writeFrame(new Uint8Array(20), 0, { simple: true })).toBe(false);
    expect(raw.value.writeFrame(new Uint8Array(70_000), 0)).toBe(false);
    expect(raw.value.stats).toMatchObject({ frames: 0, rejected: { not_ethernet: 1, bad_interface: 2, too_long: 1 } });
    expect(GsmtapCaptureBuffer.create({ format: 'pcap', interfaces: [{ link_type: 1 }, { link_type: 1 }] })).toMatchObject({ ok: false, reason: 'bad_options' });
    expect(GsmtapCaptureBuffer.create({ interfaces: [] })).toMatchObject({ ok: false, reason: 'bad_options' });
    expect(GsmtapCaptureBuffer.create({ ts_resolution: 'ms' as 'us' })).toMatchObject({ ok: false, reason: 'bad_options' });
    expect(GsmtapCaptureBuffer.create({ byte_order: 'middle' as 'big' })).toMatchObject({ ok: false, reason: 'bad_options' });
  });

  it('uses the configured addresses and ports', async () => {
    const capture = GsmtapCaptureBuffer.create({ src_ip: '10.0.0.7', dst_ip: '192.168.1.20', src_port: 40000, dst_port: 4729 });
    if (!capture.ok) throw new Error(capture.reason);
    const datagram = unwrap(
      encodeGsmtapV2({ channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 1, frame_number: 1 }, unwrap(encodePagingRequestType1({ identity_1: { type: 'none' } }))),
    );
    capture.value.write(datagram, 5_000_000);
    const path = join(dir, 'addresses.pcap');
    writeFileSync(path, capture.value.toBuffer());
    const [packet] = (await tsharkPdml(path, CHECKSUMS)) as [PdmlPacket];
    expect(pdmlShows(packet, 'ip.src')).toEqual(['10.0.0.7']);
    expect(pdmlShows(packet, 'ip.dst')).toEqual(['192.168.1.20']);
    expect(pdmlShows(packet, 'udp.srcport')).toEqual(['40000']);
    expect(pdmlShows(packet, 'udp.checksum.status')).toEqual(['1']);
    expect(pdmlShows(packet, 'ip.checksum.status')).toEqual(['1']);
    expect(readFileSync(path).length).toBe(24 + 16 + 42 + datagram.length);
  });
});
