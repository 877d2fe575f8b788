/**
 * The collector's connection to an external broker (mosquitto, EMQX): subscribes (QoS 1) to every
 * probe's status/detection/window/observation topics and acknowledges each message only after ingest
 * has committed it — while many messages are being checked and committed at once.
 *
 * Why not MQTT.js: its client handles one incoming packet at a time and sends the PUBACK when
 * `handleMessage` calls back, so acknowledging after the commit means one transaction per message.
 * This client speaks MQTT 5 with mqtt-packet (the parser/serialiser MQTT.js and aedes use) and keeps
 * up to `receive_maximum` messages in flight: they are committed in batches and their PUBACKs go out in
 * the order the PUBLISHes came, as their commits complete. A persistent session (clean start off, a
 * session that does not expire, a stable client id) makes the broker keep queued and unacknowledged
 * messages while the collector is down; after a crash it sends the unacknowledged ones again, and
 * ingest's dedupe makes the second copy a duplicate.
 *
 * It also publishes (QoS 1) for the collector: signed commands to probes.
 * Must not interpret payloads (ingest does).
 */
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import mqttPacket, { type IPublishPacket, type Packet } from 'mqtt-packet';
import { allProbesFilter, type Logger } from '@simhound/protocol';
import type { IngestResult } from './ingest.js';

export const SUBSCRIBED_KINDS = ['status', 'detection', 'window', 'observation'] as const;

const PROTOCOL_VERSION = 5;
/** MQTT 5 "session never expires". */
const SESSION_NEVER_EXPIRES = 0xffffffff;

export interface MqttIngestClientOptions {
  url: string;
  username?: string;
  password?: string;
  /** Must be stable across restarts for a persistent session, and unique per collector instance. */
  clientId: string;
  /** PEM of the CA that signed the broker's certificate (mqtts:// with a private CA). */
  caFile?: string;
  /** Messages the broker may send before we acknowledge (MQTT 5 Receive Maximum). */
  receiveMaximum: number;
  keepalive_s: number;
  connectTimeout_ms: number;
  /** Largest packet we accept from the broker (MQTT 5 Maximum Packet Size). */
  maxPacketBytes: number;
  handle: (topic: string, payload: Uint8Array, flags: { retain: boolean }) => Promise<IngestResult>;
  log: Logger;
}

export interface MqttIngestClientStats {
  connected: boolean;
  /** The broker URL without credentials. */
  url: string;
  client_id: string;
  reconnects: number;
  connected_since_ts_ms: number | null;
  /** Received and not yet acknowledged. */
  in_flight: number;
  received_total: number;
  acknowledged_total: number;
}

interface InFlight {
  messageId: number;
  /** null while ingest works on it; true = acknowledge; false = never (the connection is closed instead). */
  ack: boolean | null;
}

