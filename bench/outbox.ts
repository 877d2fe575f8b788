/**
 * Disk outbox benchmark: the SQLite outbox the agent uses (edge-agent/src/publish/disk-outbox.ts) next to
 * the append-only log it was weighed against (bench/outbox-append-log.ts), on the same signed detection
 * envelopes, in the same run, on the same file system:
 * - durable put (fsync per put) vs the floor for any durable put: a raw append + fdatasync of the same bytes;
 * - put without fsync (SQLite `synchronous=NORMAL`, log without fdatasync): the difference is the fsync cost;
 * - remove (the PUBACK path, never fsynced) and the publisher's drain cycle (peek 64 + remove each);
 * - reopen time with 100,000 messages waiting (what a restart after a long outage costs).
 *
 * Run alone: node --conditions=source --import tsx bench/outbox.ts
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvelopeFactory, generateSigningKeyPair, privateKeyFromPem } from '../protocol/src/index.js';
import { sampleDetection } from '../test-support/src/samples.js';
import { DiskOutbox } from '../edge-agent/src/publish/disk-outbox.js';
import type { OutboxItem } from '../edge-agent/src/publish/outbox.js';
import { AppendLogOutbox } from './outbox-append-log.js';
import type { Figure } from './figure.js';

const COMMAND = '`npm run bench` (or alone: `node --conditions=source --import tsx bench/outbox.ts`)';

function makeItems(count: number): OutboxItem[] {
  const keys = generateSigningKeyPair();
  const factory = new EnvelopeFactory('bench', 'p1', privateKeyFromPem(keys.private_key_pem));
  const now = Date.now();
  const items: OutboxItem[] = [];
  for (let i = 0; i < count; i++) {
    const env = factory.make('detection', sampleDetection);
    items.push({ id: env.id, kind: 'detection', topic: 'simhound/v1/bench/p1/detection', payload: JSON.stringify(env), retain: false, added_ts_ms: now, seq: i + 1 });
  }
  return items;
}

function rate(count: number, run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return count / s;
}

function timeMs(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function openDisk(path: string): DiskOutbox {
  const r = DiskOutbox.open(path, { max_items: 1e9, hard_max_items: 1e9, max_bytes: 1e12, hard_max_bytes: 1e12 });
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.value;
}

/** Turn off the fsync on put (bench only, to measure what the fsync costs). */
function withoutFsync(o: DiskOutbox): DiskOutbox {
  const inner = o as unknown as { db: { pragma(s: string): unknown }; setSynchronous(mode: string): void };
  inner.setSynchronous = () => {};
  inner.db.pragma('synchronous = NORMAL');
  return o;
}

