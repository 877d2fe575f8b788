/**
 * A full disk, simulated with SQLite's max_page_count on the running collector's own connection (the
 * real SQLITE_FULL error path): while it lasts, ingest acknowledges nothing, holds what it has, reports
 * the store as not writable, and commits everything once there is room again — through the embedded
 * broker (the probes' PUBACKs wait) and through mosquitto (mosquitto queues, the collector's acks wait).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@simhound/test-support/mqtt';
import type { SqliteStore } from '../../src/index.js';
import { makeProbe } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';
import { startLoadPublisher } from './load-publisher.js';
import { startGeneratedMosquitto } from './generated-mosquitto.js';
import { tempDir } from '../fixtures.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function diskFullPeriod(tc: TestCollector, brokerUrl: string, probes: ReturnType<typeof makeProbe>[]) {
  const publisher = startLoadPublisher(brokerUrl, probes, { inFlight: 16, ratePerSPerProbe: 500 });
  cleanups.push(() => publisher.stop());
  await waitFor(() => (publisher.acked.size >= 500 ? true : undefined), '500 acknowledged', 20_000);
  const store = tc.collector.store as SqliteStore;
  store.setMaxSizeBytes(0);
  await waitFor(() => (tc.collector.health().store.writable === false ? true : undefined), 'the store reported full', 10_000);
  const storedAtFull = (await store.counts()).detections;
  await new Promise((r) => setTimeout(r, 3000));
  const health = tc.collector.health();
  const storedDuring = (await store.counts()).detections;
  store.setMaxSizeBytes(1 << 30);
  await new Promise((r) => setTimeout(r, 500));
  await publisher.stop();
  const acked = [...publisher.acked];
  await waitFor(async () => {
    const rows = await store.listDetections({ limit: 100_000 });
    const ids = new Set(rows.map((d) => d.id));
    return acked.every((id) => ids.has(id)) ? true : undefined;
  }, 'every acknowledged message stored', 30_000).catch(() => undefined);
  const rows = await store.listDetections({ limit: 100_000 });
  const ids = new Set(rows.map((d) => d.id));
  const lost = acked.filter((id) => !ids.has(id)).length;
  process.stdout.write(`disk-full test: sent ${publisher.sent}, acknowledged ${acked.length}, stored ${ids.size}, lost ${lost}, store_failures ${tc.collector.ingest.stats().store_failures}\n`);
  return { health, storedAtFull, storedDuring, lost, acked: acked.length, rows: rows.length, stored: ids.size };
}

describe('collector disk full for 3 s under load', () => {
  it('embedded broker: no acknowledgement while full, nothing lost after', async () => {
    const probes = [makeProbe('maseru', 'roof-1'), makeProbe('maseru', 'van-2')];
    const tc = await startTestCollector({ probes });
    cleanups.push(() => tc.close());
    const r = await diskFullPeriod(tc, tc.collector.mqttUrl, probes);
    expect(r.health).toMatchObject({ status: 'degraded', store: { writable: false } });
    expect(r.storedDuring).toBe(r.storedAtFull);
    expect(r.lost).toBe(0);
    expect(r.rows).toBe(r.stored);
    expect(tc.collector.ingest.stats().store_failures).toBeGreaterThan(0);
  }, 60_000);

  it('mosquitto (generated config): the broker queues, the collector catches up, nothing lost', async () => {
    const probes = [makeProbe('maseru', 'roof-1'), makeProbe('maseru', 'van-2')];
    const dir = tempDir('diskfull-mosquitto');
    cleanups.push(() => dir.remove());
    const mosquitto = await startGeneratedMosquitto(dir.dir, probes, 'collector-secret');
    cleanups.push(() => mosquitto.stop());
    const tc = await startTestCollector({ probes, extra: { mqtt: { url: mosquitto.url, username: 'collector', password: 'collector-secret' } } });
    cleanups.push(() => tc.close());
    const r = await diskFullPeriod(tc, mosquitto.url, probes);
    expect(r.health).toMatchObject({ status: 'degraded', store: { writable: false } });
    expect(r.storedDuring).toBe(r.storedAtFull);
    expect(r.lost).toBe(0);
    expect(r.rows).toBe(r.stored);
  }, 60_000);
});
