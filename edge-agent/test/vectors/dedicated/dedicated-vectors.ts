/**
 * Hand-built vectors for the messages the real captures lack or show in one variant only: Notification/
 * NCH with group calls, SI5/5bis/5ter/6 on the SACCH, and the dedicated-channel signalling of TS 24.008
 * §9.2 / TS 44.018 §9.1 (authentication, ciphering, TMSI reallocation, identity request, IMSI detach,
 * location updating accept/reject, CM service accept/reject, classmark change, channel release, CC Setup),
 * uplink and downlink, in LAPDm I/UI/SABM/UA frames. Bytes are written from the spec clauses named per
 * vector; `expected` is what that construction fixes, so a test checks both tshark agreement and the
 * intended meaning. Test-only.
 */
import { encodeFrequencyList } from '../../../src/gsm/frequency-list-encode.js';
import type { FrequencyListFormat } from '../../../src/gsm/frequency-list.js';
import { bcdIdentity, ccchBlock, lapdmBlock, lv, padBlock, tmsiIdentity, type GsmtapV2Fields } from '@simhound/test-support/pcap-fixtures';
import { BitWriter } from '../si/bit-writer.js';
import { laiOctets } from '../si/si-vectors.js';

export interface DedicatedVector {
  readonly label: string;
  readonly header: GsmtapV2Fields;
  /** The 23-octet Um block after the GSMTAP header. */
  readonly block: Uint8Array;
  /** The event's `message`. */
  readonly message: string;
  /** Fields the construction fixes; the decoded event must contain them. */
  readonly expected: Readonly<Record<string, unknown>>;
}

const I_FRAME = 0x20; // I, N(R)=1, N(S)=0
const I_FRAME_2 = 0x42; // I, N(R)=2, N(S)=1
const SABM = 0x3f;
const UA = 0x73;

const SDCCH = (frame_number: number, uplink = false): GsmtapV2Fields => ({ channel: 8, arfcn: 62, timeslot: 2, sub_slot: 3, frame_number, uplink, signal_dbm: -77 });
const SACCH = (frame_number: number): GsmtapV2Fields => ({ ...SDCCH(frame_number), acch: true });

/** Downlink SACCH block: L1 header (power 5, TA 7), LAPDm B4 UI (SAPI 0), the SI with its L2 pseudo length. */
function sacchSi(type: number, body: readonly number[], pseudoLength = 2 + body.length): Uint8Array {
  return padBlock([0x05, 0x07, 0x03, 0x03, (pseudoLength << 2) | 0x01, 0x06, type, ...body]);
}

function list(format: FrequencyListFormat, arfcns: number[]): number[] {
  const encoded = encodeFrequencyList(format, arfcns);
  if (!encoded.ok) throw new Error(`vector list ${format}: ${encoded.detail}`);
  return [...encoded.value];
}

function notifications(): DedicatedVector[] {
  // §10.5.2.22c: NLN absent; one VGCS call (ref 0x1234567, priority 3) without a channel.
  const one = new BitWriter().bit(0).bit(1).bits(27, 0x1234567).bit(1).bit(0).bits(3, 3).bits(4, 0).bit(0).bit(0);
  // NLN 2; a VBS call with its group channel (SDCCH/8 sub 4, TN 5, TSC 2, ARFCN 600) + a one-octet
  // mobile allocation; a VGCS call (ref 42, priority 0) without channel.
  const two = new BitWriter().bit(1).bits(2, 2)
    .bit(1).bits(27, 0x7ffffff).bit(0).bit(1).bits(3, 7).bits(4, 9).bit(1).octets([0x65, 0x42, 0x58]).bit(1).bit(0).bits(8, 1).bits(8, 0x55)
    .bit(1).bits(27, 42).bit(1).bit(0).bits(3, 0).bits(4, 0).bit(0)
    .bit(0);
  return [
    {
      label: 'Notification/NCH: one VGCS call, no NLN',
      header: { channel: 2, arfcn: 62, frame_number: 2000001 },
      block: ccchBlock([0x06, 0x20], [...one.toBytes(20)]),
      message: 'notification_nch',
      expected: { nln: null, group_calls: [{ group_call_ref: 0x1234567, service: 'vgcs', priority: 3, channel_desc: null }] },
    },
    {
      label: 'Notification/NCH: NLN 2, VBS call with group channel, VGCS call',
      header: { channel: 2, arfcn: 62, frame_number: 2000052 },
      block: padBlock([0x05, 0x06, 0x20, ...two.toBytes(20)]),
      message: 'notification_nch',
      expected: {
        nln: 2,
        group_calls: [
          { group_call_ref: 0x7ffffff, service: 'vbs', priority: 7, channel_desc: { chan_type: 'sdcch8', subchannel: 4, timeslot: 5, tsc: 2, hopping: false, arfcn: 600, maio: null, hsn: null } },
          { group_call_ref: 42, service: 'vgcs', priority: 0, channel_desc: null },
        ],
      },
    },
  ];
}

