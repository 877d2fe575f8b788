/**
 * The collector's MQTT client: subscribes (QoS 1) to status, detection and window messages of every
 * probe and feeds each message to ingest, one at a time. The PUBACK goes out only after ingest has
 * finished with the message (stored or dead-lettered), so a collector crash loses nothing: the broker
 * redelivers what was not acknowledged (persistent session, clean: false).
 * Must not interpret payloads (ingest does) and must not publish.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { allProbesFilter, type Logger } from '@simhound/protocol';
import type { IngestResult } from './ingest.js';

export const SUBSCRIBED_KINDS = ['status', 'detection', 'window', 'observation'] as const;

export interface MqttSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  /** Must be stable across restarts for a persistent session, and unique per collector instance. */
  clientId: string;
  clean: boolean;
  connectTimeout_ms: number;
  handle: (topic: string, payload: Uint8Array, flags: { retain: boolean }) => Promise<IngestResult>;
  log: Logger;
}

export class MqttSubscriber {
  private client: MqttClient | null = null;
  private subscribed = false;
  private connectedSince: number | null = null;
  private reconnects = 0;

  constructor(private readonly options: MqttSubscriberOptions) {}

  /** Connect and subscribe; resolves after the first SUBACK, rejects after connectTimeout_ms (the client keeps retrying). */
  start(): Promise<void> {
    const { options } = this;
    const client = mqtt.connect(options.url, {
      clientId: options.clientId,
      clean: options.clean,
      username: options.username,
      password: options.password,
      protocolVersion: 4,
      reconnectPeriod: 2000,
      connectTimeout: options.connectTimeout_ms,
      resubscribe: true,
    });
    this.client = client;

    // Sequential processing with backpressure: mqtt.js calls handleMessage one packet at a time and sends
    // the PUBACK only when the callback runs without an error.
    client.handleMessage = (packet, callback) => {
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      options.handle(packet.topic, payload, { retain: packet.retain === true }).then(
        (result) => {
          if (result.outcome === 'store_failed') {
            callback(new Error(result.detail));
            // No PUBACK was sent; MQTT 3.1.1 redelivers unacknowledged messages on reconnect, so drop
            // the connection and let the client reconnect after reconnectPeriod.
            client.stream?.destroy();
            return;
          }
          callback();
        },
        (e: unknown) => {
          // ingest never rejects by contract; acknowledge anyway so one bad message cannot wedge the queue.
          options.log.error('ingest threw', { topic: packet.topic, error: (e as Error).message });
          callback();
        },
      );
    };

    const subscribeAll = () => {
      const filters = Object.fromEntries(SUBSCRIBED_KINDS.map((k) => [allProbesFilter(k), { qos: 1 as const }]));
      return client.subscribeAsync(filters).then((granted) => {
        const refused = granted.filter((g) => g.qos !== 1 && g.qos !== 0);
        if (refused.length > 0) throw new Error(`broker refused subscriptions: ${refused.map((g) => g.topic).join(', ')}`);
        this.subscribed = true;
      });
    };

    client.on('connect', (connack) => {
      this.connectedSince = Date.now();
      options.log.info('connected to broker', { url: options.url, session_present: connack.sessionPresent });
    });
    client.on('reconnect', () => {
      this.reconnects += 1;
    });
    client.on('close', () => {
      if (this.connectedSince !== null) options.log.warn('broker connection lost', { url: options.url });
      this.connectedSince = null;
    });
    client.on('error', (e) => options.log.warn('mqtt error', { error: e.message }));

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no subscription on ${options.url} within ${options.connectTimeout_ms} ms`)), options.connectTimeout_ms);
      client.once('connect', () => {
        subscribeAll().then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        );
      });
    });
  }

  isConnected(): boolean {
    return this.client?.connected === true && this.subscribed;
  }

  stats(): { connected: boolean; url: string; client_id: string; reconnects: number; connected_since_ts_ms: number | null } {
    return { connected: this.isConnected(), url: this.options.url, client_id: this.options.clientId, reconnects: this.reconnects, connected_since_ts_ms: this.connectedSince };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync();
  }
}
