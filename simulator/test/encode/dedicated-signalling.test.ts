/**
 * The encoders of the NCH, the SACCH system information and the dedicated-channel signalling, round
 * tripped twice: through tshark (clean dissection, field values) and through the edge agent's own
 * decoders (the event carries what was encoded). Encoders and decoders were written separately from the
 * spec; tshark is the independent referee.
 */
import { describe, expect, it } from 'vitest';
import { GsmFrameDecoder, createSubRefHasher, tmsiToString, type GsmEvent } from '@simhound/edge-agent';
import {
  type EncodeResult,
  type GsmtapHeader,
  GSMTAP_CHANNEL,
  encodeAuthenticationRequest,
  encodeAuthenticationResponse,
  encodeCcSetup,
  encodeChannelRelease,
  encodeCipheringModeCommand,
  encodeCipheringModeComplete,
  encodeClassmarkChange,
  encodeCmServiceAccept,
  encodeCmServiceReject,
  encodeGsmtapV2,
  encodeIdentityRequest,
  encodeImsiDetachIndication,
  encodeLapdmBlock,
  encodeLocationUpdatingAccept,
  encodeLocationUpdatingReject,
  encodeNotificationNch,
  encodeSacchBlock,
  encodeSystemInformation5,
  encodeSystemInformation5bis,
  encodeSystemInformation5ter,
  encodeSystemInformation6,
  encodeTmsiReallocationCommand,
  encodeTmsiReallocationComplete,
  MM_REJECT_CAUSE,
  RR_CAUSE,
} from '../../src/encode/index.js';
import { arfcnList, decodeWithTshark, mncDigits, show, showInt, shows, unwrap, type FrameToDecode } from './tshark-roundtrip.js';

const SDCCH = { channel: GSMTAP_CHANNEL.SDCCH8, timeslot: 3, sub_slot: 6, arfcn: 42 } as const;
const SACCH = { ...SDCCH, acch: true } as const;
const subRef = createSubRefHasher(Buffer.alloc(32, 0x61));

/** I frames with consecutive N(S) per direction (tshark takes a repeated N(S) for a retransmission). */
class Link {
  private readonly ns = { uplink: 0, downlink: 0 };

  frame(direction: 'uplink' | 'downlink', l3: EncodeResult): FrameToDecode {
    const ns = this.ns[direction];
    this.ns[direction] = (ns + 1) & 7;
    return {
      header: { ...SDCCH, uplink: direction === 'uplink' },
      block: encodeLapdmBlock({ type: 'I', direction, ns, nr: 0, information: unwrap(l3) }),
    };
  }
}

/** Our decoder's events for the same frames (one decoder, in order, as a probe would see them). */
function decodeOurs(frames: readonly FrameToDecode[]): GsmEvent[][] {
  const decoder = new GsmFrameDecoder({ subRef });
  return frames.map((f, i) => {
    const block = f.block instanceof Uint8Array ? f.block : unwrap(f.block);
    const header: GsmtapHeader = { channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 1, frame_number: i, ...f.header };
    const datagram = unwrap(encodeGsmtapV2(header, block));
    const events: GsmEvent[] = [];
    const outcome = decoder.decode(datagram, 0, datagram.length, i, 'sim', (e) => events.push(e));
    expect(outcome, `frame ${i}`).toBe('ok');
    return events;
  });
}

const RAND = Array.from({ length: 16 }, (_, i) => 0xa0 + i);