export async function benchOutbox(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-bench-outbox-'));
  try {
    const durableN = 1000;
    const fastN = 20_000;
    const reopenN = 100_000;
    const items = makeItems(fastN);
    const bytes = Buffer.byteLength(items[0]!.payload);

    // Floor: append the same bytes and fdatasync, nothing else.
    const rawFd = openSync(join(dir, 'raw.bin'), 'a');
    const rawRate = rate(durableN, () => {
      for (let i = 0; i < durableN; i++) {
        writeSync(rawFd, items[i]!.payload);
        fdatasyncSync(rawFd);
      }
    });
    closeSync(rawFd);

    // Warm-up so JIT and page cache do not count against the first contestant.
    const warm = openDisk(join(dir, 'warm.db'));
    for (let i = 0; i < 200; i++) warm.put({ ...items[i]!, id: `warm-${i}` });
    warm.close();

    const sqlite = openDisk(join(dir, 'sqlite-fsync.db'));
    const sqlitePut = rate(durableN, () => {
      for (let i = 0; i < durableN; i++) sqlite.put(items[i]!);
    });
    sqlite.close();

    const log = new AppendLogOutbox(join(dir, 'log-fsync.log'), true);
    const logPut = rate(durableN, () => {
      for (let i = 0; i < durableN; i++) log.put(items[i]!.id, items[i]!.payload);
    });
    log.close();

    const sqliteFast = withoutFsync(openDisk(join(dir, 'sqlite-nofsync.db')));
    const sqlitePutNoSync = rate(fastN, () => {
      for (const it of items) sqliteFast.put(it);
    });
    const sqliteRemove = rate(fastN, () => {
      for (const it of items) sqliteFast.remove(it.id);
    });
    sqliteFast.close();

    const logFast = new AppendLogOutbox(join(dir, 'log-nofsync.log'), false);
    const logPutNoSync = rate(fastN, () => {
      for (const it of items) logFast.put(it.id, it.payload);
    });
    const logRemove = rate(fastN, () => {
      for (const it of items) logFast.remove(it.id);
    });
    logFast.close();

    // The publisher's cycle: peek a batch of 64 (in flight), then remove each on its PUBACK.
    const drainBox = withoutFsync(openDisk(join(dir, 'sqlite-drain.db')));
    for (const it of items) drainBox.put(it);
    const drainRate = rate(fastN, () => {
      for (;;) {
        const batch = drainBox.peek(64);
        if (batch.length === 0) break;
        for (const it of batch) drainBox.remove(it.id);
      }
    });
    drainBox.close();

    // Reopen with a large backlog.
    const bigSqlitePath = join(dir, 'sqlite-big.db');
    const bigLogPath = join(dir, 'log-big.log');
    const bigSqlite = withoutFsync(openDisk(bigSqlitePath));
    const bigLog = new AppendLogOutbox(bigLogPath, false);
    for (let i = 0; i < reopenN; i++) {
      const it = items[i % fastN]!;
      const id = `${it.id}-${i}`;
      bigSqlite.put({ ...it, id });
      bigLog.put(id, it.payload);
    }
    bigSqlite.close();
    bigLog.close();
    let reopenedDepth = 0;
    const sqliteReopenMs = timeMs(() => {
      const o = openDisk(bigSqlitePath);
      reopenedDepth = o.depth() + o.peek(64).length * 0;
      o.close();
    });
    let logDepth = 0;
    const logReopenMs = timeMs(() => {
      const o = new AppendLogOutbox(bigLogPath, false);
      logDepth = o.depth();
      o.close();
    });
    if (reopenedDepth !== reopenN || logDepth !== reopenN) throw new Error(`reopen lost items: sqlite ${reopenedDepth}, log ${logDepth}`);

    const fsyncCostUs = (1 / sqlitePut - 1 / sqlitePutNoSync) * 1e6;
    const env = `${bytes}-byte signed detection envelopes, ${tmpdir()} file system`;
    const fig = (name: string, description: string, value: number, unit: string, reference: string | null, reference_value: number | null): Figure => ({
      name, description, value, unit, reference, reference_value,
      ratio: reference_value === null ? null : value / reference_value,
      command: `${COMMAND}; ${env}`,
    });
    return [
      fig('outbox_sqlite_put_fsync_per_s', `disk outbox (SQLite WAL, synchronous=FULL) durable put, ${durableN} puts, one fsync each`, sqlitePut, 'puts/s', 'raw append + fdatasync of the same bytes', rawRate),
      fig('outbox_log_put_fsync_per_s', `append-only log (prototype) durable put, ${durableN} puts, one fdatasync each`, logPut, 'puts/s', 'raw append + fdatasync of the same bytes', rawRate),
      fig('outbox_sqlite_put_nofsync_per_s', `disk outbox put without fsync (synchronous=NORMAL), ${fastN} puts`, sqlitePutNoSync, 'puts/s', 'append-only log put without fdatasync', logPutNoSync),
      fig('outbox_sqlite_fsync_cost_us', 'fsync cost per durable put (1/durable rate − 1/no-fsync rate)', fsyncCostUs, 'µs', null, null),
      fig('outbox_sqlite_remove_per_s', `disk outbox remove on PUBACK (no fsync), ${fastN} removes`, sqliteRemove, 'removes/s', 'append-only log ack record (no fdatasync)', logRemove),
      fig('outbox_sqlite_drain_per_s', `disk outbox drain cycle (peek 64, remove each), ${fastN} messages`, drainRate, 'messages/s', null, null),
      fig('outbox_sqlite_reopen_100k_ms', `disk outbox open with ${reopenN.toLocaleString('en-US')} messages waiting`, sqliteReopenMs, 'ms', 'append-only log open (full scan) with the same backlog', logReopenMs),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchOutbox()) process.stdout.write(`${f.name}: ${f.value.toFixed(1)} ${f.unit}${f.reference_value !== null ? ` (ref ${f.reference_value.toFixed(1)}, ${f.ratio!.toFixed(2)}×)` : ''}\n`);
}
