/**
 * The collector against a real mosquitto started by the test with the files `simhound collector
 * mosquitto-config` generates (mosquitto.conf with persistence and queue limits, mosquitto-format
 * password file, the ACL of mosquitto-acl.ts): exactly-once storage with verified signatures, duplicate
 * rejection, broker-side ACL and authentication, the bad-input batch (including an unregistered probe
 * that the broker does know), a collector restart (persistent session), and the poison case: a
 * retained Last Will older than the seen-id prune horizon, re-delivered, must not stop ingest.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic, statusTopic } from '@simhound/protocol';
import type { RunningMosquittoFromConfig } from '@simhound/test-support/mosquitto';
import { connectMqtt, endMqtt, publishAndWait, waitFor, type MqttClient } from '@simhound/test-support/mqtt';
import { detectionBody, makeProbe, payloadOf, statusBody, tempDir } from '../fixtures.js';
import { startGeneratedMosquitto } from '../durability/generated-mosquitto.js';
import { startTestCollector, type TestCollector } from '../harness.js';
import { badInputCases, goodStatusAfterwards, publishBadInputs } from './bad-input-scenario.js';

describe('ingest over mosquitto', () => {
  const a = makeProbe('maseru', 'roof-1');
  const b = makeProbe('maseru', 'van-2');
  const rogue = makeProbe('maseru', 'rogue-9'); // has broker credentials, is not in the collector's registry
  const collectorPassword = randomBytes(18).toString('base64url');
  let mosquitto: RunningMosquittoFromConfig;
  const brokerDir = tempDir('mosquitto-gen');
  let tc: TestCollector;
  let clientA: MqttClient;

  const startCollector = (dir?: string) =>
    startTestCollector({
      probes: [a, b],
      dir,
      extra: { mqtt: { url: mosquitto.url, username: 'collector', password: collectorPassword, client_id_prefix: 'test-collector' } },
    });

  beforeAll(async () => {
    mosquitto = await startGeneratedMosquitto(brokerDir.dir, [a, b, rogue], collectorPassword);
    tc = await startCollector();
    clientA = await connectMqtt(mosquitto.url, { username: a.mqtt_username, password: a.mqtt_password });
  });
  afterAll(async () => {
    await clientA?.endAsync(true);
    await tc?.close();
    await mosquitto?.stop();
    brokerDir.remove();
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

  it('cuts a 255 MB CONNECT before login and a 100 MB PUBLISH after it (generated max_packet_size)', async () => {
    const announce = (type: number, remaining: number) => {
      const bytes = [type << 4];
      let n = remaining;
      do {
        let b = n % 128;
        n = Math.floor(n / 128);
        if (n > 0) b |= 0x80;
        bytes.push(b);
      } while (n > 0);
      return Buffer.from(bytes);
    };
    const { hostname, port } = new URL(mosquitto.url);
    const cutAfter = (packets: Buffer[]) => new Promise<number>((resolve, reject) => {
      let written = 0;
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        for (const p of packets) socket.write(p);
        const chunk = Buffer.alloc(1 << 20, 0x41);
        const pump = () => {
          if (socket.destroyed || written >= 300) return;
          written += 1;
          socket.write(chunk, pump);
        };
        pump();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(written));
      setTimeout(() => reject(new Error('mosquitto kept reading an oversized packet')), 10_000);
    });
    const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${mosquitto.pid}/status`, 'utf8'))![1]) / 1024;
    // Before authentication: the CONNECT header alone announces 255 MB. The connection is closed (the
    // promise resolves) while we are still sending, and mosquitto holds nothing of it.
    await cutAfter([announce(1, 255 * 1024 * 1024)]);
    // After authentication: a valid CONNECT, then a PUBLISH announcing 100 MB.
    const login = mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'big-1', keepalive: 30, username: a.mqtt_username, password: Buffer.from(a.mqtt_password) });
    await cutAfter([login, announce(3, 100 * 1024 * 1024)]);
    await waitFor(() => ((mosquitto.log().match(/oversize packet/g)?.length ?? 0) >= 2 ? true : undefined), 'mosquitto logging both oversize packets', 5000);
    expect(rssMiB()).toBeLessThan(64);
  });

  it('refuses a bad password', async () => {
    await expect(connectMqtt(mosquitto.url, { username: a.mqtt_username, password: 'wrong' })).rejects.toThrow(/not authorized|bad user ?name or password/i);
    await expect(connectMqtt(mosquitto.url, {})).rejects.toThrow();
  });

  it('drops what a probe publishes on another probe\'s topic (mosquitto ACL)', async () => {
    const forged = b.factory.make('detection', detectionBody({ ta_steps: 9 }));
    // A separate connection with a's credentials: mosquitto 2.0 acknowledges and discards the message
    // (older versions close the connection instead); either way nothing may reach the collector.
    const intruder = await connectMqtt(mosquitto.url, { username: a.mqtt_username, password: a.mqtt_password });
    const dropped = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    const acked = new Promise<void>((resolve) => intruder.publish(detectionTopic(b.site, b.probe), payloadOf(forged), { qos: 1 }, () => resolve()));
    await Promise.race([dropped, acked]);
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

  it('survives a restart: what was published while it was down arrives (persistent session), nothing dead-lettered', async () => {
    const deadBefore = (await tc.collector.store.counts()).dead_letters;
    await tc.stop();
    const whileDown = Array.from({ length: 50 }, (_, i) => a.factory.make('detection', detectionBody({ ta_steps: i })));
    for (const env of whileDown) await publishAndWait(clientA, detectionTopic(a.site, a.probe), payloadOf(env));

    const dir = tc.dir;
    tc = await startCollector(dir);
    await waitFor(() => (tc.collector.ingest.stats().accepted_total === 50 ? true : undefined), 'the 50 detections sent while the collector was down');
    const s = tc.collector.ingest.stats();
    expect(s.rejected_total).toBe(0);
    expect(s.accepted_by_kind).toEqual({ detection: 50 });
    // The session was still there: no re-subscription, so no retained re-delivery either.
    expect(s.retained_redeliveries).toBe(0);
    expect((await tc.collector.store.counts()).dead_letters).toBe(deadBefore);
  });

  it('a retained Last Will older than the prune horizon, re-delivered to a new session, is a duplicate: ingest goes on', async () => {
    // The probe's Last Will, signed 8 days ago (older than ingest.max_age_s), retained on its status topic.
    const will = a.factory.make('status', statusBody({ state: 'offline', started_ts_ms: Date.now() - 9 * 86400_000 }), Date.now() - 8 * 86400_000);
    await publishAndWait(clientA, statusTopic(a.site, a.probe), payloadOf(will), { retain: true });
    await waitFor(async () => ((await tc.collector.store.listStatuses({ probe: a.probe, limit: 50 })).some((st) => st.id === will.id) ? true : undefined), 'the Last Will stored');
    await tc.stop();
    // What the old prune did after max_age_s: forget the id while its record stays.
    const db = new Database(tc.config.storage.sqlite_path);
    db.prepare('DELETE FROM seen_ids').run();
    db.close();
    // A collector with a new session subscribes anew: mosquitto re-delivers the retained Last Will first.
    const dir = tc.dir;
    tc = await startTestCollector({
      probes: [a, b],
      dir,
      extra: { mqtt: { url: mosquitto.url, username: 'collector', password: collectorPassword, client_id_prefix: 'test-collector-new-session' } },
    });
    const clientB = await connectMqtt(mosquitto.url, { username: b.mqtt_username, password: b.mqtt_password });
    const after = Array.from({ length: 20 }, (_, i) => b.factory.make('detection', detectionBody({ ta_steps: i })));
    for (const env of after) await publishAndWait(clientB, detectionTopic(b.site, b.probe), payloadOf(env));
    await endMqtt(clientB);
    await waitFor(() => (tc.collector.ingest.stats().accepted_total === 20 ? true : undefined), 'the 20 detections published after the Last Will');
    const s = tc.collector.ingest.stats();
    expect(s.retained_redeliveries).toBeGreaterThanOrEqual(1);
    expect(s.store_failures).toBe(0);
    expect((await tc.collector.store.listStatuses({ probe: a.probe, limit: 50 })).filter((st) => st.id === will.id)).toHaveLength(1);
  });
});