describe('NCH and SACCH system information encoders (tshark and decoder round trip)', () => {
  it('Notification/NCH with NLN and group calls (with and without a group channel)', async () => {
    const frames: FrameToDecode[] = [
      { block: encodeNotificationNch({}) },
      {
        block: encodeNotificationNch({
          nln: 3,
          group_calls: [
            { group_call_ref: 123456, service: 'vgcs', priority: 2, channel: { channel_type: 'sdcch8', subchannel: 7, timeslot: 6, tsc: 5, rf: { arfcn: 1023 } }, mobile_allocation: [0x0f] },
            { group_call_ref: 1, service: 'vbs', acknowledgement_required: true, ciphering: 3 },
          ],
        }),
      },
    ];
    const packets = await decodeWithTshark(frames);
    for (const p of packets) expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x20');
    const [empty, full] = decodeOurs(frames);
    expect(empty).toMatchObject([{ type: 'Notification', nln: null, group_calls: [] }]);
    expect(full).toMatchObject([
      {
        nln: 3,
        group_calls: [
          { group_call_ref: 123456, service: 'vgcs', priority: 2, channel_desc: { chan_type: 'sdcch8', subchannel: 7, timeslot: 6, tsc: 5, arfcn: 1023 } },
          { group_call_ref: 1, service: 'vbs', priority: 0, channel_desc: null },
        ],
      },
    ]);
  });

  it('SI5, SI5bis, SI5ter and SI6 in downlink SACCH B4 frames', async () => {
    const l1 = { ms_power_level: 7, ta_steps: 12 };
    const ui = (information: EncodeResult) => encodeSacchBlock(l1, { type: 'UI', direction: 'downlink', information: unwrap(information) });
    const frames: FrameToDecode[] = [
      { header: SACCH, block: ui(encodeSystemInformation5({ neighbours: [1, 50, 124], ba_ind: true })) },
      { header: SACCH, block: ui(encodeSystemInformation5bis({ neighbours: [512, 600, 610], neighbours_format: 'range1024', ext_ind: true })) },
      { header: SACCH, block: ui(encodeSystemInformation5ter({ neighbours: [730, 741], multiband_reporting: 3, ba_ind: true })) },
      {
        header: SACCH,
        block: ui(
          encodeSystemInformation6({
            ci: 4711,
            lai: { mcc: '460', mnc: '001', lac: 0x1234 },
            cell_options: { pwrc: true, dtx_code: 7, radio_link_timeout_blocks: 64 },
            ncc_permitted: 0x0f,
            rest: {
              pch_nch_info: { paging_channel_restructured: false, nln_sacch: 2, call_priority: 4, nln_status_sacch: 0 },
              vbs_vgcs_options: { inband_notifications: false, inband_pagings: true },
              dtm: { rac: 200, max_lapdm: 5 },
              band_indicator: '1900',
              gprs_ms_txpwr_max_cch: 31,
              mbms: { dedicated_mode_mbms_notification: false, mnci_support: true },
              amr_config: 15,
            },
          }),
        ),
      },
      { header: SACCH, block: ui(encodeSystemInformation6({ ci: 0, lai: { mcc: '001', mnc: '01', lac: 1 } })) },
    ];
    const [si5, si5bis, si5ter, si6, si6plain] = await decodeWithTshark(frames);
    expect(show(si5!, 'gsm_a.dtap.msg_rr_type')).toBe('0x1d');
    expect(arfcnList(si5!)).toEqual([1, 50, 124]);
    expect(show(si5!, 'gsm_a.rr.ba_ind')).toBe('1');
    expect(show(si5!, 'gsm_a.rr.ext_ind')).toBe('0');
    expect(showInt(si5!, 'gsm_a.rr.l2_pseudo_len')).toBe(18);
    expect(show(si5!, 'gsmtap.sacch_l1.ta')).toBe('12');
    expect(show(si5!, 'gsmtap.sacch_l1.power_lev')).toBe('7');
    expect(arfcnList(si5bis!)).toEqual([512, 600, 610]);
    expect(show(si5bis!, 'gsm_a.rr.ext_ind')).toBe('1');
    expect(arfcnList(si5ter!)).toEqual([730, 741]);
    expect(show(si5ter!, 'gsm_a.rr.multiband_reporting')).toBe('3');
    expect(show(si6!, 'gsm_a.bssmap.cell_ci')).toBe('0x1267');
    expect(mncDigits(si6!, 'e212.lai.mnc')).toEqual(['001']);
    expect(show(si6!, 'gsm_a.rr.dtx_sacch')).toBe('7');
    expect(show(si6!, 'gsm_a.rr.radio_link_timeout')).toBe('15');
    expect(show(si6!, 'gsm_a.rr.nln_sacch')).toBe('2');
    expect(show(si6!, 'gsm_a.call_prio')).toBe('4');
    expect(show(si6!, 'gsm_a.rr.rac')).toBe('200');
    expect(show(si6!, 'gsm_a.rr.band_indicator')).toBe('1');
    expect(show(si6!, 'gsm_a.rr.amr_config')).toBe('15');
    expect(show(si6plain!, 'gsm_a.rr.pch_and_nch_info')).toBe('0');
    const ours = decodeOurs(frames).map((e) => e[0]);
    expect(ours[0]).toMatchObject({ message: 'system_information_5', info: { neighbour_arfcns: [1, 50, 124], ba_ind: 1, ext_ind: 0 } });
    expect(ours[1]).toMatchObject({ message: 'system_information_5bis', info: { neighbour_arfcns: [512, 600, 610], neighbour_arfcns_format: 'range_1024', ext_ind: 1 } });
    expect(ours[2]).toMatchObject({ message: 'system_information_5ter', info: { neighbour_arfcns: [730, 741], multiband_reporting: 3, ba_ind: 1 } });
    expect(ours[3]).toMatchObject({
      message: 'system_information_6',
      cell: { mcc: '460', mnc: '001', lac: 0x1234, ci: 4711 },
      info: {
        pwrc: true, dtx_code: 7, radio_link_timeout_sacch_blocks: 64, ncc_permitted: [0, 1, 2, 3], paging_channel_restructured: false,
        nln_sacch: 2, call_priority: 4, nln_status_sacch: 0, inband_notifications: false, inband_pagings: true, rac: 200, max_lapdm: 5,
        band_indicator: '1900', gprs_ms_txpwr_max_cch: 31, dedicated_mode_mbms_notification: false, mnci_support: true, amr_config: 15,
      },
    });
    expect(ours[4]).toMatchObject({ info: { ci: 0, pch_nch_info: false, dtm_supported: false, amr_config: null, dtx_code: 2, radio_link_timeout_sacch_blocks: 16 } });
  });
});

