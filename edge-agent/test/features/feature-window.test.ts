import { describe, expect, it } from 'vitest';
import { FeatureWindower, type WindowFeatures } from '../../src/features/feature-window.js';
import { windowToBody } from '../../src/features/window-message.js';
import { assignment, paging, TEST_CELL } from '@simhound/test-support/events';
import { checkBody } from '@simhound/protocol';

describe('FeatureWindower', () => {
  it('counts per (cell, ARFCN, TA, cause) in aligned windows driven by event time', () => {
    const closed: WindowFeatures[] = [];
    const w = new FeatureWindower(60, (x) => closed.push(x));
    w.add(assignment(60_000, 3, 'originating_call', { request_rfn: 1 }));
    w.add(assignment(61_000, 3, 'originating_call', { request_rfn: 2 }));
    w.add(assignment(62_000, 3, 'other_sdcch', { request_rfn: 3 }));
    w.add(assignment(63_000, 5, 'location_updating', { request_rfn: 4 }));
    w.add(paging(64_000, ['aa', 'bb']));
    w.add(paging(65_000, ['aa']));
    expect(closed).toHaveLength(0);
    w.add(assignment(120_000, 1, 'originating_call', { request_rfn: 5 })); // next window closes the first
    expect(closed).toHaveLength(1);
    const first = closed[0]!;
    expect(first.start_ts_ms).toBe(60_000);
    expect(first.end_ts_ms).toBe(120_000);
    const cell = [...first.cells.values()][0]!;
    expect(cell.cell).toEqual(TEST_CELL);
    expect(cell.slots.get(3)!.count_by_cause).toEqual({ originating_call: 2, other_sdcch: 1 });
    expect(cell.slots.get(5)!.count_by_cause).toEqual({ location_updating: 1 });
    expect(cell.paging_count).toBe(2);
    expect(cell.paging_subs.size).toBe(2);
    const body = windowToBody(first);
    expect(checkBody('window', body).ok).toBe(true);
    expect(body.assignments).toHaveLength(3);
    expect(body.pagings).toEqual([{ cell: TEST_CELL, arfcn: 30, event_count: 2, distinct_subs: 2 }]);
  });

  it('drops BTS repetitions of the same Immediate Assignment and counts them', () => {
    const closed: WindowFeatures[] = [];
    const w = new FeatureWindower(60, (x) => closed.push(x));
    w.add(assignment(1000, 1, 'answer_to_paging', { ra: 0x26, request_rfn: 13553 }));
    w.add(assignment(1028, 1, 'answer_to_paging', { ra: 0x26, request_rfn: 13553 }));
    w.flush();
    expect(w.repeatedAssignments).toBe(1);
    expect([...closed[0]!.cells.values()][0]!.slots.get(1)!.event_ts_ms).toEqual([1000]);
  });

  it('counts late events instead of dropping them silently, and ignores packet assignments', () => {
    const w = new FeatureWindower(10, () => {});
    w.add(assignment(100_000, 2, 'originating_call'));
    w.add(assignment(50_000, 2, 'originating_call'));
    expect(w.lateEvents).toBe(1);
    const closed: WindowFeatures[] = [];
    const w2 = new FeatureWindower(10, (x) => closed.push(x));
    w2.add({ ...assignment(1000, 2, 'packet_one_phase'), packet: true });
    w2.flush();
    expect([...closed[0]!.cells.values()]).toHaveLength(0);
  });
});
