/**
 * The collector's HTTP server (fastify): health, the JSON API for the web UI, and the static web page.
 *
 *   GET /healthz            open; status, uptime, MQTT connected, store writable, ingest counters (no URLs, no secrets)
 *   GET /api/detections     all roles; ?since_ts_ms&site&probe&limit, newest first
 *   GET /api/probes         all roles; registry + current status + last_seen_ts_ms + health + seq gaps
 *   POST /api/probes/:site/:probe/commands  admin, field; {"command": "ping"|"republish_status"} → a signed cmd
 *   GET /api/cells          all roles; cells probes reported, with cell-DB positions where known
 *   GET /api/stats          all roles; ingest, store, Influx, MQTT and broker counters
 *   GET /api/dead-letters   admin; rejected messages with reason and a payload preview
 *   GET /api/audit          admin; the audit log
 *   /                       the dashboards web page; /vendor/leaflet/ Leaflet's dist files; vendorDirs
 *
 * Every /api request, allowed or not, is written to the audit log before its response is sent, under
 * its normalised path (percent-decoding and repeated slashes do not get around it: `/%61pi/x` is
 * `/api/x`). If the audit entry cannot be written, the response is replaced by 503: nothing is served
 * unaudited.
 * Must not contain ingest or storage logic; it only reads through the Store and the stats callbacks.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { COMMAND_NAMES, isValidSegment, type CommandName, type Logger } from '@simhound/protocol';
import type { CommandSender } from '../commands/command-sender.js';
import type { Store } from '../store/store.js';
import type { UserRole } from '../config.js';
import { ADMIN_ONLY, ALL_ROLES, type ApiUser, type TokenAuthenticator } from './auth.js';
import { probeHealth } from './probe-health.js';
import type { IngestStats } from '../ingest/ingest.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  uptime_s: number;
  mqtt: { connected: boolean };
  /** false while the store refuses writes (disk full): ingest holds messages and acknowledges nothing. */
  store: { writable: boolean };
  /** The ingest counters (without the last-accepted time, which /api/stats carries). */
  ingest: Omit<IngestStats, 'last_accepted_ts_ms'>;
  influx: { configured: boolean; write_errors: number };
}

export interface HttpServerOptions {
  store: Store;
  auth: TokenAuthenticator;
  log: Logger;
  health: () => HealthReport;
  stats: () => Promise<object>;
  /** null when no command signing key is configured (the commands route answers 501). */
  commands?: CommandSender | null;
  webRoot: string;
  leafletDir: string;
  /** More static directories for the page (e.g. the browser build of @simhound/geo), by URL prefix. */
  vendorDirs?: ReadonlyArray<{ root: string; prefix: string }>;
  /** More routes (dens, base map …), registered with the same auth, audit and error handling. */
  routes?: ReadonlyArray<(app: FastifyInstance, ctx: import('./den-routes.js').RouteContext) => Promise<void>>;
  probeSilentAfter_s: number;
  clock?: () => number;
}

