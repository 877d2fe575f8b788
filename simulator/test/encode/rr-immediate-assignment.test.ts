import { describe, expect, it } from 'vitest';
import {
  type ChannelDescription,
  type ImmediateAssignment,
  encodeImmediateAssignment,
  encodeImmediateAssignmentExtended,
  encodeImmediateAssignmentReject,
  frameNumberToT1T2T3,
} from '../../src/encode/index.js';
import type { PdmlPacket } from './tshark-pdml.js';
import { decodeWithTshark, show, showInt, shows, unwrap } from './tshark-roundtrip.js';

/** TS 44.018 §10.5.2.30: the reduced frame number the request reference carries. */
const RFN_MODULUS = 42432;

/** tshark field carrying the 5-bit "channel type and TDMA offset" for each channel type. */
const CHANNEL_TYPE_FIELD: Record<ChannelDescription['channel_type'], { field: string; base: number }> = {
  tch_f: { field: 'gsm_a.rr.tchf_acchs', base: 0b00001 },
  tch_h: { field: 'gsm_a.rr.tch_acch', base: 0b00010 },
  sdcch4: { field: 'gsm_a.rr.sdcch4_sdcchc4_cbch', base: 0b00100 },
  sdcch8: { field: 'gsm_a.rr.sdcch8_sdcchc8_cbch', base: 0b01000 },
};

function expectRequestReference(p: PdmlPacket, index: number, ra: number, frameNumber: number): void {
  const { t1_prime, t2, t3 } = frameNumberToT1T2T3(frameNumber);
  expect(shows(p, 'gsm_a.rr.ra')[index]).toBe(String(ra));
  expect(shows(p, 'gsm_a.rr.T1prim')[index]).toBe(String(t1_prime));
  expect(shows(p, 'gsm_a.rr.T2')[index]).toBe(String(t2));
  expect(shows(p, 'gsm_a.rr.T3')[index]).toBe(String(t3));
  // tshark rebuilds the reduced frame number from T1'/T3/T2 on its own: it must be FN mod 42432.
  expect(shows(p, 'gsm_a.rr.rfn')[index]).toBe(String(frameNumber % RFN_MODULUS));
}

function expectChannel(p: PdmlPacket, index: number, cd: ChannelDescription): void {
  const { field, base } = CHANNEL_TYPE_FIELD[cd.channel_type];
  const sub = cd.channel_type === 'tch_f' ? 0 : (cd.subchannel ?? 0);
  expect(shows(p, field)).toContain(String(base | sub));
  expect(shows(p, 'gsm_a.rr.timeslot')[index]).toBe(String(cd.timeslot));
  expect(shows(p, 'gsm_a.rr.training_sequence')[index]).toBe(String(cd.tsc));
  if ('arfcn' in cd.rf) {
    expect(shows(p, 'gsm_a.rr.single_channel_arfcn')).toContain(String(cd.rf.arfcn));
  } else {
    expect(show(p, 'gsm_a.rr.hopping_channel_maio')).toBe(String(cd.rf.maio));
    expect(show(p, 'gsm_a.rr.hsn')).toBe(String(cd.rf.hsn));
  }
}

