/**
 * Lose nothing that was acknowledged: a real `simhound collector` child process under full load from
 * an independent publisher that records every PUBACK, killed with SIGKILL or stopped with SIGTERM in
 * the middle, then started again; every acknowledged envelope id must be in the store exactly once.
 * Both delivery paths: the embedded aedes broker (its PUBACK follows the SQLite commit) and mosquitto
 * with the generated configuration (mosquitto acknowledges the probe; the collector acknowledges
 * mosquitto after the commit, and its persistent session keeps the rest).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startMosquittoFromConfig, type RunningMosquittoFromConfig } from '@simhound/test-support/mosquitto';
import { waitFor } from '@simhound/test-support/mqtt';
import { freePort } from '@simhound/test-support/ports';
import { MOSQUITTO_DEFAULTS, mosquittoAclUsers, renderMosquittoAclFile, renderMosquittoConf, renderMosquittoPasswordFile } from '../../src/index.js';
import { makeProbe, tempDir, type TestProbe } from '../fixtures.js';
import { startCollectorProcess, writeYaml, type CollectorProcess } from './collector-process.js';
import { startLoadPublisher, type LoadPublisher } from './load-publisher.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Deployment {
  dir: string;
  configFile: string;
  sqlitePath: string;
  httpPort: number;
  brokerUrl: string;
  probes: TestProbe[];
  start(): Promise<CollectorProcess>;
}

async function embeddedDeployment(): Promise<Deployment> {
  const tmp = tempDir('crash-embedded');
  cleanups.push(() => tmp.remove());
  const probes = [makeProbe('maseru', 'roof-1'), makeProbe('maseru', 'van-2')];
  const mqttPort = await freePort();
  const httpPort = await freePort();
  const sqlitePath = join(tmp.dir, 'collector.sqlite');
  const configFile = join(tmp.dir, 'collector.yaml');
  writeYaml(configFile, {
    mqtt: { embedded_broker: { host: '127.0.0.1', port: mqttPort } },
    http: { host: '127.0.0.1', port: httpPort },
    storage: { sqlite_path: sqlitePath },
    probes: probes.map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key, mqtt_password_sha256: p.mqtt_password_sha256 })),
  });
  return {
    dir: tmp.dir, configFile, sqlitePath, httpPort, brokerUrl: `mqtt://127.0.0.1:${mqttPort}`, probes,
    start: () => startCollectorProcess(configFile, httpPort),
  };
}

async function mosquittoDeployment(): Promise<Deployment & { mosquitto: RunningMosquittoFromConfig }> {
  const tmp = tempDir('crash-mosquitto');
  cleanups.push(() => tmp.remove());
  const probes = [makeProbe('maseru', 'roof-1'), makeProbe('maseru', 'van-2')];
  const host = '127.0.0.1';
  const port = await freePort();
  const brokerDir = join(tmp.dir, 'mosquitto');
  mkdirSync(join(brokerDir, 'data'), { recursive: true });
  writeFileSync(join(brokerDir, 'mosquitto.conf'), renderMosquittoConf({
    dir: brokerDir, host, port,
    max_queued_messages: MOSQUITTO_DEFAULTS.max_queued_messages,
    max_queued_bytes: MOSQUITTO_DEFAULTS.max_queued_bytes,
    max_inflight_messages: MOSQUITTO_DEFAULTS.max_inflight_messages,
    max_packet_bytes: MOSQUITTO_DEFAULTS.max_packet_bytes,
    autosave: MOSQUITTO_DEFAULTS.autosave,
    user: 'root',
    generated_from: 'crash test',
  }));
  writeFileSync(join(brokerDir, 'passwords'), renderMosquittoPasswordFile([
    { username: 'collector', password: 'collector-password-for-crash-test' },
    ...probes.map((p) => ({ username: p.mqtt_username, password: p.mqtt_password })),
  ]), { mode: 0o600 });
  writeFileSync(join(brokerDir, 'acl'), renderMosquittoAclFile(mosquittoAclUsers(probes, 'collector')));
  const mosquitto = await startMosquittoFromConfig(join(brokerDir, 'mosquitto.conf'), { host, port });
  cleanups.push(() => mosquitto.stop());
  const httpPort = await freePort();
  const sqlitePath = join(tmp.dir, 'collector.sqlite');
  const configFile = join(tmp.dir, 'collector.yaml');
  writeYaml(configFile, {
    mqtt: { url: mosquitto.url, username: 'collector', password: 'collector-password-for-crash-test' },
    http: { host: '127.0.0.1', port: httpPort },
    storage: { sqlite_path: sqlitePath },
    probes: probes.map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key })),
  });
  return {
    dir: tmp.dir, configFile, sqlitePath, httpPort, brokerUrl: mosquitto.url, probes, mosquitto,
    start: () => startCollectorProcess(configFile, httpPort),
  };
}

function storedIds(sqlitePath: string): { ids: Set<string>; rows: number } {
  const db = new Database(sqlitePath, { readonly: true });
  const rows = db.prepare('SELECT id FROM detections').all() as Array<{ id: string }>;
  db.close();
  return { ids: new Set(rows.map((r) => r.id)), rows: rows.length };
}

/** Publish at full rate, fault the collector once `before` messages are acknowledged, restart, and count. */
async function faultUnderLoad(d: Deployment, fault: 'SIGKILL' | 'SIGTERM', options: { before: number; duringOutage_ms: number; ratePerSPerProbe?: number }) {
  let collector = await d.start();
  cleanups.push(() => collector.kill('SIGKILL'));
  // Full rate against the embedded broker (its PUBACK waits for the commit); against mosquitto, which
  // acknowledges at once, 1500/s per probe so the backlog of the outage drains in seconds.
  const publisher: LoadPublisher = startLoadPublisher(d.brokerUrl, d.probes, { inFlight: 16, ratePerSPerProbe: options.ratePerSPerProbe });
  cleanups.push(() => publisher.stop());
  await waitFor(() => (publisher.acked.size >= options.before ? true : undefined), `${options.before} acknowledged messages`, 30_000);
  const exit = await collector.kill(fault);
  const ackedAtFault = publisher.acked.size;
  // The probes keep publishing while the collector is down (mosquitto queues; the embedded broker is gone).
  await new Promise((r) => setTimeout(r, options.duringOutage_ms));
  collector = await d.start();
  await new Promise((r) => setTimeout(r, 1000));
  await publisher.stop();
  // Everything acknowledged must arrive: wait for the queue to drain, then compare.
  const acked = [...publisher.acked];
  await waitFor(() => {
    const { ids } = storedIds(d.sqlitePath);
    return acked.every((id) => ids.has(id)) ? true : undefined;
  }, 'every acknowledged message stored', 30_000).catch(() => undefined);
  const { ids, rows } = storedIds(d.sqlitePath);
  const lost = acked.filter((id) => !ids.has(id)).length;
  process.stdout.write(`crash test: ${fault}: sent ${publisher.sent}, acknowledged ${acked.length} (${ackedAtFault} before the fault), stored ${ids.size}, lost ${lost}, duplicated ${rows - ids.size}\n`);
  return { exit, acked: acked.length, ackedAtFault, stored: ids.size, rows, lost, sent: publisher.sent, output: collector.output() };
}

