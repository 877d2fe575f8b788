/**
 * The SQLite implementation of `Store` (better-sqlite3, WAL). Good for one collector (a city pilot);
 * PostgreSQL takes over past one machine (DESIGN.md "Scale") behind the same interface.
 *
 * Dedupe and storing happen in one transaction, so a message is either stored with its id remembered
 * or not at all; a crash between the two cannot produce a duplicate or a loss.
 * This module must not validate messages (ingest does) and must not log payloads.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CellId, ParsedEnvelope } from '@simhound/protocol';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteDenStore } from '../dens/sqlite-den-store.js';
import { classifySqliteError, sqliteErrorCode } from './sqlite-errors.js';
import {
  DEAD_LETTER_PAYLOAD_MAX_BYTES, StoreUnavailableError,
  type AuditEntry, type AuditRecord, type BatchItem, type BatchItemOutcome, type CellKey, type CellRecord, type DeadLetterInput, type DeadLetterRecord,
  type DetectionRecord, type EnvelopeMeta, type IngestOutcome, type MessageQuery, type ObservationQuery, type ObservationRecord, type ObservedCellRecord,
  type ProbeRecord, type ProbeRegistryEntry, type ProbeSeqReport, type RetentionPolicy, type RetentionReport, type StatusRecord, type Store, type StoreCounts, type WindowRecord,
} from './store.js';

/**
 * A seq more than this far above a run's highest seq starts a new run (the agent restarted: its
 * EnvelopeFactory starts at the wall clock in microseconds, far above the previous run's numbers).
 */
export const SEQ_RUN_BREAK = 100_000;

/** The table that holds each kind's records (the dedupe keeps an id while its record exists). */
const TABLE_OF_KIND = { detection: 'detections', window: 'windows', observation: 'observation_messages', status: 'probe_status' } as const;

/** A Last Will or final status: signed early, so it carries no seq of its own (see EnvelopeFactory). */
const isOfflineStatus = (env: ParsedEnvelope) => env.kind === 'status' && env.body.state === 'offline';

type Row = Record<string, unknown>;

function applyMigrations(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ts_ms INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  for (const m of SQLITE_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_ts_ms) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    })();
  }
}

/** Numeric form of MCC/MNC used to match the cell DB, whose CSVs carry them as integers ("02" → 2). */
const codeNumber = (code: string) => Number.parseInt(code, 10);

function metaFrom(row: Row): EnvelopeMeta {
  return {
    id: row.id as string,
    site: row.site as string,
    probe: row.probe as string,
    ts_ms: row.ts_ms as number,
    seq: row.seq as number,
    received_ts_ms: row.received_ts_ms as number,
  };
}

function withBody<T>(row: Row): EnvelopeMeta & T {
  return { ...metaFrom(row), ...(JSON.parse(row.body_json as string) as T) };
}

