/**
 * The dedicated-channel, SACCH and NCH decoders (Notification/NCH, SI5/5bis/5ter/6, authentication,
 * ciphering, TMSI reallocation, identity request, IMSI detach, location updating accept/reject, CM
 * service accept/reject, classmark change, CC Setup, channel release) against tshark, run live:
 *  - the real SDCCH/8 capture (SI5, Paging Response echoed in a UA, Ciphering Mode Command, SI6, Setup)
 *    and the 33 Notification/NCH frames of the real BCCH/CCCH capture;
 *  - hand-built vectors (vectors/dedicated/) for every other message and branch, checked both against
 *    what their construction from the spec fixes and against tshark, field by field;
 *  - typed rejections for truncated and lying bodies.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GsmtapCaptureBuffer } from '@simhound/simulator';
import { gsmtapV2 } from '@simhound/test-support/pcap-fixtures';
import { CellStateTracker } from '../../src/gsm/cell-state.js';
import type { EventBase, GsmEvent, NotificationEvent } from '../../src/gsm/events.js';
import { GsmFrameDecoder } from '../../src/gsm/frame-decoder.js';
import { MESSAGE_DECODERS } from '../../src/gsm/messages/index.js';
import type { DecodeContext } from '../../src/gsm/messages/types.js';
import { dedicatedVectors } from '../vectors/dedicated/dedicated-vectors.js';
import { tsharkPdmlFrames, tsharkVersionLine, type PdmlFrame } from '../vectors/si/tshark-pdml.js';
import { compareDedicatedWithTshark, ORACLE_SUB_REF } from './dedicated-oracle.js';
import { decodePerPacket } from './tshark-oracle.js';

const VECTORS = join(import.meta.dirname, '..', 'vectors');
const SDCCH_CAPTURE = join(VECTORS, 'vf_call6_sdcch8_ts1_ss1.scrubbed.pcap');
const BCCH_CAPTURE = join(VECTORS, 'vf_call6_bcch_ccch_ts0.scrubbed.pcap');

function decodeVector(header: Parameters<typeof gsmtapV2>[0], block: Uint8Array) {
  const decoder = new GsmFrameDecoder({ subRef: ORACLE_SUB_REF });
  const bytes = gsmtapV2(header, block);
  const events: GsmEvent[] = [];
  const outcome = decoder.decode(bytes, 0, bytes.length, 1000, 'vectors', (e) => events.push(e));
  return { outcome, events };
}

describe('dedicated-channel messages: the real captures vs tshark', () => {
  it('the SDCCH/8 capture: SI5, Paging Response (UA), Ciphering Mode Command, SI6, CC Setup, each as tshark sees it', async () => {
    const [packets, frames] = await Promise.all([decodePerPacket(SDCCH_CAPTURE, ORACLE_SUB_REF), tsharkPdmlFrames(SDCCH_CAPTURE)]);
    expect(packets).toHaveLength(6);
    expect(packets.map((p) => p.outcome)).toEqual(['fill_frame', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const events = packets.map((p) => p.events[0]);
    expect(events.map((e) => e?.message)).toEqual([undefined, 'system_information_5', 'paging_response', 'ciphering_mode_command', 'system_information_6', 'cc_setup']);
    const mismatches = packets.flatMap((p, i) => p.events.map((e) => compareDedicatedWithTshark(`frame ${p.number}`, e, frames[i]!)).flat());
    expect(mismatches).toEqual([]);
    // What PROVENANCE.md says the capture holds, so the comparison above cannot pass on empty events.
    expect(events[1]).toMatchObject({ type: 'CellInfo', acch: true, fn: 862242, info: { neighbour_arfcns: [730, 733, 734, 741, 746], neighbour_arfcns_format: 'variable_bitmap', ba_ind: 1 } });
    expect(events[2]).toMatchObject({ type: 'DedicatedRequest', fn: 862261, subs: [{ kind: 'tmsi', sub_ref: ORACLE_SUB_REF('tmsi', '015c5703') }] });
    expect(events[3]).toMatchObject({ type: 'Dedicated', fn: 862312, start_ciphering: true, algorithm: 'a5_1', imeisv_requested: true });
    expect(events[4]).toMatchObject({
      type: 'CellInfo',
      fn: 862344,
      cell: { mcc: '262', mnc: '02', lac: 318, ci: 11225 },
      info: { ci: 11225, dtx_code: 5, radio_link_timeout_sacch_blocks: 24, ncc_permitted: [3, 4, 5, 6], inband_notifications: true, inband_pagings: true, band_indicator: '1800' },
    });
    expect(events[5]).toMatchObject({ type: 'Dedicated', fn: 862363, call_direction: 'mobile_terminated', transaction_id: 1 });
    // Nothing of the Setup's content (the calling number) is in the event.
    expect(Object.keys(events[5]!).sort()).toEqual(['acch', 'arfcn', 'call_direction', 'cell', 'channel', 'fn', 'message', 'rssi_dbm', 'snr_db', 'sub_slot', 'timeslot', 'transaction_id', 'ts_ms', 'type', 'uplink']);
  });

  it('the BCCH/CCCH capture: all 33 Notification/NCH frames become Notification events (NLN 0, no group call)', async () => {
    const [packets, frames] = await Promise.all([decodePerPacket(BCCH_CAPTURE, ORACLE_SUB_REF), tsharkPdmlFrames(BCCH_CAPTURE)]);
    const nchFrames = frames.filter((f) => f.one('gsm_a.dtap.msg_rr_type')?.show === '0x20');
    expect(nchFrames).toHaveLength(33);
    const notifications = packets.flatMap((p) => p.events).filter((e): e is NotificationEvent => e.type === 'Notification');
    expect(notifications).toHaveLength(33);
    // Every NT/N rest octets field in the capture is 0x8b: NLN present = 1, NLN 00, no group call, L.
    for (const n of notifications) expect(n).toMatchObject({ message: 'notification_nch', nln: 0, group_calls: [] });
    expect(notifications.map((n) => n.fn)).toEqual(nchFrames.map((f) => Number(f.one('gsmtap.frame_nr')!.show)));
  });
});

describe('dedicated-channel messages: hand-built vectors', () => {
  const vectors = dedicatedVectors();
  let dir: string;
  let frames: PdmlFrame[] = [];

  beforeAll(async () => {
    await tsharkVersionLine();
    dir = mkdtempSync(join(tmpdir(), 'simhound-dedicated-'));
    const capture = GsmtapCaptureBuffer.create();
    if (!capture.ok) throw new Error(capture.reason);
    vectors.forEach((v, i) => capture.value.write(gsmtapV2(v.header, v.block), 1_700_000_000_000_000 + i * 4615));
    const path = join(dir, 'dedicated-vectors.pcap');
    writeFileSync(path, capture.value.toBuffer());
    frames = await tsharkPdmlFrames(path);
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('covers every new decoder', () => {
    const covered = new Set(vectors.map((v) => v.message));
    for (const name of [
      'notification_nch', 'system_information_5', 'system_information_5bis', 'system_information_5ter', 'system_information_6',
      'authentication_request', 'authentication_response', 'ciphering_mode_command', 'ciphering_mode_complete',
      'tmsi_reallocation_command', 'tmsi_reallocation_complete', 'identity_request', 'imsi_detach_indication',
      'location_updating_accept', 'location_updating_reject', 'cm_service_accept', 'cm_service_reject',
      'classmark_change', 'cc_setup', 'channel_release',
    ]) {
      expect(covered.has(name), name).toBe(true);
      expect(MESSAGE_DECODERS.some((d) => d.name === name), name).toBe(true);
    }
  });

  it('each vector decodes to one event with the values its construction from the spec fixes', () => {
    for (const v of vectors) {
      const { outcome, events } = decodeVector(v.header, v.block);
      expect(outcome, v.label).toBe('ok');
      expect(events, v.label).toHaveLength(1);
      expect(events[0]!.message, v.label).toBe(v.message);
      expect(events[0], v.label).toMatchObject(v.expected);
      expect(events[0]!.fn, v.label).toBe(v.header.frame_number);
    }
  });

  it('tshark agrees with every decoded field of every vector', () => {
    expect(frames).toHaveLength(vectors.length);
    const mismatches: string[] = [];
    vectors.forEach((v, i) => {
      expect(frames[i]!.has('_ws.malformed'), `${v.label}: tshark calls it malformed`).toBe(false);
      const { events } = decodeVector(v.header, v.block);
      mismatches.push(...compareDedicatedWithTshark(v.label, events[0]!, frames[i]!));
    });
    expect(mismatches).toEqual([]);
  });
});

describe('dedicated-channel messages: decoder edge cases', () => {
  const base: EventBase = { ts_ms: 0, fn: 7, arfcn: 1, uplink: false, timeslot: 1, sub_slot: 0, channel: 'sdcch8', acch: false, rssi_dbm: null, snr_db: null, cell: null };
  const decode = (name: string, body: readonly number[], l2PseudoEnd?: number) => {
    const decoder = MESSAGE_DECODERS.find((d) => d.name === name)!;
    const buf = Uint8Array.from([0x06, 0x00, ...body]);
    const ctx: DecodeContext = { base, subRef: ORACLE_SUB_REF, cell: new CellStateTracker().get('t', 1), l2PseudoEnd: l2PseudoEnd ?? buf.length };
    return decoder.decode(buf, 2, buf.length, ctx);
  };

  it('an Authentication Request with AUTN (UMTS) is marked, and a lying AUTN length is bad_length', () => {
    const rand = new Array(16).fill(0x11);
    expect(decode('authentication_request', [0x03, ...rand, 0x20, 0x10, ...new Array(16).fill(0x22)])).toMatchObject({ ok: true, value: { cksn: 3, umts_autn: true } });
    expect(decode('authentication_request', [0x03, ...rand, 0x20, 0x10, 0x22])).toMatchObject({ ok: false, reason: 'bad_length' });
  });

  it('truncated bodies are too_short, lying lengths bad_length, bad digits bad_value/bad_ie', () => {
    const cases: [string, number[], string][] = [
      ['authentication_request', [0x01, 1, 2, 3], 'too_short'],
      ['authentication_response', [1, 2, 3], 'too_short'],
      ['authentication_response', [1, 2, 3, 4, 0x21, 9, 1], 'bad_length'],
      ['ciphering_mode_command', [], 'too_short'],
      ['ciphering_mode_complete', [0x17, 9, 0x33], 'bad_length'],
      ['ciphering_mode_complete', [0x17, 1, 0xa3], 'bad_ie'],
      ['tmsi_reallocation_command', [0x62, 0xf2, 0x20, 0x01], 'too_short'],
      ['tmsi_reallocation_command', [0x6a, 0xf2, 0x20, 0x01, 0x3e, 5, 0xf4, 1, 2, 3, 4], 'bad_value'],
      ['tmsi_reallocation_command', [0x62, 0xf2, 0x20, 0x01, 0x3e, 5, 0xf4, 1, 2], 'bad_length'],
      ['channel_release', [], 'too_short'],
      ['classmark_change', [3, 0x33, 0x59], 'too_short'],
      ['classmark_change', [2, 0x33, 0x59, 0x83], 'bad_ie'],
      ['classmark_change', [3, 0x33, 0x59, 0x83, 0x20, 5, 1], 'bad_length'],
      ['identity_request', [], 'too_short'],
      ['imsi_detach_indication', [0x57, 5], 'too_short'],
      ['imsi_detach_indication', [0x57, 5, 0xf4, 1, 2], 'bad_length'],
      ['location_updating_accept', [0x62, 0xf2, 0x20, 0x01], 'too_short'],
      ['location_updating_accept', [0x62, 0xf2, 0x20, 0x01, 0x3e, 0x17, 5, 0xf4], 'bad_length'],
      ['location_updating_accept', [0x62, 0xf2, 0x20, 0x01, 0x3e, 0x4a, 9, 1], 'bad_length'],
      ['location_updating_accept', [0x62, 0xf2, 0x20, 0x01, 0x3e, 0x4a], 'bad_length'],
      ['location_updating_reject', [], 'too_short'],
      ['cm_service_reject', [], 'too_short'],
      ['notification_nch', [], 'too_short'],
      ['notification_nch', [0x7f, 0xff, 0xff, 0xff, 0xff], 'bad_ie'],
      ['system_information_5', new Array(15).fill(0), 'too_short'],
      ['system_information_5ter', new Array(15).fill(0), 'too_short'],
      ['system_information_6', [0, 1, 0x62, 0xf2, 0x20, 0x01, 0x3e, 0x95], 'too_short'],
      ['system_information_6', [0, 1, 0x6f, 0xf2, 0x20, 0x01, 0x3e, 0x95, 0x78], 'bad_value'],
    ];
    for (const [name, body, reason] of cases) expect(decode(name, body), `${name} ${JSON.stringify(body)}`).toMatchObject({ ok: false, reason });
  });

  it('a Notification/NCH that lists more group calls than 20 octets can hold is bad_ie, never a loop', () => {
    // NLN absent, then "1" + 36-bit references without channel, repeated: six do not fit.
    const bits: number[] = [0];
    for (let i = 0; i < 6; i++) bits.push(1, ...new Array(36).fill(0), 0);
    bits.push(0);
    const bytes: number[] = [];
    for (let i = 0; i < bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8).join('').padEnd(8, '0'), 2));
    expect(decode('notification_nch', bytes)).toMatchObject({ ok: false, reason: 'bad_ie' });
  });

  it('CC Setup reads nothing but the type, the TI and the direction', () => {
    const setup = decode('cc_setup', [0x04, 0x01, 0xa0, 0x5e, 0x06, 0x81, 0x21, 0x43, 0x65, 0x87, 0xf9]);
    expect(setup.ok && Object.keys(setup.value as object)).not.toContain('called');
    expect(setup).toMatchObject({ ok: true, value: { message: 'cc_setup', call_direction: 'mobile_terminated', transaction_id: 0 } });
  });
});
