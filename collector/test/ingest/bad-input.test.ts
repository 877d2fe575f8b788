/**
 * Bad input against a running collector (embedded broker): every kind of broken or hostile message ends
 * as a typed rejection in dead_letters and in the counters, and the collector still ingests a good
 * message afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic } from '@simhound/protocol';
import { connectMqtt, endMqtt, publishAndWait, waitFor, type MqttClient } from '@simhound/test-support/mqtt';
import { detectionBody, makeProbe, payloadOf, statusBody } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';
import { badInputCases, goodStatusAfterwards, publishBadInputs } from './bad-input-scenario.js';

describe('bad input against the running collector (aedes)', () => {
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

  it('dead-letters and counts each rejection with its typed reason, and keeps ingesting', async () => {
    const cases = badInputCases(probe);
    const expected = await publishBadInputs(client, cases);
    const rejectedTotal = Object.values(expected).reduce((a, b) => a + b, 0);
    await waitFor(() => (tc.collector.ingest.stats().rejected_total >= rejectedTotal ? true : undefined), `${rejectedTotal} rejections`);

    const stats = tc.collector.ingest.stats();
    expect(stats.rejected_by_reason).toEqual(expected);
    expect(stats.accepted_by_kind).toEqual({ detection: 1 });

    const dead = await tc.collector.store.listDeadLetters({ limit: 100 });
    const byReason: Record<string, number> = {};
    for (const d of dead) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
    expect(byReason).toEqual(expected);
    for (const d of dead) expect(d.topic).toBe(detectionTopic(probe.site, probe.probe));
    // the oversized payload is kept truncated, with its real size
    const big = dead.find((d) => d.reason === 'too_large')!;
    expect(big.payload.length).toBe(4096);
    expect(big.payload_size_bytes).toBeGreaterThan(256 * 1024);
    expect(dead.find((d) => d.reason === 'stale')?.detail).toMatch(/s old/);

    // The collector is alive and still ingests a good message.
    const good = goodStatusAfterwards(probe);
    await publishAndWait(client, good.topic, payloadOf(good.envelope));
    await waitFor(async () => ((await tc.collector.store.listProbes())[0]?.status?.id === good.envelope.id ? true : undefined), 'the good status');
    const health = await (await fetch(`${tc.collector.httpUrl}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', mqtt: { connected: true }, ingest: { rejected_by_reason: expected, accepted_by_kind: { detection: 1, status: 1 } } });
  });

  it('rejects an envelope from an unregistered probe as unknown_probe (the broker would not even let it connect)', async () => {
    const stranger = makeProbe('elsewhere', 'probe-x');
    await expect(connectMqtt(tc.collector.mqttUrl, { username: stranger.mqtt_username, password: stranger.mqtt_password })).rejects.toThrow();
    // So drive the same ingest the subscriber uses, as a misconfigured external broker would.
    const env = stranger.factory.make('detection', detectionBody());
    const result = await tc.collector.ingest.handle(detectionTopic(stranger.site, stranger.probe), payloadOf(env));
    expect(result).toEqual({ outcome: 'rejected', reason: 'unknown_probe', detail: 'elsewhere/probe-x' });
    expect(await tc.collector.store.listDeadLetters({ reason: 'unknown_probe', limit: 10 })).toHaveLength(1);
    expect(tc.collector.ingest.stats().rejected_by_reason.unknown_probe).toBe(1);
  });

  it('counts a retained status re-delivered with a known id without dead-lettering it', async () => {
    const env = probe.factory.make('status', statusBody());
    const topic = `simhound/v1/${probe.site}/${probe.probe}/status`;
    expect((await tc.collector.ingest.handle(topic, payloadOf(env), { retain: true })).outcome).toBe('stored');
    const before = (await tc.collector.store.counts()).dead_letters;
    expect(await tc.collector.ingest.handle(topic, payloadOf(env), { retain: true })).toEqual({ outcome: 'retained_redelivery', id: env.id });
    expect((await tc.collector.store.counts()).dead_letters).toBe(before);
    expect(tc.collector.ingest.stats().retained_redeliveries).toBe(1);
    // not retained → an ordinary replay
    expect(await tc.collector.ingest.handle(topic, payloadOf(env), { retain: false })).toMatchObject({ outcome: 'rejected', reason: 'duplicate_id' });
  });

  it('never throws, whatever the topic and payload', async () => {
    const weird = [Buffer.alloc(0), Buffer.from('null'), Buffer.from('[]'), Buffer.from('"x"'), Buffer.from('{"v":1,"body":{"__proto__":{"x":1}}}')];
    for (const payload of weird) {
      for (const topic of ['', 'simhound/v1/alerts/high', 'simhound/v1/a/b/c/d', 'other/topic']) {
        const r = await tc.collector.ingest.handle(topic, payload);
        expect(r.outcome).toBe('rejected');
      }
    }
    const env = probe.factory.make('detection', detectionBody());
    expect(await tc.collector.ingest.handle('simhound/v1/alerts/high', payloadOf(env))).toMatchObject({ outcome: 'rejected', reason: 'topic_mismatch' });
  });
});
