/**
 * The shared Store test suite (CONVENTIONS #11): every Store implementation (SQLite now, PostgreSQL
 * later) runs exactly these tests through a factory. `reopen` must give a new Store on the same
 * database, so persistence across restarts (dedupe!) is tested too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedEnvelope } from '@simhound/protocol';
import { DEAD_LETTER_PAYLOAD_MAX_BYTES, type Store } from '../../src/index.js';
import { detectionBody, makeProbe, statusBody, windowBody } from '../fixtures.js';

export interface StoreUnderTest {
  store: Store;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function runStoreSuite(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`Store suite: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: Store;
    const a = makeProbe('maseru', 'roof-1');
    const b = makeProbe('maseru', 'van-2');
    const T0 = 1_800_000_000_000;
    const detection = (p = a, ts_ms = T0, over = {}) => p.factory.make('detection', detectionBody(over), ts_ms) as ParsedEnvelope;
    const status = (p = a, ts_ms = T0, over = {}) => p.factory.make('status', statusBody(over), ts_ms) as ParsedEnvelope;

    beforeEach(async () => {
      sut = await factory();
      store = sut.store;
      await store.registerProbes([
        { site: a.site, probe: a.probe, public_key: a.public_key },
        { site: b.site, probe: b.probe, public_key: b.public_key },
      ]);
    });
    afterEach(async () => {
      await store.close();
      await sut.cleanup();
    });

    it('stores a detection once and reports the same id again as a duplicate, also after reopening', async () => {
      const env = detection();
      expect(await store.ingest(env, T0 + 5)).toBe('stored');
      expect(await store.ingest(env, T0 + 6)).toBe('duplicate');
      await store.close();
      store = await sut.reopen();
      expect(await store.ingest(env, T0 + 7)).toBe('duplicate');
      const rows = await store.listDetections({ limit: 10 });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: env.id, site: a.site, probe: a.probe, ts_ms: T0, received_ts_ms: T0 + 5, detector: 'ccch-burst', ta_steps: 3 });
      expect(rows[0]!.evidence).toEqual(detectionBody().evidence);
    });

    it('lists detections newest first, filtered by since_ts_ms, site, probe and limit', async () => {
      for (let i = 0; i < 5; i += 1) await store.ingest(detection(i % 2 === 0 ? a : b, T0 + i * 1000, { ta_steps: i }), T0 + i * 1000);
      const all = await store.listDetections({ limit: 100 });
      expect(all.map((d) => d.ta_steps)).toEqual([4, 3, 2, 1, 0]);
      expect((await store.listDetections({ limit: 2 })).map((d) => d.ta_steps)).toEqual([4, 3]);
      expect((await store.listDetections({ since_ts_ms: T0 + 2000, limit: 100 })).map((d) => d.ta_steps)).toEqual([4, 3, 2]);
      expect((await store.listDetections({ probe: b.probe, limit: 100 })).map((d) => d.ta_steps)).toEqual([3, 1]);
      expect(await store.listDetections({ site: 'elsewhere', limit: 100 })).toEqual([]);
    });

    it('keeps the latest status in arrival order (a late LWT "offline" wins) and last_seen per probe', async () => {
      await store.ingest(status(a, T0 + 10_000, { state: 'online' }), T0 + 10_000);
      await store.ingest(status(a, T0, { state: 'offline' }), T0 + 20_000); // LWT made at connect time, delivered later
      await store.ingest(detection(a, T0 + 15_000), T0 + 25_000);
      const probes = await store.listProbes();
      expect(probes.map((p) => `${p.site}/${p.probe}`)).toEqual(['maseru/roof-1', 'maseru/van-2']);
      const pa = probes[0]!;
      expect(pa.registered).toBe(true);
      expect(pa.public_key).toBe(a.public_key);
      expect(pa.status?.state).toBe('offline');
      expect(pa.last_seen_ts_ms).toBe(T0 + 25_000);
      expect(probes[1]!.status).toBeNull();
      expect(probes[1]!.last_seen_ts_ms).toBeNull();
      expect(await store.listStatuses({ site: a.site, probe: a.probe, limit: 10 })).toHaveLength(2);
    });

    it('marks probes that left the registry as unregistered but keeps them', async () => {
      await store.ingest(status(b), T0);
      await store.registerProbes([{ site: a.site, probe: a.probe, public_key: a.public_key }]);
      const probes = await store.listProbes();
      expect(probes.find((p) => p.probe === b.probe)?.registered).toBe(false);
      expect(probes.find((p) => p.probe === a.probe)?.registered).toBe(true);
    });

    it('stores windows and records the cells they mention as observed', async () => {
      const env = a.factory.make('window', windowBody(T0), T0 + 60_000) as ParsedEnvelope;
      expect(await store.ingest(env, T0 + 60_001)).toBe('stored');
      const windows = await store.listWindows({ limit: 10 });
      expect(windows).toHaveLength(1);
      expect(windows[0]!.assignments).toHaveLength(2);
      const observed = await store.listObservedCells();
      expect(observed).toEqual([
        { mcc: '651', mnc: '01', lac: 117, ci: 11201, arfcn: 12, first_seen_ts_ms: T0 + 60_000, last_seen_ts_ms: T0 + 60_000, detections_total: 0, position: null },
      ]);
    });

    it('matches observed cells to the cell DB (MNC "02" = 2, GSM row preferred) and counts detections per cell', async () => {
      await store.upsertCells([
        { radio: 'LTE', mcc: '262', mnc: '2', lac: 318, ci: 11225, lat_deg: 1, lon_deg: 1, range_m: 100, samples: 99, updated_ts_ms: null },
        { radio: 'GSM', mcc: '262', mnc: '02', lac: 318, ci: 11225, lat_deg: 50.1, lon_deg: 8.6, range_m: 2000, samples: 3, updated_ts_ms: 1_400_000_000_000 },
      ]);
      expect(await store.findCell({ mcc: '262', mnc: '02', lac: 318, ci: 11225 })).toEqual({
        radio: 'GSM', mcc: '262', mnc: '02', lac: 318, ci: 11225, lat_deg: 50.1, lon_deg: 8.6, range_m: 2000, samples: 3, updated_ts_ms: 1_400_000_000_000,
      });
      expect(await store.findCell({ mcc: '262', mnc: '02', lac: 318, ci: 1 })).toBeNull();
      await store.ingest(detection(a, T0), T0);
      await store.ingest(detection(b, T0 + 1), T0 + 1);
      const [cell] = await store.listObservedCells();
      expect(cell).toMatchObject({ mcc: '262', mnc: '02', lac: 318, ci: 11225, arfcn: 725, detections_total: 2, position: { lat_deg: 50.1, lon_deg: 8.6, range_m: 2000, radio: 'GSM' } });
      // upsert replaces, it does not duplicate
      await store.upsertCells([{ radio: 'GSM', mcc: '262', mnc: '02', lac: 318, ci: 11225, lat_deg: 50.2, lon_deg: 8.7, range_m: null, samples: null, updated_ts_ms: null }]);
      expect((await store.counts()).cells).toBe(2);
      expect((await store.findCell({ mcc: '262', mnc: '02', lac: 318, ci: 11225 }))?.lat_deg).toBe(50.2);
    });

    it('keeps dead letters with reason, detail and a truncated payload, newest first', async () => {
      const big = Buffer.alloc(DEAD_LETTER_PAYLOAD_MAX_BYTES + 100, 0xab);
      await store.addDeadLetter({ received_ts_ms: T0, topic: 't/1', reason: 'bad_json', detail: 'Unexpected token', payload: Buffer.from('{nope') });
      await store.addDeadLetter({ received_ts_ms: T0 + 1, topic: 't/2', reason: 'too_large', detail: null, payload: big });
      const rows = await store.listDeadLetters({ limit: 10 });
      expect(rows.map((r) => r.reason)).toEqual(['too_large', 'bad_json']);
      expect(rows[0]!.payload.length).toBe(DEAD_LETTER_PAYLOAD_MAX_BYTES);
      expect(rows[0]!.payload_size_bytes).toBe(big.length);
      expect(rows[0]!.detail).toBeNull();
      expect(rows[1]).toMatchObject({ topic: 't/1', detail: 'Unexpected token', payload_size_bytes: 5 });
      expect(rows[1]!.payload.toString()).toBe('{nope');
      expect((await store.listDeadLetters({ reason: 'bad_json', limit: 10 })).map((r) => r.topic)).toEqual(['t/1']);
      expect(await store.listDeadLetters({ since_ts_ms: T0 + 1, limit: 10 })).toHaveLength(1);
    });

    it('appends audit entries and lists them newest first', async () => {
      await store.addAudit({ ts_ms: T0, user: null, role: null, method: 'GET', path: '/api/probes', status: 401, remote_addr: '127.0.0.1' });
      await store.addAudit({ ts_ms: T0 + 1, user: 'ana', role: 'admin', method: 'GET', path: '/api/dead-letters', status: 200, remote_addr: null });
      const rows = await store.listAudit({ limit: 10 });
      expect(rows.map(({ id: _id, ...r }) => r)).toEqual([
        { ts_ms: T0 + 1, user: 'ana', role: 'admin', method: 'GET', path: '/api/dead-letters', status: 200, remote_addr: null },
        { ts_ms: T0, user: null, role: null, method: 'GET', path: '/api/probes', status: 401, remote_addr: '127.0.0.1' },
      ]);
      expect(await store.listAudit({ since_ts_ms: T0 + 1, limit: 10 })).toHaveLength(1);
    });

    it('prunes seen ids only of envelopes whose record is gone, never of offline statuses', async () => {
      const old = detection(a, T0);
      const recent = detection(a, T0 + 100_000);
      const oldWill = status(a, T0, { state: 'offline' });
      const oldOnline = status(a, T0 + 1, { state: 'online' });
      await store.ingest(old, T0);
      await store.ingest(recent, T0 + 100_000);
      await store.ingest(oldOnline, T0 + 1);
      await store.ingest(oldWill, T0 + 2);
      // Every record still exists: nothing is forgotten, so a re-delivered old Last Will stays a duplicate.
      expect(await store.pruneSeenIds(T0 + 50_000)).toBe(0);
      expect(await store.ingest(oldWill, T0 + 200_000)).toBe('duplicate');
      // Status history retention removes the old online status (not the current one): its id may go, the Last Will's stays.
      await store.ingest(status(a, T0 + 150_000, { state: 'online' }), T0 + 150_000);
      expect(await store.applyRetention({ dead_letters_before_ts_ms: null, audit_before_ts_ms: null, status_history_before_ts_ms: T0 + 50_000 })).toMatchObject({ statuses: 2 });
      expect(await store.pruneSeenIds(T0 + 50_000)).toBe(1);
      expect(await store.ingest(oldWill, T0 + 200_001)).toBe('duplicate');
      expect(await store.ingest(old, T0 + 200_002)).toBe('duplicate');
    });

    it('an offline status from an older run of the agent changes nothing; a Last Will of the current run applies', async () => {
      const run1 = T0 - 3600_000;
      const run2 = T0;
      await store.ingest(status(a, run2 + 1000, { state: 'online', started_ts_ms: run2 }), run2 + 1000);
      // Last Will of run 1, signed an hour earlier, delivered (retained) now: superseded, kept in history only.
      await store.ingest(status(a, run1 + 10, { state: 'offline', started_ts_ms: run1 }), run2 + 2000);
      expect((await store.listProbes())[0]!.status).toMatchObject({ state: 'online', ts_ms: run2 + 1000 });
      // An older online status changes nothing either.
      await store.ingest(status(a, run2 + 500, { state: 'degraded', started_ts_ms: run2 }), run2 + 2500);
      expect((await store.listProbes())[0]!.status?.state).toBe('online');
      // Run 2's own Last Will (signed at connect, before its online statuses) applies.
      await store.ingest(status(a, run2 + 5, { state: 'offline', started_ts_ms: run2 }), run2 + 3000);
      expect((await store.listProbes())[0]!.status).toMatchObject({ state: 'offline', ts_ms: run2 + 5 });
      expect(await store.listStatuses({ probe: a.probe, limit: 10 })).toHaveLength(4);
    });

    it('counts seq gaps per probe within each run of its agent, filled by late arrivals, offline statuses not counted', async () => {
      const envs = Array.from({ length: 10 }, (_, i) => detection(b, T0 + i));
      const will = status(b, T0 + 20, { state: 'offline' });
      for (const i of [0, 1, 2, 5, 6, 9]) await store.ingest(envs[i]!, T0 + i);
      await store.ingest(will, T0 + 30);
      let seq = (await store.seqReports()).find((r) => r.probe === b.probe)!;
      expect(seq).toMatchObject({ runs: 1, missing: 4, max_seq: envs[9]!.seq });
      await store.ingest(envs[3]!, T0 + 40); // late
      await store.ingest(envs[3]!, T0 + 41); // duplicate: counts once
      seq = (await store.seqReports()).find((r) => r.probe === b.probe)!;
      expect(seq.missing).toBe(3);
      // A restart: a new factory starts far above; its messages form a second run (no gap between runs).
      const restarted = makeProbe(b.site, b.probe, () => Date.now() + 10_000);
      await store.ingest(restarted.factory.make('detection', detectionBody(), T0 + 50) as ParsedEnvelope, T0 + 50);
      expect((await store.listProbes()).find((p) => p.probe === b.probe)!.seq).toEqual({ runs: 2, missing: 3, max_seq: expect.any(Number) });
      // Messages of a run arriving newest first (an outbox drained out of order) are one run, not many.
      const c = makeProbe('maseru', 'c-3');
      const cs = Array.from({ length: 3 }, (_, i) => c.factory.make('detection', detectionBody(), T0 + i) as ParsedEnvelope);
      for (const e of [...cs].reverse()) await store.ingest(e, T0);
      expect((await store.seqReports()).find((r) => r.probe === 'c-3')).toMatchObject({ runs: 1, missing: 0 });
    });

    it('writes a batch in order: messages, duplicates and dead letters, in one call', async () => {
      const d1 = detection(a, T0);
      const out = await store.ingestBatch([
        { type: 'message', envelope: d1, received_ts_ms: T0 },
        { type: 'dead_letter', entry: { received_ts_ms: T0, topic: 't', reason: 'bad_json', detail: null, payload: Buffer.from('x') } },
        { type: 'message', envelope: d1, received_ts_ms: T0 + 1 },
        { type: 'message', envelope: status(a), received_ts_ms: T0 + 2 },
      ]);
      expect(out.map((o) => o.outcome)).toEqual(['stored', 'dead_lettered', 'duplicate', 'stored']);
      expect(await store.counts()).toMatchObject({ detections: 1, statuses: 1, dead_letters: 1 });
      expect(await store.ingestBatch([])).toEqual([]);
    });

    it('applies retention to dead letters and audit entries by age', async () => {
      await store.addDeadLetter({ received_ts_ms: T0, topic: 't/1', reason: 'bad_json', detail: null, payload: Buffer.from('x') });
      await store.addDeadLetter({ received_ts_ms: T0 + 10, topic: 't/2', reason: 'bad_json', detail: null, payload: Buffer.from('y') });
      await store.addAudit({ ts_ms: T0, user: null, role: null, method: 'GET', path: '/api/probes', status: 401, remote_addr: null });
      await store.addAudit({ ts_ms: T0 + 10, user: null, role: null, method: 'GET', path: '/api/probes', status: 401, remote_addr: null });
      expect(await store.applyRetention({ dead_letters_before_ts_ms: T0 + 5, audit_before_ts_ms: null, status_history_before_ts_ms: null })).toMatchObject({ dead_letters: 1, audit_log: 0 });
      expect(await store.applyRetention({ dead_letters_before_ts_ms: null, audit_before_ts_ms: T0 + 5, status_history_before_ts_ms: null })).toMatchObject({ dead_letters: 0, audit_log: 1 });
      expect((await store.listDeadLetters({ limit: 10 })).map((d) => d.topic)).toEqual(['t/2']);
      expect(await store.listAudit({ limit: 10 })).toHaveLength(1);
    });

    it('stores each observation of a batch as its own row, keeps the envelope, and filters by type, probe, arfcn and time', async () => {
      const position = { lat_deg: -29.31, lon_deg: 27.48, position_source: 'gps' as const };
      const items = [
        { type: 'uplink_burst', ts_ms: T0 + 10, arfcn: 18, fn: 1000, rssi_dbm: -70, position },
        { type: 'bearing', ts_ms: T0 + 20, bearing_deg: 45, bearing_std_deg: 5, confidence: 0.9, position },
        { type: 'uplink_burst', ts_ms: T0 + 30, arfcn: 24, fn: 1010, rssi_dbm: -80, position },
      ];
      const env = a.factory.make('observation', { observations: items }, T0 + 40) as ParsedEnvelope;
      expect(await store.ingest(env, T0 + 50)).toBe('stored');
      expect(await store.ingest(env, T0 + 51)).toBe('duplicate');
      await store.ingest(b.factory.make('observation', { observations: [{ ...items[0]!, ts_ms: T0 + 15 }] }, T0 + 40) as ParsedEnvelope, T0 + 52);
      const all = await store.listObservations({ limit: 100 });
      expect(all.map((o) => [o.probe, o.type, o.ts_ms])).toEqual([
        [a.probe, 'uplink_burst', T0 + 10], [b.probe, 'uplink_burst', T0 + 15], [a.probe, 'bearing', T0 + 20], [a.probe, 'uplink_burst', T0 + 30],
      ]);
      expect(all[0]).toMatchObject({ message_id: env.id, idx: 0, site: a.site, received_ts_ms: T0 + 50, rssi_dbm: -70, position });
      expect((await store.listObservations({ type: 'uplink_burst', probe: a.probe, limit: 100 })).map((o) => o.ts_ms)).toEqual([T0 + 10, T0 + 30]);
      expect((await store.listObservations({ arfcn: 24, limit: 100 })).map((o) => o.idx)).toEqual([2]);
      expect((await store.listObservations({ since_ts_ms: T0 + 15, until_ts_ms: T0 + 30, limit: 100 })).map((o) => o.type)).toEqual(['uplink_burst', 'bearing']);
      expect((await store.counts()).observations).toBe(4);
    });

    it('counts rows per table', async () => {
      await store.ingest(detection(), T0);
      await store.ingest(status(), T0);
      expect(await store.counts()).toMatchObject({ probes: 2, detections: 1, statuses: 1, windows: 0, seen_ids: 2, dead_letters: 0, observed_cells: 1 });
    });
  });
}
