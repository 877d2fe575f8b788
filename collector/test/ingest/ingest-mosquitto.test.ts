/**
 * The collector against a real mosquitto started by the test (password file + the ACL file that
 * mosquitto-acl.ts renders for production): exactly-once storage with verified signatures, duplicate
 * rejection, broker-side ACL and authentication, the bad-input batch (including an unregistered probe
 * that the broker does know), and a collector restart (persistent session, retained status).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic } from '@simhound/protocol';
import { startMosquitto, type RunningMosquitto } from '@simhound/test-support/mosquitto';
import { connectMqtt, endMqtt, publishAndWait, waitFor, type MqttClient } from '@simhound/test-support/mqtt';
import { mosquittoAclUsers } from '../../src/index.js';
import { detectionBody, makeProbe, payloadOf } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';
import { badInputCases, goodStatusAfterwards, publishBadInputs } from './bad-input-scenario.js';

describe('ingest over mosquitto', () => {
  const a = makeProbe('maseru', 'roof-1');
  const b = makeProbe('maseru', 'van-2');
  const rogue = makeProbe('maseru', 'rogue-9'); // has broker credentials, is not in the collector's registry
  const collectorPassword = randomBytes(18).toString('base64url');
  let mosquitto: RunningMosquitto;
  let tc: TestCollector;
  let clientA: MqttClient;

  const startCollector = (dir?: string) =>
    startTestCollector({
      probes: [a, b],
      dir,
      extra: { mqtt: { url: mosquitto.url, username: 'collector', password: collectorPassword, client_id_prefix: 'test-collector' } },
    });

  beforeAll(async () => {
    const passwords = new Map<string, string>([['collector', collectorPassword], ...[a, b, rogue].map((p) => [p.mqtt_username, p.mqtt_password] as [string, string])]);
    mosquitto = await startMosquitto({
      users: mosquittoAclUsers([a, b, rogue], 'collector').map((u) => ({ ...u, password: passwords.get(u.username)! })),
    });
    tc = await startCollector();
    clientA = await connectMqtt(mosquitto.url, { username: a.mqtt_username, password: a.mqtt_password });
  });
  afterAll(async () => {
    await clientA?.endAsync(true);
    await tc?.close();
    await mosquitto?.stop();
  });

  it('stores a signed detection exactly once and rejects the same envelope again as duplicate_id', async () => {
    const env = a.factory.make('detection', detectionBody());
    await publishAndWait(clientA, detectionTopic(a.site, a.probe), payloadOf(env));
    await waitFor(async () => ((await tc.collector.store.listDetections({ limit: 10 })).length === 1 ? true : undefined), 'the detection');
    await publishAndWait(clientA, detectionTopic(a.site, a.probe), payloadOf(env));
    await waitFor(() => (tc.collector.ingest.stats().rejected_by_reason.duplicate_id === 1 ? true : undefined), 'the duplicate');
    const rows = await tc.collector.store.listDetections({ limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([env.id]);
    expect(tc.collector.ingest.stats()).toMatchObject({ accepted_by_kind: { detection: 1 }, rejected_by_reason: { duplicate_id: 1 } });
  });

  it('refuses a bad password', async () => {
    await expect(connectMqtt(mosquitto.url, { username: a.mqtt_username, password: 'wrong' })).rejects.toThrow(/not authorized|bad user ?name or password/i);
    await expect(connectMqtt(mosquitto.url, {})).rejects.toThrow();
  });

  it('drops what a probe publishes on another probe\'s topic (mosquitto ACL)', async () => {
    const forged = b.factory.make('detection', detectionBody({ ta_steps: 9 }));
    // A separate connection with a's credentials: mosquitto 2.0 drops the message and then the connection.
    const intruder = await connectMqtt(mosquitto.url, { username: a.mqtt_username, password: a.mqtt_password });
    const dropped = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    intruder.publish(detectionTopic(b.site, b.probe), payloadOf(forged), { qos: 1 });
    await dropped;
    await endMqtt(intruder, true);
    const clientB = await connectMqtt(mosquitto.url, { username: b.mqtt_username, password: b.mqtt_password });
    const own = b.factory.make('detection', detectionBody({ ta_steps: 10 }));
    await publishAndWait(clientB, detectionTopic(b.site, b.probe), payloadOf(own));
    await endMqtt(clientB);
    await waitFor(async () => ((await tc.collector.store.listDetections({ probe: b.probe, limit: 10 })).length > 0 ? true : undefined), 'b\'s own detection');
    expect((await tc.collector.store.listDetections({ probe: b.probe, limit: 10 })).map((d) => d.id)).toEqual([own.id]);
    expect(tc.collector.ingest.stats().rejected_total).toBe(1); // only the duplicate from the first test
  });

  it('dead-letters the bad-input batch with typed reasons, an unregistered probe as unknown_probe, and keeps ingesting', async () => {
    const before = tc.collector.ingest.stats().rejected_by_reason;
    const expected = await publishBadInputs(clientA, badInputCases(a));
    const rogueClient = await connectMqtt(mosquitto.url, { username: rogue.mqtt_username, password: rogue.mqtt_password });
    await publishAndWait(rogueClient, detectionTopic(rogue.site, rogue.probe), payloadOf(rogue.factory.make('detection', detectionBody())));
    await endMqtt(rogueClient);
    expected.unknown_probe = 1;
    expected.duplicate_id = (expected.duplicate_id ?? 0) + (before.duplicate_id ?? 0);
    const total = Object.values(expected).reduce((x, y) => x + y, 0);
    await waitFor(() => (tc.collector.ingest.stats().rejected_total >= total ? true : undefined), `${total} rejections`);
    expect(tc.collector.ingest.stats().rejected_by_reason).toEqual(expected);
    const unknown = await tc.collector.store.listDeadLetters({ reason: 'unknown_probe', limit: 10 });
    expect(unknown.map((d) => d.topic)).toEqual([detectionTopic(rogue.site, rogue.probe)]);

    const good = goodStatusAfterwards(a);
    await publishAndWait(clientA, good.topic, payloadOf(good.envelope), { retain: true });
    await waitFor(async () => ((await tc.collector.store.listProbes()).find((p) => p.probe === a.probe)?.status?.id === good.envelope.id ? true : undefined), 'the good status');
  });

  it('survives a restart: queued messages arrive (persistent session), the retained status is counted, not dead-lettered', async () => {
    const deadBefore = (await tc.collector.store.counts()).dead_letters;
    await tc.stop();
    const whileDown = a.factory.make('detection', detectionBody({ ta_steps: 20 }));
    await publishAndWait(clientA, detectionTopic(a.site, a.probe), payloadOf(whileDown));

    const dir = tc.dir;
    tc = await startCollector(dir);
    await waitFor(async () => ((await tc.collector.store.listDetections({ limit: 50 })).some((d) => d.id === whileDown.id) ? true : undefined), 'the detection sent while the collector was down');
    await waitFor(() => (tc.collector.ingest.stats().retained_redeliveries === 1 ? true : undefined), 'the retained status re-delivery');
    const s = tc.collector.ingest.stats();
    expect(s.rejected_total).toBe(0);
    expect(s.accepted_by_kind).toEqual({ detection: 1 });
    expect((await tc.collector.store.counts()).dead_letters).toBe(deadBefore);
  });
});
