/**
 * The MQTT channel against the real embedded broker: a control-room subscriber with its own
 * credentials gets the alert on simhound/v1/alerts/<tier> as an envelope that parses against the
 * contract and whose signature verifies with the collector's public key; the same subscriber is refused
 * the probes' topics and cannot publish alerts itself.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPair, parseAlertEnvelope, privateKeyFromPem, publicKeyFromText, silentLogger, verifyEnvelope } from '@simhound/protocol';
import { connectMqtt, endMqtt, waitFor, type MqttClient } from '@simhound/test-support/mqtt';
import { MqttAlertChannel, startEmbeddedBroker, type EmbeddedBroker } from '../../../src/index.js';
import { alertMessage, delivery } from '../alert-fixtures.js';

describe('MQTT alert channel', () => {
  const password = randomBytes(18).toString('base64url');
  const keys = generateSigningKeyPair();
  let broker: EmbeddedBroker;
  let room: MqttClient;
  const got: Array<{ topic: string; payload: Buffer }> = [];

  beforeAll(async () => {
    broker = await startEmbeddedBroker({
      host: '127.0.0.1', port: 0, probes: [], log: silentLogger,
      alertSubscribers: [{ username: 'control-room', password_sha256: createHash('sha256').update(password).digest('hex') }],
      onProbePublish: async () => 'acknowledge',
    });
    room = await connectMqtt(broker.url, { username: 'control-room', password });
    room.on('message', (topic, payload) => got.push({ topic, payload }));
    const granted = await room.subscribeAsync('simhound/v1/alerts/+', { qos: 1 });
    expect(granted[0]!.qos).toBe(1);
  });
  afterAll(async () => {
    if (room) await endMqtt(room, true);
    await broker?.close();
  });

  it('publishes a signed alert envelope on the tier topic', async () => {
    const channel = new MqttAlertChannel('maseru', privateKeyFromPem(keys.private_key_pem), (t, p) => broker.publish(t, p));
    const d = delivery('mqtt', 'alerts/medium', 'simhound/v1/alerts/medium', alertMessage({ tier: 'medium', event: 'escalated', escalation_level: 1 }));
    const r = await channel.deliver(d);
    expect(r.ok).toBe(true);
    const msg = await waitFor(() => got.find((m) => m.topic === 'simhound/v1/alerts/medium'), 'the alert on simhound/v1/alerts/medium');
    const parsed = parseAlertEnvelope(msg.payload);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ kind: 'alert', site: 'maseru', probe: 'collector' });
    expect(parsed.value.body).toEqual(JSON.parse(JSON.stringify(d.payload)));
    expect(verifyEnvelope(parsed.value, publicKeyFromText(keys.public_key))).toBe(true);
    expect(verifyEnvelope(parsed.value, publicKeyFromText(generateSigningKeyPair().public_key))).toBe(false);
  });

  it('lets the subscriber read alerts only', async () => {
    const other = await connectMqtt(broker.url, { username: 'control-room', password });
    // aedes refuses with SUBACK 0x80 or by closing the connection (MQTT 3.1.1)
    const denied = await other.subscribeAsync('simhound/v1/+/+/detection', { qos: 1 }).catch((e: Error) => e);
    expect(denied instanceof Error || denied.every((g) => g.qos === 128)).toBe(true);
    await endMqtt(other, true);
    const forger = await connectMqtt(broker.url, { username: 'control-room', password });
    const refused = new Promise<void>((r) => forger.once('close', () => r()));
    forger.publish('simhound/v1/alerts/high', 'forged', { qos: 1 }, () => undefined);
    await Promise.race([refused, new Promise((r) => setTimeout(r, 3000))]);
    await endMqtt(forger, true);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.some((m) => m.payload.toString() === 'forged')).toBe(false);
    expect(broker.stats().acl_denials).toBeGreaterThanOrEqual(2);
    await expect(connectMqtt(broker.url, { username: 'control-room', password: 'wrong' })).rejects.toThrow();
  });
});