describe('immediate assignment encoders (tshark round trip)', () => {

  it('dedicated assignments: every channel type, TA 0 and 63, hopping, request frame numbers across the range', async () => {
    const cases: ImmediateAssignment[] = [
      {
        request: { ra: 0x26, request_frame_number: 13553 },
        ta_steps: 1,
        assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: 1, timeslot: 1, tsc: 0, rf: { arfcn: 725 } } },
      },
      {
        request: { ra: 0xe0, request_frame_number: 0 },
        ta_steps: 0,
        assignment: { kind: 'dedicated', channel: { channel_type: 'tch_f', timeslot: 2, tsc: 7, rf: { arfcn: 1023 } } },
      },
      {
        request: { ra: 0x4f, request_frame_number: 2715647 },
        ta_steps: 63,
        assignment: {
          kind: 'dedicated',
          channel: { channel_type: 'tch_h', subchannel: 1, timeslot: 3, tsc: 5, rf: { maio: 63, hsn: 45 } },
          mobile_allocation: [1, 3, 9],
        },
        starting_frame_number: 12345,
      },
      {
        request: { ra: 0x05, request_frame_number: 42431 },
        ta_steps: 17,
        page_mode: 'reorganization',
        assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch4', subchannel: 3, timeslot: 0, tsc: 3, rf: { arfcn: 0 } } },
      },
      {
        request: { ra: 0xff, request_frame_number: 1326 * 33 + 51 * 7 + 25 },
        ta_steps: 32,
        assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: 7, timeslot: 7, tsc: 1, rf: { maio: 0, hsn: 0 } }, mobile_allocation: [2] },
      },
    ];
    const packets = await decodeWithTshark(cases.map((c) => ({ block: encodeImmediateAssignment(c) })));
    packets.forEach((p, i) => {
      const c = cases[i] as ImmediateAssignment;
      expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x3f');
      expect(show(p, 'gsm_a.rr.dedicated_mode_or_tbf')).toBe('0');
      expect(showInt(p, 'gsm_a.rr.page_mode')).toBe({ normal: 0, extended: 1, reorganization: 2, same_as_before: 3 }[c.page_mode ?? 'normal']);
      expectRequestReference(p, 0, c.request.ra, c.request.request_frame_number);
      expect(show(p, 'gsm_a.rr.timing_adv')).toBe(String(c.ta_steps));
      if (c.assignment.kind !== 'dedicated') throw new Error('case table');
      expectChannel(p, 0, c.assignment.channel);
      expect(show(p, 'gsm_a.rr.hopping_channel')).toBe('arfcn' in c.assignment.channel.rf ? '0' : '1');
    });
    // Starting time of case 3 decodes to the requested frame (mod 42432) as well.
    expect(shows(packets[2] as PdmlPacket, 'gsm_a.rr.rfn')).toEqual([String(2715647 % RFN_MODULUS), String(12345 % RFN_MODULUS)]);
    // Mobile allocation: CA indexes 1, 3, 9 → bit map read from MA C1 upward.
    const maShowname = (packets[2] as PdmlPacket).fields.find((f) => f.name === 'gsm_a.rr.inc_arfcn_bitmap')?.showname ?? '';
    expect(maShowname).toMatch(/: 101000001/);
  });

  it('packet immediate assignment: TBF flag, packet channel description and uplink assignment rest octets', async () => {
    const ia: ImmediateAssignment = {
      request: { ra: 0x7a, request_frame_number: 500 },
      ta_steps: 0,
      assignment: { kind: 'packet_uplink', channel: { timeslot: 7, tsc: 3, rf: { arfcn: 60 } }, tfi: 17, usf: 5, coding_scheme: 2, gamma: 9 },
    };
    const hopping: ImmediateAssignment = {
      request: { ra: 0x71, request_frame_number: 99999 },
      ta_steps: 63,
      assignment: { kind: 'packet_uplink', channel: { timeslot: 1, tsc: 0, rf: { maio: 5, hsn: 12 } }, tfi: 0, usf: 7, polling: true },
    };
    const [p, h] = (await decodeWithTshark([{ block: encodeImmediateAssignment(ia) }, { block: encodeImmediateAssignment(hopping) }])) as [
      PdmlPacket,
      PdmlPacket,
    ];
    expect(show(p, 'gsm_a.rr.dedicated_mode_or_tbf')).toBe('1');
    expect(show(p, 'gsm_a.rr.packet_channel_type')).toBe('1');
    expect(show(p, 'gsm_a.rr.timeslot')).toBe('7');
    expect(show(p, 'gsm_a.rr.training_sequence')).toBe('3');
    expect(show(p, 'gsm_a.rr.single_channel_arfcn')).toBe('60');
    expectRequestReference(p, 0, 0x7a, 500);
    expect(show(p, 'gsm_a.rr.timing_adv')).toBe('0');
    expect(show(p, 'gsm_a.rr.packet_uplink_assignment')).toBe('1');
    expect(show(p, 'gsm_a.rr.tfi_assignment')).toBe('17');
    expect(show(p, 'gsm_a.rr.usf')).toBe('5');
    expect(show(p, 'gsm_a.rr.gprs_cs')).toBe('1'); // CS-2
    expect(show(p, 'gsm_a.rr.gamma')).toBe('9');
    expect(show(p, 'gsm_a.rr.polling')).toBe('0');

    expect(show(h, 'gsm_a.rr.dedicated_mode_or_tbf')).toBe('1');
    expect(show(h, 'gsm_a.rr.hopping_channel_maio')).toBe('5');
    expect(show(h, 'gsm_a.rr.hsn')).toBe('12');
    expect(show(h, 'gsm_a.rr.timing_adv')).toBe('63');
    expect(show(h, 'gsm_a.rr.usf')).toBe('7');
    expect(show(h, 'gsm_a.rr.polling')).toBe('1');
  });

  it('Immediate Assignment Extended carries two requests with their own channel and TA', async () => {
    const first = {
      request: { ra: 0x01, request_frame_number: 100 },
      ta_steps: 2,
      channel: { channel_type: 'sdcch4', subchannel: 3, timeslot: 0, tsc: 7, rf: { arfcn: 1 } },
    } as const;
    const second = {
      request: { ra: 0xc8, request_frame_number: 2_000_000 },
      ta_steps: 63,
      channel: { channel_type: 'tch_f', timeslot: 5, tsc: 2, rf: { arfcn: 124 } },
    } as const;
    const [p] = (await decodeWithTshark([{ block: encodeImmediateAssignmentExtended({ first, second }) }])) as [PdmlPacket];
    expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x39');
    expectRequestReference(p, 0, first.request.ra, first.request.request_frame_number);
    expectRequestReference(p, 1, second.request.ra, second.request.request_frame_number);
    expect(shows(p, 'gsm_a.rr.timing_adv')).toEqual(['2', '63']);
    expectChannel(p, 0, first.channel);
    expectChannel(p, 1, second.channel);
  });

  it('Immediate Assignment Reject: 1 to 4 request references with wait indications', async () => {
    const refs = [
      { request: { ra: 0xa1, request_frame_number: 77 }, wait_s: 10 },
      { request: { ra: 0x12, request_frame_number: 78 }, wait_s: 200 },
      { request: { ra: 0xe5, request_frame_number: 2715000 }, wait_s: 0 },
      { request: { ra: 0x00, request_frame_number: 51 }, wait_s: 255 },
    ];
    const packets = await decodeWithTshark([1, 2, 3, 4].map((n) => ({ block: encodeImmediateAssignmentReject({ rejects: refs.slice(0, n) }) })));
    packets.forEach((p, i) => {
      const given = refs.slice(0, i + 1);
      const expected = [0, 1, 2, 3].map((k) => given[k] ?? given[0]) as typeof refs;
      expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x3a');
      expected.forEach((r, k) => expectRequestReference(p, k, r.request.ra, r.request.request_frame_number));
      expect(shows(p, 'gsm_a.rr.wait_indication')).toEqual(expected.map((r) => String(r.wait_s)));
      expect(shows(p, 'gsm_a.rr.extended_ra')).toEqual([]);
    });
  });

  it('rejects what the messages cannot carry', () => {
    const channel = { channel_type: 'sdcch8', subchannel: 0, timeslot: 0, tsc: 0, rf: { arfcn: 1 } } as const;
    const base = { request: { ra: 1, request_frame_number: 1 }, ta_steps: 0, assignment: { kind: 'dedicated', channel } } as const;
    expect(encodeImmediateAssignment({ ...base, ta_steps: 64 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeImmediateAssignment({ ...base, ta_steps: -1 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeImmediateAssignment({ ...base, request: { ra: 256, request_frame_number: 1 } })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeImmediateAssignment({ ...base, request: { ra: 1, request_frame_number: 2715648 } })).toMatchObject({
      ok: false,
      reason: 'out_of_range',
    });
    expect(
      encodeImmediateAssignment({ ...base, assignment: { kind: 'dedicated', channel: { ...channel, subchannel: 8 } } }),
    ).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(
      encodeImmediateAssignment({ ...base, assignment: { kind: 'dedicated', channel: { ...channel, rf: { maio: 1, hsn: 1 } } } }),
    ).toMatchObject({ ok: false, reason: 'not_encodable' });
    expect(encodeImmediateAssignmentReject({ rejects: [] })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(unwrap(encodeImmediateAssignment(base)).length).toBe(23);
  });
});
