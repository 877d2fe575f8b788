/**
 * The alert API of a running collector: a signed den candidate over MQTT makes a den and its alert; roles
 * (field: no access; investigators read, stream and download case files but may not act; case officers
 * acknowledge, dispatch and close; only admins change the policy); the outcome closes the den too and is
 * listed as a label; the case file's chain of custody verifies; the live stream delivers the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic } from '@simhound/protocol';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { makeProbe, makeUser, payloadOf } from '../fixtures.js';
import { startTestCollector, type TestCollector } from '../harness.js';
import { candidateBody } from '../alerts/alert-fixtures.js';

describe('alert API', () => {
  const probe = makeProbe('maseru', 'roof-1');
  const field = makeUser('fu', 'field');
  const ivo = makeUser('ivo', 'investigator');
  const cora = makeUser('cora', 'case_officer');
  const root = makeUser('root', 'admin');
  let tc: TestCollector;
  let alertId: string;
  const call = (path: string, token: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => fetch(`${tc.collector.httpUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
  });

  beforeAll(async () => {
    tc = await startTestCollector({
      probes: [probe],
      users: [field, ivo, cora, root],
      extra: {
        cells_csv: new URL('../../../../shared/data/cells/LesothoCellTowersData.csv', import.meta.url).pathname,
        dens: { update_debounce_ms: 20 },
        alerts: { officers: [{ name: 'cora' }], rosters: [{ name: 'all', area: { any: true }, shifts: [{ chain: ['cora'] }] }] },
      },
    });
    const client = await connectMqtt(tc.collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password });
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), payloadOf(probe.factory.make('detection', candidateBody({ end_ts_ms: Date.now() - 30_000 }))));
    await endMqtt(client);
    const alerts = await waitFor(async () => {
      await tc.collector.alerts!.idle();
      const list = await tc.collector.alerts!.service.list({ limit: 5 });
      return list.length === 1 ? list : undefined;
    }, 'the den\'s alert', 20_000);
    alertId = alerts[0]!.id;
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('lets readers read and only case officers and admins act', async () => {
    expect((await call('/api/alerts', field.token)).status).toBe(403);
    const list = await (await call('/api/alerts', ivo.token)).json() as { you: { may_act: boolean }; alerts: Array<{ id: string; den_id: string; tier: string }> };
    expect(list.you).toEqual({ name: 'ivo', role: 'investigator', may_act: false });
    expect(list.alerts.map((a) => a.id)).toEqual([alertId]);
    expect((await tc.collector.store.dens.getDen(list.alerts[0]!.den_id))!.id).toBe(list.alerts[0]!.den_id);
    for (const path of ['ack', 'dispatch']) expect((await call(`/api/alerts/${alertId}/${path}`, ivo.token, {})).status).toBe(403);
    expect((await call(`/api/alerts/${alertId}/outcome`, ivo.token, { outcome: 'raided' })).status).toBe(403);
    expect((await call('/api/alerts/policy', cora.token, { yaml: 'active_within_s: 60\n' }, 'PUT')).status).toBe(403);
    expect((await call('/api/alerts/policy', root.token, { yaml: 'active_within_s: 60\n', comment: 'test' }, 'PUT')).status).toBe(200);
    expect((await call(`/api/alerts/${alertId}/case.json`, ivo.token)).status).toBe(200);
  });

  it('takes acknowledgement, dispatch and outcome from a case officer, closes the den with it, and streams each change', async () => {
    const stream = await call('/api/alerts/stream', ivo.token);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    expect((await call(`/api/alerts/${alertId}/dispatch`, cora.token, {})).status).toBe(409); // not acknowledged yet
    const ack = await call(`/api/alerts/${alertId}/ack`, cora.token, {});
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { alert: { acknowledged_by: string } }).alert.acknowledged_by).toBe('cora');
    expect((await call(`/api/alerts/${alertId}/dispatch`, cora.token, { note: 'unit 4' })).status).toBe(200);
    const dup = await call(`/api/alerts/${alertId}/outcome`, cora.token, { outcome: 'duplicate' });
    expect([dup.status, ((await dup.json()) as { error: string }).error]).toEqual([409, 'den_refused']);
    expect((await call(`/api/alerts/${alertId}/outcome`, cora.token, { outcome: 'nothing_found', note: 'empty flat' })).status).toBe(200);
    const alert = (await (await call(`/api/alerts/${alertId}`, ivo.token)).json()) as { alert: { den_id: string; state: string }; history: Array<{ kind: string; by: string }> };
    expect(alert.alert.state).toBe('closed');
    expect(alert.history.filter((h) => h.by === 'cora').map((h) => h.kind)).toEqual(['acknowledged', 'dispatched', 'closed']);
    expect(await tc.collector.store.dens.getDen(alert.alert.den_id)).toMatchObject({ state: 'closed', outcome: 'nothing_found' });
    const labels = (await (await call('/api/alerts/outcomes', ivo.token)).json()) as { labels: Array<{ outcome: string; detectors: string[] }> };
    expect(labels.labels).toMatchObject([{ outcome: 'nothing_found', detectors: ['den-candidate@1', 'machine-regularity@1', 'mo-mt-asymmetry@2'] }]);
    const file = (await (await call(`/api/alerts/${alertId}/case.json`, ivo.token)).json()) as { chain_of_custody: { valid: number; invalid: number }; den: { location: { source: string; ellipse_95: unknown } } };
    expect(file.chain_of_custody).toMatchObject({ valid: 1, invalid: 0 });
    expect(file.den.location.source).toBe('estimate');
    expect(file.den.location.ellipse_95).not.toBeNull();
    await waitFor(async () => (/"state":"closed"/.test(text) ? true : undefined), 'the closed alert on the stream', 5000);
    const states = [...text.matchAll(/event: alert\ndata: (.+)\n/g)].map((m) => (JSON.parse(m[1]!) as { state: string }).state);
    expect(states).toEqual(expect.arrayContaining(['acknowledged', 'dispatched', 'closed']));
    await reader.cancel();
    await pump.catch(() => undefined);
  });
});
