/**
 * The embedded broker's authentication, ACL and limits, over real MQTT connections to a running
 * collector: oversized packets (before and after login) are cut at their header without being
 * buffered, new connections are rate-limited.
 */
import { connect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
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

  it('refuses a probe subscription to everything, and has no collector login to steal', async () => {
    const client = await connectMqtt(tc.collector.mqttUrl, { username: a.mqtt_username, password: a.mqtt_password });
    const granted = await client.subscribeAsync('simhound/v1/#', { qos: 1 }).catch((e: Error) => e);
    // aedes answers a refused subscription with SUBACK 0x80 (MQTT 3.1.1)
    expect(granted instanceof Error || granted.every((g) => g.qos === 128)).toBe(true);
    await endMqtt(client);
    // The collector ingests inside the broker: no MQTT user may read the probe topics.
    await expect(connectMqtt(tc.collector.mqttUrl, { username: 'collector', password: '' })).rejects.toThrow();
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

/** Open a raw TCP connection and resolve with how it ended and how many bytes the server let us write. */
function rawConnection(url: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

/** The first bytes of an MQTT packet announcing `remaining` bytes (fixed header only). */
function announce(type: number, remaining: number): Buffer {
  const bytes = [type << 4];
  let n = remaining;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

describe('embedded broker: limits before and after authentication', () => {
  const a = makeProbe('maseru', 'roof-1');
  let tc: TestCollector;

  beforeAll(async () => {
    tc = await startTestCollector({ probes: [a], extra: { mqtt: { embedded_broker: { host: '127.0.0.1', port: 0, connections_per_minute_per_address: 40 } } } });
  });
  afterAll(async () => {
    await tc.close();
  });

  it('cuts unauthenticated connections announcing 255 MB CONNECTs at the header, without buffering what follows', async () => {
    const before = tc.collector.broker!.stats().oversize_disconnects;
    const rssBefore = process.memoryUsage().rss;
    const connections = await Promise.all(Array.from({ length: 6 }, () => rawConnection(tc.collector.mqttUrl)));
    const chunk = Buffer.alloc(1 << 20, 0x41);
    await Promise.all(connections.map(async ({ socket, closed }) => {
      socket.on('error', () => undefined);
      socket.write(announce(1, 255 * 1024 * 1024));
      // Keep sending until the server closes: it must close after the header, not after 255 MB.
      let sent = 0;
      let open = true;
      void closed.then(() => { open = false; });
      while (open && sent < 64) {
        socket.write(chunk);
        sent += 1;
        await new Promise((r) => setImmediate(r));
      }
      await closed;
    }));
    expect(tc.collector.broker!.stats().oversize_disconnects - before).toBe(6);
    // Nothing near 6 × 255 MB (or even 6 × 64 MB sent) was kept.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it('cuts an authenticated probe announcing a 100 MB PUBLISH, and keeps serving it after it reconnects', async () => {
    const before = tc.collector.broker!.stats().oversize_disconnects;
    const { socket, closed } = await rawConnection(tc.collector.mqttUrl);
    const packets: string[] = [];
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (p) => packets.push(p.cmd));
    socket.on('data', (d) => parser.parse(d));
    socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'raw-1', keepalive: 30, username: a.mqtt_username, password: Buffer.from(a.mqtt_password) }));
    await waitFor(() => (packets.includes('connack') ? true : undefined), 'CONNACK');
    socket.write(announce(3, 100 * 1024 * 1024));
    socket.write(Buffer.alloc(1 << 20, 0x42));
    await closed;
    expect(tc.collector.broker!.stats().oversize_disconnects - before).toBe(1);
    const client = await connectMqtt(tc.collector.mqttUrl, { username: a.mqtt_username, password: a.mqtt_password });
    const env = a.factory.make('detection', detectionBody());
    await publishAndWait(client, detectionTopic(a.site, a.probe), payloadOf(env));
    await endMqtt(client);
    expect((await tc.collector.store.listDetections({ limit: 5 })).map((d) => d.id)).toContain(env.id);
  });

  it('refuses new connections from one address beyond the per-minute limit', async () => {
    const before = tc.collector.broker!.stats().connections_refused;
    const outcomes: boolean[] = [];
    for (let i = 0; i < 45; i += 1) {
      const { socket, closed } = await rawConnection(tc.collector.mqttUrl);
      const closedQuickly = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 200))]);
      outcomes.push(closedQuickly);
      socket.destroy();
    }
    // The earlier tests used some of the 40; the rest are refused at once.
    expect(outcomes.filter((x) => x).length).toBeGreaterThanOrEqual(5);
    expect(tc.collector.broker!.stats().connections_refused - before).toBe(outcomes.filter((x) => x).length);
  });
});
