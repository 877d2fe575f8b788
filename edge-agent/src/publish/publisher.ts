/**
 * Moves signed messages from the outbox to the MQTT broker (mqtt.js, QoS 1) and keeps the probe's
 * retained status current:
 * - every message is signed, numbered (`seq`, continued from the outbox across restarts) and put in the
 *   outbox before it is published; it leaves the outbox only when its PUBACK arrives;
 * - it starts and keeps collecting without a reachable broker: a refused or lost connection is a logged
 *   state, retried with exponential backoff and full jitter (one mqtt.js client per attempt, so no
 *   message is ever queued twice: the outbox is the only queue);
 * - after a (re)connect it waits a random moment, then drains the backlog at a rate limit (token bucket)
 *   with a bounded number in flight, so a fleet coming back from an outage does not flood the broker;
 * - a unique clientId per process (two clients with one id kick each other off forever); the Last Will
 *   is a signed status with state "offline", re-made for every attempt so its id and time are fresh;
 *   on every connect the retained "online" status is republished (the broker may have lost it);
 * - `stop()` flushes what it can within a deadline and reports what is left, and whether it is safe.
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
  /** PEM CA certificate(s) to trust for a TLS broker (mqtts://, wss://), besides the system's. */
  ca?: Buffer;
  clientIdPrefix?: string;
  factory: EnvelopeFactory;
  outbox: Outbox;
  /** Current status body; called whenever status is (re)published. */
  status: () => StatusBody;
  /** Maximum messages awaiting PUBACK at once. */
  maxInFlight?: number;
  /** Drain rate limit, messages per second (new messages and backlog alike; lifted while stopping). */
  drainRatePerS?: number;
  /** Reconnect backoff: the first retry waits up to `reconnectMinMs`, doubling up to `reconnectMaxMs` (full jitter). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** After a connect with a backlog, wait a random 0..this ms before draining (spreads a fleet out). */
  drainJitterMs?: number;
  /** MQTT keepalive; a silent partition is noticed after 1.5× this. */
  keepaliveS?: number;
  log?: Logger;
  rejections?: ReasonCounter;
  /** Random source in [0, 1) for the jitter (tests). */
  random?: () => number;
}

export type PublisherState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface PublisherStopReport {
  /** Messages still in the outbox after the flush. */
  remaining: number;
  /** True when those messages are on disk and will be sent at the next start. */
  durable: boolean;
  published: number;
}

export class MqttPublisher {
  private client: MqttClient | null = null;
  private readonly inFlight = new Set<string>();
  private readonly log: Logger;
  private readonly random: () => number;
  private seq: number;
  private state: PublisherState = 'idle';
  private stopping = false;
  private flushing = false;
  private attempts = 0;
  private disconnectedSince: number | null = null;
  private lastError: string | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private tokens = 0;
  private tokensAt = 0;
  private readonly clientId: string;
  private readonly waiters = new Set<() => void>();
  published = 0;
  connects = 0;
  connectFailures = 0;

  constructor(private readonly opts: PublisherOptions) {
    this.log = opts.log ?? silentLogger;
    this.random = opts.random ?? Math.random;
    // A new outbox starts from the clock (µs), so seq still grows if an outbox file is ever lost.
    this.seq = opts.outbox.lastSeq() ?? Date.now() * 1000;
    const f = opts.factory;
    this.clientId = `${opts.clientIdPrefix ?? 'simhound'}-${f.site}-${f.probe}-${randomBytes(4).toString('hex')}`;
  }

  get connected(): boolean {
    return this.state === 'connected' && (this.client?.connected ?? false);
  }

  get connectionState(): PublisherState {
    return this.state;
  }

  /** The seq of the last outbox message made (statuses carry it). */
  get lastSeq(): number {
    return this.seq;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Start connecting in the background; returns at once. Messages are kept in the outbox meanwhile. */
  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.connect();
  }

