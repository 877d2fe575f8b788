/** The behaviour every Outbox implementation must have (memory now; disk with the reliability issue). */
import { expect, it } from 'vitest';
import type { Outbox, OutboxItem } from '../../src/publish/outbox.js';

const item = (id: string): OutboxItem => ({ id, topic: 't', payload: `{"id":"${id}"}`, retain: false, added_ts_ms: 1 });

export function outboxSuite(make: (maxItems: number) => Outbox | Promise<Outbox>): void {
  it('returns items oldest first and removes only what was acknowledged', async () => {
    const o = await make(10);
    for (const id of ['a', 'b', 'c']) expect(o.put(item(id))).toEqual({ ok: true });
    expect(o.peek(2).map((x) => x.id)).toEqual(['a', 'b']);
    expect(o.remove('b')).toBe(true);
    expect(o.remove('b')).toBe(false);
    expect(o.peek(10).map((x) => x.id)).toEqual(['a', 'c']);
    expect(o.depth()).toBe(2);
  });

  it('skips in-flight ids when peeking', async () => {
    const o = await make(10);
    for (const id of ['a', 'b', 'c']) o.put(item(id));
    expect(o.peek(10, new Set(['a', 'c'])).map((x) => x.id)).toEqual(['b']);
  });

  it('refuses a duplicate id and refuses (never evicts) when full', async () => {
    const o = await make(2);
    o.put(item('a'));
    expect(o.put(item('a'))).toEqual({ ok: false, reason: 'duplicate_id' });
    o.put(item('b'));
    expect(o.put(item('c'))).toEqual({ ok: false, reason: 'outbox_full' });
    expect(o.peek(10).map((x) => x.id)).toEqual(['a', 'b']);
  });
}
