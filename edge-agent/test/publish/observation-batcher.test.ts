import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ObservationBody } from '@simhound/protocol';
import { ObservationBatcher } from '../../src/publish/observation-batcher.js';

const position = { lat_deg: -29.31, lon_deg: 27.48, position_source: 'gps' as const };
const burst = (i: number) => ({ type: 'uplink_burst' as const, ts_ms: 1_800_000_000_000 + i, arfcn: 18, rssi_dbm: -70 - (i % 10), position });

describe('ObservationBatcher', () => {
  afterEach(() => vi.useRealTimers());

  it('sends a full batch at once and keeps the order of items', () => {
    const sent: ObservationBody[] = [];
    const b = new ObservationBatcher({ send: (body) => sent.push(body), max_items: 3, max_delay_ms: 10_000 });
    for (let i = 0; i < 7; i++) b.add(burst(i));
    expect(sent.map((s) => s.observations.map((o) => o.ts_ms - 1_800_000_000_000))).toEqual([[0, 1, 2], [3, 4, 5]]);
    b.flush();
    expect(sent).toHaveLength(3);
    expect(sent[2]!.observations).toHaveLength(1);
    expect([b.sent_batches, b.sent_items, b.rejected_items]).toEqual([3, 7, 0]);
  });

  it('sends a partial batch after max_delay_ms', () => {
    vi.useFakeTimers();
    const sent: ObservationBody[] = [];
    const b = new ObservationBatcher({ send: (body) => sent.push(body), max_items: 100, max_delay_ms: 500 });
    b.add(burst(1));
    b.add(burst(2));
    vi.advanceTimersByTime(499);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.observations).toHaveLength(2);
  });

  it('counts and drops an item outside the contract instead of sending it', () => {
    const sent: ObservationBody[] = [];
    const b = new ObservationBatcher({ send: (body) => sent.push(body), max_items: 1 });
    expect(b.add({ ...burst(0), rssi_dbm: Number.NaN })).toBe(false);
    expect(b.add({ ...burst(0), arfcn: 5000 })).toBe(false);
    expect(b.add(burst(0))).toBe(true);
    expect(sent).toHaveLength(1);
    expect(b.rejected_items).toBe(2);
  });
});
