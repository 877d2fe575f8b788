/**
 * The HTTP API of a running collector: bearer-token auth with roles (401 without or with a bad token,
 * 403 for the wrong role), an audit row for every /api request, /healthz open, the JSON shapes the web
 * page reads, and the static page + Leaflet served locally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic, statusTopic } from '@simhound/protocol';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { sha256Hex, TokenAuthenticator, type SqliteStore } from '../../src/index.js';
import { detectionBody, makeProbe, makeUser, payloadOf, statusBody } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';

describe('collector HTTP API', () => {
  const probe = makeProbe('maseru', 'roof-1');
  const quiet = makeProbe('maseru', 'spare-3');
  const admin = makeUser('ana', 'admin');
  const field = makeUser('fieldunit', 'field');
  const investigator = makeUser('ivo', 'investigator');
  let tc: TestCollector;
  const get = (path: string, token?: string) => fetch(`${tc.collector.httpUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    tc = await startTestCollector({
      probes: [probe, quiet],
      users: [admin, field, investigator],
      extra: { cells_csv: new URL('../../../../shared/data/cells/LesothoCellTowersData.csv', import.meta.url).pathname },
    });
    const client = await connectMqtt(tc.collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password });
    // A detection on a Lesotho cell that is in the cell DB, and one on a cell that is not.
    await publishAndWait(client, statusTopic(probe.site, probe.probe), payloadOf(probe.factory.make('status', statusBody())), { retain: true });
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), payloadOf(probe.factory.make('detection', detectionBody({ cell: { mcc: '651', mnc: '01', lac: 117, ci: 11201 }, arfcn: 12 }))));
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), payloadOf(probe.factory.make('detection', detectionBody())));
    await endMqtt(client);
    await waitFor(async () => ((await tc.collector.store.listDetections({ limit: 10 })).length === 2 ? true : undefined), 'two detections');
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('answers /healthz without a token', async () => {
    const r = await get('/healthz');
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ status: 'ok', mqtt: { connected: true }, ingest: { accepted_by_kind: { detection: 2, status: 1 }, rejected_total: 0 }, influx: { configured: false } });
    expect(typeof body.uptime_s).toBe('number');
    // No URL (it may carry credentials), no secrets: only states and counters.
    expect(JSON.stringify(body)).not.toMatch(/mqtts?:\/\/|password|token/i);
    expect(body.store).toEqual({ writable: true });
  });

  it('audits percent-encoded and doubled-slash spellings of /api under the path the router used', async () => {
    const before = (await tc.collector.store.counts()).audit_log;
    expect((await get('/%61pi/probes')).status).toBe(401);
    expect((await get('/%61pi/probes', field.token)).status).toBe(200);
    expect((await get('/api%2Fprobes', field.token)).status).not.toBe(200);
    expect((await get('//api//probes?limit=1', field.token)).status).not.toBe(500);
    const rows = await tc.collector.store.listAudit({ limit: 4 });
    expect((await tc.collector.store.counts()).audit_log).toBe(before + 4);
    expect(rows.map((r) => [r.path, r.status])).toEqual([
      ['/api/probes?limit=1', rows[0]!.status],
      ['/api/probes', rows[1]!.status],
      ['/api/probes', 200],
      ['/api/probes', 401],
    ]);
  });

  it('refuses /api without a token (401) or with a bad one (401), and the wrong role (403)', async () => {
    expect((await get('/api/detections')).status).toBe(401);
    expect((await get('/api/detections', 'not-a-token')).status).toBe(401);
    expect((await fetch(`${tc.collector.httpUrl}/api/probes`, { headers: { authorization: `Basic ${admin.token}` } })).status).toBe(401);
    expect((await get('/api/dead-letters', field.token)).status).toBe(403);
    expect((await get('/api/dead-letters', investigator.token)).status).toBe(403);
    expect((await get('/api/audit', field.token)).status).toBe(403);
    expect((await get('/api/dead-letters', admin.token)).status).toBe(200);
    expect((await get('/api/detections', field.token)).status).toBe(200);
    expect((await get('/api/nothing-here', field.token)).status).toBe(404);
    expect((await get('/api/detections?limit=0', field.token)).status).toBe(400);
  });

  it('writes an audit row for every /api request, allowed or refused, and none for /healthz or the page', async () => {
    const before = (await tc.collector.store.counts()).audit_log;
    await get('/api/probes');
    await get('/api/probes', investigator.token);
    await get('/api/dead-letters', field.token);
    await get('/healthz');
    await get('/');
    const rows = await tc.collector.store.listAudit({ limit: 3 });
    expect((await tc.collector.store.counts()).audit_log).toBe(before + 3);
    expect(rows.map(({ user, role, method, path, status }) => ({ user, role, method, path, status }))).toEqual([
      { user: 'fieldunit', role: 'field', method: 'GET', path: '/api/dead-letters', status: 403 },
      { user: 'ivo', role: 'investigator', method: 'GET', path: '/api/probes', status: 200 },
      { user: null, role: null, method: 'GET', path: '/api/probes', status: 401 },
    ]);
    expect(rows[0]!.remote_addr).toBe('127.0.0.1');
    // the audit log itself is readable by admins, and reading it is audited too
    const audit = await (await get('/api/audit?limit=1', admin.token)).json();
    expect(audit.audit[0]).toMatchObject({ user: 'fieldunit', path: '/api/dead-letters' });
    expect((await tc.collector.store.listAudit({ limit: 1 }))[0]).toMatchObject({ user: 'ana', path: '/api/audit?limit=1', status: 200 });
  });

  it('lists detections newest first with vocabulary fields and filters', async () => {
    const body = await (await get('/api/detections?limit=10', field.token)).json();
    expect(body.detections).toHaveLength(2);
    const [newest, older] = body.detections;
    expect(newest.ts_ms).toBeGreaterThanOrEqual(older.ts_ms);
    expect(newest).toMatchObject({ site: 'maseru', probe: 'roof-1', detector: 'ccch-burst', detector_version: 1, cell: { mcc: '262', mnc: '02', lac: 318, ci: 11225 }, ta_steps: 3, range_min_m: 1660.5, range_max_m: 2214, severity: 'high' });
    expect(Object.keys(newest).sort()).toEqual([
      'arfcn', 'cell', 'detector', 'detector_version', 'evidence', 'id', 'position', 'probe', 'range_max_m', 'range_min_m',
      'received_ts_ms', 'score', 'seq', 'severity', 'site', 'ta_steps', 'ts_ms', 'window',
    ]);
    expect((await (await get('/api/detections?limit=1', field.token)).json()).detections).toHaveLength(1);
    expect((await (await get('/api/detections?probe=spare-3', field.token)).json()).detections).toEqual([]);
    expect((await (await get(`/api/detections?since_ts_ms=${newest.ts_ms + 1}`, field.token)).json()).detections).toEqual([]);
  });

  it('lists probes with registry, latest status, last_seen_ts_ms and health', async () => {
    const body = await (await get('/api/probes', field.token)).json();
    expect(body.probes.map((p: { probe: string; health: string }) => [p.probe, p.health])).toEqual([['roof-1', 'online'], ['spare-3', 'unknown']]);
    expect(body.probes[0]).toMatchObject({ site: 'maseru', registered: true, public_key: probe.public_key, status: { state: 'online', sources: [{ source_name: 'gsmtap0', frames_total: 1200 }] } });
    expect(body.probes[0].last_seen_ts_ms).toBeGreaterThan(0);
    expect(body.probes[1]).toMatchObject({ status: null, last_seen_ts_ms: null });
  });

  it('lists the cells probes reported, with positions from the imported cell DB where known', async () => {
    const body = await (await get('/api/cells', field.token)).json();
    expect(body.cell_db_rows).toBe(1936);
    const byCi = Object.fromEntries(body.cells.map((c: { ci: number }) => [c.ci, c]));
    expect(byCi[11201]).toMatchObject({ mcc: '651', mnc: '01', lac: 117, arfcn: 12, detections_total: 1, position: { lat_deg: -29.841163, lon_deg: 26.953123, range_m: 27324, radio: 'GSM' } });
    expect(byCi[11225]).toMatchObject({ mcc: '262', mnc: '02', position: null });
  });

  it('shows dead letters to admins with a payload preview, and stats to every role', async () => {
    await tc.collector.ingest.handle(detectionTopic(probe.site, probe.probe), Buffer.from('{"oops'));
    const dl = await (await get('/api/dead-letters?reason=bad_json', admin.token)).json();
    expect(dl.dead_letters).toHaveLength(1);
    expect(dl.dead_letters[0]).toMatchObject({ reason: 'bad_json', topic: detectionTopic('maseru', 'roof-1'), payload_text: '{"oops', payload_base64: Buffer.from('{"oops').toString('base64'), payload_size_bytes: 6 });
    const stats = await (await get('/api/stats', field.token)).json();
    expect(stats.seq).toEqual([{ site: 'maseru', probe: 'roof-1', runs: 1, missing: 0, max_seq: expect.any(Number) }]);
    expect(stats).toMatchObject({
      ingest: { rejected_by_reason: { bad_json: 1 } },
      store: { backend: 'sqlite', detections: 2, cells: 1936 },
      influx: { configured: false },
      mqtt: { connected: true },
      broker: { embedded: true },
      cells_import: { imported: 1936, rejected_total: 0 },
    });
  });

  it('serves the web page and Leaflet locally, with security headers', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="map"');
    for (const path of ['/app.js', '/geo.js', '/vendor/leaflet/leaflet-src.esm.js', '/vendor/leaflet/leaflet.css']) {
      expect((await get(path)).status, path).toBe(200);
    }
    expect((await get('/vendor/leaflet/../../package.json')).status).not.toBe(200);
  });
});

describe('collector HTTP API when the audit log cannot be written', () => {
  const admin = makeUser('ana', 'admin');
  let tc: TestCollector;

  beforeAll(async () => {
    tc = await startTestCollector({ probes: [], users: [admin] });
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('answers 503 and serves nothing while the database is full, and serves again once there is room', async () => {
    const get = (path: string) => fetch(`${tc.collector.httpUrl}${path}`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect((await get('/api/stats')).status).toBe(200);
    const store = tc.collector.store as SqliteStore;
    store.setMaxSizeBytes(0);
    // Audit rows fill the free room of the last page first; then every request is refused.
    let refused: Response | null = null;
    for (const pad of ['x'.repeat(400), '']) {
      refused = null;
      for (let i = 0; i < 2000 && refused === null; i += 1) {
        const r = await get(`/api/stats${pad ? `?pad=${pad}` : ''}`);
        if (r.status !== 200) refused = r;
      }
    }
    expect(refused?.status).toBe(503);
    expect(await refused!.json()).toEqual({ error: 'audit_unavailable' });
    const again = await get('/api/dead-letters');
    expect(again.status).toBe(503);
    expect(await again.text()).not.toContain('dead_letters');
    store.setMaxSizeBytes(1 << 30);
    expect((await get('/api/dead-letters')).status).toBe(200);
  });
});

describe('TokenAuthenticator', () => {
  it('matches tokens by SHA-256 and tells missing from bad tokens', () => {
    const auth = new TokenAuthenticator([{ name: 'a', role: 'admin', token_sha256: sha256Hex('secret-token') }]);
    expect(auth.authenticate('Bearer secret-token')).toEqual({ ok: true, user: { name: 'a', role: 'admin' } });
    expect(auth.authenticate('bearer   secret-token ')).toEqual({ ok: true, user: { name: 'a', role: 'admin' } });
    expect(auth.authenticate('Bearer secret-tokeN')).toEqual({ ok: false, reason: 'bad_token' });
    expect(auth.authenticate(undefined)).toEqual({ ok: false, reason: 'missing_token' });
    expect(auth.authenticate('Bearer')).toEqual({ ok: false, reason: 'missing_token' });
  });
});
