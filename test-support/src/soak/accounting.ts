/**
 * The soak's books, kept from the two ends only — the edges' outbox files and the collector's SQLite
 * database — never from what the processes in between say about themselves:
 * - before an edge first runs, its outbox is seeded with a number `seq0` (one message put and removed
 *   through the real DiskOutbox API), so every message that edge ever makes is numbered above it and
 *   `sent = last_seq − seq0` (the outbox numbers every message +1 and keeps the counter on disk, across
 *   kill -9 and restarts);
 * - the outbox counts what its drop policy dropped, by reason, on disk;
 * - stored = distinct seqs of that probe in the collector's record tables (detections, windows,
 *   observation messages); a seq stored under two ids is a duplicate (stored twice); the collector's
 *   `duplicate_id` dead letters are copies it recognised and did not store again (redeliveries).
 * lost = sent − stored − dropped by policy. Test-only.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DiskOutbox } from '@simhound/edge-agent';

/** Create the outbox at `path` and give it a starting number; returns that number. */
export function seedOutbox(path: string): number {
  const opened = DiskOutbox.open(path);
  if (!opened.ok) throw new Error(`cannot seed the outbox ${path}: ${opened.detail ?? opened.reason}`);
  const outbox = opened.value;
  const seq0 = Date.now() * 1000;
  const id = randomUUID();
  const put = outbox.put({ id, kind: 'window', topic: 'seed', payload: '{}', retain: false, added_ts_ms: Date.now(), seq: seq0 });
  if (!put.ok) throw new Error(`cannot seed the outbox ${path}: ${put.reason}`);
  outbox.remove(id);
  outbox.close();
  return seq0;
}

export interface EdgeBooks {
  last_seq: number;
  /** Still in the outbox (not acknowledged by the broker). */
  depth: number;
  dropped: number;
  dropped_by_reason: Record<string, number>;
}

/** Read an edge's outbox after its process has ended. */
export function readEdgeBooks(path: string): EdgeBooks {
  const opened = DiskOutbox.open(path);
  if (!opened.ok) throw new Error(`cannot read the outbox ${path}: ${opened.detail ?? opened.reason}`);
  const o = opened.value;
  const stats = o.stats();
  const books = {
    last_seq: o.lastSeq() ?? 0,
    depth: stats.depth,
    dropped: Object.values(stats.dropped_by_reason).reduce((a, b) => a + b, 0),
    dropped_by_reason: Object.fromEntries(Object.entries(stats.dropped_by_reason).filter(([, n]) => n > 0)),
  };
  o.close();
  return books;
}

export interface StoreBooks {
  /** Distinct seqs stored for this probe above seq0. */
  stored: number;
  /** Rows that repeat a stored seq under another id. */
  duplicated: number;
  /** Seqs stored that the edge never numbered (must be 0). */
  foreign: number;
  by_kind: { detection: number; window: number; observation: number };
}

export function readStoreBooks(sqlitePath: string, site: string, probe: string, seq0: number, lastSeq: number): StoreBooks {
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`
      SELECT 'detection' AS kind, seq FROM detections WHERE site = ? AND probe = ? AND seq > ?
      UNION ALL SELECT 'window', seq FROM windows WHERE site = ? AND probe = ? AND seq > ?
      UNION ALL SELECT 'observation', seq FROM observation_messages WHERE site = ? AND probe = ? AND seq > ?
    `).all(site, probe, seq0, site, probe, seq0, site, probe, seq0) as Array<{ kind: 'detection' | 'window' | 'observation'; seq: number }>;
    const seqs = new Set<number>();
    const by_kind = { detection: 0, window: 0, observation: 0 };
    let foreign = 0;
    for (const r of rows) {
      if (!seqs.has(r.seq)) by_kind[r.kind] += 1;
      seqs.add(r.seq);
      if (r.seq > lastSeq) foreign += 1;
    }
    return { stored: seqs.size, duplicated: rows.length - seqs.size, foreign, by_kind };
  } finally {
    db.close();
  }
}

/** Dead letters by reason for one probe's topics (duplicate_id = redeliveries recognised and not stored again). */
export function readDeadLetters(sqlitePath: string, site: string, probe: string): Record<string, number> {
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT reason, count(*) AS n FROM dead_letters WHERE topic LIKE ? GROUP BY reason').all(`%/${site}/${probe}/%`) as Array<{ reason: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
  } finally {
    db.close();
  }
}

/** How many messages of this probe the store holds right now (while the collector runs). */
export function countStored(sqlitePath: string, site: string, probe: string, seq0: number): number {
  let db: Database.Database;
  try {
    db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    const q = (table: string) => (db.prepare(`SELECT count(*) FROM ${table} WHERE site = ? AND probe = ? AND seq > ?`).pluck().get(site, probe, seq0) as number);
    return q('detections') + q('windows') + q('observation_messages');
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

export interface ProbeBooks extends EdgeBooks, StoreBooks {
  probe: string;
  sent: number;
  lost: number;
  redelivered: number;
  dead_letters: Record<string, number>;
}

export function closeBooks(sqlitePath: string, p: { site: string; probe: string; outboxPath: string; seq0: number }): ProbeBooks {
  const edge = readEdgeBooks(p.outboxPath);
  const sent = edge.last_seq - p.seq0;
  const store = readStoreBooks(sqlitePath, p.site, p.probe, p.seq0, edge.last_seq);
  const dead = readDeadLetters(sqlitePath, p.site, p.probe);
  return {
    probe: p.probe,
    ...edge,
    ...store,
    sent,
    lost: sent - store.stored - edge.dropped,
    redelivered: dead.duplicate_id ?? 0,
    dead_letters: dead,
  };
}
