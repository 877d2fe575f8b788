/** Builders for decoded GSM events, for tests of windows and detectors (not decoders). */
import type { EstablishmentCause } from '@simhound/protocol';
import type { AssignmentEvent, CellId, PagingEvent } from '../../edge-agent/src/gsm/events.js';

export const TEST_CELL: CellId = { mcc: '651', mnc: '01', lac: 1010, ci: 20011 };

export function assignment(ts_ms: number, ta_steps: number, cause: EstablishmentCause, opts: { cell?: CellId | null; arfcn?: number; ra?: number; request_rfn?: number } = {}): AssignmentEvent {
  return {
    type: 'Assignment',
    message: 'immediate_assignment',
    ts_ms,
    fn: 0,
    arfcn: opts.arfcn ?? 30,
    uplink: false,
    timeslot: 0,
    sub_slot: 0,
    channel: 'ccch',
    acch: false,
    rssi_dbm: -70,
    snr_db: null,
    cell: opts.cell === undefined ? TEST_CELL : opts.cell,
    packet: false,
    page_mode: 'normal',
    request: { ra: opts.ra ?? 0xe0, cause, t1p: 0, t2: 0, t3: 0, request_rfn: opts.request_rfn ?? ts_ms % 42432, request_fn: 0 },
    ta_steps,
    neci: 1,
    channel_desc: null,
  };
}

export function paging(ts_ms: number, subRefs: string[], cell: CellId | null = TEST_CELL): PagingEvent {
  return {
    type: 'Paging',
    message: 'paging_request_1',
    ts_ms,
    fn: 0,
    arfcn: 30,
    uplink: false,
    timeslot: 0,
    sub_slot: 0,
    channel: 'ccch',
    acch: false,
    rssi_dbm: -70,
    snr_db: null,
    cell,
    page_mode: 'normal',
    subs: subRefs.map((sub_ref) => ({ kind: 'tmsi' as const, sub_ref })),
    channel_needed: ['any', 'any'],
  };
}

export { seededRandom } from './random.js';
