/**
 * The embedded MQTT broker (aedes) for a single-machine deployment and the demo: a TCP or TLS listener
 * with per-device authentication (each probe its own username/password) and the topic ACL of
 * broker-acl.ts. Past one machine use mosquitto with the same rules (docs/mosquitto.md).
 * aedes speaks MQTT 3.1.1 only (no v5, no shared subscriptions).
 *
 * Durability: aedes acknowledges a QoS 1 PUBLISH right after its `authorizePublish` hook, and its
 * persistence is in memory. So the collector ingests inside that hook: `onProbePublish` resolves only
 * once the message (or its dead letter) is committed, and only then is the PUBACK sent. A message the
 * store cannot take yet is not acknowledged; one the collector gives up on (shutdown) closes the
 * probe's connection without a PUBACK, so the probe sends it again.
 *
 * Hardening: packet sizes are capped before the parser buffers them (mqtt-frame-guard.ts), new
 * connections are rate-limited per address and in total, and an unauthenticated connection has
 * `connect_timeout_ms` to send its CONNECT.
 *
 * Probe passwords are stored as SHA-256 hashes in config; they must be long random tokens (as
 * `simhound keys` makes), not human passwords, because an unsalted fast hash is only safe for those.
 * This module must not read config files and must not look at payloads.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from '@simhound/protocol';
import { mayPublish, maySubscribe, probeUsername, type BrokerIdentity } from './broker-acl.js';
import { GuardedConnection, type FrameLimits } from './mqtt-frame-guard.js';

export type ProbePublishVerdict = 'acknowledge' | 'withhold';

export interface BrokerLimits extends FrameLimits {
  connect_timeout_ms: number;
  max_connections: number;
  /** New connections per remote address per minute. */
  connections_per_minute_per_address: number;
}

export const DEFAULT_BROKER_LIMITS: BrokerLimits = {
  max_connect_bytes: 64 * 1024,
  max_packet_bytes: 512 * 1024,
  max_preauth_bytes: 128 * 1024,
  connect_timeout_ms: 10_000,
  max_connections: 1000,
  connections_per_minute_per_address: 60,
};

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM texts; when given the listener speaks MQTT over TLS only. */
  tls?: { cert: Buffer; key: Buffer };
  probes: ReadonlyArray<{ site: string; probe: string; mqtt_password_sha256?: string }>;
  /** Called for every PUBLISH a probe may make (its own topics); resolve when the outcome is durable. */
  onProbePublish: (topic: string, payload: Buffer, flags: { retain: boolean }) => Promise<ProbePublishVerdict>;
  limits?: Partial<BrokerLimits>;
  log: Logger;
}

export interface EmbeddedBrokerStats {
  connected_clients: number;
  auth_failures: number;
  acl_denials: number;
  /** Connections cut because a packet (or the bytes before authentication) exceeded a limit. */
  oversize_disconnects: number;
  /** Connections refused by the rate or connection-count limits. */
  connections_refused: number;
  /** PUBLISHes not acknowledged because they could not be committed (the probe sends them again). */
  withheld_acks: number;
}

export interface EmbeddedBroker {
  host: string;
  port: number;
  url: string;
  stats(): EmbeddedBrokerStats;
  /** Publish (QoS 1) from the collector itself, e.g. a signed command to a probe. */
  publish(topic: string, payload: Buffer): Promise<void>;
  close(): Promise<void>;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

function sameSecret(given: Buffer, expectedSha256: Buffer): boolean {
  return timingSafeEqual(sha256(given), expectedSha256);
}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Fixed one-minute windows per remote address. */
class ConnectionRateLimiter {
  private windowStart = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  allow(address: string, now_ms: number): boolean {
    if (now_ms - this.windowStart >= 60_000) {
      this.windowStart = now_ms;
      this.counts.clear();
    }
    const n = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, n);
    return n <= this.perMinute;
  }
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = options.log;
  const limits: BrokerLimits = { ...DEFAULT_BROKER_LIMITS, ...options.limits };
  const identities = new WeakMap<Client, BrokerIdentity>();
  const probeHashes = new Map<string, { site: string; probe: string; hash: Buffer }>();
  for (const p of options.probes) {
    if (p.mqtt_password_sha256 !== undefined) {
      probeHashes.set(probeUsername(p.site, p.probe), { site: p.site, probe: p.probe, hash: Buffer.from(p.mqtt_password_sha256, 'hex') });
    }
  }
  const stats = { auth_failures: 0, acl_denials: 0, oversize_disconnects: 0, connections_refused: 0, withheld_acks: 0 };

