/**
 * The serial sources inside the real edge agent, end to end: an emulated SIMCom modem (with GPS) on a
 * pty and the real probe firmware in simavr feed the agent; their observations — serving_cell,
 * neighbour_cells, uplink_activity, position — are signed, batched, sent over MQTT to a real collector
 * (embedded aedes broker, SQLite) and stored; the GPS fix becomes the probe's position in its status
 * and on the observations; both sources report healthy in the status.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import { silentLogger, type UplinkActivityObservation } from '@simhound/protocol';
import { startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { makeProbe } from '@simhound/test-support/identities';
import { createPtyPair } from '@simhound/test-support/pty-pair';
import { startSimulatedProbe } from '@simhound/test-support/simavr-probe';
import { EdgeConfigSchema, startEdgeAgent, type EdgeAgent } from '../src/index.js';
import { Value } from '@sinclair/typebox/value';
import { EmulatedModem } from './modem/emulated-modem.js';

const stops: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s();
});

const until = async (check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('serial sources in the edge agent', () => {
  it('modem cells, GPS position and probe-MCU uplink activity reach the collector', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-serial-e2e-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const probe = makeProbe('field', 'kit-1');
    const cc = validateCollectorConfig({
      mqtt: { embedded_broker: { host: '127.0.0.1', port: 0 } },
      http: { host: '127.0.0.1', port: 0 },
      storage: { sqlite_path: join(dir, 'collector.sqlite') },
      probes: [{ site: probe.site, probe: probe.probe, public_key: probe.public_key, mqtt_password_sha256: probe.mqtt_password_sha256 }],
    });
    if (!cc.ok) throw new Error(cc.detail);
    const collector: RunningCollector = await startCollector(cc.value, { log: silentLogger });
    stops.push(() => collector.close());

    const pty = await createPtyPair('modem');
    stops.push(() => pty.close());
    const modem = new EmulatedModem({ path: pty.devicePath, vendor: 'simcom' });
    await modem.open();
    stops.push(() => modem.close());
    const mcu = await startSimulatedProbe({ floor_mv: 250, noise_mv: 3, bursts: [{ slot: 3, first_frame: 0, last_frame: 10_000_000, mv: 1100 }] });
    stops.push(() => mcu.stop());

    writeFileSync(join(dir, 'probe.key.pem'), probe.private_key_pem, { mode: 0o600 });
    writeFileSync(join(dir, 'pseudonym.key'), Buffer.alloc(32, 7));
    const config = Value.Default(EdgeConfigSchema, {
      site: probe.site,
      probe: probe.probe,
      keys: { signing_key_file: join(dir, 'probe.key.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
      mqtt: { url: collector.mqttUrl, username: probe.mqtt_username, password: probe.mqtt_password, status_interval_s: 1 },
      outbox: { path: join(dir, 'outbox.db') },
      sources: [
        { kind: 'modem', name: 'sim800', path: pty.hostPath, gps: 'cgpsinfo', poll_interval_s: 1 },
        { kind: 'probe_mcu', name: 'uplink', path: mcu.path, frames_per_report: 20, threshold_dbm: -55, insertion_loss_db: 0 },
      ],
    });
    if (!Value.Check(EdgeConfigSchema, config)) throw new Error([...Value.Errors(EdgeConfigSchema, config)].map((e) => `${e.path} ${e.message}`).join('; '));
    const edge: EdgeAgent = await startEdgeAgent(config, { log: silentLogger });
    stops.push(() => edge.stop());

    const stored = async (type: string) => collector.store.listObservations({ type, limit: 1000 });
    await until(async () => (await stored('serving_cell')).length >= 2 && (await stored('uplink_activity')).length >= 5 && (await stored('position')).length >= 1, 30_000, 'observations in the collector');

    const serving = await stored('serving_cell');
    expect(serving[0]).toMatchObject({ type: 'serving_cell', source_name: 'sim800', rat: 'gsm', cell: { mcc: '310', mnc: '260', lac: 0x113, ci: 0x4e72 }, arfcn: 666, site: 'field', probe: 'kit-1' });
    expect((await stored('neighbour_cells'))[0]).toMatchObject({ type: 'neighbour_cells', rat: 'gsm' });
    const position = (await stored('position'))[0]!;
    expect(position.type === 'position' && position.position).toMatchObject({ position_source: 'gps', alt_m: 1600 });
    if (position.type !== 'position') throw new Error('type');
    expect(position.position.lat_deg).toBeCloseTo(-(29 + 18.9 / 60), 6);
    expect(position.position.lon_deg).toBeCloseTo(27 + 29.16 / 60, 6);
    const activity = (await stored('uplink_activity')) as unknown as UplinkActivityObservation[];
    const steady = activity.slice(2);
    // One burst above threshold per TDMA frame, 20 frames per report.
    for (const a of steady) expect(a).toMatchObject({ source_name: 'uplink', frame_count: 20, burst_count: 20 });
    // Once the GPS fix is in, observations carry the probe's position.
    expect(activity[activity.length - 1]!.position).toMatchObject({ position_source: 'gps' });
    const status = edge.status();
    expect(status.position).toMatchObject({ position_source: 'gps' });
    expect(status.sources.map((s) => [s.source_name, s.source_kind, s.state])).toEqual([['sim800', 'modem', 'ok'], ['uplink', 'probe_mcu', 'ok']]);
    await until(async () => (await collector.store.listStatuses({ limit: 10 })).some((s) => s.position?.position_source === 'gps'), 10_000, 'status with the GPS position');
    expect((await collector.stats()).ingest.rejected_total).toBe(0);
  }, 60_000);

  it('keeps running with devices absent: their sources show error in the status until they appear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-serial-absent-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const probe = makeProbe('field', 'kit-2');
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    stops.push(() => new Promise<void>((r) => server.close(() => broker.close(() => r()))));
    writeFileSync(join(dir, 'probe.key.pem'), probe.private_key_pem, { mode: 0o600 });
    writeFileSync(join(dir, 'pseudonym.key'), Buffer.alloc(32, 7));
    const config = Value.Default(EdgeConfigSchema, {
      site: probe.site,
      probe: probe.probe,
      keys: { signing_key_file: join(dir, 'probe.key.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
      mqtt: { url: `mqtt://127.0.0.1:${port}` },
      outbox: { path: join(dir, 'outbox.db') },
      sources: [
        { kind: 'modem', path: join(dir, 'no-modem') },
        { kind: 'gps_nmea', path: join(dir, 'no-gps') },
        { kind: 'probe_mcu', path: join(dir, 'no-mcu') },
        { kind: 'rotator', path: join(dir, 'no-board'), level_source: 'probe-mcu' },
      ],
    });
    if (!Value.Check(EdgeConfigSchema, config)) throw new Error('config');
    const edge = await startEdgeAgent(config, { log: silentLogger });
    stops.push(() => edge.stop());
    await new Promise((r) => setTimeout(r, 2500));
    const status = edge.status();
    expect(status.state).toBe('degraded');
    expect(status.sources.map((s) => [s.source_kind, s.state])).toEqual([['modem', 'error'], ['gps_nmea', 'error'], ['probe_mcu', 'error'], ['rotator', 'error']]);
  }, 30_000);
});
