/**
 * The collector's InfluxDB writes land in a real influxd (1.6.7, started by the test, behind the
 * test-only v2→v1 write shim) and read back with InfluxQL: measurement, tags, fields and values, with
 * names from the field vocabulary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_VOCABULARY, detectionTopic, statusTopic, windowTopic, type ParsedEnvelope } from '@simhound/protocol';
import { startInfluxd, type RunningInfluxd } from '@simhound/test-support/influxd';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { createInfluxWriter, envelopePoints } from '../../src/index.js';
import { detectionBody, makeProbe, payloadOf, statusBody, windowBody } from '../fixtures.js';
import { captureLogger, startTestCollector, type TestCollector } from '../harness.js';

describe('InfluxDB writer against a real influxd', () => {
  const probe = makeProbe('maseru', 'roof-1');
  let influx: RunningInfluxd;
  let tc: TestCollector;

  beforeAll(async () => {
    influx = await startInfluxd();
    await influx.createDatabase('simhound');
    tc = await startTestCollector({
      probes: [probe],
      extra: { influx: { url: influx.v2Url, bucket: 'simhound/autogen', batch_size: 50, flush_interval_ms: 100 } },
    });
  });
  afterAll(async () => {
    await tc?.close();
    await influx?.stop();
  });

  it('writes detections, windows and probe status with vocabulary tags and fields', async () => {
    const t = Date.now() - 1000;
    const det = probe.factory.make('detection', detectionBody({ evidence: { ...detectionBody().evidence, distinct_subs: 17 } }), t);
    const status = probe.factory.make('status', statusBody(), t + 1);
    const win = probe.factory.make('window', windowBody(t - 60_000), t + 2);
    const client = await connectMqtt(tc.collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password });
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), payloadOf(det));
    await publishAndWait(client, statusTopic(probe.site, probe.probe), payloadOf(status));
    await publishAndWait(client, windowTopic(probe.site, probe.probe), payloadOf(win));
    await endMqtt(client);

    const detections = await waitFor(async () => {
      const s = await influx.query('simhound', 'SELECT * FROM "detection"');
      return s.length > 0 ? s : undefined;
    }, 'the detection point in influxd');
    const [row] = influx.rows(detections[0]!);
    expect(row).toEqual({
      time: t,
      site: 'maseru', probe: 'roof-1', detector: 'ccch-burst', detector_version: '1', severity: 'high',
      mcc: '262', mnc: '02', lac: '318', ci: '11225', arfcn: '725', ta_steps: '3',
      score: 0.97, range_min_m: 1660.5, range_max_m: 2214,
      event_count: 40, baseline_count: 2.5, p_value: 1e-20, cell_event_count: 60, active_ta_count: 8, distinct_subs: 17,
      // interarrival_mean_ms and interarrival_cv were absent in the detection, so they are absent here too
    });
    // tags really are tags (SHOW TAG KEYS), fields really are fields
    const tagKeys = (await influx.query('simhound', 'SHOW TAG KEYS FROM "detection"'))[0]!.values.map((v) => v[0]);
    expect(tagKeys.sort()).toEqual(['arfcn', 'ci', 'detector', 'detector_version', 'lac', 'mcc', 'mnc', 'probe', 'severity', 'site', 'ta_steps']);
    for (const k of tagKeys) expect(FIELD_VOCABULARY[k as string]?.influx).toBe('tag');
    const fieldKeys = (await influx.query('simhound', 'SHOW FIELD KEYS FROM "detection"'))[0]!.values.map((v) => v[0] as string);
    for (const k of fieldKeys) expect(FIELD_VOCABULARY[k]?.influx).toBe('field');

    const assignments = await waitFor(async () => {
      const s = await influx.query('simhound', 'SELECT "event_count" FROM "window_assignment" GROUP BY "ta_steps", "cause"');
      return s.length === 2 ? s : undefined;
    }, 'two window_assignment series');
    const bySlot = assignments
      .map((s) => ({ tags: s.tags, rows: influx.rows(s).map((r) => [r.time, r.event_count]) }))
      .sort((x, y) => Number(x.tags?.ta_steps) - Number(y.tags?.ta_steps));
    expect(bySlot).toEqual([
      { tags: { ta_steps: '3', cause: 'originating_call' }, rows: [[t - 60_000, 40]] },
      { tags: { ta_steps: '7', cause: 'answer_to_paging' }, rows: [[t - 60_000, 2]] },
    ]);
    const pagings = influx.rows((await influx.query('simhound', 'SELECT * FROM "window_paging"'))[0]!);
    expect(pagings).toEqual([{ time: t - 60_000, site: 'maseru', probe: 'roof-1', mcc: '651', mnc: '01', lac: '117', ci: '11201', arfcn: '12', event_count: 15, distinct_subs: 11 }]);

    const probeStatus = influx.rows((await influx.query('simhound', 'SELECT * FROM "probe_status"'))[0]!);
    expect(probeStatus).toEqual([{ time: t + 1, site: 'maseru', probe: 'roof-1', state: 'online', uptime_s: 60, outbox_depth: 0, detections_total: 1 }]);
    const sources = influx.rows((await influx.query('simhound', 'SELECT * FROM "source_status"'))[0]!);
    expect(sources).toEqual([{ time: t + 1, site: 'maseru', probe: 'roof-1', source_name: 'gsmtap0', source_kind: 'gsmtap', state: 'ok', frames_total: 1200, events_total: 300, rejected_total: 4 }]);

    const stats = await tc.collector.stats();
    expect(stats.influx).toMatchObject({ configured: true, points_queued: 6, points_written: 6, write_errors: 0 });
    expect(influx.writesForwarded()).toBeGreaterThan(0);
    expect(tc.lines.some((l) => /not configured/.test(l.msg))).toBe(false);
  });

  it('counts and logs write errors (unknown database) without disturbing ingest', async () => {
    const { log, lines } = captureLogger();
    const writer = createInfluxWriter({ url: influx.v2Url, token: '', org: '', bucket: 'no_such_db/autogen', batch_size: 10, flush_interval_ms: 50, max_retries: 0 }, log);
    writer.write(probe.factory.make('detection', detectionBody()) as ParsedEnvelope);
    await writer.flush();
    await writer.close();
    expect(writer.stats()).toMatchObject({ points_queued: 1, points_written: 0, write_errors: 1 });
    expect(writer.stats().last_error).toMatch(/database not found/);
    expect(lines.filter((l) => l.msg === 'influx write failed')).toHaveLength(1);
  });

  it('reports a missing Influx configuration once at startup', async () => {
    const plain = await startTestCollector({ probes: [probe] });
    await plain.close();
    expect(plain.lines.filter((l) => /InfluxDB is not configured/.test(l.msg))).toHaveLength(1);
    expect(envelopePoints(probe.factory.make('status', statusBody()) as ParsedEnvelope).length).toBe(2);
  });
});
