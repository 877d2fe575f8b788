/**
 * Frame decoder paths the real captures do not exercise: GSMTAP v3 metadata, uplink/PCS flags, SACCH
 * with its L1 header, LAPDm segments, bursts, other channels and protocols, and malformed headers —
 * each ending in its own counted outcome.
 */
import { describe, expect, it } from 'vitest';
import { CRAFTED_FRAMES, gsmtapV2, gsmtapV3, lapdmBlock, padBlock } from '@simhound/test-support/pcap-fixtures';
import { GsmFrameDecoder } from '../../src/gsm/frame-decoder.js';
import type { GsmEvent } from '../../src/gsm/events.js';
import { createGsmtapHeader, looksLikeGsmtap, parseGsmtapHeader } from '../../src/gsm/gsmtap.js';
import { createSubRefHasher } from '../../src/privacy/sub-ref.js';

const subRef = createSubRefHasher(Buffer.alloc(32, 9));
const byName = (n: string) => CRAFTED_FRAMES.find((f) => f.name === n)!;

function decodeOne(bytes: Buffer, decoder = new GsmFrameDecoder({ subRef })) {
  const events: GsmEvent[] = [];
  const outcome = decoder.decode(bytes, 0, bytes.length, 1234, 'test', (e) => events.push(e));
  return { outcome, events, decoder };
}

describe('GSMTAP header', () => {
  it('parses v2 flags: uplink, PCS, ACCH, negative signal, sub-slot', () => {
    const b = gsmtapV2({ channel: 8, acch: true, arfcn: 512, uplink: true, pcs: true, signal_dbm: -110, snr_db: -3, frame_number: 0xfffffffe, timeslot: 7, sub_slot: 6 }, padBlock([]));
    const h = createGsmtapHeader();
    expect(parseGsmtapHeader(b, 0, b.length, h)).toBeNull();
    expect(h).toMatchObject({ version: 2, channel: 8, acch: true, arfcn: 512, uplink: true, pcs: true, signal_dbm: -110, snr_db: -3, frame_number: 0xfffffffe, timeslot: 7, sub_slot: 6, header_bytes: 16 });
  });

  it('parses v3 with metadata TLVs and decodes its Um payload like v2', () => {
    const f = byName('paging_request_1_imsi_and_tmsi');
    const v3 = gsmtapV3({ channel: 2, arfcn: 77, uplink: false, timeslot: 0, frame_number: 424242, signal_dbm: -61.5, snr_db: 12 }, f.block);
    const h = createGsmtapHeader();
    expect(parseGsmtapHeader(v3, 0, v3.length, h)).toBeNull();
    expect(h).toMatchObject({ version: 3, payload_kind: 'um', channel: 2, arfcn: 77, frame_number: 424242, signal_dbm: -61.5, snr_db: 12 });
    const v2 = decodeOne(gsmtapV2({ ...f.header, arfcn: 77, frame_number: 424242, signal_dbm: -61 }, f.block));
    const r3 = decodeOne(v3);
    expect(r3.outcome).toBe('ok');
    const e2 = v2.events[0]!;
    const e3 = r3.events[0]!;
    expect(e3.type === 'Paging' && e2.type === 'Paging' && e3.subs).toEqual(e2.type === 'Paging' ? e2.subs : null);
    expect(e3.fn).toBe(424242);
    expect(looksLikeGsmtap(v3, 0, v3.length)).toBe(true);
  });

  it('rejects bad versions and header lengths', () => {
    const good = gsmtapV2({ channel: 2 }, padBlock([]));
    expect(decodeOne(Buffer.from([7, 4, 1, 0])).outcome).toBe('bad_version');
    const short = Buffer.from(good.subarray(0, 10));
    expect(decodeOne(short).outcome).toBe('too_short');
    const lie = Buffer.from(good);
    lie[1] = 2;
    expect(decodeOne(lie).outcome).toBe('bad_header_length');
    const lie2 = Buffer.from(good);
    lie2[1] = 200;
    expect(decodeOne(lie2).outcome).toBe('bad_header_length');
  });
});

