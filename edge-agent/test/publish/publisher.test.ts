/**
 * MqttPublisher against a real aedes broker on loopback: delivery, outages (broker down at start, broker
 * restarted), the Last Will, the drop policy, `seq` numbering across restarts, the drain rate limit, the
 * reconnect backoff and the clean stop. An independent subscriber checks what reached the broker.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import {
  EnvelopeFactory, ReasonCounter, createLogger, generateSigningKeyPair, parseEnvelope, privateKeyFromPem, publicKeyFromText, statusTopic,
  detectionTopic, verifyEnvelope, windowTopic, type LogFields, type StatusBody,
} from '@simhound/protocol';
import { sampleDetection } from '@simhound/test-support/samples';
import { freePort } from '@simhound/test-support/ports';
import { MqttPublisher, type PublisherOptions } from '../../src/publish/publisher.js';
import { MemoryOutbox } from '../../src/publish/outbox.js';
import { DiskOutbox } from '../../src/publish/disk-outbox.js';

const keys = generateSigningKeyPair();
const pub = publicKeyFromText(keys.public_key);
const status = (): StatusBody => ({
  state: 'online', software_version: 'test', started_ts_ms: 0, uptime_s: 1, position: null, sources: [], outbox_depth: 0, detections_total: 0,
});
const factory = (probe: string) => new EnvelopeFactory('s1', probe, privateKeyFromPem(keys.private_key_pem));

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

async function collect(url: string, topic: string): Promise<{ messages: Array<{ payload: string; retain: boolean; at: number }>; end(): Promise<void> }> {
  const sub = await mqtt.connectAsync(url, { clientId: `t-${Math.random()}` });
  const messages: Array<{ payload: string; retain: boolean; at: number }> = [];
  sub.on('message', (_t, p, packet) => messages.push({ payload: p.toString(), retain: packet.retain, at: Date.now() }));
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

function capturingLog(): { log: ReturnType<typeof createLogger>; lines: Array<{ level: string; msg: string; fields?: LogFields }> } {
  const lines: Array<{ level: string; msg: string; fields?: LogFields }> = [];
  return { lines, log: createLogger({ level: 'debug', sink: (l) => lines.push({ level: l.level, msg: l.msg, fields: l.fields }) }) };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function publisher(opts: Partial<PublisherOptions> & Pick<PublisherOptions, 'url' | 'factory' | 'outbox'>): MqttPublisher {
  const p = new MqttPublisher({ status, reconnectMinMs: 100, reconnectMaxMs: 400, drainJitterMs: 0, ...opts });
  cleanups.push(() => p.stop({ flushTimeoutMs: 0 }));
  return p;
}

describe('MqttPublisher against aedes', () => {
  it('publishes a signed detection exactly once, retained online status, and empties the outbox on PUBACK', async () => {
    const b = await startAedes();
    cleanups.push(() => b.close());
    const url = `mqtt://127.0.0.1:${b.port}`;
    const det = await collect(url, detectionTopic('s1', 'p1'));
    cleanups.push(det.end);
    const outbox = new MemoryOutbox();
    const p = publisher({ url, factory: factory('p1'), outbox });
    await p.start();
    expect(await p.waitConnected()).toBe(true);
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

  it('starts while the broker is down, keeps collecting, warns once, and delivers everything when the broker appears', async () => {
    const port = await freePort('127.0.0.1');
    const url = `mqtt://127.0.0.1:${port}`;
    const outbox = new MemoryOutbox();
    const { log, lines } = capturingLog();
    const p = publisher({ url, factory: factory('p5'), outbox, log });
    await p.start();
    const ids = Array.from({ length: 20 }, () => p.enqueue('detection', detectionTopic('s1', 'p5'), sampleDetection));
    await until(() => p.connectFailures >= 3, 10_000);
    expect(p.connected).toBe(false);
    expect(outbox.depth()).toBe(20);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/unreachable/);
    expect(String(warnings[0]!.fields?.error)).toMatch(/ECONNREFUSED/);

    const b = await startAedes(port);
    cleanups.push(() => b.close());
    const det = await collect(url, detectionTopic('s1', 'p5'));
    cleanups.push(det.end);
    await until(() => outbox.depth() === 0, 10_000);
    await until(() => det.messages.length >= 20);
    expect(det.messages.map((m) => JSON.parse(m.payload).id).sort()).toEqual([...ids].sort());
    expect(p.connects).toBe(1);
  });

  it('keeps messages in the outbox while the broker is down, drains them after reconnect, and republishes status', async () => {
    const b1 = await startAedes();
    const port = b1.port;
    const url = `mqtt://127.0.0.1:${port}`;
    const outbox = new MemoryOutbox();
    const p = publisher({ url, factory: factory('p2'), outbox });
    await p.start();
    expect(await p.waitConnected()).toBe(true);
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
    const p = publisher({ url, factory: factory('p3'), outbox: new MemoryOutbox() });
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
  });

  it('applies the outbox policy: a window is refused and counted when detections fill the outbox, the oldest detection goes past the hard cap', () => {
    const outbox = new MemoryOutbox({ max_items: 2, hard_max_items: 3 });
    const rejections = new ReasonCounter();
    const p = publisher({ url: 'mqtt://127.0.0.1:1', factory: factory('p4'), outbox, rejections });
    const first = p.enqueue('detection', detectionTopic('s1', 'p4'), sampleDetection);
    p.enqueue('detection', detectionTopic('s1', 'p4'), sampleDetection);
    expect(p.enqueue('window', windowTopic('s1', 'p4'), { any: 'window' })).toBeNull();
    expect(rejections.get('outbox_full')).toBe(1);
    p.enqueue('detection', detectionTopic('s1', 'p4'), sampleDetection);
    expect(p.enqueue('detection', detectionTopic('s1', 'p4'), sampleDetection)).not.toBeNull();
    expect(outbox.depth()).toBe(3);
    expect(outbox.peek(10).map((i) => i.id)).not.toContain(first);
    expect(outbox.stats().dropped_by_reason).toMatchObject({ window_over_limit: 1, detection_over_hard_cap: 1 });
  });

  it('numbers outbox messages +1 each, continues the count after a restart from the disk outbox, and statuses carry the last number', async () => {
    const b = await startAedes();
    cleanups.push(() => b.close());
    const url = `mqtt://127.0.0.1:${b.port}`;
    const all = await collect(url, 'simhound/v1/s1/p6/+');
    cleanups.push(all.end);
    const path = join(mkdtempSync(join(tmpdir(), 'simhound-pub-seq-')), 'outbox.db');
    const seqs: number[] = [];
    for (let run = 0; run < 2; run++) {
      const opened = DiskOutbox.open(path);
      if (!opened.ok) throw new Error(opened.detail);
      const p = new MqttPublisher({ url, factory: factory('p6'), outbox: opened.value, status, drainJitterMs: 0 });
      await p.start();
      for (let i = 0; i < 3; i++) p.enqueue('detection', detectionTopic('s1', 'p6'), sampleDetection);
      await until(() => opened.value.depth() === 0);
      const report = await p.stop();
      expect(report).toMatchObject({ remaining: 0, durable: true });
      opened.value.close();
    }
    await until(() => all.messages.filter((m) => JSON.parse(m.payload).kind === 'detection').length === 6);
    for (const m of all.messages) {
      const env = JSON.parse(m.payload) as { kind: string; seq: number };
      if (env.kind === 'detection') seqs.push(env.seq);
    }
    seqs.sort((a, b) => a - b);
    expect(seqs.map((s) => s - seqs[0]!)).toEqual([0, 1, 2, 3, 4, 5]);
    const statuses = all.messages.map((m) => JSON.parse(m.payload) as { kind: string; seq: number; body: { state: string } }).filter((e) => e.kind === 'status');
    const finalOffline = statuses.filter((s) => s.body.state === 'offline').at(-1)!;
    expect(finalOffline.seq).toBe(seqs[5]);
  });

  it('drains a backlog no faster than its rate limit', async () => {
    const b = await startAedes();
    cleanups.push(() => b.close());
    const url = `mqtt://127.0.0.1:${b.port}`;
    const det = await collect(url, detectionTopic('s1', 'p7'));
    cleanups.push(det.end);
    const outbox = new MemoryOutbox();
    // Fill while offline, then connect: 200 messages at 100/s cannot take less than ~1.9 s.
    const p = publisher({ url, factory: factory('p7'), outbox, drainRatePerS: 100 });
    for (let i = 0; i < 200; i++) p.enqueue('detection', detectionTopic('s1', 'p7'), sampleDetection);
    const t0 = Date.now();
    await p.start();
    await until(() => outbox.depth() === 0, 20_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1800);
    await until(() => det.messages.length === 200);
    expect(new Set(det.messages.map((m) => JSON.parse(m.payload).id)).size).toBe(200);
  });

  it('backs off between failed connects (exponential, jittered) instead of hammering', async () => {
    const port = await freePort('127.0.0.1');
    // random() = 0.99: delays ≈ 99, 198, 396, 396 … ms.
    const p = publisher({ url: `mqtt://127.0.0.1:${port}`, factory: factory('p8'), outbox: new MemoryOutbox(), random: () => 0.99 });
    await p.start();
    await new Promise((r) => setTimeout(r, 1500));
    expect(p.connectFailures).toBeGreaterThanOrEqual(2);
    expect(p.connectFailures).toBeLessThanOrEqual(6);
  });

  it('stop() flushes the backlog to a reachable broker, and says what is left when it is not', async () => {
    const b = await startAedes();
    cleanups.push(() => b.close());
    const url = `mqtt://127.0.0.1:${b.port}`;
    const det = await collect(url, detectionTopic('s1', 'p9'));
    cleanups.push(det.end);
    const outbox = new MemoryOutbox();
    const p = new MqttPublisher({ url, factory: factory('p9'), outbox, status, drainRatePerS: 10, drainJitterMs: 0 });
    await p.start();
    expect(await p.waitConnected()).toBe(true);
    for (let i = 0; i < 100; i++) p.enqueue('detection', detectionTopic('s1', 'p9'), sampleDetection);
    // At 10/s the backlog would need 10 s; stop lifts the limit and delivers all of it now.
    expect(await p.stop({ flushTimeoutMs: 5000 })).toMatchObject({ remaining: 0, durable: false });
    await until(() => det.messages.length === 100);

    const port = await freePort('127.0.0.1');
    const lonely = new MemoryOutbox();
    const q = new MqttPublisher({ url: `mqtt://127.0.0.1:${port}`, factory: factory('p9'), outbox: lonely, status, reconnectMinMs: 100 });
    await q.start();
    q.enqueue('detection', detectionTopic('s1', 'p9'), sampleDetection);
    const t0 = Date.now();
    expect(await q.stop({ flushTimeoutMs: 600 })).toMatchObject({ remaining: 1, durable: false });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);

    const disk = DiskOutbox.open(join(mkdtempSync(join(tmpdir(), 'simhound-pub-stop-')), 'o.db'));
    if (!disk.ok) throw new Error(disk.detail);
    const r = new MqttPublisher({ url: `mqtt://127.0.0.1:${port}`, factory: factory('p9'), outbox: disk.value, status, reconnectMinMs: 100 });
    await r.start();
    r.enqueue('detection', detectionTopic('s1', 'p9'), sampleDetection);
    await until(() => r.connectFailures >= 1);
    // Nothing to wait for: the message is on disk.
    expect(await r.stop({ flushTimeoutMs: 10_000 })).toMatchObject({ remaining: 1, durable: true });
    disk.value.close();
  });
});