const MessageQuerySchema = Type.Object(
  {
    since_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    site: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    probe: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
const DeadLetterQuerySchema = Type.Object(
  {
    since_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
const AuditQuerySchema = Type.Object(
  { since_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
  { additionalProperties: false },
);

const CommandRequestSchema = Type.Object(
  { command: Type.Union(COMMAND_NAMES.map((c) => Type.Literal(c))) },
  { additionalProperties: false },
);

const PAYLOAD_PREVIEW_CHARS = 1024;
const AUDIT_PATH_MAX_CHARS = 512;

declare module 'fastify' {
  interface FastifyRequest {
    apiUser: ApiUser | null;
    auditPath: string | null;
  }
}

/**
 * The path as the router sees it: query dropped, percent-escapes decoded, repeated slashes collapsed.
 * A path that does not decode stays as sent.
 */
export function normalisedPath(url: string): string {
  const raw = url.split('#')[0]!.split('?')[0]!;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // malformed escapes: the router answers 400/404; audit what was sent
  }
  return decoded.replace(/\/+/g, '/');
}

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // The page loads only its own files; Leaflet sets element styles, hence 'unsafe-inline' for styles only.
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { store, auth, log } = options;
  const clock = options.clock ?? Date.now;
  // forceCloseConnections: on shutdown, do not wait for browsers holding keep-alive or half-read responses.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  app.decorateRequest('apiUser', null);
  app.decorateRequest('auditPath', null);

  app.addHook('onRequest', async (req, reply) => {
    const path = normalisedPath(req.url);
    const routed = req.routeOptions.url;
    if (!isApiPath(path) && !(routed !== undefined && isApiPath(routed))) return;
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    req.auditPath = `${path}${query}`.slice(0, AUDIT_PATH_MAX_CHARS);
    const outcome = auth.authenticate(req.headers.authorization);
    if (!outcome.ok) {
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send({ error: 'unauthorized', reason: outcome.reason });
    }
    req.apiUser = outcome.user;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (req.auditPath !== null) {
      reply.header('cache-control', 'no-store');
      try {
        await store.addAudit({
          ts_ms: clock(),
          user: req.apiUser?.name ?? null,
          role: req.apiUser?.role ?? null,
          method: req.method,
          path: req.auditPath,
          status: reply.statusCode,
          remote_addr: req.ip ?? null,
        });
      } catch (e) {
        // Fail closed: what cannot be audited is not served.
        log.error('audit write failed; answering 503', { path: req.auditPath, error: (e as Error).message });
        reply.code(503).header('content-type', 'application/json; charset=utf-8').header('retry-after', '30');
        return JSON.stringify({ error: 'audit_unavailable' });
      }
    }
    return payload;
  });

  app.setErrorHandler((error: { statusCode?: number; message: string; validation?: unknown }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) log.error('http handler failed', { path: req.url, error: error.message });
    return reply.code(status).send({ error: status >= 500 ? 'internal_error' : 'bad_request', detail: status >= 500 ? undefined : error.message });
  });

  const allow = (roles: readonly UserRole[]) => async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    if (req.apiUser === null || !roles.includes(req.apiUser.role)) {
      return reply.code(403).send({ error: 'forbidden', needs_role: roles });
    }
  };

  app.get('/healthz', async (_req, reply) => {
    const health = options.health();
    return reply.code(health.status === 'ok' ? 200 : 503).send(health);
  });

  app.get('/api/detections', { schema: { querystring: MessageQuerySchema }, preHandler: allow(ALL_ROLES) }, async (req) => {
    const q = req.query as Static<typeof MessageQuerySchema>;
    return { now_ts_ms: clock(), detections: await store.listDetections(q) };
  });

  app.get('/api/probes', { preHandler: allow(ALL_ROLES) }, async () => {
    const now = clock();
    const probes = await store.listProbes();
    return {
      now_ts_ms: now,
      probes: probes.map((p) => ({ ...p, health: probeHealth(p, now, options.probeSilentAfter_s) })),
    };
  });

  app.post('/api/probes/:site/:probe/commands', { schema: { body: CommandRequestSchema }, preHandler: allow(['admin', 'field']) }, async (req, reply) => {
    const { site, probe } = req.params as { site: string; probe: string };
    const { command } = req.body as { command: CommandName };
    if (!isValidSegment(site) || !isValidSegment(probe)) return reply.code(400).send({ error: 'bad_request', detail: 'bad site or probe name' });
    if (!options.commands) return reply.code(501).send({ error: 'commands_not_configured', detail: 'set commands.signing_key_file in the collector config' });
    const sent = await options.commands.send(site, probe, command);
    if (!sent.ok) return reply.code(sent.reason === 'unknown_probe' ? 404 : 503).send({ error: sent.reason, detail: sent.detail });
    return reply.code(202).send(sent.value);
  });

  app.get('/api/cells', { preHandler: allow(ALL_ROLES) }, async () => {
    const [cells, counts] = await Promise.all([store.listObservedCells(), store.counts()]);
    return { now_ts_ms: clock(), cell_db_rows: counts.cells, cells };
  });

  app.get('/api/stats', { preHandler: allow(ALL_ROLES) }, async () => ({ now_ts_ms: clock(), ...(await options.stats()), seq: await store.seqReports() }));

  app.get('/api/dead-letters', { schema: { querystring: DeadLetterQuerySchema }, preHandler: allow(ADMIN_ONLY) }, async (req) => {
    const q = req.query as Static<typeof DeadLetterQuerySchema>;
    const rows = await store.listDeadLetters(q);
    return {
      now_ts_ms: clock(),
      dead_letters: rows.map(({ payload, ...rest }) => ({
        ...rest,
        payload_text: payload.toString('utf8').slice(0, PAYLOAD_PREVIEW_CHARS),
        payload_base64: payload.toString('base64'),
      })),
    };
  });

  app.get('/api/audit', { schema: { querystring: AuditQuerySchema }, preHandler: allow(ADMIN_ONLY) }, async (req) => {
    const q = req.query as Static<typeof AuditQuerySchema>;
    return { now_ts_ms: clock(), audit: await store.listAudit(q) };
  });

  for (const register of options.routes ?? []) await register(app, { allow, clock });

  await app.register(fastifyStatic, { root: options.webRoot, prefix: '/', index: ['index.html'] });
  await app.register(fastifyStatic, { root: options.leafletDir, prefix: '/vendor/leaflet/', decorateReply: false });
  for (const v of options.vendorDirs ?? []) await app.register(fastifyStatic, { root: v.root, prefix: v.prefix, decorateReply: false });

  // Unknown /api paths are answered (and audited) as JSON 404s rather than falling through to static files.
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', path: req.url }));
  return app;
}
