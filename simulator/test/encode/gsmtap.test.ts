import { describe, expect, it } from 'vitest';
import {
  GSMTAP_CHANNEL,
  GSMTAP_V2_HEADER_OCTETS,
  type GsmtapHeader,
  encodeGsmtapV2,
  encodeGsmtapV3,
  encodePagingRequestType1,
} from '../../src/encode/index.js';
import { decodeWithTshark, show, showInt, unwrap } from './tshark-roundtrip.js';

const page = unwrap(encodePagingRequestType1({ identity_1: { type: 'none' } }));

describe('encodeGsmtapV2', () => {

  const headers: GsmtapHeader[] = [
    { channel: GSMTAP_CHANNEL.BCCH, timeslot: 0, arfcn: 0, frame_number: 0 },
    {
      channel: GSMTAP_CHANNEL.CCCH,
      timeslot: 7,
      arfcn: 1023,
      signal_dbm: -110,
      snr_db: 25,
      frame_number: 2715647,
      antenna: 3,
      sub_slot: 0,
    },
    { channel: GSMTAP_CHANNEL.PCH, timeslot: 0, arfcn: 725, pcs_band: true, signal_dbm: -128, snr_db: -5, frame_number: 0xffffffff },
    { channel: GSMTAP_CHANNEL.AGCH, timeslot: 0, arfcn: 16383, uplink: true, signal_dbm: 127, frame_number: 862212 },
    { channel: GSMTAP_CHANNEL.SDCCH8, timeslot: 1, arfcn: 60, uplink: true, pcs_band: true, frame_number: 5, sub_slot: 7 },
    { channel: GSMTAP_CHANNEL.SDCCH4, acch: true, timeslot: 0, arfcn: 60, frame_number: 6, sub_slot: 3 },
    { channel: GSMTAP_CHANNEL.RACH, timeslot: 0, arfcn: 60, uplink: true, frame_number: 7, antenna: 255 },
  ];

  it('writes version 2, header length 4 words, type UM and every field so that tshark reads them back', async () => {
    const packets = await decodeWithTshark(headers.map((header) => ({ header, block: page })));
    packets.forEach((p, i) => {
      const h = headers[i] as GsmtapHeader;
      expect(show(p, 'gsmtap.hdr_len')).toBe('16');
      expect(show(p, 'gsmtap.type')).toBe('1');
      expect(showInt(p, 'gsmtap.ts')).toBe(h.timeslot);
      expect(showInt(p, 'gsmtap.arfcn')).toBe(h.arfcn);
      expect(showInt(p, 'gsmtap.uplink')).toBe(h.uplink ? 1 : 0);
      expect(showInt(p, 'gsmtap.pcs_band')).toBe(h.pcs_band ? 1 : 0);
      expect(showInt(p, 'gsmtap.signal_dbm')).toBe(h.signal_dbm ?? 0);
      expect(showInt(p, 'gsmtap.snr_db')).toBe(h.snr_db ?? 0);
      expect(showInt(p, 'gsmtap.frame_nr')).toBe(h.frame_number);
      expect(showInt(p, 'gsmtap.chan_type')).toBe(h.channel | (h.acch ? 0x80 : 0));
      expect(showInt(p, 'gsmtap.antenna')).toBe(h.antenna ?? 0);
      expect(showInt(p, 'gsmtap.sub_slot')).toBe(h.sub_slot ?? 0);
    });
  });

  it('puts the payload right after the 16-octet header', () => {
    const out = unwrap(encodeGsmtapV2({ channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 1, frame_number: 9 }, page));
    expect(out.length).toBe(GSMTAP_V2_HEADER_OCTETS + page.length);
    expect([...out.subarray(GSMTAP_V2_HEADER_OCTETS)]).toEqual([...page]);
  });

  it('rejects values the header cannot carry with a typed reason instead of throwing', () => {
    const base = { channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 1, frame_number: 1 } as const;
    const bad: Partial<GsmtapHeader>[] = [
      { timeslot: 8 },
      { timeslot: -1 },
      { arfcn: 16384 },
      { arfcn: 1.5 },
      { signal_dbm: 128 },
      { snr_db: -129 },
      { frame_number: 2 ** 32 },
      { sub_slot: 256 },
      { antenna: -1 },
    ];
    for (const override of bad) {
      const result = encodeGsmtapV2({ ...base, ...override }, page);
      expect(result, JSON.stringify(override)).toMatchObject({ ok: false, reason: 'out_of_range' });
    }
  });
});

describe('encodeGsmtapV3', () => {
  it('writes the v3 header and metadata TLVs as gsmtapv3.h lays them out, padded to 32-bit words', () => {
    const out = unwrap(encodeGsmtapV3({ channel: GSMTAP_CHANNEL.CCCH, arfcn: 77, timeslot: 0, frame_number: 424242 }, page));
    const header = [
      0x03, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x02, // version 3, 9 words, type UM, sub_type CCCH
      0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4d, // channel number 77
      0x00, 0x06, 0x00, 0x01, 0x00, // timeslot 0
      0x00, 0x07, 0x00, 0x01, 0x00, // sub-slot 0
      0x00, 0x08, 0x00, 0x04, 0x00, 0x06, 0x79, 0x32, // frame number 424242
      0x00, 0x00, // padding
    ];
    expect([...out.subarray(0, 36)]).toEqual(header);
    expect([...out.subarray(36)]).toEqual([...page]);
  });

  it('adds signal level and SNR as float32, the uplink flag and ACCH', () => {
    const out = unwrap(encodeGsmtapV3({ channel: GSMTAP_CHANNEL.SDCCH8, acch: true, arfcn: 512, uplink: true, timeslot: 3, sub_slot: 5, frame_number: 1, signal_dbm: -61.5, snr_db: 12 }, page));
    const view = new DataView(out.buffer, out.byteOffset);
    expect(view.getUint16(2) * 4).toBe(8 + 8 + 5 + 5 + 8 + 8 + 8 + 2); // 42 octets of TLVs padded to 44
    expect(view.getUint16(6)).toBe(0x0108);
    expect(view.getUint32(12)).toBe(512 | 0x4000);
    expect(out[20]).toBe(3);
    expect(out[25]).toBe(5);
    expect(view.getFloat32(38)).toBe(-61.5);
    expect(view.getFloat32(46)).toBe(12);
    expect(encodeGsmtapV3({ channel: 2, arfcn: 16384, timeslot: 0, frame_number: 0 }, page)).toMatchObject({ ok: false, reason: 'out_of_range' });
  });
});
