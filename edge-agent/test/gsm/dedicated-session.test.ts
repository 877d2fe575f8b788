/**
 * The dedicated-channel session tracker: the real MT call (Immediate Assignment on the CCCH + its
 * SDCCH/8, merged by time) becomes one session whose fields match the capture; hand-made event
 * sequences exercise the authentication round trip, TMSI reallocation, release, repeats, reassignment,
 * timeouts, orphans, eviction, ARFCN aliasing and channel families; an end-to-end run through the frame
 * decoder uses frames built by the simulator's encoders (an independent implementation).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encodeAuthenticationRequest,
  encodeAuthenticationResponse,
  encodeChannelRelease,
  encodeCipheringModeCommand,
  encodeCipheringModeComplete,
  encodeGsmtapV2,
  encodeImmediateAssignment,
  encodeLapdmBlock,
  encodeLocationUpdatingAccept,
  encodeLocationUpdatingRequest,
  encodeSacchBlock,
  encodeSystemInformation3,
  encodeSystemInformation6,
  GSMTAP_CHANNEL,
  type EncodeResult,
  type GsmtapHeader,
} from '@simhound/simulator';
import { DedicatedSessionTracker } from '../../src/gsm/dedicated-session.js';
import type { AssignmentEvent, ChannelDescription, DedicatedSessionEvent, EventBase, GsmEvent, SubscriberRef } from '../../src/gsm/events.js';
import { GsmFrameDecoder } from '../../src/gsm/frame-decoder.js';
import { createSubRefHasher, tmsiToString } from '../../src/privacy/sub-ref.js';
import { replayCapture } from '../../src/replay.js';

const MERGED = join(import.meta.dirname, '..', 'vectors', 'vf_call6_bcch_sdcch_merged.scrubbed.pcap');
const subRef = createSubRefHasher(Buffer.alloc(32, 0x44));
const ms = (fn: number) => (fn * 120) / 26;

describe('dedicated sessions on the real capture', () => {
  it('the MT call: IA on the CCCH (repeated) → SDCCH/8 TS1 SS1 → Paging Response, ciphering, Setup; one session', async () => {
    const events: GsmEvent[] = [];
    const r = await replayCapture(MERGED, { subRef, onEvent: (e) => events.push(e) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sessions = events.filter((e): e is DedicatedSessionEvent => e.type === 'DedicatedSession');
    expect(sessions).toHaveLength(1);
    const s = sessions[0]!;
    expect(s).toMatchObject({
      cell: { mcc: '262', mnc: '02', lac: 318, ci: 11225 },
      arfcn: 0,
      timeslot: 1,
      sub_slot: 1,
      channel: 'sdcch8',
      ta_steps: 1,
      cause: 'answer_to_paging',
      ra: 0x26,
      request_fn: 862193,
      channel_desc: { chan_type: 'sdcch8', subchannel: 1, timeslot: 1, arfcn: 725, hopping: false },
      assignment_fn: 862212,
      assignment_repeats: 1,
      initial: { message: 'paging_response', fn: 862261 },
      subs: [{ kind: 'tmsi', sub_ref: subRef('tmsi', '015c5703') }],
      tmsi_reallocated: false,
      reallocated_sub_ref: null,
      auth_request_ts_ms: null,
      auth_round_trip_ms: null,
      ciphering_command_fn: 862312,
      ciphered: true,
      cipher_algorithm: 'a5_1',
      call_setup: 'mobile_terminated',
      release_fn: null,
      messages: ['system_information_5', 'paging_response', 'ciphering_mode_command', 'system_information_6', 'cc_setup'],
      frames: 5,
      end: 'flushed',
    });
    // Timestamps in the capture are FN × 120/26 ms (PROVENANCE.md), to the microsecond.
    expect(s.assignment_ts_ms).toBeCloseTo(ms(862212), 2);
    expect(s.initial!.ts_ms).toBeCloseTo(ms(862261), 2);
    expect(s.ciphering_command_ts_ms).toBeCloseTo(ms(862312), 2);
    expect(s.initial_to_ciphering_ms).toBeCloseTo(ms(862312 - 862261), 2);
    expect(s.end_ts_ms).toBeCloseTo(ms(862363), 2);
    expect(s.duration_ms).toBeCloseTo(ms(862363 - 862212), 2);
    // The session is emitted after every frame of the capture (flushed at its end), in time order.
    expect(events.at(-1)).toBe(s);
    expect(r.value.sessions).toMatchObject({ open: 0, outcomes: { opened: 1, repeated_assignment: 1, attached: 5, orphan: 0 }, ends: { flushed: 1 } });
  });

  it('the SDCCH capture alone has no assignment: its frames are orphans, no session', async () => {
    const events: GsmEvent[] = [];
    const r = await replayCapture(join(import.meta.dirname, '..', 'vectors', 'vf_call6_sdcch8_ts1_ss1.scrubbed.pcap'), { subRef, onEvent: (e) => events.push(e) });
    expect(r.ok && r.value.sessions).toMatchObject({ open: 0, outcomes: { orphan: 5, opened: 0 } });
    expect(events.some((e) => e.type === 'DedicatedSession')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// Hand-made event sequences.

const CELL = { mcc: '001', mnc: '01', lac: 7, ci: 99 };

function base(ts_ms: number, over: Partial<EventBase> = {}): EventBase {
  return { ts_ms, fn: Math.round(ts_ms / (120 / 26)), arfcn: 10, uplink: false, timeslot: 2, sub_slot: 5, channel: 'sdcch8', acch: false, rssi_dbm: -60, snr_db: 10, cell: null, ...over };
}

function channel(over: Partial<ChannelDescription> = {}): ChannelDescription {
  return { chan_type: 'sdcch8', subchannel: 5, timeslot: 2, tsc: 3, hopping: false, arfcn: 10, maio: null, hsn: null, ...over };
}

function ia(ts_ms: number, ra: number, cd: ChannelDescription = channel(), over: Partial<EventBase> = {}): AssignmentEvent {
  return {
    ...base(ts_ms, { channel: 'ccch', timeslot: 0, sub_slot: 0, cell: CELL, ...over }),
    type: 'Assignment',
    message: 'immediate_assignment',
    packet: false,
    page_mode: 'normal',
    request: { ra, cause: 'originating_call', t1p: 0, t2: 0, t3: 0, request_rfn: 0, request_fn: 1000 + ra },
    ta_steps: 17,
    neci: 1,
    channel_desc: cd,
  };
}

const tmsi = (n: number): SubscriberRef => ({ kind: 'tmsi', sub_ref: subRef('tmsi', tmsiToString(n)) });

/** Feeds events to a tracker, collecting sessions and outcomes. */
function run(tracker: DedicatedSessionTracker, events: GsmEvent[], source = 'cap') {
  const sessions: DedicatedSessionEvent[] = [];
  const outcomes = events.map((e) => tracker.track(e, source, (s) => sessions.push(s)));
  return { sessions, outcomes };
}

