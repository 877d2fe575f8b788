/**
 * Moves signed messages from the outbox to the MQTT broker (mqtt.js, QoS 1) and keeps the probe's
 * retained status current:
 * - a unique clientId per process (two clients with one id kick each other off forever);
 * - the Last Will is a signed status with state "offline", re-made before every (re)connect so its id
 *   and time are fresh;
 * - on every connect the retained "online" status is republished (the broker may have lost it) and the
 *   outbox is drained with a bounded number in flight;
 * - an outbox item is removed only when its PUBACK arrives.
 * It never decides what to publish; the agent does.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  EnvelopeFactory, silentLogger, statusTopic, type Logger, type MessageKind, type ReasonCounter, type StatusBody,
} from '@simhound/protocol';
import type { Outbox } from './outbox.js';

export interface PublisherOptions {
  url: string;
  username?: string;
  password?: string;
  clientIdPrefix?: string;
  factory: EnvelopeFactory;
  outbox: Outbox;
  /** Current status body; called whenever status is (re)published. */
  status: () => StatusBody;
  /** Maximum messages awaiting PUBACK at once. */
  maxInFlight?: number;
  /** Drain rate limit after an outage, messages per second. */
  drainRatePerS?: number;
  log?: Logger;
  rejections?: ReasonCounter;
}

export class MqttPublisher {
  private client: MqttClient | null = null;
  private readonly inFlight = new Set<string>();
  private draining = false;
  private connectedOnce = false;
  private readonly log: Logger;
  published = 0;
  connects = 0;

  constructor(private readonly opts: PublisherOptions) {
    this.log = opts.log ?? silentLogger;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects and resolves on the first CONNACK; keeps reconnecting afterwards on its own. */
  start(): Promise<void> {
    const f = this.opts.factory;
    const options: IClientOptions = {
      clientId: `${this.opts.clientIdPrefix ?? 'simhound'}-${f.site}-${f.probe}-${randomBytes(4).toString('hex')}`,
      username: this.opts.username,
      password: this.opts.password,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      protocolVersion: 4,
      will: this.makeWill(),
    };
    const client = mqtt.connect(this.opts.url, options);
    this.client = client;
    client.on('close', () => {
      // Fresh LWT for the next attempt: mqtt.js builds each CONNECT from client.options.
      client.options.will = this.makeWill();
    });
    client.on('error', (err) => this.log.warn('mqtt error', { error: err.message }));
    client.on('offline', () => this.log.warn('mqtt offline; will reconnect'));
    client.on('connect', () => {
      this.connects++;
      this.log.info(this.connectedOnce ? 'mqtt reconnected' : 'mqtt connected', { url: this.opts.url });
      this.connectedOnce = true;
      this.inFlight.clear();
      this.publishStatus();
      this.drain();
    });
    return new Promise((resolve, reject) => {
      const onConnect = () => {
        client.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        if (!this.connectedOnce) {
          client.off('connect', onConnect);
          client.end(true);
          reject(err);
        }
      };
      client.once('connect', onConnect);
      client.once('error', onError);
    });
  }

  /** Sign, store in the outbox, and publish when connected. Returns the envelope id, or null if refused. */
  enqueue(kind: MessageKind, topic: string, body: unknown, retain = false): string | null {
    const env = this.opts.factory.make(kind, body);
    const put = this.opts.outbox.put({ id: env.id, topic, payload: JSON.stringify(env), retain, added_ts_ms: Date.now() });
    if (!put.ok) {
      this.opts.rejections?.add(put.reason);
      this.log.error('outbox refused a message', { reason: put.reason, kind });
      return null;
    }
    this.drain();
    return env.id;
  }

  /** Publish the retained status now (not through the outbox: only the latest status matters). */
  publishStatus(): void {
    const client = this.client;
    if (!client?.connected) return;
    const f = this.opts.factory;
    const env = f.make('status', this.opts.status());
    client.publish(statusTopic(f.site, f.probe), JSON.stringify(env), { qos: 1, retain: true }, (err) => {
      if (err) this.log.warn('status publish failed', { error: err.message });
    });
  }

  private drain(): void {
    const client = this.client;
    if (this.draining || !client?.connected) return;
    this.draining = true;
    const maxInFlight = this.opts.maxInFlight ?? 64;
    const ratePerS = this.opts.drainRatePerS ?? 200;
    const step = () => {
      if (!client.connected) {
        this.draining = false;
        return;
      }
      const room = maxInFlight - this.inFlight.size;
      const batch = room > 0 ? this.opts.outbox.peek(Math.min(room, Math.max(1, Math.ceil(ratePerS / 10))), this.inFlight) : [];
      for (const item of batch) {
        this.inFlight.add(item.id);
        client.publish(item.topic, item.payload, { qos: 1, retain: item.retain }, (err) => {
          this.inFlight.delete(item.id);
          if (err) {
            this.log.warn('publish failed; will retry', { id: item.id, error: err.message });
            return;
          }
          this.opts.outbox.remove(item.id);
          this.published++;
          if (!this.draining) this.drain();
        });
      }
      if (this.opts.outbox.depth() > this.inFlight.size) setTimeout(step, 100);
      else this.draining = false;
    };
    step();
  }

  private makeWill(): NonNullable<IClientOptions['will']> {
    const f = this.opts.factory;
    const offline: StatusBody = { ...this.opts.status(), state: 'offline' };
    return { topic: statusTopic(f.site, f.probe), payload: Buffer.from(JSON.stringify(f.make('status', offline))), qos: 1, retain: true };
  }

  /** Publish a final retained offline status, wait for in-flight PUBACKs (bounded), disconnect. */
  async stop(timeoutMs = 3000): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (client.connected) {
      const f = this.opts.factory;
      const offline = f.make('status', { ...this.opts.status(), state: 'offline' as const });
      await Promise.race([
        client.publishAsync(statusTopic(f.site, f.probe), JSON.stringify(offline), { qos: 1, retain: true }).catch(() => undefined),
        new Promise((r) => setTimeout(r, timeoutMs)),
      ]);
      const deadline = Date.now() + timeoutMs;
      while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
    // A client that is between reconnect attempts never completes a graceful end: force it.
    const graceful = client.connected;
    await Promise.race([
      new Promise<void>((r) => client.end(!graceful, {}, () => r())),
      new Promise<void>((r) => setTimeout(() => { client.end(true); r(); }, timeoutMs)),
    ]);
    this.client = null;
  }
}