  const broker = await Aedes.createBroker({
    connectTimeout: limits.connect_timeout_ms,
    authenticate(client, username, password, done) {
      const given = password ?? Buffer.alloc(0);
      const entry = username === undefined ? undefined : probeHashes.get(username);
      if (entry === undefined || !sameSecret(given, entry.hash)) {
        stats.auth_failures += 1;
        log.warn('mqtt authentication failed', { username: username ?? null, client_id: client.id });
        done(authError('bad username or password', 4), false);
        return;
      }
      identities.set(client, { role: 'probe', site: entry.site, probe: entry.probe, username: username! });
      if (client.conn instanceof GuardedConnection) client.conn.authenticated = true;
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      if (client === null) {
        callback(null); // the broker's own publishes ($SYS heartbeats, the collector's commands)
        return;
      }
      const identity = identities.get(client);
      if (identity === undefined || !mayPublish(identity, packet.topic) || identity.role !== 'probe') {
        stats.acl_denials += 1;
        log.warn('mqtt publish denied', { username: identity?.username ?? null, topic: packet.topic });
        callback(new Error('publish not allowed'));
        return;
      }
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const retain = packet.retain;
      // The collector holds the record; nothing is retained or queued inside aedes (it would be memory only).
      packet.retain = false;
      options.onProbePublish(packet.topic, payload, { retain }).then(
        (verdict) => {
          if (verdict === 'acknowledge') {
            callback(null);
            return;
          }
          stats.withheld_acks += 1;
          callback(new Error('not stored; send again'));
        },
        (e: unknown) => {
          stats.withheld_acks += 1;
          log.error('ingest failed; PUBACK withheld', { topic: packet.topic, error: (e as Error).message });
          callback(new Error('not stored; send again'));
        },
      );
    },
    authorizeSubscribe(client, subscription, callback) {
      const identity = identities.get(client);
      if (identity === undefined || !maySubscribe(identity, subscription.topic)) {
        stats.acl_denials += 1;
        log.warn('mqtt subscribe denied', { username: identity?.username ?? null, filter: subscription.topic });
        callback(new Error('subscribe not allowed'));
        return;
      }
      callback(null, subscription);
    },
  });

  const sockets = new Set<Socket>();
  const rate = new ConnectionRateLimiter(limits.connections_per_minute_per_address);
  const onConnection = (socket: Socket | TLSSocket) => {
    const address = socket.remoteAddress ?? 'unknown';
    if (sockets.size >= limits.max_connections || !rate.allow(address, Date.now())) {
      stats.connections_refused += 1;
      if (stats.connections_refused === 1 || stats.connections_refused % 100 === 0) {
        log.warn('mqtt connection refused by rate/count limit', { address, open: sockets.size, refused_total: stats.connections_refused });
      }
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // the guarded connection reports and closes
    const conn = new GuardedConnection(socket, limits, (reason, detail) => {
      stats.oversize_disconnects += 1;
      log.warn('mqtt connection cut: packet over the size limit', { address, reason, detail });
    });
    broker.handle(conn);
  };
  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, onConnection)
    : createServer(onConnection);
  // A TLS handshake that fails (wrong CA, plain MQTT on the TLS port) is the client's problem; count nothing, keep serving.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${options.tls ? 'mqtts' : 'mqtt'}://${hostForUrl}:${port}`;
  log.info('embedded MQTT broker listening', { url, tls: options.tls !== undefined });

  return {
    host: options.host,
    port,
    url,
    stats: () => ({ connected_clients: broker.connectedClients, ...stats }),
    publish: (topic, payload) => new Promise<void>((resolve, reject) => {
      broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, (e) => (e ? reject(e) : resolve()));
    }),
    async close() {
      // server.close() waits for open connections: stop listening first, close them, then wait.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await stopped;
    },
  };
}