  /** Resolves true once connected, false after `timeoutMs`. */
  async waitConnected(timeoutMs = 10_000): Promise<boolean> {
    if (this.connected) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.add(done);
    });
  }

  /** Sign, store in the outbox, and publish when connected. Returns the envelope id, or null if refused. */
  enqueue(kind: MessageKind, topic: string, body: unknown, retain = false): string | null {
    const seq = this.seq + 1;
    const env = this.opts.factory.make(kind, body, undefined, seq);
    const put = this.opts.outbox.put({ id: env.id, kind, topic, payload: JSON.stringify(env), retain, added_ts_ms: env.ts_ms, seq });
    // A message the outbox dropped still used its number: the collector sees the gap, which is the truth.
    if (put.ok || put.reason !== 'duplicate_id') this.seq = seq;
    if (!put.ok) {
      this.opts.rejections?.add(put.reason);
      const fields = { reason: put.reason, kind, detail: put.detail };
      if (put.reason === 'outbox_full') this.log.warn('outbox full: message dropped by policy', fields);
      else this.log.error('outbox refused a message', fields);
      return null;
    }
    if (put.dropped > 0) this.log.warn('outbox limit reached: older messages dropped by policy', { dropped: put.dropped, depth: this.opts.outbox.depth() });
    this.drain();
    return env.id;
  }

  /** Publish the retained status now (not through the outbox: only the latest status matters). */
  publishStatus(): void {
    const client = this.client;
    if (!this.connected || client === null) return;
    const f = this.opts.factory;
    const env = f.make('status', this.opts.status(), undefined, this.seq);
    client.publish(statusTopic(f.site, f.probe), JSON.stringify(env), { qos: 1, retain: true }, (err) => {
      if (err && !this.stopping) this.log.debug('status publish not acknowledged', { error: err.message });
    });
  }

  /**
   * Flush the outbox within `flushTimeoutMs` (no rate limit now), publish a final retained offline status,
   * disconnect. A disk outbox that cannot reach the broker is not waited for: its messages are safe.
   */
  async stop(options: { flushTimeoutMs?: number } = {}): Promise<PublisherStopReport> {
    const deadline = Date.now() + (options.flushTimeoutMs ?? 10_000);
    const outbox = this.opts.outbox;
    if (this.state !== 'idle' && this.state !== 'stopped') {
      this.flushing = true;
      if (this.drainTimer) clearTimeout(this.drainTimer);
      this.drainTimer = null;
      this.drain();
      while (Date.now() < deadline && (outbox.depth() > 0 || this.inFlight.size > 0)) {
        // Broker unreachable (an attempt already failed) and the messages are on disk: no reason to wait.
        if (!this.connected && outbox.durable && this.attempts > 0) break;
        await sleep(20);
      }
    }
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.reconnectTimer = null;
    this.drainTimer = null;
    const client = this.client;
    if (client !== null) {
      if (this.connected) {
        const f = this.opts.factory;
        const offline = f.make('status', { ...this.opts.status(), state: 'offline' as const }, undefined, this.seq);
        await Promise.race([
          client.publishAsync(statusTopic(f.site, f.probe), JSON.stringify(offline), { qos: 1, retain: true }).catch(() => undefined),
          sleep(Math.max(500, Math.min(3000, deadline - Date.now()))),
        ]);
      }
      const graceful = client.connected;
      await Promise.race([
        new Promise<void>((r) => client.end(!graceful, {}, () => r())),
        sleep(3000).then(() => client.end(true)),
      ]);
      this.client = null;
    }
    this.state = 'stopped';
    this.inFlight.clear();
    return { remaining: outbox.depth(), durable: outbox.durable, published: this.published };
  }

  private connect(): void {
    if (this.stopping) return;
    this.state = 'connecting';
    const options: IClientOptions = {
      clientId: this.clientId,
      username: this.opts.username,
      password: this.opts.password,
      ...(this.opts.ca === undefined ? {} : { ca: this.opts.ca }),
      clean: true,
      // Reconnects are ours (backoff + jitter, a fresh client each time): see the module comment.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: this.opts.keepaliveS ?? 30,
      protocolVersion: 4,
      will: this.makeWill(),
    };
    const client = mqtt.connect(this.opts.url, options);
    this.client = client;
    client.on('error', (err) => {
      this.lastError = err.message;
    });
    client.on('connect', () => {
      if (client !== this.client) return;
      this.connects++;
      const outage = this.disconnectedSince === null ? null : (Date.now() - this.disconnectedSince) / 1000;
      const backlog = this.opts.outbox.depth();
      this.log.info(this.connects === 1 ? 'mqtt connected' : 'mqtt connected again', { url: this.opts.url, failed_attempts: this.attempts, outage_s: outage, backlog });
      this.state = 'connected';
      this.attempts = 0;
      this.disconnectedSince = null;
      this.lastError = null;
      for (const w of [...this.waiters]) w();
      this.waiters.clear();
      this.publishStatus();
      this.tokens = 0;
      this.tokensAt = Date.now();
      const jitter = backlog > 0 && !this.flushing ? Math.floor(this.random() * (this.opts.drainJitterMs ?? 1000)) : 0;
      this.scheduleDrain(jitter);
    });
    client.on('close', () => this.onClose(client));
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasConnected = this.state === 'connected';
    this.state = 'disconnected';
    this.disconnectedSince ??= Date.now();
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    // Fail every callback still waiting on this client: those messages stay in the outbox and are
    // published again on the next connection (same envelope id).
    client.end(true);
    this.inFlight.clear();
    if (this.stopping) return;
    if (!wasConnected) this.connectFailures++;
    const delay = this.backoffMs(this.attempts++);
    const fields = { url: this.opts.url, error: this.lastError ?? 'connection closed', retry_in_ms: delay, outbox_depth: this.opts.outbox.depth() };
    if (wasConnected) this.log.warn('mqtt connection lost; messages wait in the outbox', fields);
    else if (this.attempts === 1) this.log.warn('mqtt broker unreachable; collecting into the outbox and retrying', fields);
    else this.log.debug('mqtt connect attempt failed', { ...fields, attempt: this.attempts });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private backoffMs(attempt: number): number {
    const min = this.opts.reconnectMinMs ?? 1000;
    const max = this.opts.reconnectMaxMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 30));
    // Full jitter, never below a tenth of the minimum (no tight loop).
    return Math.max(min / 10, Math.floor(this.random() * ceiling));
  }

  private scheduleDrain(delayMs: number): void {
    if (this.drainTimer !== null || !this.connected) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      this.drain();
    }, delayMs);
  }

  private drain(): void {
    const client = this.client;
    if (!this.connected || client === null || this.drainTimer !== null) return;
    const maxInFlight = this.opts.maxInFlight ?? 64;
    const rate = this.flushing ? Infinity : (this.opts.drainRatePerS ?? 200);
    const now = Date.now();
    if (Number.isFinite(rate)) {
      // Token bucket: at most a tenth of a second's worth (≥ 1) at once.
      const burst = Math.max(1, rate / 10);
      this.tokens = Math.min(burst, this.tokens + ((now - this.tokensAt) / 1000) * rate);
    } else this.tokens = maxInFlight;
    this.tokensAt = now;
    const room = Math.min(maxInFlight - this.inFlight.size, Math.floor(this.tokens));
    const batch = room > 0 ? this.opts.outbox.peek(room, this.inFlight) : [];
    this.tokens -= batch.length;
    for (const item of batch) {
      this.inFlight.add(item.id);
      client.publish(item.topic, item.payload, { qos: 1, retain: item.retain }, (err) => {
        if (client !== this.client) return;
        this.inFlight.delete(item.id);
        if (err) {
          this.log.debug('publish not acknowledged; will retry', { id: item.id, error: err.message });
          return;
        }
        this.opts.outbox.remove(item.id);
        this.published++;
        this.drain();
      });
    }
    const waiting = this.opts.outbox.depth() - this.inFlight.size;
    if (waiting > 0 && this.inFlight.size < maxInFlight) {
      // Out of tokens: come back when the next one is due.
      const due = Number.isFinite(rate) ? Math.max(5, Math.ceil(((1 - this.tokens) / rate) * 1000)) : 5;
      this.scheduleDrain(due);
    }
  }

  private makeWill(): NonNullable<IClientOptions['will']> {
    const f = this.opts.factory;
    const offline: StatusBody = { ...this.opts.status(), state: 'offline' };
    return { topic: statusTopic(f.site, f.probe), payload: Buffer.from(JSON.stringify(f.make('status', offline, undefined, this.seq))), qos: 1, retain: true };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