describe('DedicatedSessionTracker', () => {
  it('times an MO call: authentication round trip, response, ciphering, TMSI reallocation, release', () => {
    const t = new DedicatedSessionTracker();
    const up = (ts: number) => base(ts, { uplink: true });
    const { sessions, outcomes } = run(t, [
      ia(1000, 0xe3),
      { ...up(1100), type: 'DedicatedRequest', message: 'cm_service_request', service_type: 'mo_call', subs: [tmsi(1)] },
      // The network's UA echo of the same message is not a second initial message.
      { ...base(1110), type: 'DedicatedRequest', message: 'cm_service_request', service_type: 'mo_call', subs: [tmsi(1)] },
      { ...base(1300, { acch: true }), type: 'CellInfo', message: 'system_information_6', info: {}, cell: CELL },
      { ...base(1400), type: 'Dedicated', message: 'authentication_request', cksn: 1, umts_autn: false },
      { ...up(2900), type: 'Dedicated', message: 'authentication_response', extended_res: false },
      { ...base(3000), type: 'Dedicated', message: 'ciphering_mode_command', start_ciphering: true, algorithm: 'a5_3', imeisv_requested: true },
      { ...up(3100), type: 'Dedicated', message: 'ciphering_mode_complete', subs: [{ kind: 'imeisv', sub_ref: subRef('imeisv', '3534910123456701') }] },
      { ...base(3300), type: 'Dedicated', message: 'tmsi_reallocation_command', lai: { mcc: '001', mnc: '01', lac: 7 }, subs: [tmsi(2)] },
      { ...up(3400), type: 'Dedicated', message: 'tmsi_reallocation_complete' },
      { ...up(3500), type: 'Dedicated', message: 'cc_setup', call_direction: 'mobile_originated', transaction_id: 0 },
      { ...base(6000), type: 'Dedicated', message: 'channel_release', rr_cause_code: 0, rr_cause: 'normal_event' },
      // After the release the channel's frames are orphans.
      { ...base(6100, { acch: true }), type: 'CellInfo', message: 'system_information_5', info: {} },
    ]);
    expect(outcomes).toEqual(['opened', ...new Array(11).fill('attached'), 'orphan']);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      ts_ms: 6000,
      cell: CELL,
      ta_steps: 17,
      cause: 'originating_call',
      initial: { message: 'cm_service_request', service_type: 'mo_call', ts_ms: 1100 },
      subs: [tmsi(1), { kind: 'imeisv' }, tmsi(2)],
      reallocated_sub_ref: tmsi(2).sub_ref,
      tmsi_reallocated: true,
      auth_request_ts_ms: 1400,
      auth_response_ts_ms: 2900,
      auth_response_ms: 1500,
      auth_round_trip_ms: 1600,
      auth_next_message: 'ciphering_mode_command',
      initial_to_ciphering_ms: 1900,
      ciphered: true,
      cipher_algorithm: 'a5_3',
      call_setup: 'mobile_originated',
      release_ts_ms: 6000,
      rr_cause: 'normal_event',
      end: 'channel_release',
      end_ts_ms: 6000,
      duration_ms: 5000,
      frames: 11,
    });
    expect(t.stats()).toMatchObject({ open: 0, ends: { channel_release: 1 }, outcomes: { opened: 1, attached: 11, orphan: 1 } });
  });

  it('ends the round trip at an Identity Request too, and ignores uplink and SACCH frames in between', () => {
    const t = new DedicatedSessionTracker();
    const { sessions } = run(t, [
      ia(0, 0x05),
      { ...base(100, { uplink: true }), type: 'DedicatedRequest', message: 'location_updating_request', lu_type: 'imsi_attach', subs: [tmsi(5)] },
      { ...base(200), type: 'Dedicated', message: 'authentication_request', cksn: 0, umts_autn: false },
      { ...base(300, { acch: true }), type: 'CellInfo', message: 'system_information_5', info: {} },
      { ...base(400, { uplink: true }), type: 'Dedicated', message: 'authentication_response', extended_res: false },
      { ...base(9200), type: 'Dedicated', message: 'identity_request', identity_type: 'imsi' },
      { ...base(9300), type: 'Dedicated', message: 'location_updating_accept', lai: { mcc: '001', mnc: '01', lac: 7 }, subs: [tmsi(6)], follow_on_proceed: false },
      { ...base(9400), type: 'Dedicated', message: 'channel_release', rr_cause_code: 0, rr_cause: 'normal_event' },
    ]);
    expect(sessions[0]).toMatchObject({
      initial: { message: 'location_updating_request', lu_type: 'imsi_attach' },
      auth_round_trip_ms: 9000,
      auth_next_message: 'identity_request',
      auth_response_ms: 200,
      ciphered: false,
      initial_to_ciphering_ms: null,
      tmsi_reallocated: true,
      reallocated_sub_ref: tmsi(6).sub_ref,
    });
  });

  it('counts a repeated assignment once, ends a session when its channel is assigned to another request', () => {
    const t = new DedicatedSessionTracker();
    const { sessions, outcomes } = run(t, [ia(0, 0x21), ia(28, 0x21), ia(5000, 0x22), { ...base(5100), type: 'Dedicated', message: 'cm_service_accept' }]);
    expect(outcomes).toEqual(['opened', 'repeated_assignment', 'opened', 'attached']);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ ra: 0x21, assignment_repeats: 1, end: 'reassigned', ts_ms: 5000, frames: 0, duration_ms: 0 });
    const rest: DedicatedSessionEvent[] = [];
    t.flush((s) => rest.push(s));
    expect(rest).toMatchObject([{ ra: 0x22, end: 'flushed', messages: ['cm_service_accept'], end_ts_ms: 5100 }]);
  });

  it('closes idle sessions after the timeout, on any later event or on expire()', () => {
    const t = new DedicatedSessionTracker({ idle_timeout_ms: 10_000 });
    const other = (ts: number) => ({ ...base(ts, { channel: 'ccch', timeslot: 0 }), type: 'Paging', message: 'paging_request_1', page_mode: 'normal', subs: [], channel_needed: ['any', 'any'] }) as GsmEvent;
    const { sessions, outcomes } = run(t, [
      ia(0, 1),
      ia(100, 2, channel({ subchannel: 6 })),
      { ...base(5000), type: 'Dedicated', message: 'cm_service_accept' },
      other(10_050),
      other(14_000),
      other(15_500),
    ]);
    expect(outcomes).toEqual(['opened', 'opened', 'attached', 'not_dedicated', 'not_dedicated', 'not_dedicated']);
    // The session on sub-channel 6 (idle since 100) times out at the first event after 10,100; the one on
    // sub-channel 5 (last frame at 5000) at the first event after 15,000.
    expect(sessions.map((s) => [s.sub_slot, s.end, s.ts_ms, s.end_ts_ms])).toEqual([[6, 'timeout', 14_000, 100], [5, 'timeout', 15_500, 5000]]);
    const later: DedicatedSessionEvent[] = [];
    run(t, [ia(20_000, 3)]);
    t.expire(31_000, (s) => later.push(s));
    expect(later.map((s) => [s.ra, s.end, s.ts_ms])).toEqual([[3, 'timeout', 31_000]]);
    expect(t.stats()).toMatchObject({ open: 0, ends: { timeout: 3 } });
  });

  it('matches frames by the assigned ARFCN or by the CCCH ARFCN the assignment came on; other channels are orphans', () => {
    const t = new DedicatedSessionTracker();
    const accept = (over: Partial<EventBase>) => ({ ...base(500, over), type: 'Dedicated', message: 'cm_service_accept' }) as GsmEvent;
    // The assignment came on CCCH ARFCN 0 (gr-gsm labels) and assigns ARFCN 725.
    const { outcomes } = run(t, [
      ia(0, 1, channel({ arfcn: 725 }), { arfcn: 0 }),
      accept({ arfcn: 725 }),
      accept({ arfcn: 0 }),
      accept({ arfcn: 3 }),
      accept({ arfcn: 725, sub_slot: 4 }),
      accept({ arfcn: 725, timeslot: 3 }),
      accept({ arfcn: 725, channel: 'sdcch' }),
      accept({ arfcn: 725, channel: 'tch_f' }),
    ]);
    expect(outcomes).toEqual(['opened', 'attached', 'attached', 'orphan', 'orphan', 'orphan', 'attached', 'orphan']);
    // Another source never joins it.
    expect(t.track(accept({ arfcn: 725 }), 'other-receiver', () => {})).toBe('orphan');
  });

  it('tracks SDCCH/4, TCH/F and TCH/H early assignments and hopping channels; packet assignments are not sessions', () => {
    const t = new DedicatedSessionTracker();
    const accept = (over: Partial<EventBase>) => ({ ...base(500, over), type: 'Dedicated', message: 'cm_service_accept' }) as GsmEvent;
    const { outcomes, sessions } = run(t, [
      ia(0, 1, channel({ chan_type: 'sdcch4', timeslot: 0, subchannel: 2 })),
      ia(1, 2, channel({ chan_type: 'tch_f', timeslot: 4, subchannel: 0 })),
      ia(2, 3, channel({ chan_type: 'tch_h', timeslot: 5, subchannel: 1 })),
      ia(3, 4, channel({ chan_type: 'tch_h', timeslot: 6, subchannel: 0, hopping: true, arfcn: null, maio: 3, hsn: 7 })),
      { ...ia(4, 0x70, channel({ chan_type: 'pdch' })), packet: true },
      accept({ channel: 'sdcch4', timeslot: 0, sub_slot: 2 }),
      accept({ channel: 'tch_f', timeslot: 4, sub_slot: 0 }),
      accept({ channel: 'tch_h', timeslot: 5, sub_slot: 1 }),
      accept({ channel: 'tch_h', timeslot: 6, sub_slot: 0, arfcn: 10 }),
    ]);
    expect(outcomes).toEqual(['opened', 'opened', 'opened', 'opened', 'not_dedicated', 'attached', 'attached', 'attached', 'attached']);
    t.flush((s) => sessions.push(s));
    expect(sessions.map((s) => [s.channel, s.frames])).toEqual([['sdcch4', 1], ['tch_f', 1], ['tch_h', 1], ['tch_h', 1]]);
  });

  it('keeps at most max_sessions open, evicting the session idle longest, and never loses one', () => {
    const t = new DedicatedSessionTracker({ max_sessions: 64, idle_timeout_ms: 1e12 });
    const sessions: DedicatedSessionEvent[] = [];
    for (let i = 0; i < 20_000; i++) {
      t.track(ia(i, i & 0xff, channel({ timeslot: i % 8, subchannel: (i >> 3) % 8, arfcn: i >> 6 })), 'cap', (s) => sessions.push(s));
      if (i % 1000 === 999) expect(t.stats().open).toBe(64);
    }
    t.flush((s) => sessions.push(s));
    expect(sessions).toHaveLength(20_000);
    expect(t.stats()).toMatchObject({ open: 0, ends: { evicted: 20_000 - 64, flushed: 64 } });
    // Evicted oldest first.
    expect(sessions.slice(0, 3).map((s) => s.assignment_ts_ms)).toEqual([0, 1, 2]);
  });
});

