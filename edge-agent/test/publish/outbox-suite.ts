/** The behaviour every Outbox implementation must have (memory and disk run this same suite). */
import { expect, it } from 'vitest';
import type { MessageKind } from '@simhound/protocol';
import type { Outbox, OutboxItem } from '../../src/publish/outbox.js';
import type { OutboxLimits } from '../../src/publish/outbox-policy.js';

export interface OutboxMaker {
  /** A fresh, empty outbox with these limits and clock. */
  make(limits: Partial<OutboxLimits> | number, clock?: () => number): Outbox | Promise<Outbox>;
}

let n = 0;
const item = (id: string, kind: MessageKind = 'detection', extra: Partial<OutboxItem> = {}): OutboxItem => ({
  id, kind, topic: `t/${kind}`, payload: `{"id":"${id}"}`, retain: false, added_ts_ms: Date.now(), seq: ++n, ...extra,
});
const ids = (o: Outbox) => o.peek(1000).map((x) => x.id);

export function outboxSuite(maker: OutboxMaker): void {
  const make = (limits: Partial<OutboxLimits> | number = {}, clock?: () => number) => maker.make(limits, clock);

  it('returns items oldest first and removes only what was acknowledged', async () => {
    const o = await make(10);
    for (const id of ['a', 'b', 'c']) expect(o.put(item(id))).toEqual({ ok: true, dropped: 0 });
    expect(o.peek(2).map((x) => x.id)).toEqual(['a', 'b']);
    expect(o.remove('b')).toBe(true);
    expect(o.remove('b')).toBe(false);
    expect(ids(o)).toEqual(['a', 'c']);
    expect(o.depth()).toBe(2);
  });

  it('keeps insertion order across kinds and returns every field as put', async () => {
    const o = await make();
    const t = Date.now() - 5000;
    const a = item('a', 'window', { retain: true, added_ts_ms: t, payload: '{"x":"é"}' });
    o.put(a);
    o.put(item('b', 'detection'));
    o.put(item('c', 'window'));
    expect(ids(o)).toEqual(['a', 'b', 'c']);
    expect(o.peek(1)[0]).toEqual(a);
    expect(o.stats()).toMatchObject({ depth: 3, bytes: Buffer.byteLength('{"x":"é"}') + 2 * '{"id":"b"}'.length, oldest_added_ts_ms: t });
  });

  it('skips in-flight ids when peeking', async () => {
    const o = await make(10);
    for (const id of ['a', 'b', 'c']) o.put(item(id));
    expect(o.peek(10, new Set(['a', 'c'])).map((x) => x.id)).toEqual(['b']);
    expect(o.peek(1, new Set(['a'])).map((x) => x.id)).toEqual(['b']);
  });

  it('refuses a duplicate id', async () => {
    const o = await make(10);
    o.put(item('a'));
    expect(o.put(item('a'))).toEqual({ ok: false, reason: 'duplicate_id' });
    expect(o.depth()).toBe(1);
  });

  it('drops the oldest windows first when the soft item limit is reached, for a window or a detection', async () => {
    const o = await make({ max_items: 3, hard_max_items: 10 });
    o.put(item('w1', 'window'));
    o.put(item('d1', 'detection'));
    o.put(item('w2', 'window'));
    expect(o.put(item('w3', 'window'))).toEqual({ ok: true, dropped: 1 });
    expect(ids(o)).toEqual(['d1', 'w2', 'w3']);
    expect(o.put(item('d2', 'detection'))).toEqual({ ok: true, dropped: 1 });
    expect(ids(o)).toEqual(['d1', 'w3', 'd2']);
    expect(o.stats().dropped_by_reason.window_over_limit).toBe(2);
  });

  it('keeps detections past the soft limit, refuses new windows then, and drops the oldest detection only past the hard cap', async () => {
    const o = await make({ max_items: 2, hard_max_items: 4 });
    for (const id of ['d1', 'd2', 'd3']) expect(o.put(item(id)).ok).toBe(true);
    // Soft limit passed with detections only: a window has nowhere to go.
    expect(o.put(item('w1', 'window'))).toEqual({ ok: false, reason: 'outbox_full' });
    expect(o.put(item('d4')).ok).toBe(true);
    expect(o.put(item('d5'))).toEqual({ ok: true, dropped: 1 });
    expect(ids(o)).toEqual(['d2', 'd3', 'd4', 'd5']);
    expect(o.stats().dropped_by_reason).toMatchObject({ window_over_limit: 1, detection_over_hard_cap: 1, window_expired: 0 });
  });

  it('bounds payload bytes the same way', async () => {
    const size = '{"id":"w1"}'.length;
    const o = await make({ max_bytes: 2 * size, hard_max_bytes: 3 * size });
    o.put(item('w1', 'window'));
    o.put(item('w2', 'window'));
    expect(o.put(item('d1'))).toEqual({ ok: true, dropped: 1 });
    expect(o.put(item('d2'))).toEqual({ ok: true, dropped: 1 });
    expect(ids(o)).toEqual(['d1', 'd2']);
    o.put(item('d3'));
    expect(o.put(item('d4'))).toEqual({ ok: true, dropped: 1 });
    expect(ids(o)).toEqual(['d2', 'd3', 'd4']);
    expect(o.stats().bytes).toBe(3 * size);
  });

  it('expires windows older than the age limit, never detections', async () => {
    let now = 1_000_000;
    const o = await make({ max_window_age_s: 60 }, () => now);
    o.put(item('w-old', 'window', { added_ts_ms: now }));
    o.put(item('d-old', 'detection', { added_ts_ms: now }));
    now += 61_000;
    expect(o.put(item('w-new', 'window', { added_ts_ms: now }))).toEqual({ ok: true, dropped: 1 });
    expect(ids(o)).toEqual(['d-old', 'w-new']);
    expect(o.stats().dropped_by_reason.window_expired).toBe(1);
  });

  it('remembers the highest seq ever put, even after the messages left', async () => {
    const o = await make();
    expect(o.lastSeq()).toBeNull();
    o.put(item('a', 'detection', { seq: 41 }));
    o.put(item('b', 'window', { seq: 42 }));
    o.remove('a');
    o.remove('b');
    expect(o.lastSeq()).toBe(42);
  });
}
