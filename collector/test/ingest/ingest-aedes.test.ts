/**
 * End to end over the embedded aedes broker: a probe publishes a signed detection over MQTT (QoS 1), the
 * running collector verifies and stores it exactly once; the same envelope again is a duplicate_id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic, statusTopic, verifyEnvelope, publicKeyFromText, type Envelope } from '@simhound/protocol';
import { connectMqtt, endMqtt, publishAndWait, waitFor, type MqttClient } from '@simhound/test-support/mqtt';
import { detectionBody, makeProbe, payloadOf, statusBody } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';

describe('ingest over the embedded aedes broker', () => {
  const probe = makeProbe('maseru', 'roof-1');
  let tc: TestCollector;
  let client: MqttClient;

  beforeAll(async () => {
    tc = await startTestCollector({ probes: [probe] });
    client = await connectMqtt(tc.collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password });
  });
  afterAll(async () => {
    await endMqtt(client);
    await tc.close();
  });

  it('stores a signed detection exactly once, and rejects the same envelope again as duplicate_id', async () => {
    const env = probe.factory.make('detection', detectionBody());
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), payloadOf(env));
    const stored = await waitFor(async () => {
      const rows = await tc.collector.store.listDetections({ limit: 10 });
      return rows.length > 0 ? rows : undefined;
    }, 'the detection to be stored');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: env.id, site: 'maseru', probe: 'roof-1', detector: 'ccch-burst', ta_steps: 3, score: 0.97 });

    await publishAndWait(client, detectionTopic(probe.site, probe.probe), payloadOf(env));
    await waitFor(() => (tc.collector.ingest.stats().rejected_by_reason.duplicate_id === 1 ? true : undefined), 'the duplicate to be rejected');
    expect(await tc.collector.store.listDetections({ limit: 10 })).toHaveLength(1);
    const dead = await tc.collector.store.listDeadLetters({ reason: 'duplicate_id', limit: 10 });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ topic: detectionTopic('maseru', 'roof-1'), detail: env.id });
    expect(tc.collector.ingest.stats()).toMatchObject({ accepted_by_kind: { detection: 1 }, rejected_total: 1 });
  });

  it('keeps the signed envelope so it can be re-verified later', async () => {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(tc.config.storage.sqlite_path, { readonly: true });
    const rows = db.prepare('SELECT envelope_json FROM detections').all() as Array<{ envelope_json: string }>;
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(verifyEnvelope(JSON.parse(r.envelope_json) as Envelope, publicKeyFromText(probe.public_key))).toBe(true);
  });

  it('takes a retained status and shows it as the probe\'s latest status', async () => {
    const env = probe.factory.make('status', statusBody({ state: 'degraded' }));
    await publishAndWait(client, statusTopic(probe.site, probe.probe), payloadOf(env), { retain: true });
    const p = await waitFor(async () => (await tc.collector.store.listProbes()).find((x) => x.status?.id === env.id), 'the status');
    expect(p.status?.state).toBe('degraded');
    expect(p.last_seen_ts_ms).not.toBeNull();
  });
});
