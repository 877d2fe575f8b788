/**
 * The encoders re-create real frames bit for bit: for selected frames of the real Vodafone DE captures in
 * ../shared/data (see PROVENANCE.md: the BCCH/CCCH timeslot and the SDCCH/8 the MT call was assigned),
 * the field values tshark decodes from that frame go into our encoder, and the 23-octet block must equal
 * the frame's bytes on air, rest octets and padding included.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type EncodeResult,
  encodeImmediateAssignment,
  encodePagingRequestType1,
  encodePagingRequestType2,
  encodeSystemInformation1,
  encodeSystemInformation2,
  encodeSystemInformation3,
  encodeSystemInformation4,
  encodeSystemInformation5,
  encodeSystemInformation6,
  encodeCipheringModeCommand,
  encodeLapdmBlock,
  encodeNotificationNch,
  encodePagingResponse,
  encodeSacchBlock,
} from '../../src/encode/index.js';
import { unwrap } from './tshark-roundtrip.js';

const CAPTURE = fileURLToPath(
  new URL('../../../../shared/data/gsmtap/vf_call6_bcch_ccch_ts0.dedup.scrubbed.pcap', import.meta.url),
);
const SDCCH_CAPTURE = fileURLToPath(new URL('../../../../shared/data/gsmtap/vf_call6_sdcch8_ts1_ss1.scrubbed.pcap', import.meta.url));

/** GSMTAP payloads of a classic little-endian pcap with Ethernet/IPv4/UDP framing, by 1-based frame number. */
function gsmtapPayloads(path: string): Map<number, Uint8Array> {
  const data = readFileSync(path);
  expect(data.readUInt32LE(0)).toBe(0xa1b2c3d4);
  const out = new Map<number, Uint8Array>();
  let offset = 24;
  for (let frame = 1; offset + 16 <= data.length; frame++) {
    const length = data.readUInt32LE(offset + 8);
    const packet = data.subarray(offset + 16, offset + 16 + length);
    const gsmtap = packet.subarray(14 + 20 + 8);
    out.set(frame, new Uint8Array(gsmtap.subarray((gsmtap[1] as number) * 4)));
    offset += 16 + length;
  }
  return out;
}

const real = gsmtapPayloads(CAPTURE);
const realSdcch = gsmtapPayloads(SDCCH_CAPTURE);

/** The Vodafone DE cell of the capture (values as tshark decodes its SI3/SI4). */
const LAI = { mcc: '262', mnc: '02', lac: 318 } as const;
const CELL_SELECTION = { neci: false, cell_reselect_hysteresis: 3, ms_txpwr_max_cch: 0, rxlev_access_min: 9 } as const;
const RACH = { max_retrans: 4, tx_integer: 14, cell_barred: false, reestablishment_allowed: false } as const;
const SELECTION = { cbq: 1, cell_reselect_offset: 40, temporary_offset: 0, penalty_time: 31 } as const;
const NLN = { nln: 0, status: 0 } as const;

const vectors: { frame: number; what: string; encoded: EncodeResult }[] = [
  { frame: 1, what: 'Paging Request 1, no identity', encoded: encodePagingRequestType1({ identity_1: { type: 'none' }, nln: NLN }) },
  {
    frame: 15,
    what: 'Paging Request 1, TMSI, TCH/F',
    encoded: encodePagingRequestType1({ identity_1: { type: 'tmsi', tmsi: 22871963 }, channel_needed_1: 'tch_f', nln: NLN }),
  },
  {
    frame: 60,
    what: 'Paging Request 1, two TMSIs',
    encoded: encodePagingRequestType1({
      identity_1: { type: 'tmsi', tmsi: 22481881 },
      channel_needed_1: 'tch_f',
      identity_2: { type: 'tmsi', tmsi: 22612763 },
      channel_needed_2: 'tch_f',
      nln: NLN,
    }),
  },
  {
    frame: 81,
    what: 'Paging Request 1, IMSI',
    encoded: encodePagingRequestType1({ identity_1: { type: 'imsi', digits: '262020908222026' }, channel_needed_1: 'tch_f', nln: NLN }),
  },
  {
    frame: 90,
    what: 'Paging Request 2 with a third TMSI',
    encoded: encodePagingRequestType2({
      tmsi_1: 22804799,
      channel_needed_1: 'tch_f',
      tmsi_2: 22855580,
      channel_needed_2: 'tch_f',
      identity_3: { type: 'tmsi', tmsi: 22871926 },
      channel_needed_3: 'tch_f',
      nln: NLN,
    }),
  },
  {
    frame: 17,
    what: 'System Information 3',
    encoded: encodeSystemInformation3({
      ci: 11225,
      lai: LAI,
      control_channel: { mscr: true, att: true, bs_ag_blks_res: 1, ccch_conf: 0, bs_pa_mfrms: 9, t3212_decihours: 10 },
      cell_options: { pwrc: false, dtx: 1, radio_link_timeout_blocks: 24 },
      cell_selection: CELL_SELECTION,
      rach_control: RACH,
      rest_octets: {
        selection_parameters: SELECTION,
        si2ter_indicator: true,
        early_classmark_sending: true,
        gprs_indicator: { ra_colour: 6, si13_position: 0 },
        si2quater_position: 1,
      },
    }),
  },
  {
    frame: 27,
    what: 'System Information 4',
    encoded: encodeSystemInformation4({
      lai: LAI,
      cell_selection: CELL_SELECTION,
      rach_control: RACH,
      rest_octets: { selection_parameters: SELECTION, gprs_indicator: { ra_colour: 6, si13_position: 0 } },
    }),
  },
  {
    frame: 77,
    what: 'System Information 1 (variable bit map)',
    encoded: encodeSystemInformation1({ cell_allocation: [725], rach_control: RACH, nch_position: 0 }),
  },
  {
    frame: 7,
    what: 'System Information 2 (variable bit map)',
    encoded: encodeSystemInformation2({ neighbours: [730, 733, 734, 741, 746], ncc_permitted: 0x78, rach_control: RACH }),
  },
  {
    frame: 8,
    what: 'Notification/NCH (NLN 0, the BTS sends L2 pseudo length 1)',
    encoded: encodeNotificationNch({ nln: 0, l2_pseudo_length: 1 }),
  },
  {
    frame: 258,
    what: 'Immediate Assignment, SDCCH/8',
    encoded: encodeImmediateAssignment({
      request: { ra: 38, request_frame_number: 13553 },
      ta_steps: 1,
      assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: 1, timeslot: 1, tsc: 0, rf: { arfcn: 725 } } },
    }),
  },
];

