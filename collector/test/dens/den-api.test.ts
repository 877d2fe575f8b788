/**
 * Dens end to end in a real collector (embedded broker, SQLite, HTTP): signed den candidates from two
 * operators' cells, uplink bursts from three fixed probes (simulated channel, tied to the den's places by
 * the edge) and a bearing arrive over MQTT; the collector makes one den, locates it near the truth, and
 * serves its timeline, re-verified envelopes, heatmap, guidance, GeoJSON/KML exports and lifecycle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearingDeg, destination, distanceM, insideEllipse } from '@simhound/geo';
import { detectionTopic, observationTopic, statusTopic } from '@simhound/protocol';
import { DenUplinkGenerator, createRandom, fixedProbe } from '@simhound/simulator';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { makeProbe, makeUser, statusBody } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';
import { DEN, ECONET, LESOTHO_CELLS, VODACOM, denCandidate, taAt } from './den-fixtures.js';

describe('den API', () => {
  const roof = makeProbe('maseru', 'roof-1');
  const fixed = [0, 1, 2].map((i) => makeProbe('maseru', `fixed-${i + 1}`));
  const ivo = makeUser('ivo', 'investigator');
  const fred = makeUser('fred', 'field');
  let tc: TestCollector;
  let denId = '';
  const api = async (path: string, user = ivo, init: RequestInit = {}) => {
    const r = await fetch(`${tc.collector.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${user.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
    return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
  };
  const json = async (path: string, user = ivo, init: RequestInit = {}) => {
    const r = await api(path, user, init);
    return { status: r.status, body: JSON.parse(r.text) };
  };

  beforeAll(async () => {
    tc = await startTestCollector({ probes: [roof, ...fixed], users: [ivo, fred], extra: { cells_csv: LESOTHO_CELLS, dens: { update_debounce_ms: 50 } } });
    const now = Date.now();
    const positions = [20, 140, 260].map((b, i) => destination(DEN, b, 280 + 40 * i));
    // Fixed probes announce where they stand (retained status).
    for (const [i, p] of fixed.entries()) {
      const c = await connectMqtt(tc.collector.mqttUrl, { username: p.mqtt_username, password: p.mqtt_password });
      await publishAndWait(c, statusTopic(p.site, p.probe), JSON.stringify(p.factory.make('status', statusBody({ position: { ...positions[i]!, position_source: 'config' } }))), { retain: true });
      await endMqtt(c);
    }
    const c = await connectMqtt(tc.collector.mqttUrl, { username: roof.mqtt_username, password: roof.mqtt_password });
    const taV = taAt(VODACOM.position);
    const taE = taAt(ECONET.position);
    await publishAndWait(c, detectionTopic(roof.site, roof.probe), JSON.stringify(roof.factory.make('detection', denCandidate(VODACOM, taV, now - 60_000))));
    await publishAndWait(c, detectionTopic(roof.site, roof.probe), JSON.stringify(roof.factory.make('detection', denCandidate(ECONET, taE, now - 30_000))));
    await endMqtt(c);
    // Each fixed probe hears 300 of the den's access bursts (alternating cells), tied to (cell, TA).
    const gen = new DenUplinkGenerator(DEN, createRandom(5), { tie: true });
    const accesses = Array.from({ length: 300 }, (_, k) => {
      const s = k % 2 ? ECONET : VODACOM;
      return { ts_ms: now - 20_000 + k * 50, fn: k * 11, ra: 0xe0 + (k % 32), arfcn: s.arfcn, cell: s.cell, ta_steps: k % 2 ? taE : taV };
    });
    for (const [i, p] of fixed.entries()) {
      const heard = gen.generate([fixedProbe(`${p.site}/${p.probe}`, positions[i]!)], accesses).get(`${p.site}/${p.probe}`)!;
      const cl = await connectMqtt(tc.collector.mqttUrl, { username: p.mqtt_username, password: p.mqtt_password });
      await publishAndWait(cl, observationTopic(p.site, p.probe), JSON.stringify(p.factory.make('observation', { observations: heard })));
      if (i === 0) {
        const b = (bearingDeg(positions[0]!, DEN) + 3) % 360;
        await publishAndWait(cl, observationTopic(p.site, p.probe), JSON.stringify(p.factory.make('observation', { observations: [{ type: 'bearing', ts_ms: now, bearing_deg: b, bearing_std_deg: 5, confidence: 0.9, arfcn: VODACOM.arfcn, position: { ...positions[0]!, position_source: 'config' } }] })));
      }
      await endMqtt(cl);
    }
    await waitFor(async () => ((await tc.collector.store.listObservations({ type: 'uplink_burst', limit: 2000 })).length >= 600 ? true : undefined), 'uplink bursts stored');
    await tc.collector.dens!.idle();
    await waitFor(async () => {
      const d = (await tc.collector.store.dens.listDens({ limit: 10 }))[0];
      return d?.estimate?.inputs.rssi_bins === 3 && d.estimate.inputs.bearings === 1 ? d : undefined;
    }, 'a den located with 3 probes and a bearing', 30_000);
    denId = (await tc.collector.store.dens.listDens({ limit: 10 }))[0]!.id;
  }, 90_000);
  afterAll(async () => {
    await tc?.close();
  });

  it('lists one confirmed den with both places, located near the truth inside its ellipse', async () => {
    const { status, body } = await json('/api/dens');
    expect(status).toBe(200);
    expect(body.dens).toHaveLength(1);
    const den = body.dens[0];
    expect(den).toMatchObject({ id: denId, state: 'confirmed' });
    expect(den.places).toHaveLength(2);
    expect(den.places.every((p: { cell_position: unknown }) => p.cell_position !== null)).toBe(true);
    expect(distanceM(den.estimate.ml_point, DEN)).toBeLessThan(300);
    expect(insideEllipse(den.estimate.ellipse_95, DEN)).toBe(true);
    expect(den.estimate.inputs).toMatchObject({ rings: 2, rssi_bins: 3, bearings: 1 });
    expect(den.estimate.path_loss.exponent).toBeGreaterThan(1.5);
  });

  it('serves the evidence timeline and re-verifies every signed envelope in it', async () => {
    const ev = (await json(`/api/dens/${denId}/evidence`)).body.evidence as Array<{ kind: string; ref_table: string | null }>;
    const kinds = new Set(ev.map((e) => e.kind));
    for (const k of ['state', 'detection', 'observation', 'estimate']) expect(kinds).toContain(k);
    const v = (await json(`/api/dens/${denId}/verify`)).body;
    expect(v.checked).toBe(ev.filter((e) => e.ref_table !== null).length);
    expect(v.checked).toBeGreaterThanOrEqual(5); // 2 detections + 3 observation messages
    expect(v).toMatchObject({ valid: v.checked, invalid: [] });
  });

  it('answers a heatmap viewport whose peak is at the estimate, and guidance for a unit on foot', async () => {
    const den = (await json(`/api/dens/${denId}`)).body.den;
    const p = den.estimate.ml_point;
    const q = `west=${p.lon_deg - 0.01}&east=${p.lon_deg + 0.01}&south=${p.lat_deg - 0.01}&north=${p.lat_deg + 0.01}&width=128&height=128`;
    const h = (await json(`/api/dens/${denId}/heatmap?${q}`)).body;
    const values = Buffer.from(h.values_base64, 'base64');
    expect(values.length).toBe(128 * 128);
    const peak = values.indexOf(Math.max(...values));
    expect(Math.max(...values)).toBeGreaterThan(230); // a 17 m pixel need not hit the 10 m ML cell itself
    const px = { lat_deg: p.lat_deg + 0.01 - (0.02 * (Math.floor(peak / 128) + 0.5)) / 128, lon_deg: p.lon_deg - 0.01 + (0.02 * ((peak % 128) + 0.5)) / 128 };
    expect(distanceM(px, p)).toBeLessThan(20);
    expect((await api(`/api/dens/${denId}/heatmap?west=1&east=0&south=0&north=1`)).status).toBe(400);
    const start = destination(p, 90, 400);
    const g = (await json(`/api/dens/${denId}/guidance?lat_deg=${start.lat_deg}&lon_deg=${start.lon_deg}`, fred)).body;
    expect(g.phase).toBe('approach');
    expect(Math.abs(((g.bearing_deg - bearingDeg(start, p) + 540) % 360) - 180)).toBeLessThan(1);
  });

  it('exports GeoJSON and KML with the point, the ellipse and the rings', async () => {
    const gj = await api(`/api/dens/${denId}/export.geojson`);
    expect(gj.type).toContain('application/geo+json');
    const fc = JSON.parse(gj.text);
    expect(fc.features.map((f: { properties: { kind: string } }) => f.properties.kind)).toEqual(['ml_point', 'ellipse_95', 'ta_ring', 'ta_ring']);
    const ring = fc.features[1].geometry.coordinates[0];
    expect(ring[0]).toEqual(ring.at(-1)); // closed, lon/lat order
    expect(Math.abs(ring[0][0] - 27.49)).toBeLessThan(0.05);
    const kml = await api(`/api/dens/${denId}/export.kml`);
    expect(kml.type).toContain('kml');
    expect(kml.text).toContain('<kml xmlns="http://www.opengis.net/kml/2.2">');
    expect(kml.text.match(/<Placemark>/g)).toHaveLength(4);
    expect(kml.text.match(/<innerBoundaryIs>/g)).toHaveLength(2);
  });

  it('moves the den through its lifecycle for editors only, and says why it cannot', async () => {
    expect((await json(`/api/dens/${denId}/state`, fred, { method: 'POST', body: JSON.stringify({ action: 'dispatch' }) })).status).toBe(403);
    expect((await json(`/api/dens/${denId}/state`, ivo, { method: 'POST', body: JSON.stringify({ action: 'dispatch', note: 'team 3' }) })).body.den.state).toBe('dispatched');
    expect((await json(`/api/dens/${denId}/state`, ivo, { method: 'POST', body: JSON.stringify({ action: 'close' }) }))).toMatchObject({ status: 400, body: { error: 'needs_outcome' } });
    expect((await json(`/api/dens/${denId}/state`, ivo, { method: 'POST', body: JSON.stringify({ action: 'close', outcome: 'raided' }) })).body.den).toMatchObject({ state: 'closed', outcome: 'raided' });
    expect((await json(`/api/dens/${denId}/state`, ivo, { method: 'POST', body: JSON.stringify({ action: 'confirm' }) })).status).toBe(409);
    expect((await json(`/api/dens/${denId}/merge`, ivo, { method: 'POST', body: JSON.stringify({ into: denId }) }))).toMatchObject({ status: 400, body: { error: 'same_den' } });
    expect((await json('/api/dens/00000000-0000-7000-8000-000000000000')).status).toBe(404);
    const audit = await tc.collector.store.listAudit({ limit: 200 });
    expect(audit.some((a) => a.path.startsWith(`/api/dens/${denId}/state`) && a.user === 'fred' && a.status === 403)).toBe(true);
  });
});
