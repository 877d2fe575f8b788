/**
 * The embedded broker's authentication and ACL, over real MQTT connections to a running collector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic, statusTopic } from '@simhound/protocol';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { detectionBody, makeProbe, payloadOf, statusBody } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';

describe('embedded broker: authentication and ACL', () => {
  const a = makeProbe('maseru', 'roof-1');
  const b = makeProbe('maseru', 'van-2');
  let tc: TestCollector;

  beforeAll(async () => {
    tc = await startTestCollector({ probes: [a, b] });
  });
  afterAll(async () => {
    await tc.close();
  });

  it('refuses a wrong password, an unknown user and a missing password', async () => {
    const url = tc.collector.mqttUrl;
    await expect(connectMqtt(url, { username: a.mqtt_username, password: `${a.mqtt_password}x` })).rejects.toThrow(/bad user ?name or password|not authorized/i);
    await expect(connectMqtt(url, { username: a.mqtt_username, password: b.mqtt_password })).rejects.toThrow();
    await expect(connectMqtt(url, { username: 'maseru/nobody', password: 'x' })).rejects.toThrow();
    await expect(connectMqtt(url, {})).rejects.toThrow();
    expect(tc.collector.broker!.stats().auth_failures).toBe(4);
  });

  it('does not deliver what a probe publishes on another probe\'s topic', async () => {
    const client = await connectMqtt(tc.collector.mqttUrl, { username: a.mqtt_username, password: a.mqtt_password });
    const forged = b.factory.make('detection', detectionBody()); // even correctly signed by b's key
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(detectionTopic(b.site, b.probe), payloadOf(forged), { qos: 1 });
    await closed; // aedes drops the connection of a client whose publish is not authorised
    await endMqtt(client, true);
    expect(tc.collector.broker!.stats().acl_denials).toBe(1);

    // b's own message, sent after, arrives; the forged one never did.
    const bClient = await connectMqtt(tc.collector.mqttUrl, { username: b.mqtt_username, password: b.mqtt_password });
    const own = b.factory.make('detection', detectionBody());
    await publishAndWait(bClient, detectionTopic(b.site, b.probe), payloadOf(own));
    await endMqtt(bClient);
    await waitFor(async () => ((await tc.collector.store.listDetections({ limit: 10 })).some((d) => d.id === own.id) ? true : undefined), 'b\'s own detection');
    const ids = (await tc.collector.store.listDetections({ limit: 10 })).map((d) => d.id);
    expect(ids).not.toContain(forged.id);
    expect(tc.collector.ingest.stats().rejected_total).toBe(0);
  });

  it('refuses a probe subscription to everything, and a probe using the collector\'s clientId', async () => {
    const client = await connectMqtt(tc.collector.mqttUrl, { username: a.mqtt_username, password: a.mqtt_password });
    const granted = await client.subscribeAsync('simhound/v1/#', { qos: 1 }).catch((e: Error) => e);
    // aedes answers a refused subscription with SUBACK 0x80 (MQTT 3.1.1)
    expect(granted instanceof Error || granted.every((g) => g.qos === 128)).toBe(true);
    await endMqtt(client);

    const collectorClientId = (await tc.collector.stats()).mqtt.client_id;
    await expect(connectMqtt(tc.collector.mqttUrl, { username: a.mqtt_username, password: a.mqtt_password, clientId: collectorClientId })).rejects.toThrow();
    expect(tc.collector.health().mqtt.connected).toBe(true);
  });

  it('lets a probe use its own topics, retained status included', async () => {
    const client = await connectMqtt(tc.collector.mqttUrl, { username: a.mqtt_username, password: a.mqtt_password });
    await publishAndWait(client, statusTopic(a.site, a.probe), payloadOf(a.factory.make('status', statusBody())), { retain: true });
    const granted = await client.subscribeAsync(`simhound/v1/${a.site}/${a.probe}/cmd`, { qos: 1 });
    expect(granted[0]?.qos).toBe(1);
    await endMqtt(client);
  });
});
