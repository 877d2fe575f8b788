/** The agenda pops in time order, ties in insertion order, across growth. */
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/world/event-queue.js';
import { createRandom } from '../../src/random.js';

describe('EventQueue', () => {
  it('pops 20,000 random entries in time order, equal times in insertion order', () => {
    const q = new EventQueue();
    const r = createRandom(3);
    const pushed: Array<{ t: number; a: number }> = [];
    for (let i = 0; i < 20_000; i++) {
      const t = Math.floor(r.next() * 500); // many ties
      q.push(t, i % 7, i, -i);
      pushed.push({ t, a: i });
    }
    const expected = [...pushed].sort((x, y) => x.t - y.t || x.a - y.a);
    const got: Array<{ t: number; a: number }> = [];
    while (q.pop()) {
      expect(q.kind).toBe(q.a % 7);
      expect(q.b + q.a).toBe(0);
      got.push({ t: q.time, a: q.a });
    }
    expect(got).toEqual(expected);
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });
  it('interleaves pushes and pops', () => {
    const q = new EventQueue();
    q.push(10, 1, 1);
    q.push(5, 1, 2);
    expect(q.pop()).toBe(true);
    expect(q.a).toBe(2);
    q.push(7, 1, 3);
    q.push(12, 1, 4);
    const order: number[] = [];
    while (q.pop()) order.push(q.a);
    expect(order).toEqual([3, 1, 4]);
  });
});
