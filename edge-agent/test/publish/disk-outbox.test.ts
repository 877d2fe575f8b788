/**
 * DiskOutbox: the shared outbox suite, plus what only a disk outbox promises — everything survives a
 * reopen and a `kill -9` of the writing process (a real child process, killed mid-stream), one agent
 * per file, typed errors for a foreign file and for a full disk (SQLite's own SQLITE_FULL).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskOutbox } from '../../src/publish/disk-outbox.js';
import type { Outbox, OutboxItem } from '../../src/publish/outbox.js';
import { outboxSuite } from './outbox-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'simhound-disk-outbox-'));
const open: Outbox[] = [];
afterAll(() => {
  for (const o of open) o.close();
});
let files = 0;
const fresh = () => join(dir, `outbox-${++files}.db`);

function openOk(path: string, limits = {}, clock?: () => number): DiskOutbox {
  const r = DiskOutbox.open(path, limits, clock);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  open.push(r.value);
  return r.value;
}

const T0 = Date.now();
const item = (id: string, seq: number, kind: OutboxItem['kind'] = 'detection'): OutboxItem => ({
  id, kind, topic: `t/${kind}`, payload: JSON.stringify({ id, pad: 'x'.repeat(200) }), retain: false, added_ts_ms: T0 + seq, seq,
});

describe('DiskOutbox', () => {
  outboxSuite({ make: (limits, clock) => openOk(fresh(), typeof limits === 'number' ? { max_items: limits, hard_max_items: limits } : limits, clock) });

  it('keeps messages, their order, the seq and the drop counts across close and reopen', () => {
    const path = join(dir, 'nested', 'folder', 'outbox.db');
    const a = openOk(path, { max_items: 3, hard_max_items: 10 });
    a.put(item('w1', 1, 'window'));
    for (let i = 2; i <= 4; i++) a.put(item(`d${i}`, i));
    a.remove('d3');
    a.close();
    const b = openOk(path, { max_items: 3, hard_max_items: 10 });
    expect(b.peek(10).map((x) => x.id)).toEqual(['d2', 'd4']);
    expect(b.peek(1)[0]).toEqual(item('d2', 2));
    expect(b.lastSeq()).toBe(4);
    expect(b.depth()).toBe(2);
    expect(b.stats().dropped_by_reason.window_over_limit).toBe(1);
    expect(b.stats().bytes).toBe(Buffer.byteLength(item('d2', 2).payload) * 2);
  });

  it('lets only one process (or connection) use a file', () => {
    const path = fresh();
    openOk(path);
    const second = DiskOutbox.open(path);
    expect(second).toMatchObject({ ok: false, reason: 'in_use' });
  });

  it('refuses a file that is not an outbox with a typed reason', () => {
    const text = join(dir, 'not-a-db.db');
    writeFileSync(text, 'this is not SQLite\n'.repeat(100));
    expect(DiskOutbox.open(text)).toMatchObject({ ok: false, reason: 'not_an_outbox' });
  });

  it('counts a message the full disk could not take as write_failed, and goes on once there is room', () => {
    const o = openOk(fresh());
    // SQLite's own size cap gives the same SQLITE_FULL a full disk gives.
    const db = (o as unknown as { db: { pragma(s: string): unknown } }).db;
    db.pragma('max_page_count = 8');
    let failed: ReturnType<Outbox['put']> | null = null;
    for (let i = 1; i < 500 && failed === null; i++) {
      const r = o.put(item(`f${i}`, i));
      if (!r.ok) failed = r;
    }
    expect(failed).toMatchObject({ ok: false, reason: 'write_failed' });
    expect(o.stats().dropped_by_reason.write_failed).toBe(1);
    const depth = o.depth();
    expect(o.peek(1000)).toHaveLength(depth);
    db.pragma('max_page_count = 100000');
    expect(o.put(item('after', 10_000)).ok).toBe(true);
    expect(o.depth()).toBe(depth + 1);
  });

  it('loses nothing it acknowledged when the writing process is killed with SIGKILL', async () => {
    const path = fresh();
    // A child writes as fast as it can and prints each id after put() returned ok.
    const script = `
      import { DiskOutbox } from ${JSON.stringify(new URL('../../src/publish/disk-outbox.ts', import.meta.url).pathname)};
      const r = DiskOutbox.open(${JSON.stringify(path)});
      if (!r.ok) { console.error(r.reason); process.exit(9); }
      for (let i = 1; ; i++) {
        const id = 'k' + i;
        const p = r.value.put({ id, kind: i % 3 ? 'window' : 'detection', topic: 't', payload: JSON.stringify({ id, pad: 'y'.repeat(300) }), retain: false, added_ts_ms: Date.now(), seq: i });
        if (!p.ok) { console.error(p.reason); process.exit(8); }
        if (i % 5 === 0) r.value.remove('k' + (i - 4));
        process.stdout.write(id + '\\n');
      }`;
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.split('\n').length > 400) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (c, s) => r(s ?? c)));
    expect(code, err).toBe('SIGKILL');
    const acknowledged = out.split('\n').filter((l) => /^k\d+$/.test(l)).map((l) => Number(l.slice(1)));
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);
    const o = openOk(path);
    const present = new Set(o.peek(1_000_000).map((x) => x.id));
    const highest = Math.max(...acknowledged);
    for (const i of acknowledged) {
      // The child removed k(i-4) just before printing k(i) for every i divisible by 5.
      const removed = i % 5 === 1 && i + 4 <= highest;
      const maybeRemoved = i % 5 === 1 && i + 4 > highest;
      if (removed) expect(present.has(`k${i}`), `k${i} was removed`).toBe(false);
      else if (!maybeRemoved) expect(present.has(`k${i}`), `k${i} was acknowledged`).toBe(true);
    }
    expect(o.lastSeq()).toBeGreaterThanOrEqual(highest);
  }, 60_000);
});