/** The SDCCH/8 of the MT call (downlink): SACCH system information and the clear signalling. */
const sdcchVectors: { frame: number; what: string; encoded: EncodeResult }[] = [
  {
    frame: 2,
    what: 'SACCH: System Information 5 (variable bit map, BA-IND 1), L1 header TA 1',
    encoded: encodeSacchBlock(
      { ms_power_level: 0, ta_steps: 1 },
      { type: 'UI', direction: 'downlink', information: unwrap(encodeSystemInformation5({ neighbours: [730, 733, 734, 741, 746], ba_ind: true })) },
    ),
  },
  {
    frame: 3,
    what: 'SDCCH: Paging Response echoed in the network UA',
    encoded: encodeLapdmBlock({
      type: 'UA',
      direction: 'downlink',
      information: unwrap(
        encodePagingResponse({ cksn: 0, classmark: { rf_power_capability: 0, cm3: true, lcsva_cap: true }, identity: { type: 'tmsi', tmsi: 0x015c5703 } }),
      ),
    }),
  },
  {
    frame: 4,
    what: 'SDCCH: Ciphering Mode Command (A5/1, IMEISV requested) in I frame N(R)=1 N(S)=0',
    encoded: encodeLapdmBlock({
      type: 'I',
      direction: 'downlink',
      ns: 0,
      nr: 1,
      information: unwrap(encodeCipheringModeCommand({ algorithm: 'a5_1', imeisv_requested: true })),
    }),
  },
  {
    frame: 5,
    what: 'SACCH: System Information 6 (VBS/VGCS options), L1 header TA 0',
    encoded: encodeSacchBlock(
      { ms_power_level: 0, ta_steps: 0 },
      {
        type: 'UI',
        direction: 'downlink',
        information: unwrap(
          encodeSystemInformation6({
            ci: 11225,
            lai: LAI,
            cell_options: { pwrc: false, dtx_code: 5, radio_link_timeout_blocks: 24 },
            ncc_permitted: 0x78,
            rest: { vbs_vgcs_options: { inband_notifications: true, inband_pagings: true } },
          }),
        ),
      },
    ),
  },
];

describe('encoders reproduce real frames byte for byte', () => {
  it('read the real capture', () => {
    expect(real.size).toBe(293);
  });

  for (const v of vectors) {
    it(`frame ${v.frame}: ${v.what}`, () => {
      const expected = real.get(v.frame);
      expect(expected).toBeDefined();
      expect(Buffer.from(unwrap(v.encoded)).toString('hex')).toBe(Buffer.from(expected as Uint8Array).toString('hex'));
    });
  }

  it('read the real SDCCH/8 capture', () => {
    expect(realSdcch.size).toBe(6);
  });

  for (const v of sdcchVectors) {
    it(`SDCCH capture frame ${v.frame}: ${v.what}`, () => {
      const expected = realSdcch.get(v.frame);
      expect(expected).toBeDefined();
      expect(Buffer.from(unwrap(v.encoded)).toString('hex')).toBe(Buffer.from(expected as Uint8Array).toString('hex'));
    });
  }
});