function sacchSystemInformation(): DedicatedVector[] {
  const si5 = list('range_512', [512, 520, 600, 700]);
  si5[0]! |= 0x10; // BA-IND 1
  const si5bis = list('bitmap_0', [1, 2, 124]);
  si5bis[0]! |= 0x20; // EXT-IND 1
  const si5ter = list('variable_bitmap', [730, 733, 741]);
  si5ter[0]! |= 0x40; // MULTIBAND_REPORTING 2
  // SI6 rest octets: PCH/NCH info (restructured, NLN 1, priority 5, status 1), VBS/VGCS options (1, 0),
  // DTM (RAC 0xa5, MAX_LAPDm 3), band 1900, GPRS_MS_TXPWR_MAX_CCH 19, MBMS (1, 0), Rel-7 AMR config 9.
  const rest = new BitWriter().hl(true).bit(1).bits(2, 1).bit(1).bits(3, 5).bit(1)
    .hl(true).bit(1).bit(0)
    .hl(true).bits(8, 0xa5).bits(3, 3)
    .hl(true)
    .hl(true).bits(5, 19)
    .hl(true).bit(1).bit(0)
    .hl(true).bit(1).bits(4, 9)
    .hl(false);
  const plain = new BitWriter().hl(false).hl(false).hl(false).hl(false).hl(false).hl(false).hl(false).hl(false);
  return [
    {
      label: 'SI5 range 512, BA-IND 1',
      header: SACCH(2000103),
      block: sacchSi(0x1d, si5),
      message: 'system_information_5',
      expected: { info: { neighbour_arfcns: [512, 520, 600, 700], neighbour_arfcns_format: 'range_512', ext_ind: 0, ba_ind: 1 } },
    },
    {
      label: 'SI5bis bit map 0, EXT-IND 1',
      header: SACCH(2000154),
      block: sacchSi(0x05, si5bis),
      message: 'system_information_5bis',
      expected: { info: { neighbour_arfcns: [1, 2, 124], neighbour_arfcns_format: 'bitmap_0', ext_ind: 1, ba_ind: 0 } },
    },
    {
      label: 'SI5ter variable bit map, MULTIBAND_REPORTING 2',
      header: SACCH(2000205),
      block: sacchSi(0x06, si5ter),
      message: 'system_information_5ter',
      expected: { info: { neighbour_arfcns: [730, 733, 741], neighbour_arfcns_format: 'variable_bitmap', multiband_reporting: 2, ba_ind: 0 } },
    },
    {
      label: 'SI6 with every rest-octet branch, MNC 3 digits',
      header: SACCH(2000256),
      block: sacchSi(0x1e, [0x12, 0x34, ...laiOctets('310', '260', 0xbeef), 0x4a, 0x81, ...rest.toBytes(7)], 11),
      message: 'system_information_6',
      expected: {
        cell: { mcc: '310', mnc: '260', lac: 0xbeef, ci: 0x1234 },
        info: {
          ci: 0x1234, mcc: '310', mnc: '260', lac: 0xbeef, pwrc: true, dtx_code: 0b000, radio_link_timeout_sacch_blocks: 44,
          ncc_permitted: [0, 7], pch_nch_info: true, paging_channel_restructured: true, nln_sacch: 1, call_priority: 5,
          nln_status_sacch: 1, inband_notifications: true, inband_pagings: false, dtm_supported: true, rac: 0xa5,
          max_lapdm: 3, band_indicator: '1900', gprs_ms_txpwr_max_cch: 19, dedicated_mode_mbms_notification: true,
          mnci_support: false, amr_config: 9,
        },
      },
    },
    {
      label: 'SI6 plain rest octets, DTX code 6',
      header: SACCH(2000307),
      block: sacchSi(0x1e, [0x00, 0x07, ...laiOctets('262', '02', 318), 0xa3, 0xff, ...plain.toBytes(7)], 11),
      message: 'system_information_6',
      expected: {
        info: {
          ci: 7, mcc: '262', mnc: '02', lac: 318, pwrc: false, dtx_code: 0b110, radio_link_timeout_sacch_blocks: 16,
          ncc_permitted: [0, 1, 2, 3, 4, 5, 6, 7], pch_nch_info: false, paging_channel_restructured: null, nln_sacch: null,
          inband_notifications: null, dtm_supported: false, rac: null, band_indicator: '1800', gprs_ms_txpwr_max_cch: null,
          amr_config: null,
        },
      },
    },
  ];
}

