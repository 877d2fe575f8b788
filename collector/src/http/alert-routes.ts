/**
 * The alert API (registered into the HTTP server: same token auth, audit log and error handling).
 * Readers are investigators, case officers and admins; only case officers and admins act on alerts.
 *
 *   GET  /api/alerts                  readers; ?state=open|closed|<state>&since_ts_ms&limit — newest change first
 *   GET  /api/alerts/stream           readers; Server-Sent Events: `alert` (every change, the alert),
 *                                     `notification` (to this user, the web channel), `reload`; Last-Event-ID resumes
 *   GET  /api/alerts/outcomes         readers; closed cycles as labels (what `simhound eval --outcomes` reads)
 *   GET  /api/alerts/policy           readers; the tiering policy in force (version, YAML, parsed)
 *   PUT  /api/alerts/policy           admin; {yaml, comment?} → a new version (400 with every problem)
 *   GET  /api/alerts/policy/history   readers; every version: who, when, source, SHA-256, YAML
 *   GET  /api/alerts/:id              readers; the alert, its lifecycle history, its deliveries
 *   POST /api/alerts/:id/ack          case_officer, admin
 *   POST /api/alerts/:id/dispatch     case_officer, admin; {note?}
 *   POST /api/alerts/:id/outcome      case_officer, admin; {outcome: raided|nothing_found|moved, note?} — closes the den
 *                                     with the same outcome (a duplicate is merged on the den page; its alert follows)
 *   GET  /api/alerts/:id/case.json    readers; the case file (case-file.ts); .html and .pdf the same rendered
 *
 * The stream is a long response: it is written to the audit log when it opens (the server's onSend
 * hook does not see hijacked responses).
 * Must not contain alert logic (AlertService does).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@simhound/protocol';
import type { UserRole } from '../config.js';
import type { Store } from '../store/store.js';
import { ALERT_OUTCOMES, ALERT_STATES } from '../alerts/alert-types.js';
import type { AlertService } from '../alerts/alert-service.js';
import { buildCaseFile, renderCaseHtml, type CaseFile } from '../alerts/case-file.js';
import { CasePdfRenderer } from '../alerts/case-pdf.js';
import { sseFrame } from '../alerts/sse-hub.js';
import type { RouteContext } from './route-context.js';
import { SECURITY_HEADERS } from './server.js';

export const ALERT_READERS: readonly UserRole[] = ['investigator', 'case_officer', 'admin'];
export const ALERT_ACTORS: readonly UserRole[] = ['case_officer', 'admin'];

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' }) });
const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), ...ALERT_STATES.map((s) => Type.Literal(s))])),
    since_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
const OutcomeBody = Type.Object(
  { outcome: Type.Union(ALERT_OUTCOMES.map((o) => Type.Literal(o))), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
const PolicyBody = Type.Object({ yaml: Type.String({ minLength: 1, maxLength: 32_768 }), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

const STATUS_OF_REJECTION: Record<string, number> = { not_found: 404, bad_transition: 409, not_acknowledged: 409, closed: 409, den_refused: 409 };

export interface AlertRouteOptions {
  chromiumPath: string;
  log: Logger;
  heartbeat_ms?: number;
}

export function alertRoutes(service: AlertService, store: Store, options: AlertRouteOptions) {
  const pdf = new CasePdfRenderer(options.chromiumPath);
  return async (app: FastifyInstance, ctx: RouteContext): Promise<void> => {
    const readers = ctx.allow(ALERT_READERS);
    const actors = ctx.allow(ALERT_ACTORS);

    app.get('/api/alerts', { schema: { querystring: ListQuery }, preHandler: readers }, async (req) => {
      const user = req.apiUser!;
      return { now_ts_ms: ctx.clock(), you: { name: user.name, role: user.role, may_act: ALERT_ACTORS.includes(user.role) }, alerts: await service.list(req.query as Static<typeof ListQuery>) };
    });

    app.get('/api/alerts/stream', { preHandler: readers }, async (req, reply) => {
      const user = req.apiUser!;
      try {
        await store.addAudit({ ts_ms: ctx.clock(), user: user.name, role: user.role, method: req.method, path: req.auditPath ?? '/api/alerts/stream', status: 200, remote_addr: req.ip ?? null });
      } catch (e) {
        options.log.error('audit write failed; refusing the stream', { error: (e as Error).message });
        return reply.code(503).send({ error: 'audit_unavailable' });
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write('retry: 3000\n\n');
      const header = req.headers['last-event-id'];
      const lastId = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
      const session = { user: user.name, write: (chunk: string) => void raw.write(chunk) };
      const { complete } = service.hub.open(session, lastId);
      if (!complete) raw.write(sseFrame(null, 'reload', '{}'));
      const heartbeat = setInterval(() => raw.write(': ping\n\n'), options.heartbeat_ms ?? 15_000);
      heartbeat.unref();
      req.raw.on('close', () => {
        clearInterval(heartbeat);
        service.hub.close(session);
      });
    });

    app.get('/api/alerts/outcomes', { preHandler: readers }, async () => ({ now_ts_ms: ctx.clock(), labels: await store.alerts.listOutcomeLabels() }));

    app.get('/api/alerts/policy', { preHandler: readers }, async () => {
      const p = service.policy;
      return { now_ts_ms: ctx.clock(), version: p.version, source: p.source, yaml: p.yaml, policy: p.policy };
    });

    app.put('/api/alerts/policy', { schema: { body: PolicyBody }, preHandler: ctx.allow(['admin']) }, async (req, reply) => {
      const b = req.body as Static<typeof PolicyBody>;
      const r = await service.setPolicy(b.yaml, req.apiUser!.name, b.comment ?? null);
      if (!r.ok) return reply.code(400).send({ error: r.reason, detail: r.detail, problems: r.problems ?? [] });
      return { version: r.value.version, source: r.value.source, policy: r.value.policy };
    });

    app.get('/api/alerts/policy/history', { preHandler: readers }, async () => ({ now_ts_ms: ctx.clock(), versions: await store.alerts.listPolicyVersions(500) }));

    app.get('/api/alerts/:id', { schema: { params: IdParams }, preHandler: readers }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const alert = await service.get(id);
      if (alert === null) return reply.code(404).send({ error: 'not_found' });
      const deliveries = (await store.alerts.listDeliveries(id)).map(({ payload: _p, ...d }) => d);
      return { now_ts_ms: ctx.clock(), alert, history: await store.alerts.listEvents(id), deliveries };
    });

    const answer = async (reply: import('fastify').FastifyReply, r: Awaited<ReturnType<AlertService['acknowledge']>>) =>
      r.ok ? reply.send({ alert: r.value }) : reply.code(STATUS_OF_REJECTION[r.reason] ?? 400).send({ error: r.reason, detail: r.detail });

    app.post('/api/alerts/:id/ack', { schema: { params: IdParams }, preHandler: actors }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      return answer(reply, await service.acknowledge(id, req.apiUser!.name));
    });
    app.post('/api/alerts/:id/dispatch', { schema: { params: IdParams, body: Type.Optional(NoteBody) }, preHandler: actors }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      return answer(reply, await service.dispatch(id, req.apiUser!.name, (req.body as Static<typeof NoteBody> | undefined)?.note ?? null));
    });
    app.post('/api/alerts/:id/outcome', { schema: { params: IdParams, body: OutcomeBody }, preHandler: actors }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const b = req.body as Static<typeof OutcomeBody>;
      return answer(reply, await service.recordOutcome(id, b.outcome, req.apiUser!.name, b.note ?? null));
    });

    const caseFile = async (id: string, user: string): Promise<CaseFile | null> => {
      const alert = await service.get(id);
      if (alert === null) return null;
      const probes = (await store.listProbes()).map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key, position: p.status?.position ? { lat_deg: p.status.position.lat_deg, lon_deg: p.status.position.lon_deg } : null }));
      return buildCaseFile({
        alert,
        history: await store.alerts.listEvents(id),
        deliveries: await store.alerts.listDeliveries(id),
        den: await service.source.get(alert.den_id),
        timeline: await service.source.evidence(alert.den_id, 5000),
        probes,
        policy: service.policy,
        envelopeJson: (t, rid) => service.source.envelopeJson(t, rid),
        generated_by: user,
        now_ms: ctx.clock(),
      });
    };
    const filename = (id: string, ext: string) => `attachment; filename="simhound-case-${id}.${ext}"`;

    app.get('/api/alerts/:id/case.json', { schema: { params: IdParams }, preHandler: readers }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const file = await caseFile(id, req.apiUser!.name);
      if (file === null) return reply.code(404).send({ error: 'not_found' });
      reply.header('content-disposition', filename(id, 'json'));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(file, null, 1));
    });
    app.get('/api/alerts/:id/case.html', { schema: { params: IdParams }, preHandler: readers }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const file = await caseFile(id, req.apiUser!.name);
      if (file === null) return reply.code(404).send({ error: 'not_found' });
      reply.header('content-disposition', filename(id, 'html'));
      return reply.type('text/html; charset=utf-8').send(renderCaseHtml(file));
    });
    app.get('/api/alerts/:id/case.pdf', { schema: { params: IdParams }, preHandler: readers }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const file = await caseFile(id, req.apiUser!.name);
      if (file === null) return reply.code(404).send({ error: 'not_found' });
      const rendered = await pdf.render(renderCaseHtml(file));
      if (!rendered.ok) {
        options.log.warn('case file PDF failed', { reason: rendered.reason, detail: rendered.detail });
        return reply.code(rendered.reason === 'no_chromium' ? 501 : 500).send({ error: rendered.reason, detail: rendered.detail });
      }
      reply.header('content-disposition', filename(id, 'pdf'));
      return reply.type('application/pdf').send(rendered.value);
    });
  };
}
