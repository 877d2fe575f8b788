/**
 * The den API (registered into the HTTP server, same auth, audit and error handling):
 *
 *   GET  /api/dens                      all roles; ?state&since_ts_ms&at_ts_ms&limit — dens with places
 *   GET  /api/dens/:id                  all roles; the den, its places (with cell positions), merged dens
 *   GET  /api/dens/:id/evidence         all roles; ?until_ts_ms&limit — the timeline, oldest first
 *   GET  /api/dens/:id/verify           all roles; re-verifies every referenced signed envelope
 *   GET  /api/dens/:id/heatmap          all roles; ?west&south&east&north&width&height — posterior raster
 *   GET  /api/dens/:id/guidance         all roles; ?lat_deg&lon_deg — where a unit on foot goes next
 *   GET  /api/dens/:id/export.geojson   all roles; point, ellipse and rings (RFC 7946)
 *   GET  /api/dens/:id/export.kml       all roles; the same as KML 2.2
 *   POST /api/dens/:id/state            investigator, case_officer, admin; {action, outcome?, note?}
 *   POST /api/dens/:id/merge            investigator, admin; {into}
 *   POST /api/dens/:id/split            investigator, admin; {places: [place keys]}
 *
 * Must not contain tracking or location logic (DenService does).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicKeyFromText, verifyEnvelope, type Envelope } from '@simhound/protocol';
import type { UserRole } from '../config.js';
import type { Store } from '../store/store.js';
import { DEN_OUTCOMES, DEN_STATES, type DenPlace } from '../dens/den-types.js';
import { denGeoJson, denKml } from '../dens/den-export.js';
import type { DenService } from '../dens/den-service.js';
import { ALL_ROLES } from './auth.js';

export interface RouteContext {
  allow(roles: readonly UserRole[]): (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  clock: () => number;
}

const EDITORS: readonly UserRole[] = ['investigator', 'case_officer', 'admin'];
const ANALYSTS: readonly UserRole[] = ['investigator', 'admin'];

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union(DEN_STATES.map((s) => Type.Literal(s)))),
    since_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    at_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
const EvidenceQuery = Type.Object(
  { until_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }) },
  { additionalProperties: false },
);
const HeatmapQuery = Type.Object(
  {
    west: Type.Number({ minimum: -180, maximum: 180 }),
    south: Type.Number({ minimum: -90, maximum: 90 }),
    east: Type.Number({ minimum: -180, maximum: 180 }),
    north: Type.Number({ minimum: -90, maximum: 90 }),
    width: Type.Integer({ minimum: 1, maximum: 1024, default: 256 }),
    height: Type.Integer({ minimum: 1, maximum: 1024, default: 256 }),
  },
  { additionalProperties: false },
);
const GuidanceQuery = Type.Object(
  { lat_deg: Type.Number({ minimum: -90, maximum: 90 }), lon_deg: Type.Number({ minimum: -180, maximum: 180 }) },
  { additionalProperties: false },
);
const StateBody = Type.Object(
  {
    action: Type.Union([Type.Literal('confirm'), Type.Literal('dispatch'), Type.Literal('close'), Type.Literal('reopen')]),
    outcome: Type.Optional(Type.Union(DEN_OUTCOMES.filter((o) => o !== 'duplicate').map((o) => Type.Literal(o)))),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const MergeBody = Type.Object({ into: Type.String({ pattern: '^[0-9a-f-]{36}$' }) }, { additionalProperties: false });
const SplitBody = Type.Object({ places: Type.Array(Type.String({ maxLength: 80 }), { minItems: 1, maxItems: 100 }) }, { additionalProperties: false });

const STATUS_OF_REASON: Record<string, number> = { not_found: 404, bad_transition: 409, needs_outcome: 400, same_den: 400, no_such_places: 400, all_places: 400 };

export function denRoutes(store: Store, dens: DenService) {
  return async (app: FastifyInstance, ctx: RouteContext): Promise<void> => {
    const placesWithCells = async (id: string) => {
      const places = await store.dens.listPlaces(id);
      return Promise.all(places.map(async (p: DenPlace) => {
        const c = p.cell ? await store.findCell(p.cell) : null;
        return { ...p, cell_position: c ? { lat_deg: c.lat_deg, lon_deg: c.lon_deg } : null };
      }));
    };

    app.get('/api/dens', { schema: { querystring: ListQuery }, preHandler: ctx.allow(ALL_ROLES) }, async (req) => {
      const q = req.query as Static<typeof ListQuery>;
      const list = await store.dens.listDens(q);
      return { now_ts_ms: ctx.clock(), dens: await Promise.all(list.map(async (d) => ({ ...d, places: await placesWithCells(d.id) }))) };
    });

    app.get('/api/dens/:id', { schema: { params: IdParams }, preHandler: ctx.allow(ALL_ROLES) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const den = await store.dens.getDen(id);
      if (den === null) return reply.code(404).send({ error: 'not_found' });
      const merged = (await store.dens.listDens({ include_merged: true, limit: 500 })).filter((d) => d.merged_into === id).map((d) => d.id);
      return { now_ts_ms: ctx.clock(), den, places: await placesWithCells(id), merged_from: merged };
    });

    app.get('/api/dens/:id/evidence', { schema: { params: IdParams, querystring: EvidenceQuery }, preHandler: ctx.allow(ALL_ROLES) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      if ((await store.dens.getDen(id)) === null) return reply.code(404).send({ error: 'not_found' });
      return { now_ts_ms: ctx.clock(), evidence: await store.dens.listEvidence(id, req.query as Static<typeof EvidenceQuery>) };
    });

    app.get('/api/dens/:id/verify', { schema: { params: IdParams }, preHandler: ctx.allow(ALL_ROLES) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      if ((await store.dens.getDen(id)) === null) return reply.code(404).send({ error: 'not_found' });
      const keys = new Map((await store.listProbes()).map((p) => [`${p.site}/${p.probe}`, p.public_key]));
      const evidence = await store.dens.listEvidence(id, { limit: 100_000 });
      const invalid: Array<{ evidence_id: number; ref_id: string; reason: string }> = [];
      let checked = 0;
      for (const e of evidence) {
        if (e.ref_table === null || e.ref_id === null) continue;
        checked++;
        const text = await store.dens.getEnvelopeJson(e.ref_table, e.ref_id);
        if (text === null) {
          invalid.push({ evidence_id: e.id, ref_id: e.ref_id, reason: 'envelope_missing' });
          continue;
        }
        const env = JSON.parse(text) as Envelope;
        const key = keys.get(`${env.site}/${env.probe}`);
        if (env.id !== e.ref_id) invalid.push({ evidence_id: e.id, ref_id: e.ref_id, reason: 'id_mismatch' });
        else if (!key) invalid.push({ evidence_id: e.id, ref_id: e.ref_id, reason: 'probe_key_unknown' });
        else if (!verifyEnvelope(env, publicKeyFromText(key))) invalid.push({ evidence_id: e.id, ref_id: e.ref_id, reason: 'bad_signature' });
      }
      return { now_ts_ms: ctx.clock(), checked, valid: checked - invalid.length, invalid };
    });

    app.get('/api/dens/:id/heatmap', { schema: { params: IdParams, querystring: HeatmapQuery }, preHandler: ctx.allow(ALL_ROLES) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const q = req.query as Static<typeof HeatmapQuery>;
      if (q.east <= q.west || q.north <= q.south) return reply.code(400).send({ error: 'bad_request', detail: 'empty bbox' });
      const started = performance.now();
      const l = await dens.locator.locatorFor(id);
      if (l === null) return reply.code(404).send({ error: 'no_estimate' });
      const h = l.locator.heatmap({ west: q.west, south: q.south, east: q.east, north: q.north }, q.width, q.height);
      return { bbox: h.bbox, width: h.width, height: h.height, values_base64: Buffer.from(h.values).toString('base64'), compute_ms: performance.now() - started, estimate_ts_ms: l.estimate ? ctx.clock() : null };
    });

    app.get('/api/dens/:id/guidance', { schema: { params: IdParams, querystring: GuidanceQuery }, preHandler: ctx.allow(ALL_ROLES) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const step = await dens.locator.guidance(id, req.query as Static<typeof GuidanceQuery>);
      if (step === null) return reply.code(404).send({ error: 'no_estimate' });
      return { now_ts_ms: ctx.clock(), ...step };
    });

    const exportInput = async (id: string) => {
      const den = await store.dens.getDen(id);
      return den === null ? null : { den, places: await placesWithCells(id) };
    };
    app.get('/api/dens/:id/export.geojson', { schema: { params: IdParams }, preHandler: ctx.allow(ALL_ROLES) }, async (req, reply) => {
      const input = await exportInput((req.params as Static<typeof IdParams>).id);
      if (input === null) return reply.code(404).send({ error: 'not_found' });
      reply.header('content-disposition', `attachment; filename="den-${input.den.id}.geojson"`);
      return reply.type('application/geo+json').send(JSON.stringify(denGeoJson(input)));
    });
    app.get('/api/dens/:id/export.kml', { schema: { params: IdParams }, preHandler: ctx.allow(ALL_ROLES) }, async (req, reply) => {
      const input = await exportInput((req.params as Static<typeof IdParams>).id);
      if (input === null) return reply.code(404).send({ error: 'not_found' });
      reply.header('content-disposition', `attachment; filename="den-${input.den.id}.kml"`);
      return reply.type('application/vnd.google-earth.kml+xml').send(denKml(input));
    });

    const answer = (reply: FastifyReply, r: Awaited<ReturnType<DenService['tracker']['merge']>>) =>
      r.ok ? reply.send({ den: r.den }) : reply.code(STATUS_OF_REASON[r.reason] ?? 400).send({ error: r.reason });

    app.post('/api/dens/:id/state', { schema: { params: IdParams, body: StateBody }, preHandler: ctx.allow(EDITORS) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const b = req.body as Static<typeof StateBody>;
      return answer(reply, await dens.tracker.changeState(id, b.action, { outcome: b.outcome, note: b.note, user: req.apiUser?.name }));
    });
    app.post('/api/dens/:id/merge', { schema: { params: IdParams, body: MergeBody }, preHandler: ctx.allow(ANALYSTS) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const r = await dens.tracker.merge(id, (req.body as Static<typeof MergeBody>).into, req.apiUser?.name);
      if (r.ok) dens.locator.forget(id);
      return answer(reply, r);
    });
    app.post('/api/dens/:id/split', { schema: { params: IdParams, body: SplitBody }, preHandler: ctx.allow(ANALYSTS) }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>;
      const r = await dens.tracker.split(id, (req.body as Static<typeof SplitBody>).places, req.apiUser?.name);
      if (r.ok) dens.locator.forget(id);
      return answer(reply, r);
    });
  };
}
