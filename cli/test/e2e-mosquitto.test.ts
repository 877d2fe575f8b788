/**
 * The same vertical slice as the demo, on a real mosquitto started by the test (per-device passwords and
 * ACL): simulator → UDP → edge agent → mosquitto → collector → SQLite. An independent auditor client
 * subscribes too and verifies every detection's Ed25519 signature itself.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { parseEnvelope, publicKeyFromText, silentLogger, verifyEnvelope, TOPIC_PREFIX } from '@simhound/protocol';
import { EdgeConfigSchema, startEdgeAgent, type EdgeAgent } from '@simhound/edge-agent';
import { startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { loadScenarioFile, runLive, type LiveRun } from '@simhound/simulator';
import { startMosquitto, type RunningMosquitto } from '@simhound/test-support/mosquitto';
import { makeProbe } from '@simhound/test-support/identities';
import { validateConfig } from '../src/load-config.js';
import { defaultScenarioPath } from '../src/commands/demo.js';
import { makePseudonymKey } from '../src/commands/keys.js';

const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s();
});

describe('vertical slice on mosquitto', () => {
  it('delivers each den detection exactly once, signed by the probe, into SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-e2e-mosq-'));
    const sc = loadScenarioFile(defaultScenarioPath());
    if (!sc.ok) throw new Error(sc.detail);
    const scenario = sc.value;
    const sp = scenario.probes[0]!;
    const probe = makeProbe(sp.site, sp.probe);
    const collectorPassword = 'collector-secret-for-test';
    const broker: RunningMosquitto = await startMosquitto({
      users: [
        { username: probe.mqtt_username, password: probe.mqtt_password, acl: ['status', 'detection', 'window'].map((k) => ({ access: 'write' as const, topic: `${TOPIC_PREFIX}/${sp.site}/${sp.probe}/${k}` })) },
        { username: 'collector', password: collectorPassword, acl: [{ access: 'read', topic: `${TOPIC_PREFIX}/#` }] },
        { username: 'auditor', password: 'auditor-secret', acl: [{ access: 'read', topic: `${TOPIC_PREFIX}/#` }] },
      ],
    });
    stops.push(() => broker.stop());

    const cc = validateCollectorConfig({
      mqtt: { url: broker.url, username: 'collector', password: collectorPassword },
      http: { port: 0 },
      storage: { sqlite_path: join(dir, 'collector.sqlite') },
      probes: [{ site: sp.site, probe: sp.probe, public_key: probe.public_key }],
    });
    if (!cc.ok) throw new Error(cc.detail);
    const collector: RunningCollector = await startCollector(cc.value, { log: silentLogger });
    stops.push(() => collector.close());

    // The auditor: an independent subscriber that checks signatures with the probe's public key.
    const verified = new Map<string, number>();
    const auditor = await mqtt.connectAsync(broker.url, { username: 'auditor', password: 'auditor-secret', clientId: `auditor-${process.pid}` });
    stops.push(() => auditor.endAsync());
    const pub = publicKeyFromText(probe.public_key);
    auditor.on('message', (_topic, payload) => {
      const env = parseEnvelope(payload);
      if (env.ok && env.value.kind === 'detection' && verifyEnvelope(env.value, pub)) verified.set(env.value.id, (verified.get(env.value.id) ?? 0) + 1);
    });
    await auditor.subscribeAsync(`${TOPIC_PREFIX}/+/+/detection`, { qos: 1 });

    writeFileSync(join(dir, 'probe.key.pem'), probe.private_key_pem, { mode: 0o600 });
    makePseudonymKey(join(dir, 'pseudonym.key'));
    const ec = validateConfig(EdgeConfigSchema, {
      site: sp.site,
      probe: sp.probe,
      keys: { signing_key_file: join(dir, 'probe.key.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
      mqtt: { url: broker.url, username: probe.mqtt_username, password: probe.mqtt_password },
      sources: [{ kind: 'gsmtap_udp', host: '127.0.0.1', port: 0 }],
      windows: { window_s: 6 },
      outbox: { path: join(dir, 'edge-outbox.db') },
    });
    if (!ec.ok) throw new Error(ec.detail);
    const edge: EdgeAgent = await startEdgeAgent(ec.value, { log: silentLogger });
    stops.push(() => edge.stop());

    const sim = await runLive(scenario, [{ probe: sp.probe, host: '127.0.0.1', port: edge.udpPorts.gsmtap! }], { speed: 10 });
    if (!sim.ok) throw new Error(sim.reason);
    const run: LiveRun = sim.value;
    stops.push(() => run.stop());

    const expected = run.truth.dens[0]!.serving.map((s) => `${s.cell.ci}/${s.ta_steps}`).sort();
    // The engine judges steadiness over at least a minute of receive time (6 bins of 10 s), whatever the
    // world's speed-up: the first candidate needs about 40–60 s of wall clock.
    const deadline = Date.now() + 100_000;
    let stored = await collector.store.listDetections({ limit: 1000 });
    while (Date.now() < deadline) {
      const keys = new Set(stored.map((d) => `${d.cell?.ci}/${d.ta_steps}`));
      if (expected.every((k) => keys.has(k))) break;
      await new Promise((r) => setTimeout(r, 300));
      stored = await collector.store.listDetections({ limit: 1000 });
    }
    await run.stop();
    await new Promise((r) => setTimeout(r, 1500));
    stored = await collector.store.listDetections({ limit: 1000 });

    expect([...new Set(stored.map((d) => `${d.cell?.ci}/${d.ta_steps}`))].sort()).toEqual(expected);
    expect(new Set(stored.map((d) => d.id)).size).toBe(stored.length);
    expect(stored.length).toBe(edge.status().detections_total);
    // Every stored detection was seen on the wire exactly once with a valid signature.
    for (const d of stored) expect(verified.get(d.id), `detection ${d.id}`).toBe(1);
    expect(verified.size).toBe(stored.length);
    const stats = await collector.stats();
    expect(stats.ingest.rejected_total).toBe(0);
  }, 150_000);
});