function messageFilter(query: MessageQuery): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.since_ts_ms !== undefined) {
    clauses.push('ts_ms >= ?');
    params.push(query.since_ts_ms);
  }
  if (query.site !== undefined) {
    clauses.push('site = ?');
    params.push(query.site);
  }
  if (query.probe !== undefined) {
    clauses.push('probe = ?');
    params.push(query.probe);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** What a batch changes once per probe / per cell, whatever the number of its messages. */
class BatchAggregates {
  readonly probes = new Map<string, { site: string; probe: string; received_ts_ms: number }>();
  readonly cells = new Map<string, CellId & { arfcn: number; ts_ms: number; detections: number; first_ts_ms: number }>();

  touchProbe(site: string, probe: string, received_ts_ms: number): void {
    const key = `${site}/${probe}`;
    const p = this.probes.get(key);
    if (p === undefined) this.probes.set(key, { site, probe, received_ts_ms });
    else p.received_ts_ms = Math.max(p.received_ts_ms, received_ts_ms);
  }

  observeCell(cell: CellId | null, arfcn: number, ts_ms: number, detections: number): void {
    if (cell === null) return;
    const key = `${cell.mcc}-${cell.mnc}-${cell.lac}-${cell.ci}`;
    const c = this.cells.get(key);
    if (c === undefined) {
      this.cells.set(key, { ...cell, arfcn, ts_ms, first_ts_ms: ts_ms, detections });
      return;
    }
    // The upsert keeps MIN(first) and MAX(last) of what it is given: give it both ends.
    if (ts_ms >= c.ts_ms) c.arfcn = arfcn;
    c.first_ts_ms = Math.min(c.first_ts_ms, ts_ms);
    c.ts_ms = Math.max(c.ts_ms, ts_ms);
    c.detections += detections;
  }

  merge(other: BatchAggregates): void {
    for (const p of other.probes.values()) this.touchProbe(p.site, p.probe, p.received_ts_ms);
    for (const c of other.cells.values()) {
      this.observeCell(c, c.arfcn, c.first_ts_ms, c.detections);
      this.observeCell(c, c.arfcn, c.ts_ms, 0);
    }
  }
}

export class SqliteStore implements Store {
  readonly backend = 'sqlite';
  readonly dens: SqliteDenStore;
  private readonly db: Database.Database;
  private readonly statements;

  private readonly batchTransaction: (items: readonly BatchItem[], careful: boolean) => BatchItemOutcome[];
  private readonly messageTransaction: (env: ParsedEnvelope, received_ts_ms: number, batch: BatchAggregates, envelopeJson?: string) => IngestOutcome;

  /** Open (creating the file and its directory if needed) and migrate. */
  static open(path: string, options: { max_size_bytes?: number; synchronous?: 'full' | 'normal' } = {}): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const store = new SqliteStore(new Database(path), options.synchronous ?? 'full');
    if (options.max_size_bytes !== undefined) store.setMaxSizeBytes(options.max_size_bytes);
    return store;
  }

  /**
   * Cap the database file (SQLite max_page_count). When it is reached, writes fail like a full disk:
   * ingest stops acknowledging until space is made (retention, a larger cap) — nothing is lost.
   */
  setMaxSizeBytes(bytes: number): void {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(bytes / pageSize))}`);
  }

  private constructor(db: Database.Database, synchronous: 'full' | 'normal') {
    this.db = db;
    db.pragma('journal_mode = WAL');
    // FULL (default): every commit is on disk before ingest acknowledges, so a PUBACK survives a power
    // cut too; batching pays one fsync per transaction, not per message. NORMAL never corrupts but may
    // lose the last transactions on a power cut (not on a process crash).
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db);
    this.dens = new SqliteDenStore(db);
    this.statements = {
      markSeen: db.prepare('INSERT OR IGNORE INTO seen_ids (id, ts_ms, received_ts_ms, kind, keep) VALUES (?, ?, ?, ?, ?)'),
      currentStatus: db.prepare(`SELECT s.ts_ms, json_extract(s.body_json, '$.started_ts_ms') AS started_ts_ms FROM probes p
        JOIN probe_status s ON s.id = p.last_status_id WHERE p.site = ? AND p.probe = ?`),
      seqRunAtOrBelow: db.prepare('SELECT first_seq, max_seq FROM probe_seq_runs WHERE site = ? AND probe = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1'),
      seqRunAbove: db.prepare('SELECT first_seq FROM probe_seq_runs WHERE site = ? AND probe = ? AND first_seq > ? ORDER BY first_seq LIMIT 1'),
      seqRunCount: db.prepare('UPDATE probe_seq_runs SET received = received + 1, max_seq = MAX(max_seq, ?) WHERE site = ? AND probe = ? AND first_seq = ?'),
      seqRunLower: db.prepare('UPDATE probe_seq_runs SET received = received + 1, first_seq = ? WHERE site = ? AND probe = ? AND first_seq = ?'),
      seqRunInsert: db.prepare('INSERT INTO probe_seq_runs (site, probe, first_seq, max_seq, received) VALUES (?, ?, ?, ?, 1)'),
      seqReport: db.prepare(`SELECT site, probe, COUNT(*) AS runs, SUM(max_seq - first_seq + 1 - received) AS missing, MAX(max_seq) AS max_seq
        FROM probe_seq_runs GROUP BY site, probe ORDER BY site, probe`),
      seqReportOne: db.prepare(`SELECT COUNT(*) AS runs, SUM(max_seq - first_seq + 1 - received) AS missing, MAX(max_seq) AS max_seq
        FROM probe_seq_runs WHERE site = ? AND probe = ?`),
      touchProbe: db.prepare(`INSERT INTO probes (site, probe, registered, last_seen_ts_ms) VALUES (?, ?, 0, ?)
        ON CONFLICT (site, probe) DO UPDATE SET last_seen_ts_ms = MAX(COALESCE(last_seen_ts_ms, 0), excluded.last_seen_ts_ms)`),
      setLastStatus: db.prepare('UPDATE probes SET last_status_id = ? WHERE site = ? AND probe = ?'),
      insertDetection: db.prepare(`INSERT INTO detections (id, site, probe, ts_ms, seq, received_ts_ms, detector, detector_version,
        mcc, mnc, lac, ci, arfcn, ta_steps, score, severity, body_json, envelope_json)
        VALUES (@id, @site, @probe, @ts_ms, @seq, @received_ts_ms, @detector, @detector_version,
        @mcc, @mnc, @lac, @ci, @arfcn, @ta_steps, @score, @severity, @body_json, @envelope_json)`),
      insertWindow: db.prepare(`INSERT INTO windows (id, site, probe, ts_ms, seq, received_ts_ms, start_ts_ms, end_ts_ms, body_json, envelope_json)
        VALUES (@id, @site, @probe, @ts_ms, @seq, @received_ts_ms, @start_ts_ms, @end_ts_ms, @body_json, @envelope_json)`),
      insertObservationMessage: db.prepare(`INSERT INTO observation_messages (id, site, probe, ts_ms, seq, received_ts_ms, observation_count, envelope_json)
        VALUES (@id, @site, @probe, @ts_ms, @seq, @received_ts_ms, @observation_count, @envelope_json)`),
      insertObservation: db.prepare(`INSERT INTO observations (message_id, idx, site, probe, type, ts_ms, arfcn, body_json)
        VALUES (@message_id, @idx, @site, @probe, @type, @ts_ms, @arfcn, @body_json)`),
      insertStatus: db.prepare(`INSERT INTO probe_status (id, site, probe, ts_ms, seq, received_ts_ms, state, body_json, envelope_json)
        VALUES (@id, @site, @probe, @ts_ms, @seq, @received_ts_ms, @state, @body_json, @envelope_json)`),
      observeCell: db.prepare(`INSERT INTO observed_cells (mcc, mnc, lac, ci, arfcn, first_seen_ts_ms, last_seen_ts_ms, detections_total)
        VALUES (@mcc, @mnc, @lac, @ci, @arfcn, @first_ts_ms, @ts_ms, @detections)
        ON CONFLICT (mcc, mnc, lac, ci) DO UPDATE SET
          arfcn = excluded.arfcn,
          first_seen_ts_ms = MIN(first_seen_ts_ms, excluded.first_seen_ts_ms),
          last_seen_ts_ms = MAX(last_seen_ts_ms, excluded.last_seen_ts_ms),
          detections_total = detections_total + excluded.detections_total`),
      insertDeadLetter: db.prepare(`INSERT INTO dead_letters (received_ts_ms, topic, reason, detail, payload, payload_size_bytes)
        VALUES (?, ?, ?, ?, ?, ?)`),
      insertAudit: db.prepare(`INSERT INTO audit_log (ts_ms, user_name, role, method, path, status, remote_addr)
        VALUES (@ts_ms, @user, @role, @method, @path, @status, @remote_addr)`),
      upsertCell: db.prepare(`INSERT INTO cells (radio, mcc, mnc, lac, ci, lat_deg, lon_deg, range_m, samples, updated_ts_ms)
        VALUES (@radio, @mcc, @mnc, @lac, @ci, @lat_deg, @lon_deg, @range_m, @samples, @updated_ts_ms)
        ON CONFLICT (mcc, mnc, lac, ci, radio) DO UPDATE SET lat_deg = excluded.lat_deg, lon_deg = excluded.lon_deg,
          range_m = excluded.range_m, samples = excluded.samples, updated_ts_ms = excluded.updated_ts_ms`),
      findCell: db.prepare(`SELECT * FROM cells WHERE mcc = ? AND mnc = ? AND lac = ? AND ci = ?
        ORDER BY (radio = 'GSM') DESC, samples DESC LIMIT 1`),
      statusById: db.prepare('SELECT * FROM probe_status WHERE id = ?'),
    };
    // Fast path: the whole batch in one transaction. If any message throws something other than a
    // transient error (a row this store can never take), the batch is rolled back and written again on
    // the careful path, where each message runs in its own SAVEPOINT and is rolled back alone.
    this.messageTransaction = db.transaction(this.ingestTx);
    this.batchTransaction = db.transaction((items: readonly BatchItem[], careful: boolean) => {
      const batch = new BatchAggregates();
      const out = items.map((item) => this.applyBatchItem(item, batch, careful));
      this.flushAggregates(batch);
      return out;
    });
  }

  private applyBatchItem(item: BatchItem, batch: BatchAggregates, careful: boolean): BatchItemOutcome {
    if (item.type === 'dead_letter') {
      this.insertDeadLetter(item.entry);
      return { outcome: 'dead_lettered' };
    }
    const env = item.envelope;
    const duplicate = (): BatchItemOutcome => {
      if (item.duplicate_dead_letter !== undefined) this.insertDeadLetter(item.duplicate_dead_letter);
      return { outcome: 'duplicate' };
    };
    if (!careful) return this.ingestTx(env, item.received_ts_ms, batch, item.envelope_json) === 'duplicate' ? duplicate() : { outcome: 'stored' };
    // Aggregates of a message rolled back to its savepoint must not count: collect them apart first.
    const own = new BatchAggregates();
    try {
      const outcome = this.messageTransaction(env, item.received_ts_ms, own, item.envelope_json);
      batch.merge(own);
      return outcome === 'duplicate' ? duplicate() : { outcome: 'stored' };
    } catch (e) {
      const failure = classifySqliteError(e);
      if (failure === 'transient') throw e;
      // The id's record exists although its seen id was pruned (a database written before seen ids
      // learned their kind): the message is already stored.
      if (failure === 'constraint' && this.recordExists(env)) return duplicate();
      const detail = `${sqliteErrorCode(e) ?? (e as Error).name}: ${(e as Error).message}`;
      const bytes = Buffer.from(item.envelope_json ?? JSON.stringify(env));
      this.insertDeadLetter({ received_ts_ms: item.received_ts_ms, topic: `${env.site}/${env.probe}/${env.kind}`, reason: 'store_rejected', detail, payload: bytes });
      return { outcome: 'store_rejected', detail };
    }
  }

  /** Per-probe last-seen and per-cell counters, written once per batch instead of once per message. */
  private flushAggregates(batch: BatchAggregates): void {
    for (const [, p] of batch.probes) this.statements.touchProbe.run(p.site, p.probe, p.received_ts_ms);
    for (const [, c] of batch.cells) this.statements.observeCell.run(c);
  }

  private recordExists(env: ParsedEnvelope): boolean {
    return this.db.prepare(`SELECT 1 FROM ${TABLE_OF_KIND[env.kind]} WHERE id = ?`).get(env.id) !== undefined;
  }

  /** Count a stored message's seq into its probe's runs (see SEQ_RUN_BREAK). */
  private countSeq(site: string, probe: string, seq: number): void {
    const st = this.statements;
    const run = st.seqRunAtOrBelow.get(site, probe, seq) as { first_seq: number; max_seq: number } | undefined;
    if (run !== undefined && seq - run.max_seq <= SEQ_RUN_BREAK) {
      st.seqRunCount.run(seq, site, probe, run.first_seq);
      return;
    }
    const above = st.seqRunAbove.get(site, probe, seq) as { first_seq: number } | undefined;
    if (above !== undefined && above.first_seq - seq <= SEQ_RUN_BREAK) {
      // An older message of a run whose later messages came first (an outbox drained out of order).
      st.seqRunLower.run(seq, site, probe, above.first_seq);
      return;
    }
    st.seqRunInsert.run(site, probe, seq, seq);
  }

  /** Whether a newly stored status becomes the probe's current one (see ProbeRecord.status). */
  private statusApplies(env: ParsedEnvelope & { kind: 'status' }): boolean {
    const current = this.statements.currentStatus.get(env.site, env.probe) as { ts_ms: number; started_ts_ms: number | null } | undefined;
    if (current === undefined || env.ts_ms >= current.ts_ms) return true;
    return env.body.state === 'offline' && env.body.started_ts_ms >= (current.started_ts_ms ?? 0);
  }

  private insertDeadLetter(entry: DeadLetterInput): void {
    const bytes = Buffer.from(entry.payload.buffer, entry.payload.byteOffset, entry.payload.byteLength);
    this.statements.insertDeadLetter.run(
      entry.received_ts_ms, entry.topic, entry.reason, entry.detail,
      bytes.subarray(0, DEAD_LETTER_PAYLOAD_MAX_BYTES), bytes.length,
    );
  }

  /** Run a write; a failure that is about the database rather than the data becomes StoreUnavailableError. */
  private write<T>(fn: () => T): T {
    if (!this.db.open) throw new StoreUnavailableError('the database is closed', 'closed');
    try {
      return fn();
    } catch (e) {
      if (classifySqliteError(e) === 'transient') throw new StoreUnavailableError((e as Error).message, sqliteErrorCode(e) ?? 'closed');
      throw e;
    }
  }

  async ingestBatch(items: readonly BatchItem[]): Promise<BatchItemOutcome[]> {
    if (items.length === 0) return [];
    return this.write(() => {
      try {
        return this.batchTransaction(items, false);
      } catch (e) {
        if (classifySqliteError(e) === 'transient') throw e;
        return this.batchTransaction(items, true);
      }
    });
  }

  async registerProbes(probes: ProbeRegistryEntry[]): Promise<void> {
    const upsert = this.db.prepare(`INSERT INTO probes (site, probe, public_key, registered) VALUES (?, ?, ?, 1)
      ON CONFLICT (site, probe) DO UPDATE SET public_key = excluded.public_key, registered = 1`);
    this.db.transaction(() => {
      this.db.prepare('UPDATE probes SET registered = 0').run();
      for (const p of probes) upsert.run(p.site, p.probe, p.public_key);
    })();
  }

  private readonly ingestTx = (env: ParsedEnvelope, received_ts_ms: number, batch: BatchAggregates, envelopeJson?: string): IngestOutcome => {
    const fresh = this.statements.markSeen.run(env.id, env.ts_ms, received_ts_ms, env.kind, isOfflineStatus(env) ? 1 : 0).changes === 1;
    if (!fresh) return 'duplicate';
    // Gaps are reported over what the edge numbers densely through its outbox (protocol/src/envelope-factory.ts).
    if (env.kind === 'detection' || env.kind === 'window' || env.kind === 'observation') this.countSeq(env.site, env.probe, env.seq);
    // The envelope as received (the signed bytes) when the caller has them: chain of custody, and no re-serialising.
    const base = { id: env.id, site: env.site, probe: env.probe, ts_ms: env.ts_ms, seq: env.seq, received_ts_ms, body_json: JSON.stringify(env.body), envelope_json: envelopeJson ?? JSON.stringify(env) };
    batch.touchProbe(env.site, env.probe, received_ts_ms);
    switch (env.kind) {
      case 'detection': {
        const b = env.body;
        this.statements.insertDetection.run({
          ...base, detector: b.detector, detector_version: b.detector_version,
          mcc: b.cell?.mcc ?? null, mnc: b.cell?.mnc ?? null, lac: b.cell?.lac ?? null, ci: b.cell?.ci ?? null,
          arfcn: b.arfcn, ta_steps: b.ta_steps, score: b.score, severity: b.severity,
        });
        batch.observeCell(b.cell, b.arfcn, env.ts_ms, 1);
        break;
      }
      case 'window': {
        const b = env.body;
        this.statements.insertWindow.run({ ...base, start_ts_ms: b.window.start_ts_ms, end_ts_ms: b.window.end_ts_ms });
        for (const row of [...b.assignments, ...b.pagings]) batch.observeCell(row.cell, row.arfcn, env.ts_ms, 0);
        break;
      }
      case 'observation': {
        const items = env.body.observations;
        this.statements.insertObservationMessage.run({ ...base, observation_count: items.length });
        items.forEach((o, idx) => {
          const arfcn = 'arfcn' in o && typeof o.arfcn === 'number' ? o.arfcn : null;
          this.statements.insertObservation.run({ message_id: env.id, idx, site: env.site, probe: env.probe, type: o.type, ts_ms: o.ts_ms, arfcn, body_json: JSON.stringify(o) });
        });
        break;
      }
      case 'status': {
        this.statements.insertStatus.run({ ...base, state: env.body.state });
        if (this.statusApplies(env)) this.statements.setLastStatus.run(env.id, env.site, env.probe);
        break;
      }
    }
    return 'stored';
  };

  async ingest(envelope: ParsedEnvelope, received_ts_ms: number): Promise<IngestOutcome> {
    const [result] = await this.ingestBatch([{ type: 'message', envelope, received_ts_ms }]);
    if (result!.outcome === 'store_rejected') throw new Error(result!.detail);
    return result!.outcome === 'duplicate' ? 'duplicate' : 'stored';
  }

  async pruneSeenIds(before_ts_ms: number): Promise<number> {
    const keepWhileStored = Object.entries(TABLE_OF_KIND)
      .map(([kind, table]) => `(seen_ids.kind = '${kind}' AND EXISTS (SELECT 1 FROM ${table} t WHERE t.id = seen_ids.id))`);
    // An id of unknown kind (none are written since migration 3) is kept while any table holds it.
    const unknownKind = `(seen_ids.kind IS NULL AND (${Object.values(TABLE_OF_KIND).map((t) => `EXISTS (SELECT 1 FROM ${t} t WHERE t.id = seen_ids.id)`).join(' OR ')}))`;
    return this.write(() => this.db.prepare(`DELETE FROM seen_ids WHERE ts_ms < ? AND keep = 0 AND NOT (${[...keepWhileStored, unknownKind].join(' OR ')})`).run(before_ts_ms).changes);
  }

  async applyRetention(policy: RetentionPolicy): Promise<RetentionReport> {
    return this.write(() => this.db.transaction(() => {
      const report: RetentionReport = { dead_letters: 0, audit_log: 0, statuses: 0, seen_ids: 0 };
      if (policy.dead_letters_before_ts_ms !== null) {
        report.dead_letters = this.db.prepare('DELETE FROM dead_letters WHERE received_ts_ms < ?').run(policy.dead_letters_before_ts_ms).changes;
      }
      if (policy.audit_before_ts_ms !== null) {
        report.audit_log = this.db.prepare('DELETE FROM audit_log WHERE ts_ms < ?').run(policy.audit_before_ts_ms).changes;
      }
      if (policy.status_history_before_ts_ms !== null) {
        report.statuses = this.db.prepare(`DELETE FROM probe_status WHERE received_ts_ms < ?
          AND id NOT IN (SELECT last_status_id FROM probes WHERE last_status_id IS NOT NULL)`).run(policy.status_history_before_ts_ms).changes;
      }
      return report;
    })());
  }

  async seqReports(): Promise<ProbeSeqReport[]> {
    return (this.statements.seqReport.all() as ProbeSeqReport[]).map((r) => ({ ...r }));
  }

  async addDeadLetter(entry: DeadLetterInput): Promise<void> {
    this.write(() => this.insertDeadLetter(entry));
  }

  async listDeadLetters(query: { since_ts_ms?: number; reason?: string; limit: number }): Promise<DeadLetterRecord[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.since_ts_ms !== undefined) {
      clauses.push('received_ts_ms >= ?');
      params.push(query.since_ts_ms);
    }
    if (query.reason !== undefined) {
      clauses.push('reason = ?');
      params.push(query.reason);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT * FROM dead_letters ${where} ORDER BY id DESC LIMIT ?`).all(...params, query.limit) as Row[];
    return rows.map((r) => ({
      id: r.id as number,
      received_ts_ms: r.received_ts_ms as number,
      topic: r.topic as string,
      reason: r.reason as string,
      detail: (r.detail as string | null) ?? null,
      payload: Buffer.from(r.payload as Uint8Array),
      payload_size_bytes: r.payload_size_bytes as number,
    }));
  }

  private listMessages(table: string, query: MessageQuery): Row[] {
    const { where, params } = messageFilter(query);
    return this.db.prepare(`SELECT * FROM ${table} ${where} ORDER BY ts_ms DESC, id DESC LIMIT ?`).all(...params, query.limit) as Row[];
  }

  async listDetections(query: MessageQuery): Promise<DetectionRecord[]> {
    return this.listMessages('detections', query).map((r) => withBody(r));
  }

  async listWindows(query: MessageQuery): Promise<WindowRecord[]> {
    return this.listMessages('windows', query).map((r) => withBody(r));
  }

  async listStatuses(query: MessageQuery): Promise<StatusRecord[]> {
    return this.listMessages('probe_status', query).map((r) => withBody(r));
  }

  async listObservations(query: ObservationQuery): Promise<ObservationRecord[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      clauses.push(clause);
      params.push(value);
    };
    if (query.since_ts_ms !== undefined) add('o.ts_ms >= ?', query.since_ts_ms);
    if (query.until_ts_ms !== undefined) add('o.ts_ms < ?', query.until_ts_ms);
    if (query.type !== undefined) add('o.type = ?', query.type);
    if (query.site !== undefined) add('o.site = ?', query.site);
    if (query.probe !== undefined) add('o.probe = ?', query.probe);
    if (query.arfcn !== undefined) add('o.arfcn = ?', query.arfcn);
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT o.message_id, o.idx, o.site, o.probe, o.body_json, m.received_ts_ms
      FROM observations o JOIN observation_messages m ON m.id = o.message_id ${where}
      ORDER BY o.ts_ms, o.message_id, o.idx LIMIT ?`).all(...params, query.limit) as Row[];
    return rows.map((r) => ({
      ...(JSON.parse(r.body_json as string) as ObservationRecord),
      message_id: r.message_id as string,
      idx: r.idx as number,
      site: r.site as string,
      probe: r.probe as string,
      received_ts_ms: r.received_ts_ms as number,
    }));
  }

  async listProbes(): Promise<ProbeRecord[]> {
    const rows = this.db.prepare('SELECT * FROM probes ORDER BY site, probe').all() as Row[];
    return rows.map((r) => {
      const statusRow = r.last_status_id ? (this.statements.statusById.get(r.last_status_id) as Row | undefined) : undefined;
      const seq = this.statements.seqReportOne.get(r.site, r.probe) as { runs: number; missing: number | null; max_seq: number | null };
      return {
        seq: seq.runs > 0 ? { runs: seq.runs, missing: seq.missing ?? 0, max_seq: seq.max_seq ?? 0 } : null,
        site: r.site as string,
        probe: r.probe as string,
        public_key: (r.public_key as string | null) ?? null,
        registered: r.registered === 1,
        last_seen_ts_ms: (r.last_seen_ts_ms as number | null) ?? null,
        status: statusRow ? withBody(statusRow) : null,
      };
    });
  }

  async addAudit(entry: AuditEntry): Promise<void> {
    this.write(() => this.statements.insertAudit.run(entry));
  }

  async listAudit(query: { since_ts_ms?: number; limit: number }): Promise<AuditRecord[]> {
    const rows = (query.since_ts_ms === undefined
      ? this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(query.limit)
      : this.db.prepare('SELECT * FROM audit_log WHERE ts_ms >= ? ORDER BY id DESC LIMIT ?').all(query.since_ts_ms, query.limit)) as Row[];
    return rows.map((r) => ({
      id: r.id as number,
      ts_ms: r.ts_ms as number,
      user: (r.user_name as string | null) ?? null,
      role: (r.role as string | null) ?? null,
      method: r.method as string,
      path: r.path as string,
      status: r.status as number,
      remote_addr: (r.remote_addr as string | null) ?? null,
    }));
  }

  async upsertCells(cells: CellRecord[]): Promise<number> {
    let written = 0;
    this.db.transaction(() => {
      for (const c of cells) {
        written += this.statements.upsertCell.run({ ...c, mcc: codeNumber(c.mcc), mnc: codeNumber(c.mnc) }).changes;
      }
    })();
    return written;
  }

  private cellFromRow(r: Row): CellRecord {
    return {
      radio: r.radio as string,
      mcc: String(r.mcc).padStart(3, '0'),
      mnc: String(r.mnc).padStart(2, '0'),
      lac: r.lac as number,
      ci: r.ci as number,
      lat_deg: r.lat_deg as number,
      lon_deg: r.lon_deg as number,
      range_m: (r.range_m as number | null) ?? null,
      samples: (r.samples as number | null) ?? null,
      updated_ts_ms: (r.updated_ts_ms as number | null) ?? null,
    };
  }

  async findCell(key: CellKey): Promise<CellRecord | null> {
    const row = this.statements.findCell.get(codeNumber(key.mcc), codeNumber(key.mnc), key.lac, key.ci) as Row | undefined;
    return row ? this.cellFromRow(row) : null;
  }

  async listObservedCells(): Promise<ObservedCellRecord[]> {
    const rows = this.db.prepare('SELECT * FROM observed_cells ORDER BY last_seen_ts_ms DESC').all() as Row[];
    return Promise.all(
      rows.map(async (r) => {
        const key = { mcc: r.mcc as string, mnc: r.mnc as string, lac: r.lac as number, ci: r.ci as number };
        const cell = await this.findCell(key);
        return {
          ...key,
          arfcn: (r.arfcn as number | null) ?? null,
          first_seen_ts_ms: r.first_seen_ts_ms as number,
          last_seen_ts_ms: r.last_seen_ts_ms as number,
          detections_total: r.detections_total as number,
          position: cell ? { lat_deg: cell.lat_deg, lon_deg: cell.lon_deg, range_m: cell.range_m, radio: cell.radio } : null,
        };
      }),
    );
  }

  async counts(): Promise<StoreCounts> {
    const count = (table: string) => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      probes: count('probes'),
      detections: count('detections'),
      windows: count('windows'),
      observations: count('observations'),
      statuses: count('probe_status'),
      dead_letters: count('dead_letters'),
      audit_log: count('audit_log'),
      seen_ids: count('seen_ids'),
      cells: count('cells'),
      observed_cells: count('observed_cells'),
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
