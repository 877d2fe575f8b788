/**
 * The disk outbox: one SQLite file (better-sqlite3, WAL journal) that holds every message from the
 * moment it is made until the broker acknowledged it. Chosen over an append-only log by measurement
 * (bench/outbox.ts, docs/delivery.md): both are bound by the same fsync per put, and SQLite gives
 * atomic policy drops, ordered reads and crash recovery for free.
 *
 * Durability (the fsync policy, docs/delivery.md):
 * - `put` commits with `synchronous=FULL`: when it returns ok, the message survives `kill -9` and a
 *   power cut (as far as the storage honours flushes);
 * - `remove` (after a PUBACK) commits with `synchronous=NORMAL`: no fsync. `kill -9` loses nothing; a
 *   power cut may bring back messages acknowledged in the last moments before it, which are then sent
 *   again with the same envelope id (the collector dedupes by id).
 * The file is opened with an exclusive lock, so a second agent cannot drain the same outbox.
 *
 * It must not publish or decide what to publish; it stores, orders, bounds (outbox-policy.ts) and counts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { fail, ok, type Result } from '@simhound/protocol';
import {
  DEFAULT_OUTBOX_LIMITS, emptyDropCounts, OUTBOX_DROP_REASONS, planAdmission, type OutboxDropReason, type OutboxLimits,
  type PolicyView, type PriorityClass, type StoredSummary,
} from './outbox-policy.js';
import { payloadBytes, type Outbox, type OutboxItem, type OutboxPutResult, type OutboxStats } from './outbox.js';

const SCHEMA_VERSION = 1;

export type DiskOutboxOpenError = 'in_use' | 'not_an_outbox' | 'io_error';

interface Row {
  id: string;
  kind: string;
  topic: string;
  payload: string;
  retain: number;
  added_ts_ms: number;
  seq: number;
}

export class DiskOutbox implements Outbox {
  readonly durable = true;
  private items = 0;
  private bytes = 0;
  private seq: number | null;
  private readonly dropped: Record<OutboxDropReason, number>;
  private readonly stmt;
  private synchronous: 'FULL' | 'NORMAL' = 'FULL';

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly limits: OutboxLimits,
    private readonly clock: () => number,
  ) {
    this.stmt = {
      insert: db.prepare('INSERT INTO outbox (id, kind, cls, topic, payload, retain, added_ts_ms, seq, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      exists: db.prepare('SELECT 1 FROM outbox WHERE id = ?').pluck(),
      remove: db.prepare('DELETE FROM outbox WHERE id = ?'),
      removeReturning: db.prepare('DELETE FROM outbox WHERE id = ? RETURNING bytes'),
      peek: db.prepare('SELECT id, kind, topic, payload, retain, added_ts_ms, seq FROM outbox ORDER BY n LIMIT ?'),
      oldest: db.prepare('SELECT id, bytes, added_ts_ms FROM outbox WHERE cls = ? ORDER BY n'),
      first: db.prepare('SELECT added_ts_ms FROM outbox ORDER BY n LIMIT 1').pluck(),
      totals: db.prepare('SELECT count(*) AS items, coalesce(sum(bytes), 0) AS bytes FROM outbox'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      addMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value'),
    };
    const totals = this.stmt.totals.get() as { items: number; bytes: number };
    this.items = totals.items;
    this.bytes = totals.bytes;
    this.seq = (this.stmt.getMeta.get('last_seq') as number | undefined) ?? null;
    this.dropped = emptyDropCounts();
    for (const r of OUTBOX_DROP_REASONS) this.dropped[r] = (this.stmt.getMeta.get(`dropped:${r}`) as number | undefined) ?? 0;
  }

  /** Open (or create) the outbox file at `path`; its folder is created when missing. */
  static open(path: string, limits: Partial<OutboxLimits> = {}, clock: () => number = Date.now): Result<DiskOutbox, DiskOutboxOpenError> {
    let db: Database.Database;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: 0 });
    } catch (e) {
      return fail('io_error', (e as Error).message);
    }
    try {
      // Exclusive before WAL: no shared-memory file, and no second process can open it while we run.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // Take the write lock now (held until close): a second agent on the same file fails here.
      db.prepare('BEGIN EXCLUSIVE').run();
      db.prepare('COMMIT').run();
      migrate(db);
    } catch (e) {
      db.close();
      const code = (e as { code?: string }).code ?? '';
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return fail('in_use', `${path} is open in another process (another edge agent?)`);
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_ERROR') return fail('not_an_outbox', `${path}: ${(e as Error).message}`);
      return fail('io_error', `${path}: ${(e as Error).message}`);
    }
    return ok(new DiskOutbox(db, path, { ...DEFAULT_OUTBOX_LIMITS, ...limits }, clock));
  }

  put(item: OutboxItem): OutboxPutResult {
    const bytes = payloadBytes(item);
    try {
      if (this.stmt.exists.get(item.id) !== undefined) return { ok: false, reason: 'duplicate_id' };
      const view: PolicyView = { items: this.items, bytes: this.bytes, oldest: (cls) => this.oldest(cls) };
      const plan = planAdmission(view, item.kind, bytes, this.clock(), this.limits);
      const lastSeq = Math.max(this.seq ?? item.seq, item.seq);
      this.setSynchronous('FULL');
      this.db.transaction(() => {
        for (const d of plan.drops) {
          this.stmt.remove.run(d.id);
          this.stmt.addMeta.run(`dropped:${d.reason}`, 1);
        }
        if (plan.admit) {
          this.stmt.insert.run(item.id, item.kind, classOf(item), item.topic, item.payload, item.retain ? 1 : 0, item.added_ts_ms, item.seq, bytes);
        } else {
          this.stmt.addMeta.run(`dropped:${plan.reason}`, 1);
        }
        this.stmt.setMeta.run('last_seq', lastSeq);
      }).immediate();
      // Committed: now mirror it in memory.
      for (const d of plan.drops) {
        this.items--;
        this.bytes -= d.bytes;
        this.dropped[d.reason]++;
      }
      this.seq = lastSeq;
      if (!plan.admit) {
        this.dropped[plan.reason]++;
        return { ok: false, reason: 'outbox_full' };
      }
      this.items++;
      this.bytes += bytes;
      return { ok: true, dropped: plan.drops.length };
    } catch (e) {
      // Disk full, I/O error …: the message is not durable, so it counts as lost here.
      this.dropped.write_failed++;
      this.tryCount('write_failed');
      return { ok: false, reason: 'write_failed', detail: (e as Error).message };
    }
  }

  peek(limit: number, exclude?: ReadonlySet<string>): OutboxItem[] {
    const rows = this.stmt.peek.all(limit + (exclude?.size ?? 0)) as Row[];
    const out: OutboxItem[] = [];
    for (const r of rows) {
      if (out.length >= limit) break;
      if (exclude?.has(r.id)) continue;
      out.push({ id: r.id, kind: r.kind as OutboxItem['kind'], topic: r.topic, payload: r.payload, retain: r.retain === 1, added_ts_ms: r.added_ts_ms, seq: r.seq });
    }
    return out;
  }

  remove(id: string): boolean {
    // No fsync for removes: a power cut can only bring an acknowledged message back (a duplicate id).
    this.setSynchronous('NORMAL');
    const row = this.stmt.removeReturning.get(id) as { bytes: number } | undefined;
    if (row === undefined) return false;
    this.items--;
    this.bytes -= row.bytes;
    return true;
  }

  depth(): number {
    return this.items;
  }

  stats(): OutboxStats {
    return {
      durable: true,
      depth: this.items,
      bytes: this.bytes,
      oldest_added_ts_ms: (this.stmt.first.get() as number | undefined) ?? null,
      dropped_by_reason: { ...this.dropped },
    };
  }

  lastSeq(): number | null {
    return this.seq;
  }

  close(): void {
    if (!this.db.open) return;
    // A checkpoint folds the WAL into the main file so the next start reads one file.
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Closing still commits nothing new; the WAL is replayed at the next open.
    }
    this.db.close();
  }

  private setSynchronous(mode: 'FULL' | 'NORMAL'): void {
    if (this.synchronous === mode) return;
    this.db.pragma(`synchronous = ${mode}`);
    this.synchronous = mode;
  }

  private *oldest(cls: PriorityClass): Iterable<StoredSummary> {
    for (const r of this.stmt.oldest.iterate(cls) as IterableIterator<StoredSummary>) yield r;
  }

  private tryCount(reason: OutboxDropReason): void {
    try {
      this.stmt.addMeta.run(`dropped:${reason}`, 1);
    } catch {
      // The disk that refused the message may refuse the counter too; the in-memory count stands.
    }
  }
}

function classOf(item: OutboxItem): PriorityClass {
  return item.kind === 'window' ? 'window' : 'precious';
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) {
    // Touch the table so a foreign SQLite file with our version number still fails here, not later.
    db.prepare('SELECT n, id, kind, cls, topic, payload, retain, added_ts_ms, seq, bytes FROM outbox LIMIT 0').all();
    return;
  }
  if (version !== 0) throw Object.assign(new Error(`outbox schema version ${version} is newer than this software (${SCHEMA_VERSION})`), { code: 'SQLITE_ERROR' });
  const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
  if (tables > 0) throw Object.assign(new Error('not an outbox: the file holds other tables'), { code: 'SQLITE_ERROR' });
  db.transaction(() => {
    db.exec(`
      CREATE TABLE outbox (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        cls TEXT NOT NULL,
        topic TEXT NOT NULL,
        payload TEXT NOT NULL,
        retain INTEGER NOT NULL,
        added_ts_ms INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
      CREATE INDEX outbox_by_class ON outbox (cls, n);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
