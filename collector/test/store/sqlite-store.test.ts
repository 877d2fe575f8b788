import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ParsedEnvelope } from '@simhound/protocol';
import { SqliteStore, StoreUnavailableError } from '../../src/index.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-migrations.js';
import { detectionBody, makeProbe, statusBody, tempDir } from '../fixtures.js';
import { runStoreSuite } from './store-suite.js';

runStoreSuite('SQLite (temp file)', async () => {
  const tmp = tempDir('store');
  const path = join(tmp.dir, 'sub', 'collector.sqlite');
  return {
    store: SqliteStore.open(path),
    reopen: async () => SqliteStore.open(path),
    cleanup: async () => tmp.remove(),
  };
});

describe('SqliteStore specifics', () => {
  it('uses WAL and records each migration once across reopenings', async () => {
    const tmp = tempDir('store-wal');
    const path = join(tmp.dir, 'c.sqlite');
    (await SqliteStore.open(path).close());
    const again = SqliteStore.open(path);
    await again.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(SQLITE_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    db.close();
    tmp.remove();
  });
});

describe('SqliteStore failures: duplicates, rows it can never take, a full disk', () => {
  const a = makeProbe('maseru', 'roof-1');
  const T0 = 1_800_000_000_000;
  const open = () => {
    const tmp = tempDir('store-fail');
    const path = join(tmp.dir, 'c.sqlite');
    return { path, store: SqliteStore.open(path), remove: tmp.remove };
  };

  it('treats a message whose record exists but whose seen id was pruned (an old database) as a duplicate, not an error', async () => {
    const { path, store, remove } = open();
    const will = a.factory.make('status', statusBody({ state: 'offline' }), T0) as ParsedEnvelope;
    expect(await store.ingest(will, T0)).toBe('stored');
    const side = new Database(path);
    side.prepare('DELETE FROM seen_ids').run(); // what the old prune did after max_age_s
    side.close();
    const out = await store.ingestBatch([
      { type: 'message', envelope: will, received_ts_ms: T0 + 1 },
      { type: 'message', envelope: a.factory.make('detection', detectionBody(), T0) as ParsedEnvelope, received_ts_ms: T0 + 2 },
    ]);
    expect(out.map((o) => o.outcome)).toEqual(['duplicate', 'stored']);
    expect(await store.counts()).toMatchObject({ statuses: 1, detections: 1, dead_letters: 0 });
    await store.close();
    remove();
  });

  it('dead-letters a row the database refuses (here a trigger) once, and commits the rest of the batch', async () => {
    const { path, store, remove } = open();
    const side = new Database(path);
    side.exec("CREATE TRIGGER refuse BEFORE INSERT ON detections WHEN NEW.ta_steps = 63 BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END");
    side.close();
    const poison = a.factory.make('detection', detectionBody({ ta_steps: 63 }), T0) as ParsedEnvelope;
    const good = a.factory.make('detection', detectionBody({ ta_steps: 4 }), T0) as ParsedEnvelope;
    const out = await store.ingestBatch([
      { type: 'message', envelope: poison, received_ts_ms: T0 },
      { type: 'message', envelope: good, received_ts_ms: T0 },
    ]);
    expect(out[0]).toMatchObject({ outcome: 'store_rejected', detail: expect.stringContaining('refused by test trigger') });
    expect(out[1]).toEqual({ outcome: 'stored' });
    const dead = await store.listDeadLetters({ limit: 10 });
    expect(dead.map((d) => [d.reason, d.topic])).toEqual([['store_rejected', 'maseru/roof-1/detection']]);
    expect(JSON.parse(dead[0]!.payload.toString()).id).toBe(poison.id);
    // Rolled back alone: its seen id went with it, nothing half-written.
    expect(await store.counts()).toMatchObject({ detections: 1, seen_ids: 1 });
    await store.close();
    remove();
  });

  it('reports a full database as StoreUnavailableError with nothing written, and commits once there is room', async () => {
    const { store, remove } = open();
    const batch = Array.from({ length: 200 }, (_, i) => ({ type: 'message' as const, envelope: a.factory.make('detection', detectionBody({ ta_steps: i % 64 }), T0 + i) as ParsedEnvelope, received_ts_ms: T0 + i }));
    const before = await store.counts();
    store.setMaxSizeBytes(0); // no page beyond what the file has
    await expect(store.ingestBatch(batch)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ingestBatch(batch)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(await store.counts()).toEqual(before);
    // Small writes fit into free room in existing pages for a while, then fail the same way.
    let auditFailure: unknown = null;
    for (let i = 0; i < 10_000 && auditFailure === null; i += 1) {
      await store.addAudit({ ts_ms: T0, user: null, role: null, method: 'GET', path: `/api/${'x'.repeat(400)}`, status: 200, remote_addr: null }).catch((e: unknown) => { auditFailure = e; });
    }
    expect(auditFailure).toBeInstanceOf(StoreUnavailableError);
    store.setMaxSizeBytes(1 << 30);
    expect((await store.ingestBatch(batch)).every((o) => o.outcome === 'stored')).toBe(true);
    expect((await store.counts()).detections).toBe(before.detections + 200);
    await store.close();
    await expect(store.ingestBatch(batch)).rejects.toMatchObject({ code: 'closed' });
    remove();
  });
});
