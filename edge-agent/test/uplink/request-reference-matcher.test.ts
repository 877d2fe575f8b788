/**
 * Tying uplink bursts to Immediate Assignments by Request Reference (RA + frame number) on the RACH's
 * ARFCN: burst first or assignment first, RA known or not, two requests in one frame, expiry.
 */
import { describe, expect, it } from 'vitest';
import type { UplinkBurstObservation } from '@simhound/protocol';
import type { AssignmentEvent } from '../../src/gsm/events.js';
import { RequestReferenceMatcher } from '../../src/uplink/request-reference-matcher.js';

const CELL = { mcc: '651', mnc: '01', lac: 123, ci: 65302 };

function assignment(ts_ms: number, request_fn: number, ra: number, ta_steps: number, arfcn = 18): AssignmentEvent {
  return {
    type: 'Assignment', message: 'immediate_assignment', packet: false, page_mode: 'normal',
    request: { ra, cause: 'originating_call', t1p: 0, t2: 0, t3: 0, request_rfn: request_fn % 42432, request_fn },
    ta_steps, neci: 1, channel_desc: null,
    ts_ms, fn: request_fn + 12, arfcn, uplink: false, timeslot: 0, sub_slot: 0, channel: 'ccch', acch: false, rssi_dbm: null, snr_db: null, cell: CELL,
  } as AssignmentEvent;
}

const burst = (ts_ms: number, fn: number, ra?: number, arfcn = 18): UplinkBurstObservation => ({ type: 'uplink_burst', ts_ms, arfcn, fn, rssi_dbm: -77, ...(ra !== undefined ? { ra } : {}) });

describe('RequestReferenceMatcher', () => {
  it('ties a burst to the assignment naming its frame and RA, whichever comes first', () => {
    const out: UplinkBurstObservation[] = [];
    const m = new RequestReferenceMatcher({ emit: (o) => out.push(o) });
    m.onBurst(burst(1000, 500_000, 0xe3));
    expect(out).toHaveLength(0); // waiting for its assignment
    m.onAssignment(assignment(1060, 500_000, 0xe3, 4));
    expect(out).toEqual([{ ...burst(1000, 500_000, 0xe3), cell: CELL, ta_steps: 4 }]);
    m.onAssignment(assignment(2000, 600_000, 0x12, 7));
    m.onBurst(burst(2010, 600_000, 0x12));
    expect(out[1]).toMatchObject({ ta_steps: 7, cell: CELL });
    expect(m.counters).toMatchObject({ tied: 2, untied: 0 });
  });

  it('does not tie another RA, another frame or another ARFCN, and passes those on untied after the hold', () => {
    const out: UplinkBurstObservation[] = [];
    const m = new RequestReferenceMatcher({ hold_ms: 500, emit: (o) => out.push(o) });
    m.onAssignment(assignment(1000, 700_000, 0xe3, 4));
    m.onBurst(burst(1001, 700_000, 0xe4));
    m.onBurst(burst(1002, 700_001, 0xe3));
    m.onBurst(burst(1003, 700_000, 0xe3, 60));
    expect(out).toHaveLength(0);
    m.expire(2000);
    expect(out).toHaveLength(3);
    expect(out.every((o) => o.ta_steps === undefined)).toBe(true);
    expect(m.counters.untied).toBe(3);
  });

  it('ties without an RA when one request used that frame, not when two did', () => {
    const out: UplinkBurstObservation[] = [];
    const m = new RequestReferenceMatcher({ emit: (o) => out.push(o) });
    m.onAssignment(assignment(1000, 800_000, 0x21, 3));
    m.onBurst(burst(1001, 800_000));
    expect(out[0]).toMatchObject({ ta_steps: 3 });
    m.onAssignment(assignment(1100, 900_000, 0x21, 3));
    m.onAssignment(assignment(1101, 900_000, 0x55, 9));
    m.onBurst(burst(1102, 900_000));
    expect(m.counters.ambiguous_ra).toBe(1);
    m.flush();
    expect(out.at(-1)!.ta_steps).toBeUndefined();
    m.onBurst({ type: 'uplink_burst', ts_ms: 5, arfcn: 18, rssi_dbm: -90 });
    expect(out.at(-1)).toEqual({ type: 'uplink_burst', ts_ms: 5, arfcn: 18, rssi_dbm: -90 });
  });

  it('matches frame numbers across the hyperframe wrap', () => {
    const out: UplinkBurstObservation[] = [];
    const m = new RequestReferenceMatcher({ emit: (o) => out.push(o) });
    m.onAssignment(assignment(1000, 26 * 51 * 2048 - 1, 0x01, 2));
    m.onBurst(burst(1001, 26 * 51 * 2048 - 1, 0x01));
    expect(out[0]).toMatchObject({ ta_steps: 2 });
  });
});