// ---------------------------------------------------------------------------------------------------
// End to end through the frame decoder, with frames from the simulator's encoders.

function unwrap(r: EncodeResult): Uint8Array {
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail ?? ''}`);
  return r.value;
}

describe('dedicated sessions through the frame decoder', () => {
  it('a location update with authentication and a 4.6 s remote-SIM-like round trip becomes one released session', () => {
    const decoder = new GsmFrameDecoder({ subRef, sessions: new DedicatedSessionTracker() });
    const out: GsmEvent[] = [];
    const lai = { mcc: '460', mnc: '00', lac: 0x2a };
    let fn = 1_000_000;
    const frame = (header: Partial<GsmtapHeader>, block: EncodeResult, gapFrames: number) => {
      fn += gapFrames;
      const h: GsmtapHeader = { channel: GSMTAP_CHANNEL.SDCCH8, timeslot: 3, arfcn: 88, sub_slot: 2, frame_number: fn, ...header };
      const datagram = unwrap(encodeGsmtapV2(h, unwrap(block)));
      expect(decoder.decode(datagram, 0, datagram.length, ms(fn), 'sim', (e) => out.push(e))).toBe('ok');
    };
    const sdcch = (direction: 'uplink' | 'downlink', type: 'I' | 'SABM' | 'UA', l3: EncodeResult, ns = 0) =>
      encodeLapdmBlock({ type, direction, ns, information: unwrap(l3) });
    const luRequest = encodeLocationUpdatingRequest({ updating_type: 'normal', previous_lai: lai, identity: { type: 'tmsi', tmsi: 0xabcdef01 } });
    frame({ channel: GSMTAP_CHANNEL.BCCH, timeslot: 0, sub_slot: 0 }, encodeSystemInformation3({
      ci: 7, lai, control_channel: { bs_ag_blks_res: 1, ccch_conf: 1, bs_pa_mfrms: 2, t3212_decihours: 10 }, cell_selection: { neci: true },
    }), 0);
    frame({ channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, sub_slot: 0 }, encodeImmediateAssignment({
      request: { ra: 0x03, request_frame_number: 42 },
      ta_steps: 9,
      assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: 2, timeslot: 3, tsc: 1, rf: { arfcn: 88 } } },
    }), 10);
    frame({ uplink: true }, sdcch('uplink', 'SABM', luRequest), 20);
    frame({}, sdcch('downlink', 'UA', luRequest), 2);
    frame({ acch: true }, encodeSacchBlock({ ms_power_level: 5, ta_steps: 9 }, { type: 'UI', direction: 'downlink', information: unwrap(encodeSystemInformation6({ ci: 7, lai })) }), 10);
    frame({}, sdcch('downlink', 'I', encodeAuthenticationRequest({ cksn: 2, rand: new Array(16).fill(7) })), 30);
    // The SIM is far away: the answer takes ~4.6 s (1000 frames).
    frame({ uplink: true }, sdcch('uplink', 'I', encodeAuthenticationResponse({ sres: [1, 2, 3, 4] })), 990);
    frame({}, sdcch('downlink', 'I', encodeCipheringModeCommand({ algorithm: 'a5_1' }), 1), 10);
    frame({ uplink: true }, sdcch('uplink', 'I', encodeCipheringModeComplete(), 1), 20);
    frame({}, sdcch('downlink', 'I', encodeLocationUpdatingAccept({ lai, identity: { type: 'tmsi', tmsi: 0x11112222 } }), 2), 30);
    frame({}, sdcch('downlink', 'I', encodeChannelRelease(), 3), 40);
    const sessions = out.filter((e): e is DedicatedSessionEvent => e.type === 'DedicatedSession');
    expect(sessions).toHaveLength(1);
    const s = sessions[0]!;
    expect(s).toMatchObject({
      cell: { mcc: '460', mnc: '00', lac: 0x2a, ci: 7 },
      ta_steps: 9,
      cause: 'location_updating',
      initial: { message: 'location_updating_request', lu_type: 'normal' },
      subs: [tmsi(0xabcdef01), tmsi(0x11112222)],
      tmsi_reallocated: true,
      auth_next_message: 'ciphering_mode_command',
      ciphered: true,
      end: 'channel_release',
      messages: ['location_updating_request', 'location_updating_request', 'system_information_6', 'authentication_request', 'authentication_response', 'ciphering_mode_command', 'ciphering_mode_complete', 'location_updating_accept', 'channel_release'],
    });
    // Durations are kept to the microsecond.
    expect(s.auth_round_trip_ms).toBeCloseTo(ms(1000), 2);
    expect(s.auth_response_ms).toBeCloseTo(ms(990), 2);
    expect(s.initial_to_ciphering_ms).toBeCloseTo(ms(2 + 10 + 30 + 990 + 10), 2);
    // The session came out right after the frame that released it.
    expect(out.at(-1)).toBe(s);
    expect(out.at(-2)).toMatchObject({ message: 'channel_release' });
    expect(decoder.sessionStats()).toMatchObject({ open: 0, outcomes: { opened: 1, attached: 9 }, ends: { channel_release: 1 } });
  });

  it('a decoder built without a tracker emits no session events', () => {
    const decoder = new GsmFrameDecoder({ subRef });
    expect(decoder.sessionStats()).toBeNull();
    const out: GsmEvent[] = [];
    const datagram = unwrap(encodeGsmtapV2({ channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 1, frame_number: 100 }, unwrap(encodeImmediateAssignment({
      request: { ra: 0x03, request_frame_number: 42 },
      ta_steps: 9,
      assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: 2, timeslot: 3, tsc: 1, rf: { arfcn: 88 } } },
    }))));
    decoder.decode(datagram, 0, datagram.length, 0, 'x', (e) => out.push(e));
    decoder.flushSessions((e) => out.push(e));
    expect(out.map((e) => e.type)).toEqual(['Assignment']);
  });
});
