/**
 * The embedded MQTT broker (aedes) for a single-machine deployment and the demo: a TCP listener with
 * per-device authentication (each probe its own username/password, the collector its own) and the
 * topic ACL of broker-acl.ts. Past one machine use mosquitto/EMQX with the same rules (DESIGN.md "Scale").
 * aedes speaks MQTT 3.1.1 only (no v5, no shared subscriptions).
 *
 * Probe passwords are stored as SHA-256 hashes in config; they must be long random tokens (as
 * `simhound keys` makes), not human passwords, because an unsalted fast hash is only safe for those.
 * This module must not read config files and must not look at payloads.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from '@simhound/protocol';
import { mayPublish, maySubscribe, probeUsername, type BrokerIdentity } from './broker-acl.js';

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  collector: { username: string; password: string; clientId: string };
  probes: ReadonlyArray<{ site: string; probe: string; mqtt_password_sha256?: string }>;
  log: Logger;
}

export interface EmbeddedBroker {
  host: string;
  port: number;
  url: string;
  stats(): { connected_clients: number; auth_failures: number; acl_denials: number };
  close(): Promise<void>;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

function sameSecret(given: Buffer, expectedSha256: Buffer): boolean {
  return timingSafeEqual(sha256(given), expectedSha256);
}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = options.log;
  const identities = new WeakMap<Client, BrokerIdentity>();
  const collectorHash = sha256(options.collector.password);
  const probeHashes = new Map<string, { site: string; probe: string; hash: Buffer }>();
  for (const p of options.probes) {
    if (p.mqtt_password_sha256 !== undefined) {
      probeHashes.set(probeUsername(p.site, p.probe), { site: p.site, probe: p.probe, hash: Buffer.from(p.mqtt_password_sha256, 'hex') });
    }
  }
  let authFailures = 0;
  let aclDenials = 0;

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const given = password ?? Buffer.alloc(0);
      let identity: BrokerIdentity | null = null;
      if (username === options.collector.username) {
        if (sameSecret(given, collectorHash)) identity = { role: 'collector', username };
      } else if (username !== undefined) {
        const entry = probeHashes.get(username);
        if (entry && sameSecret(given, entry.hash)) identity = { role: 'probe', site: entry.site, probe: entry.probe, username };
      }
      if (identity === null) {
        authFailures += 1;
        log.warn('mqtt authentication failed', { username: username ?? null, client_id: client.id });
        done(authError('bad username or password', 4), false);
        return;
      }
      if (identity.role === 'probe' && client.id === options.collector.clientId) {
        // A second connection with the same clientId takes over the session: a probe must never be able
        // to kick the collector off (or read its queued messages).
        authFailures += 1;
        log.warn('probe tried to use the collector clientId', { username });
        done(authError('clientId reserved', 5), false);
        return;
      }
      identities.set(client, identity);
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      const identity = client ? identities.get(client) : undefined;
      if (client === null) {
        callback(null); // the broker's own publishes ($SYS heartbeats)
        return;
      }
      if (identity === undefined || !mayPublish(identity, packet.topic)) {
        aclDenials += 1;
        log.warn('mqtt publish denied', { username: identity?.username ?? null, topic: packet.topic });
        callback(new Error('publish not allowed'));
        return;
      }
      if (identity.role === 'probe' && packet.retain && !packet.topic.endsWith('/status')) {
        // Only status is retained by contract; a retained detection would be re-delivered on every
        // collector resubscribe and pile up duplicate_id dead letters.
        packet.retain = false;
      }
      callback(null);
    },
    authorizeSubscribe(client, subscription, callback) {
      const identity = identities.get(client);
      if (identity === undefined || !maySubscribe(identity, subscription.topic)) {
        aclDenials += 1;
        log.warn('mqtt subscribe denied', { username: identity?.username ?? null, filter: subscription.topic });
        callback(new Error('subscribe not allowed'));
        return;
      }
      callback(null, subscription);
    },
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  log.info('embedded MQTT broker listening', { host: options.host, port });

  return {
    host: options.host,
    port,
    url: `mqtt://${options.host}:${port}`,
    stats: () => ({ connected_clients: broker.connectedClients, auth_failures: authFailures, acl_denials: aclDenials }),
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