describe('collector crash under load: every acknowledged message is stored exactly once', () => {
  it('embedded broker, kill -9', async () => {
    const d = await embeddedDeployment();
    const r = await faultUnderLoad(d, 'SIGKILL', { before: 2000, duringOutage_ms: 500 });
    expect(r.exit.signal).toBe('SIGKILL');
    expect(r.ackedAtFault).toBeGreaterThanOrEqual(2000);
    expect(r.lost, `lost ${r.lost} of ${r.acked} acknowledged`).toBe(0);
    expect(r.rows).toBe(r.stored); // no id twice
  }, 120_000);

  it('embedded broker, SIGTERM: exits 0 and loses nothing', async () => {
    const d = await embeddedDeployment();
    const r = await faultUnderLoad(d, 'SIGTERM', { before: 2000, duringOutage_ms: 500 });
    expect(r.exit.code).toBe(0);
    expect(r.lost, `lost ${r.lost} of ${r.acked} acknowledged`).toBe(0);
    expect(r.rows).toBe(r.stored);
  }, 120_000);

  it('mosquitto (generated config), kill -9, probes keep publishing during the outage', async () => {
    const d = await mosquittoDeployment();
    const r = await faultUnderLoad(d, 'SIGKILL', { before: 2000, duringOutage_ms: 1000, ratePerSPerProbe: 1500 });
    expect(r.exit.signal).toBe('SIGKILL');
    expect(r.acked).toBeGreaterThan(r.ackedAtFault); // the outage did not stop the probes
    expect(r.lost, `lost ${r.lost} of ${r.acked} acknowledged`).toBe(0);
    expect(r.rows).toBe(r.stored);
  }, 120_000);

  it('mosquitto (generated config), SIGTERM: exits 0 and loses nothing', async () => {
    const d = await mosquittoDeployment();
    const r = await faultUnderLoad(d, 'SIGTERM', { before: 2000, duringOutage_ms: 1000, ratePerSPerProbe: 1500 });
    expect(r.exit.code).toBe(0);
    expect(r.lost, `lost ${r.lost} of ${r.acked} acknowledged`).toBe(0);
    expect(r.rows).toBe(r.stored);
  }, 120_000);
});
