import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import {
  EnvelopeFactory, generateSigningKeyPair, parseEnvelope, privateKeyFromPem, publicKeyFromText, statusTopic,
  detectionTopic, verifyEnvelope, type StatusBody,
} from '@simhound/protocol';
import { sampleDetection } from '@simhound/test-support/samples';
import { MqttPublisher } from '../../src/publish/publisher.js';
import { MemoryOutbox } from '../../src/publish/outbox.js';

const keys = generateSigningKeyPair();
const pub = publicKeyFromText(keys.public_key);
const status = (): StatusBody => ({
  state: 'online', software_version: 'test', started_ts_ms: 0, uptime_s: 1, position: null, sources: [], outbox_depth: 0, detections_total: 0,
});

interface RunningBroker { broker: Aedes; server: Server; port: number; close(): Promise<void> }

async function startAedes(port = 0): Promise<RunningBroker> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const actual = (server.address() as AddressInfo).port;
  return {
    broker, server, port: actual,
    close: () => new Promise<void>((r) => { for (const c of Object.values((broker as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients)) c.conn.destroy(); server.close(() => broker.close(() => r())); }),
  };
}

async function collect(url: string, topic: string): Promise<{ messages: Array<{ payload: string; retain: boolean }>; end(): Promise<void> }> {
  const sub = await mqtt.connectAsync(url, { clientId: `t-${Math.random()}` });
  const messages: Array<{ payload: string; retain: boolean }> = [];
  sub.on('message', (_t, p, packet) => messages.push({ payload: p.toString(), retain: packet.retain }));
  await sub.subscribeAsync(topic, { qos: 1 });
  return { messages, end: () => sub.endAsync() };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('MqttPublisher against aedes', () => {
  it('publishes a signed detection exactly once, retained online status, and empties the outbox on PUBACK', async () => {
    const b = await startAedes();
    cleanups.push(() => b.close());
    const url = `mqtt://127.0.0.1:${b.port}`;
    const det = await collect(url, detectionTopic('s1', 'p1'));
    cleanups.push(det.end);
    const outbox = new MemoryOutbox();
    const p = new MqttPublisher({ url, factory: new EnvelopeFactory('s1', 'p1', privateKeyFromPem(keys.private_key_pem)), outbox, status });
    await p.start();
    cleanups.push(() => p.stop());
    const id = p.enqueue('detection', detectionTopic('s1', 'p1'), sampleDetection);
    expect(id).not.toBeNull();
    await until(() => det.messages.length >= 1 && outbox.depth() === 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(det.messages).toHaveLength(1);
    const parsed = parseEnvelope(det.messages[0]!.payload);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.id).toBe(id);
      expect(verifyEnvelope(parsed.value, pub)).toBe(true);
    }
    // A late subscriber gets the retained status.
    const st = await collect(url, statusTopic('s1', 'p1'));
    cleanups.push(st.end);
    await until(() => st.messages.length >= 1);
    expect(st.messages[0]!.retain).toBe(true);
    const s = parseEnvelope(st.messages[0]!.payload);
    expect(s.ok && s.value.kind === 'status' && s.value.body.state).toBe('online');
  });

  it('keeps messages in the outbox while the broker is down, drains them after reconnect, and republishes status', async () => {
    const b1 = await startAedes();
    const port = b1.port;
    const url = `mqtt://127.0.0.1:${port}`;
    const outbox = new MemoryOutbox();
    const p = new MqttPublisher({ url, factory: new EnvelopeFactory('s1', 'p2', privateKeyFromPem(keys.private_key_pem)), outbox, status });
    await p.start();
    cleanups.push(() => p.stop());
    await b1.close();
    await until(() => !p.connected);
    const ids = [1, 2, 3].map(() => p.enqueue('detection', detectionTopic('s1', 'p2'), sampleDetection));
    expect(outbox.depth()).toBe(3);
    const b2 = await startAedes(port);
    cleanups.push(() => b2.close());
    const det = await collect(url, detectionTopic('s1', 'p2'));
    cleanups.push(det.end);
    await until(() => outbox.depth() === 0, 10_000);
    const st = await collect(url, statusTopic('s1', 'p2'));
    cleanups.push(st.end);
    await until(() => st.messages.length >= 1);
    expect(p.connects).toBe(2);
    const got = det.messages.map((m) => JSON.parse(m.payload).id);
    for (const id of ids) expect(got).toContain(id);
  });

  it('publishes its signed Last Will (state offline, retained) when the connection dies', async () => {
    const b = await startAedes();
    cleanups.push(() => b.close());
    const url = `mqtt://127.0.0.1:${b.port}`;
    const outbox = new MemoryOutbox();
    const p = new MqttPublisher({ url, factory: new EnvelopeFactory('s1', 'p3', privateKeyFromPem(keys.private_key_pem)), outbox, status });
    await p.start();
    const st = await collect(url, statusTopic('s1', 'p3'));
    cleanups.push(st.end);
    await until(() => st.messages.length >= 1);
    // Kill the probe's TCP connection from the broker side: the broker must publish the will.
    const clients = (b.broker as unknown as { clients: Record<string, { id: string; conn: { destroy(): void } }> }).clients;
    const probeClient = Object.values(clients).find((c) => c.id.includes('-s1-p3-'))!;
    probeClient.conn.destroy();
    await until(() => st.messages.some((m) => JSON.parse(m.payload).body.state === 'offline'));
    const will = st.messages.find((m) => JSON.parse(m.payload).body.state === 'offline')!;
    const env = parseEnvelope(will.payload);
    expect(env.ok).toBe(true);
    if (env.ok) expect(verifyEnvelope(env.value, pub)).toBe(true);
    await p.stop();
  });

  it('refuses and counts when the outbox is full instead of dropping old messages', () => {
    const outbox = new MemoryOutbox(2);
    const p = new MqttPublisher({ url: 'mqtt://127.0.0.1:1', factory: new EnvelopeFactory('s1', 'p4', privateKeyFromPem(keys.private_key_pem)), outbox, status });
    expect(p.enqueue('detection', detectionTopic('s1', 'p4'), sampleDetection)).not.toBeNull();
    expect(p.enqueue('detection', detectionTopic('s1', 'p4'), sampleDetection)).not.toBeNull();
    expect(p.enqueue('detection', detectionTopic('s1', 'p4'), sampleDetection)).toBeNull();
    expect(outbox.depth()).toBe(2);
  });
});