/** The URL as safe to show (no user:password@). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<unparseable url>';
  }
}

export class MqttIngestClient {
  private socket: Socket | null = null;
  private generation = 0;
  private inFlight: InFlight[] = [];
  private closing = false;
  private subscribed = false;
  private connectedSince: number | null = null;
  private reconnects = 0;
  private received = 0;
  private acknowledged = 0;
  private reconnectDelay_ms = 500;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pongDue = false;
  private nextPacketId = 1;
  private readonly publishWaiters = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private readonly ca: Buffer | undefined;
  private firstSubscription: { resolve(): void; reject(e: Error): void } | null = null;

  constructor(private readonly options: MqttIngestClientOptions) {
    this.ca = options.caFile === undefined ? undefined : readFileSync(options.caFile);
  }

  /** Connect and subscribe; resolves once subscribed (or the session already was), rejects after connectTimeout_ms. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.firstSubscription = null;
        reject(new Error(`no subscription on ${redactUrl(this.options.url)} within ${this.options.connectTimeout_ms} ms${this.lastError ? ` (${this.lastError})` : ''}`));
      }, this.options.connectTimeout_ms);
      this.firstSubscription = {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.connect();
    });
  }

  private lastError: string | null = null;

  private connect(): void {
    const url = new URL(this.options.url);
    const port = Number(url.port) || (url.protocol === 'mqtts:' ? 8883 : 1883);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const generation = ++this.generation;
    const socket = url.protocol === 'mqtts:'
      ? tlsConnect({ host, port, ca: this.ca, servername: /^[\d.:]+$/.test(host) ? undefined : host, minVersion: 'TLSv1.2' })
      : netConnect({ host, port });
    socket.setNoDelay(true);
    this.socket = socket;
    const parser = mqttPacket.parser({ protocolVersion: PROTOCOL_VERSION });
    parser.on('packet', (packet: Packet) => this.onPacket(packet, generation));
    parser.on('error', (e: Error) => {
      this.options.log.warn('bad packet from broker; reconnecting', { error: e.message });
      socket.destroy();
    });
    socket.on(url.protocol === 'mqtts:' ? 'secureConnect' : 'connect', () => {
      this.send({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: PROTOCOL_VERSION,
        clean: false,
        clientId: this.options.clientId,
        keepalive: this.options.keepalive_s,
        username: this.options.username,
        password: this.options.password === undefined ? undefined : Buffer.from(this.options.password),
        properties: {
          sessionExpiryInterval: SESSION_NEVER_EXPIRES,
          receiveMaximum: this.options.receiveMaximum,
          maximumPacketSize: this.options.maxPacketBytes,
        },
      });
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', (e) => {
      this.lastError = e.message;
      if (this.connectedSince !== null) this.options.log.warn('mqtt connection error', { error: e.message });
    });
    socket.on('close', () => this.onClose(generation));
  }

  private send(packet: Packet): void {
    const socket = this.socket;
    if (socket === null || socket.destroyed) return;
    socket.write(mqttPacket.generate(packet, { protocolVersion: PROTOCOL_VERSION }));
  }

  private onPacket(packet: Packet, generation: number): void {
    if (generation !== this.generation) return;
    switch (packet.cmd) {
      case 'connack': {
        const code = packet.reasonCode ?? packet.returnCode ?? 0;
        if (code !== 0) {
          this.lastError = `broker refused the connection (reason code ${code})`;
          this.options.log.error('broker refused the connection', { url: redactUrl(this.options.url), reason_code: code });
          this.socket?.destroy();
          return;
        }
        this.connectedSince = Date.now();
        this.reconnectDelay_ms = 500;
        this.startPing();
        this.options.log.info('connected to broker', { url: redactUrl(this.options.url), session_present: packet.sessionPresent });
        if (packet.sessionPresent) {
          this.onSubscribed();
        } else {
          const subscriptions = SUBSCRIBED_KINDS.map((k) => ({ topic: allProbesFilter(k), qos: 1 as const, rh: 0 }));
          this.send({ cmd: 'subscribe', messageId: this.packetId(), subscriptions });
        }
        return;
      }
      case 'suback': {
        const refused = (packet.granted as number[]).filter((g) => g >= 0x80);
        if (refused.length > 0) {
          const e = new Error(`broker refused the subscriptions (reason codes ${refused.join(', ')}): check the collector's ACL`);
          this.options.log.error(e.message);
          this.firstSubscription?.reject(e);
          this.firstSubscription = null;
          return;
        }
        this.onSubscribed();
        return;
      }
      case 'publish':
        this.onPublish(packet, generation);
        return;
      case 'puback': {
        const waiter = this.publishWaiters.get(packet.messageId!);
        this.publishWaiters.delete(packet.messageId!);
        const code = packet.reasonCode ?? 0;
        if (code >= 0x80) waiter?.reject(new Error(`broker refused the publish (reason code ${code})`));
        else waiter?.resolve();
        return;
      }
      case 'pingresp':
        this.pongDue = false;
        return;
      case 'disconnect':
        this.options.log.warn('broker closed the session', { reason_code: packet.reasonCode });
        this.socket?.destroy();
        return;
      default:
        return;
    }
  }

  private onSubscribed(): void {
    this.subscribed = true;
    this.firstSubscription?.resolve();
    this.firstSubscription = null;
  }

  private onPublish(packet: IPublishPacket, generation: number): void {
    this.received += 1;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const entry: InFlight | null = packet.qos > 0 ? { messageId: packet.messageId!, ack: null } : null;
    if (entry) this.inFlight.push(entry);
    // Not every broker holds to our Receive Maximum (mosquitto 2.0 sends more): stop reading until
    // acknowledgements catch up, so memory stays bounded and TCP pushes back into the broker's queue.
    if (this.inFlight.length >= this.options.receiveMaximum && this.socket !== null && !this.socket.isPaused()) this.socket.pause();
    this.options.handle(packet.topic, payload, { retain: packet.retain }).then(
      (result) => {
        if (generation !== this.generation || entry === null) return;
        entry.ack = result.outcome !== 'store_failed';
        this.flushAcks();
      },
      (e: unknown) => {
        this.options.log.error('ingest failed; message not acknowledged', { topic: packet.topic, error: (e as Error).message });
        if (entry !== null && generation === this.generation) {
          entry.ack = false;
          this.flushAcks();
        }
      },
    );
  }

  /** PUBACKs in arrival order, as far as the head of the line is committed. */
  private flushAcks(): void {
    const socket = this.socket;
    if (socket === null) return;
    socket.cork();
    while (this.inFlight.length > 0 && this.inFlight[0]!.ack !== null) {
      const head = this.inFlight.shift()!;
      if (head.ack === false) {
        // Not committed: acknowledging later messages first is not allowed, so drop the connection; the
        // broker sends everything unacknowledged again.
        this.inFlight = [];
        socket.destroy();
        break;
      }
      this.send({ cmd: 'puback', messageId: head.messageId, reasonCode: 0 });
      this.acknowledged += 1;
    }
    socket.uncork();
    if (socket.isPaused() && this.inFlight.length < this.options.receiveMaximum / 2) socket.resume();
  }

  private packetId(): number {
    const id = this.nextPacketId;
    this.nextPacketId = id >= 0xffff ? 1 : id + 1;
    return id;
  }

  private startPing(): void {
    this.stopPing();
    this.pongDue = false;
    this.pingTimer = setInterval(() => {
      // While reading is paused (acknowledgements behind, e.g. a full disk) a PINGRESP cannot arrive: keep
      // pinging so the broker keeps the connection, without judging it by the answer.
      if (this.pongDue && this.socket?.isPaused() !== true) {
        this.options.log.warn('broker did not answer a ping; reconnecting');
        this.socket?.destroy();
        return;
      }
      this.pongDue = true;
      this.send({ cmd: 'pingreq' });
    }, Math.max(1, this.options.keepalive_s) * 1000 * 0.75);
    this.pingTimer.unref();
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private onClose(generation: number): void {
    if (generation !== this.generation) return;
    this.generation += 1; // late ingest results of this connection must not be acknowledged on the next one
    this.stopPing();
    this.inFlight = [];
    this.subscribed = false;
    for (const w of this.publishWaiters.values()) w.reject(new Error('connection to the broker closed'));
    this.publishWaiters.clear();
    if (this.connectedSince !== null && !this.closing) this.options.log.warn('broker connection lost; reconnecting', { url: redactUrl(this.options.url) });
    this.connectedSince = null;
    this.socket = null;
    if (this.closing) return;
    this.reconnects += 1;
    const delay = this.reconnectDelay_ms * (0.75 + Math.random() / 2);
    this.reconnectDelay_ms = Math.min(this.reconnectDelay_ms * 2, 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  /** Publish QoS 1; resolves on the broker's PUBACK. */
  publish(topic: string, payload: Buffer): Promise<void> {
    if (!this.isConnected()) return Promise.reject(new Error('not connected to the broker'));
    const messageId = this.packetId();
    return new Promise<void>((resolve, reject) => {
      this.publishWaiters.set(messageId, { resolve, reject });
      this.send({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false, messageId });
    });
  }

  /** Stop reconnecting (the collector is shutting down); the current connection stays until close(). */
  stopReconnecting(): void {
    this.closing = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  isConnected(): boolean {
    return this.connectedSince !== null && this.subscribed;
  }

  stats(): MqttIngestClientStats {
    return {
      connected: this.isConnected(),
      url: redactUrl(this.options.url),
      client_id: this.options.clientId,
      reconnects: this.reconnects,
      connected_since_ts_ms: this.connectedSince,
      in_flight: this.inFlight.length,
      received_total: this.received,
      acknowledged_total: this.acknowledged,
    };
  }

  /**
   * Disconnect. Call after ingest has closed, so every message it committed is acknowledged first;
   * the session stays on the broker (what is not acknowledged is sent again on the next connect).
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.stopPing();
    this.firstSubscription?.reject(new Error('closed'));
    this.firstSubscription = null;
    const socket = this.socket;
    if (socket === null) return;
    this.send({ cmd: 'disconnect', reasonCode: 0 });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }
}
