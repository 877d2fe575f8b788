import { describe, expect, it } from 'vitest';
import { BIN_MS, HORIZON_BINS, SlotRing } from '../../src/features/slot-ring.js';
import { C_MO_CALL, C_MT } from '../../src/features/traffic-class.js';

const T0 = 1_800_000_000_000 - (1_800_000_000_000 % 3_600_000);

describe('SlotRing', () => {
  it('keeps running sums equal to a brute-force count over every horizon as time rolls', () => {
    const ring = new SlotRing(T0);
    const events: number[] = [];
    let t = T0;
    for (let i = 0; i < 3000; i++) {
      t += 1000 + ((i * 7919) % 9000);
      events.push(t);
      ring.add(t, C_MO_CALL);
      if (i % 97 === 0) {
        ring.advance(t);
        for (let h = 0; h < HORIZON_BINS.length; h++) {
          const newest = Math.floor(t / BIN_MS);
          const expected = events.filter((e) => Math.floor(e / BIN_MS) > newest - HORIZON_BINS[h]!).length;
          expect(ring.sum(h, C_MO_CALL)).toBe(expected);
        }
      }
    }
    expect(ring.sum(0, C_MT)).toBe(0);
  });

  it('empties after a gap longer than the ring, and keeps hourly history for a week', () => {
    const ring = new SlotRing(T0);
    for (let i = 0; i < 30; i++) ring.add(T0 + i * 60_000, C_MO_CALL);
    ring.advance(T0 + 5 * 3_600_000);
    expect(ring.sum(3, C_MO_CALL)).toBe(0);
    const hourly = ring.hourlySeries([C_MO_CALL], 6);
    expect([...hourly]).toEqual([0, 30, 0, 0, 0, 0]);
    expect(ring.hourlySum([C_MO_CALL], 10)).toBe(30);
  });

  it('series are complete groups, oldest first', () => {
    const ring = new SlotRing(T0);
    for (let m = 0; m < 10; m++) for (let k = 0; k <= m; k++) ring.add(T0 + m * 60_000 + k * 1000, C_MO_CALL);
    ring.advance(T0 + 10 * 60_000);
    expect([...ring.series([C_MO_CALL], 6, 10)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