describe('dedicated-channel signalling encoders (tshark and decoder round trip)', () => {
  it('an MO call and a location update with every message in both directions', async () => {
    const link = new Link();
    const lai = { mcc: '262', mnc: '02', lac: 318 };
    const frames: FrameToDecode[] = [
      link.frame('downlink', encodeIdentityRequest({ identity_type: 'imsi' })),
      link.frame('downlink', encodeAuthenticationRequest({ cksn: 4, rand: RAND })),
      link.frame('uplink', encodeAuthenticationResponse({ sres: [1, 2, 3, 4], send_sequence_number: 1 })),
      link.frame('downlink', encodeCipheringModeCommand({ algorithm: 'a5_3', imeisv_requested: true })),
      link.frame('uplink', encodeCipheringModeComplete({ imeisv: '3534910123456701' })),
      link.frame('downlink', encodeTmsiReallocationCommand({ lai, identity: { type: 'tmsi', tmsi: 0x12345678 } })),
      link.frame('uplink', encodeTmsiReallocationComplete({ send_sequence_number: 2 })),
      link.frame('downlink', encodeLocationUpdatingAccept({ lai, identity: { type: 'tmsi', tmsi: 0x0badf00d }, follow_on_proceed: true })),
      link.frame('downlink', encodeLocationUpdatingReject({ cause: MM_REJECT_CAUSE.imsi_unknown_in_hlr })),
      link.frame('downlink', encodeCmServiceAccept()),
      link.frame('downlink', encodeCmServiceReject({ cause: MM_REJECT_CAUSE.congestion })),
      link.frame('uplink', encodeClassmarkChange({ classmark: { revision_level: 2, a5_3: true }, classmark3: [0x60, 0x14, 0x00] })),
      link.frame('uplink', encodeCcSetup({ direction: 'mobile_originated', transaction_id: 2, called_number: '12345', send_sequence_number: 3 })),
      link.frame('downlink', encodeCcSetup({ direction: 'mobile_terminated', transaction_id: 5, calling_number: '49301234567' })),
      link.frame('downlink', encodeChannelRelease({ rr_cause: RR_CAUSE.call_already_cleared })),
      link.frame('uplink', encodeImsiDetachIndication({ identity: { type: 'imsi', digits: '262021234567890' } })),
      link.frame('downlink', encodeCipheringModeCommand({ start_ciphering: false })),
    ];
    const p = await decodeWithTshark(frames);
    expect(show(p[0]!, 'gsm_a.dtap.type_of_identity')).toBe('1');
    expect(show(p[1]!, 'gsm_a.dtap.ciphering_key_sequence_number')).toBe('4');
    expect(show(p[1]!, 'gsm_a.dtap.rand')).toBe([...RAND].map((b) => b.toString(16)).join(':'));
    expect(show(p[2]!, 'gsm_a.dtap.sres')).toBe('01:02:03:04');
    expect(show(p[2]!, 'gsm_a.dtap.seq_no')).toBe('1');
    expect(show(p[3]!, 'gsm_a.rr.algorithm_identifier')).toBe('2');
    expect(show(p[3]!, 'gsm_a.rr.CR')).toBe('1');
    expect(show(p[4]!, 'gsm_a.imeisv')).toBe('3534910123456701');
    expect(show(p[5]!, '3gpp.tmsi')).toBe(String(0x12345678));
    expect(show(p[6]!, 'gsm_a.dtap.msg_mm_type')).toBe('0x1b');
    expect(show(p[7]!, '3gpp.tmsi')).toBe(String(0x0badf00d));
    expect(shows(p[7]!, 'gsm_a.dtap.elem_id')).toContain('0xa1');
    expect(show(p[8]!, 'gsm_a.dtap.rej_cause')).toBe('2');
    expect(show(p[9]!, 'gsm_a.dtap.msg_mm_type')).toBe('0x21');
    expect(show(p[10]!, 'gsm_a.dtap.rej_cause')).toBe('22');
    expect(show(p[11]!, 'gsm_a.CM3')).toBe('1');
    expect(shows(p[11]!, 'gsm_a.A5_3_algorithm_sup')[0]).toBe('1');
    expect(show(p[12]!, 'gsm_a.dtap.msg_cc_type')).toBe('0x05');
    expect(show(p[12]!, 'gsm_a.dtap.tio')).toBe('2');
    expect(show(p[12]!, 'gsm_a.dtap.cld_party_bcd_num')).toBe('12345');
    expect(show(p[13]!, 'gsm_a.dtap.tio')).toBe('5');
    expect(show(p[13]!, 'gsm_a.dtap.clg_party_bcd_num')).toBe('49301234567');
    expect(show(p[14]!, 'gsm_a.rr.RRcause')).toBe('65');
    expect(show(p[15]!, 'e212.imsi')).toBe('262021234567890');
    expect(show(p[16]!, 'gsm_a.rr.SC')).toBe('0');

    const ours = decodeOurs(frames).map((e) => e[0]);
    const tmsiRef = (t: number) => subRef('tmsi', tmsiToString(t));
    expect(ours.map((e) => e?.message)).toEqual([
      'identity_request', 'authentication_request', 'authentication_response', 'ciphering_mode_command', 'ciphering_mode_complete',
      'tmsi_reallocation_command', 'tmsi_reallocation_complete', 'location_updating_accept', 'location_updating_reject',
      'cm_service_accept', 'cm_service_reject', 'classmark_change', 'cc_setup', 'cc_setup', 'channel_release',
      'imsi_detach_indication', 'ciphering_mode_command',
    ]);
    expect(ours[0]).toMatchObject({ identity_type: 'imsi' });
    expect(ours[1]).toMatchObject({ cksn: 4, umts_autn: false, uplink: false });
    expect(ours[2]).toMatchObject({ extended_res: false, uplink: true });
    expect(ours[3]).toMatchObject({ start_ciphering: true, algorithm: 'a5_3', imeisv_requested: true });
    expect(ours[4]).toMatchObject({ subs: [{ kind: 'imeisv', sub_ref: subRef('imeisv', '3534910123456701') }] });
    expect(ours[5]).toMatchObject({ lai, subs: [{ kind: 'tmsi', sub_ref: tmsiRef(0x12345678) }] });
    expect(ours[7]).toMatchObject({ lai, subs: [{ sub_ref: tmsiRef(0x0badf00d) }], follow_on_proceed: true });
    expect(ours[8]).toMatchObject({ reject_cause_code: 2, reject_cause: 'imsi_unknown_in_hlr' });
    expect(ours[10]).toMatchObject({ reject_cause_code: 22, reject_cause: 'congestion' });
    expect(ours[11]).toMatchObject({ classmark: { revision_level: 2, a5_1: true, a5_3: true, cm3: true }, classmark3_present: true });
    expect(ours[12]).toMatchObject({ call_direction: 'mobile_originated', transaction_id: 2 });
    expect(ours[13]).toMatchObject({ call_direction: 'mobile_terminated', transaction_id: 5 });
    expect(ours[14]).toMatchObject({ rr_cause_code: 0x41, rr_cause: 'call_already_cleared' });
    expect(ours[15]).toMatchObject({ type: 'DedicatedRequest', subs: [{ kind: 'imsi', sub_ref: subRef('imsi', '262021234567890') }] });
    expect(ours[16]).toMatchObject({ start_ciphering: false, algorithm: null });
  });

  it('a UMTS Authentication Request (with AUTN) encodes, and is too long for one LAPDm frame', () => {
    const request = unwrap(encodeAuthenticationRequest({ cksn: 1, rand: RAND, autn: RAND }));
    expect(request.length).toBe(2 + 1 + 16 + 2 + 16);
    expect(encodeLapdmBlock({ type: 'I', direction: 'downlink', information: request })).toMatchObject({ ok: false, reason: 'too_long' });
    expect(unwrap(encodeAuthenticationResponse({ sres: [9, 9, 9, 9], extended_res: [1, 2, 3, 4] })).subarray(6)).toEqual(Uint8Array.of(0x21, 4, 1, 2, 3, 4));
  });

  it('rejects values that cannot be encoded, with a typed reason', () => {
    expect(encodeAuthenticationRequest({ cksn: 1, rand: [1, 2, 3] })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeAuthenticationRequest({ cksn: 8, rand: RAND })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeAuthenticationResponse({ sres: [1, 2, 3, 4], extended_res: [] })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeCcSetup({ direction: 'mobile_originated', transaction_id: 7, called_number: '1' })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeCcSetup({ direction: 'mobile_originated', transaction_id: 0, called_number: '12a' })).toMatchObject({ ok: false, reason: 'bad_digits' });
    expect(encodeCipheringModeComplete({ imeisv: '123' })).toMatchObject({ ok: false, reason: 'bad_digits' });
    expect(encodeChannelRelease({ rr_cause: 256 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeClassmarkChange({ classmark3: new Array(33).fill(0) })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeNotificationNch({ nln: 4 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeNotificationNch({ group_calls: new Array(6).fill({ group_call_ref: 1, service: 'vbs' }) })).toMatchObject({ ok: false, reason: 'too_long' });
    expect(encodeSystemInformation5ter({ neighbours: [1], multiband_reporting: 4 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeSystemInformation6({ ci: 1, lai: { mcc: '262', mnc: '02', lac: 1 }, cell_options: { dtx_code: 8 } })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeTmsiReallocationCommand({ lai: { mcc: '26', mnc: '02', lac: 1 }, identity: { type: 'tmsi', tmsi: 1 } })).toMatchObject({ ok: false, reason: 'bad_digits' });
  });
});