describe('frame decoder outcomes', () => {
  it('skips bursts, other payload types and channels without L3 for us', () => {
    expect(decodeOne(gsmtapV2({ channel: 6, type: 3 }, new Uint8Array(148))).outcome).toBe('burst_payload');
    expect(decodeOne(gsmtapV2({ channel: 0, type: 2 }, padBlock([]))).outcome).toBe('unsupported_payload_type');
    expect(decodeOne(gsmtapV2({ channel: 3 }, Buffer.from([0x26]))).outcome).toBe('unsupported_channel');
    expect(decodeOne(gsmtapV2({ channel: 13 }, padBlock([0x40]))).outcome).toBe('unsupported_channel');
  });

  it('decodes the uplink SACCH past its 2-octet L1 header as LAPDm format B', () => {
    // The LAPDm length bounds the message: an identity running past it is bad_length …
    const cut = padBlock([0x00, 0x01, 0x01, 0x03, (6 << 2) | 1, 0x05, 0x59, 0x05, 0xf4, 1, 2, 3]);
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true, uplink: true }, cut)).outcome).toBe('bad_length');
    // … and a TMSI identity of 4 octets (it needs 5 with the type octet) is bad_ie.
    const sacch = padBlock([0x00, 0x01, 0x01, 0x03, (7 << 2) | 1, 0x05, 0x59, 0x04, 0xf4, 1, 2, 3]);
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true, uplink: true }, sacch)).outcome).toBe('bad_ie');
    const ok = padBlock([0x00, 0x01, 0x01, 0x03, (8 << 2) | 1, 0x05, 0x19, 0x05, 0xf4, 1, 2, 3, 4]);
    const r = decodeOne(gsmtapV2({ channel: 8, acch: true, uplink: true }, ok));
    expect(r.outcome).toBe('ok');
    expect(r.events[0]).toMatchObject({ acch: true, uplink: true, message: 'identity_response', channel: 'sdcch8' });
    // An uplink Measurement Report is a known message without a decoder.
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true, uplink: true }, padBlock([0x00, 0x01, 0x01, 0x03, (18 << 2) | 1, 0x06, 0x15, 0x3c]))).outcome).toBe('unsupported_message');
  });

  it('reads a downlink SACCH UI frame as format B4: the L2 pseudo length bounds the message, rest octets follow', () => {
    // SI6 with pseudo length 11 and rest octets H (PCH/NCH info) … after it: format B would cut them off.
    const si6 = padBlock([0x00, 0x01, 0x03, 0x03, (11 << 2) | 1, 0x06, 0x1e, 0x00, 0x09, 0x62, 0xf2, 0x20, 0x01, 0x3e, 0x95, 0x78, 0xab]);
    const r = decodeOne(gsmtapV2({ channel: 8, acch: true }, si6));
    expect(r.outcome).toBe('ok');
    expect(r.events[0]).toMatchObject({ message: 'system_information_6', info: { ci: 9, pch_nch_info: true, paging_channel_restructured: false } });
    // A downlink I frame on the SACCH (SAPI 0) keeps format B; SAPI 3 (SMS) is not for us.
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true }, padBlock([0x00, 0x01, 0x03, 0x00, (2 << 2) | 1, 0x06, 0x15]))).outcome).toBe('unsupported_message');
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true }, padBlock([0x00, 0x01, 0x0f, 0x03, 0x2b]))).outcome).toBe('no_information');
    // A pseudo length octet that is not one is a bad L2 header; one past the block a bad length.
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true }, padBlock([0x00, 0x01, 0x03, 0x03, 0x06, 0x06, 0x1e]))).outcome).toBe('bad_l2_header');
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true }, padBlock([0x00, 0x01, 0x03, 0x03, (30 << 2) | 1, 0x06, 0x1e]))).outcome).toBe('bad_length');
    expect(decodeOne(gsmtapV2({ channel: 8, acch: true }, Buffer.from([0x00, 0x01, 0x03]))).outcome).toBe('too_short');
  });

  it('does not read LAPDm continuation segments as messages', () => {
    const decoder = new GsmFrameDecoder({ subRef });
    const first = padBlock([0x01, 0x00, (20 << 2) | 0x02 | 1, 0x05, 0x19, ...new Array(18).fill(0x11)]);
    const last = padBlock([0x01, 0x22, (5 << 2) | 1, 0x06, 0x27, 0, 0, 0]);
    expect(decodeOne(gsmtapV2({ channel: 8 }, first), decoder).outcome).toBe('lapdm_segment');
    expect(decodeOne(gsmtapV2({ channel: 8 }, last), decoder).outcome).toBe('lapdm_segment');
    // The channel is free again afterwards.
    const f = byName('identity_response_imeisv');
    expect(decodeOne(gsmtapV2({ channel: 8 }, f.block), decoder).outcome).toBe('ok');
  });

  it('classifies LAPDm fill, S frames, SAPI 3, other protocols and skip indicators', () => {
    expect(decodeOne(gsmtapV2({ channel: 8 }, padBlock([0x01, 0x03, 0x01]))).outcome).toBe('fill_frame');
    expect(decodeOne(gsmtapV2({ channel: 8 }, padBlock([0x01, 0x21, 0x01]))).outcome).toBe('no_information');
    expect(decodeOne(gsmtapV2({ channel: 8 }, lapdmBlock(0x00, [0x09, 0x01]).map((b, i) => (i === 0 ? 0x0d : b)))).outcome).toBe('no_information');
    expect(decodeOne(gsmtapV2({ channel: 8 }, lapdmBlock(0x00, [0x09, 0x01, 0x04]))).outcome).toBe('unsupported_protocol');
    expect(decodeOne(gsmtapV2({ channel: 8 }, lapdmBlock(0x00, [0x03, 0x25, 0x02, 0xe0, 0x90]))).outcome).toBe('unsupported_message');
    expect(decodeOne(gsmtapV2({ channel: 2 }, padBlock([0x09, 0x16, 0x21]))).outcome).toBe('nonzero_skip_indicator');
    expect(decodeOne(gsmtapV2({ channel: 2 }, padBlock([0x09, 0x06, 0x3c]))).outcome).toBe('unsupported_message');
    expect(decodeOne(gsmtapV2({ channel: 2 }, padBlock([]))).outcome).toBe('fill_frame');
    expect(decodeOne(gsmtapV2({ channel: 2 }, padBlock([0x16, 0x06]))).outcome).toBe('bad_l2_header');
  });

  it('rejects messages whose lengths lie', () => {
    // Paging Request 1 whose Mobile Identity length runs past the block.
    const lie = gsmtapV2({ channel: 2 }, padBlock([0x0d, 0x06, 0x21, 0x00, 0x30, 0xf4]));
    expect(decodeOne(lie).outcome).toBe('bad_length');
    // IMSI with a non-BCD digit.
    const bcd = gsmtapV2({ channel: 2 }, padBlock([0x19, 0x06, 0x21, 0x00, 0x03, 0x29, 0xa6, 0xf2]));
    expect(decodeOne(bcd).outcome).toBe('bad_ie');
    // Immediate Assignment cut short.
    const ia = gsmtapV2({ channel: 2 }, Buffer.from([0x0d, 0x06, 0x3f, 0x00, 0x49]));
    expect(decodeOne(ia).outcome).toBe('too_short');
    // A pseudo length longer than the block.
    const pseudo = gsmtapV2({ channel: 2 }, Buffer.from([0x2d, 0x06, 0x3f, 0x00, 0x49]));
    expect(decodeOne(pseudo).outcome).toBe('bad_length');
  });

  it('emits two Assignment events for an IAX and uses the cell NECI for causes', () => {
    const decoder = new GsmFrameDecoder({ subRef });
    const f = byName('immediate_assignment_extended');
    const bytes = gsmtapV2(f.header, f.block);
    const before = decodeOne(bytes, decoder).events;
    expect(before.map((e) => (e.type === 'Assignment' ? [e.request.ra, e.request.cause, e.neci] : null))).toEqual([[5, 'location_updating', null], [0x8f, 'answer_to_paging', null]]);
    decoder.cells.get('test', f.header.arfcn!).neci = 1;
    const ra = byName('immediate_assignment_hopping_tch_h');
    const after = decodeOne(gsmtapV2(ra.header, ra.block), decoder).events[0]!;
    expect(after.type === 'Assignment' && [after.request.cause, after.neci]).toEqual(['originating_call', 1]);
  });

  it('counts every frame once and reports messages by name', () => {
    const decoder = new GsmFrameDecoder({ subRef });
    for (const f of CRAFTED_FRAMES) decodeOne(gsmtapV2(f.header, f.block), decoder);
    const s = decoder.stats();
    expect(s.frames).toBe(CRAFTED_FRAMES.length);
    expect(s.outcomes.ok).toBe(CRAFTED_FRAMES.length);
    expect(s.events).toBe(CRAFTED_FRAMES.length + 1); // the IAX gives two
    expect(decoder.messageCounts()).toMatchObject({ paging_request_1: 3, cm_service_request: 2, identity_response: 1 });
  });
});