const RAND = Array.from({ length: 16 }, (_, i) => (i * 17 + 3) & 0xff);

function signalling(): DedicatedVector[] {
  return [
    {
      label: 'Authentication Request, GSM (CKSN 2)',
      header: SDCCH(2000358),
      block: lapdmBlock(I_FRAME, [0x05, 0x12, 0x02, ...RAND], 1),
      message: 'authentication_request',
      expected: { type: 'Dedicated', cksn: 2, umts_autn: false },
    },
    {
      // A UMTS request with AUTN (21+ octets) does not fit one LAPDm frame; the frame decoder counts its
      // segments. Here: N(SD) = 1 in the message type octet.
      label: 'Authentication Request, CKSN 5, N(SD) = 1',
      header: SDCCH(2000409),
      block: lapdmBlock(I_FRAME, [0x05, 0x52, 0x05, ...RAND], 1),
      message: 'authentication_request',
      expected: { cksn: 5, umts_autn: false },
    },
    {
      label: 'Authentication Response (uplink)',
      header: SDCCH(2000460, true),
      block: lapdmBlock(0x22, [0x05, 0x54, 0xde, 0xad, 0xbe, 0xef]),
      message: 'authentication_response',
      expected: { extended_res: false, uplink: true },
    },
    {
      label: 'Authentication Response with extended RES (uplink)',
      header: SDCCH(2000511, true),
      block: lapdmBlock(0x22, [0x05, 0x14, 0x01, 0x02, 0x03, 0x04, 0x21, 0x04, 0x05, 0x06, 0x07, 0x08]),
      message: 'authentication_response',
      expected: { extended_res: true },
    },
    {
      label: 'Ciphering Mode Command: A5/3, IMEISV requested',
      header: SDCCH(2000562),
      block: lapdmBlock(I_FRAME_2, [0x06, 0x35, 0x15], 1),
      message: 'ciphering_mode_command',
      expected: { start_ciphering: true, algorithm: 'a5_3', imeisv_requested: true },
    },
    {
      label: 'Ciphering Mode Command: no ciphering',
      header: SDCCH(2000613),
      block: lapdmBlock(I_FRAME, [0x06, 0x35, 0x00], 1),
      message: 'ciphering_mode_command',
      expected: { start_ciphering: false, algorithm: null, imeisv_requested: false },
    },
    {
      label: 'Ciphering Mode Complete with IMEISV (uplink)',
      header: SDCCH(2000664, true),
      block: lapdmBlock(0x22, [0x06, 0x32, 0x17, ...lv(bcdIdentity(3, '3554880612345601'))]),
      message: 'ciphering_mode_complete',
      expected: { subs: [{ kind: 'imeisv' }] },
    },
    {
      label: 'Ciphering Mode Complete, no identity (uplink)',
      header: SDCCH(2000715, true),
      block: lapdmBlock(0x22, [0x06, 0x32]),
      message: 'ciphering_mode_complete',
      expected: { subs: [] },
    },
    {
      label: 'TMSI Reallocation Command: new TMSI in 262-02 LAC 318',
      header: SDCCH(2000766),
      block: lapdmBlock(I_FRAME_2, [0x05, 0x1a, ...laiOctets('262', '02', 318), ...lv(tmsiIdentity(0x7e57ab1e))], 1),
      message: 'tmsi_reallocation_command',
      expected: { lai: { mcc: '262', mnc: '02', lac: 318 }, subs: [{ kind: 'tmsi' }] },
    },
    {
      label: 'TMSI Reallocation Complete (uplink)',
      header: SDCCH(2000817, true),
      block: lapdmBlock(0x44, [0x05, 0x5b]),
      message: 'tmsi_reallocation_complete',
      expected: {},
    },
    {
      label: 'Identity Request: IMSI',
      header: SDCCH(2000868),
      block: lapdmBlock(I_FRAME, [0x05, 0x18, 0x01], 1),
      message: 'identity_request',
      expected: { identity_type: 'imsi' },
    },
    {
      label: 'Identity Request: IMEISV',
      header: SDCCH(2000919),
      block: lapdmBlock(I_FRAME, [0x05, 0x18, 0x03], 1),
      message: 'identity_request',
      expected: { identity_type: 'imeisv' },
    },
    {
      label: 'IMSI Detach Indication with TMSI (uplink SABM)',
      header: SDCCH(2000970, true),
      block: lapdmBlock(SABM, [0x05, 0x01, 0x57, ...lv(tmsiIdentity(0x0a0b0c0d))]),
      message: 'imsi_detach_indication',
      expected: { type: 'DedicatedRequest', subs: [{ kind: 'tmsi' }] },
    },
    {
      label: 'IMSI Detach Indication with IMSI echoed in UA',
      header: SDCCH(2001021),
      block: lapdmBlock(UA, [0x05, 0x01, 0x57, ...lv(bcdIdentity(1, '262029999988888'))]),
      message: 'imsi_detach_indication',
      expected: { subs: [{ kind: 'imsi' }] },
    },
    {
      label: 'Location Updating Accept with new TMSI and Follow On Proceed',
      header: SDCCH(2001072),
      block: lapdmBlock(I_FRAME_2, [0x05, 0x02, ...laiOctets('262', '02', 318), 0x17, ...lv(tmsiIdentity(0x1badb002)), 0xa1], 1),
      message: 'location_updating_accept',
      expected: { lai: { mcc: '262', mnc: '02', lac: 318 }, subs: [{ kind: 'tmsi' }], follow_on_proceed: true },
    },
    {
      label: 'Location Updating Accept, no new identity, T3212 TLV',
      header: SDCCH(2001123),
      block: lapdmBlock(I_FRAME, [0x05, 0x02, ...laiOctets('001', '001', 1), 0x35, 0x01, 0x2a], 1),
      message: 'location_updating_accept',
      expected: { lai: { mcc: '001', mnc: '001', lac: 1 }, subs: [], follow_on_proceed: false },
    },
    {
      label: 'Location Updating Reject: IMSI unknown in HLR',
      header: SDCCH(2001174),
      block: lapdmBlock(I_FRAME, [0x05, 0x04, 0x02], 1),
      message: 'location_updating_reject',
      expected: { reject_cause_code: 2, reject_cause: 'imsi_unknown_in_hlr' },
    },
    {
      label: 'Location Updating Reject: retry upon entry into a new cell (50)',
      header: SDCCH(2001225),
      block: lapdmBlock(I_FRAME, [0x05, 0x04, 50], 1),
      message: 'location_updating_reject',
      expected: { reject_cause_code: 50, reject_cause: 'retry_in_new_cell' },
    },
    {
      label: 'CM Service Accept',
      header: SDCCH(2001276),
      block: lapdmBlock(I_FRAME, [0x05, 0x21], 1),
      message: 'cm_service_accept',
      expected: {},
    },
    {
      label: 'CM Service Reject: IMSI unknown in VLR',
      header: SDCCH(2001327),
      block: lapdmBlock(I_FRAME, [0x05, 0x22, 0x04], 1),
      message: 'cm_service_reject',
      expected: { reject_cause_code: 4, reject_cause: 'imsi_unknown_in_vlr' },
    },
    {
      label: 'Classmark Change with Classmark 3 (uplink)',
      header: SDCCH(2001378, true),
      block: lapdmBlock(0x22, [0x06, 0x16, 0x03, 0x33, 0x59, 0x83, 0x20, 0x03, 0x60, 0x14, 0x00]),
      message: 'classmark_change',
      expected: {
        classmark: {
          revision_level: 1, es_ind: true, a5_1: true, a5_2: true, a5_3: true, rf_power_capability: 3, ps_capability: true,
          ss_screening: 1, sm_capability: true, vbs: false, vgcs: false, fc: true, cm3: true, lcsva_cap: false,
          ucs2: false, solsa: false, cmsp: false,
        },
        classmark3_present: true,
      },
    },
    {
      label: 'Classmark Change, A5/1 not available, no Classmark 3 (uplink)',
      header: SDCCH(2001429, true),
      block: lapdmBlock(0x22, [0x06, 0x16, 0x03, 0x48, 0x1e, 0x3c]),
      message: 'classmark_change',
      expected: {
        classmark: {
          revision_level: 2, es_ind: false, a5_1: false, a5_2: false, a5_3: false, rf_power_capability: 0, ps_capability: false,
          ss_screening: 1, sm_capability: true, vbs: true, vgcs: true, fc: false, cm3: false, lcsva_cap: true,
          ucs2: true, solsa: true, cmsp: true,
        },
        classmark3_present: false,
      },
    },
    {
      label: 'CC Setup, mobile originating (uplink, TI 0), bearer capability and called number never read',
      header: SDCCH(2001480, true),
      block: lapdmBlock(0x44, [0x03, 0x45, 0x04, 0x01, 0xa0, 0x5e, 0x06, 0x81, 0x21, 0x43, 0x65, 0x87, 0xf9]),
      message: 'cc_setup',
      expected: { call_direction: 'mobile_originated', transaction_id: 0 },
    },
    {
      label: 'CC Setup, mobile terminating (downlink, TI 3)',
      header: SDCCH(2001531),
      block: lapdmBlock(I_FRAME_2, [0x33, 0x05, 0x04, 0x01, 0xa0], 1),
      message: 'cc_setup',
      expected: { call_direction: 'mobile_terminated', transaction_id: 3 },
    },
    {
      label: 'Channel Release: normal event',
      header: SDCCH(2001582),
      block: lapdmBlock(0x64, [0x06, 0x0d, 0x00], 1),
      message: 'channel_release',
      expected: { rr_cause_code: 0, rr_cause: 'normal_event' },
    },
    {
      label: 'Channel Release: call already cleared, with a trailing optional IE',
      header: SDCCH(2001633),
      block: lapdmBlock(0x64, [0x06, 0x0d, 0x41, 0xc1], 1),
      message: 'channel_release',
      expected: { rr_cause_code: 0x41, rr_cause: 'call_already_cleared' },
    },
  ];
}

/**
 * tshark's LAPDm dissector takes an I frame whose N(S) repeats the previous one's in the same direction
 * for a retransmission and does not dissect it again, so the I frames get consecutive N(S) per direction.
 */
function numberIFrames(vectors: DedicatedVector[]): DedicatedVector[] {
  const next = { uplink: 0, downlink: 0 };
  return vectors.map((v) => {
    const acch = v.header.acch === true;
    const lapdm = acch ? 2 : 0;
    if (v.header.channel !== 8 || (v.block[lapdm + 1]! & 0x01) !== 0) return v;
    const direction = v.header.uplink === true ? 'uplink' : 'downlink';
    const block = Uint8Array.from(v.block);
    block[lapdm + 1] = (block[lapdm + 1]! & 0xf1) | (next[direction] << 1);
    next[direction] = (next[direction] + 1) & 0x07;
    return { ...v, block };
  });
}

export function dedicatedVectors(): DedicatedVector[] {
  return numberIFrames([...notifications(), ...sacchSystemInformation(), ...signalling()]);
}
