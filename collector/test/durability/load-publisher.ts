/**
 * An independent publisher for crash tests: one MQTT.js connection per probe publishing pre-signed
 * detections (QoS 1) as fast as its in-flight window allows, and recording exactly which envelope ids
 * the broker acknowledged (PUBACK). After a crash and restart the test checks every acknowledged id
 * against the store. It never retries a message itself: what counts is what was acknowledged.
 * Test-only.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { detectionTopic } from '@simhound/protocol';
import type { TestProbe } from '@simhound/test-support/identities';
import { detectionBody, payloadOf } from '../fixtures.js';

export interface LoadPublisher {
  acked: Set<string>;
  sent: number;
  /** Stop publishing; resolves once every connection is closed. */
  stop(): Promise<void>;
}

export function startLoadPublisher(url: string, probes: TestProbe[], options: { inFlight?: number; ca?: Buffer; ratePerSPerProbe?: number } = {}): LoadPublisher {
  const acked = new Set<string>();
  const state = { sent: 0, running: true };
  const clients: MqttClient[] = [];
  const inFlight = options.inFlight ?? 64;
  for (const p of probes) {
    const client = mqtt.connect(url, {
      username: p.mqtt_username,
      password: p.mqtt_password,
      clientId: `load-${p.probe}-${randomBytes(4).toString('hex')}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 200,
      connectTimeout: 2000,
      queueQoSZero: false,
      ca: options.ca,
    });
    clients.push(client);
    let pending = 0;
    let mine = 0;
    const started = Date.now();
    const pump = () => {
      while (state.running && client.connected && pending < inFlight) {
        if (options.ratePerSPerProbe !== undefined && mine >= ((Date.now() - started) / 1000) * options.ratePerSPerProbe) {
          setTimeout(pump, 5);
          return;
        }
        mine += 1;
        const env = p.factory.make('detection', detectionBody({ ta_steps: state.sent % 64 }));
        pending += 1;
        state.sent += 1;
        client.publish(detectionTopic(p.site, p.probe), payloadOf(env), { qos: 1 }, (err) => {
          pending -= 1;
          if (!err) acked.add(env.id);
          setImmediate(pump);
        });
      }
    };
    client.on('connect', () => {
      pending = 0;
      pump();
    });
    client.on('error', () => undefined);
  }
  return {
    acked,
    get sent() {
      return state.sent;
    },
    async stop() {
      state.running = false;
      await Promise.all(clients.map((c) => c.endAsync(true)));
    },
  };
}
