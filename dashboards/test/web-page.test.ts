/**
 * The investigator page in a real Chromium (playwright-core, Debian's /usr/bin/chromium): a real
 * collector with the embedded broker and the Lesotho cell DB, a signed status and detection published
 * over MQTT, the page opened with #token=…; the detection must show in the list and on the map (TA ring
 * + dot), the probes with their health. A screenshot is saved for a human to look at.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionTopic, statusTopic, TA_STEP_M } from '@simhound/protocol';
import { startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { launchChromium, type RunningChromium } from '@simhound/test-support/chromium';
import { makeProbe, makeUser } from '@simhound/test-support/identities';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { sampleDetection } from '@simhound/test-support/samples';
import { dashboardsWebRoot, leafletDistDir } from '../src/index.js';
import { LESOTHO_CELLS } from './maseru-den.js';

// First row of that file: GSM 651-01 LAC 117 CI 11201 at lat -29.841163, lon 26.953123.
const CELL = { mcc: '651', mnc: '01', lac: 117, ci: 11201 };
const CELL_POSITION = { lat_deg: -29.841163, lon_deg: 26.953123 };
const PROBE_POSITION = { lat_deg: -29.8100, lon_deg: 26.9800, position_source: 'config' as const };

/** Independent haversine (not the page's geo.js), for checking the page's geometry. */
function haversineM(a: { lat_deg: number; lon_deg: number }, b: { lat_deg: number; lon_deg: number }): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat_deg - a.lat_deg) / 2) ** 2 + Math.cos(r(a.lat_deg)) * Math.cos(r(b.lat_deg)) * Math.sin(r(b.lon_deg - a.lon_deg) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

describe('dashboards web page in Chromium', () => {
  const probe = makeProbe('maseru', 'roof-1');
  const van = makeProbe('maseru', 'van-2');
  const spare = makeProbe('maseru', 'spare-3');
  const user = makeUser('ivo', 'investigator');
  const screenshotDir = mkdtempSync(join(tmpdir(), 'simhound-page-'));
  let collector: RunningCollector;
  let chromium: RunningChromium;
  const detection = probe.factory.make('detection', {
    ...structuredClone(sampleDetection),
    cell: CELL,
    arfcn: 12,
    ta_steps: 3,
    range_min_m: 3 * TA_STEP_M,
    range_max_m: 4 * TA_STEP_M,
    position: PROBE_POSITION,
  });

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'simhound-page-data-'));
    const config = validateCollectorConfig({
      mqtt: { embedded_broker: { port: 0 } },
      http: { port: 0 },
      storage: { sqlite_path: join(dataDir, 'collector.sqlite') },
      cells_csv: LESOTHO_CELLS,
      probes: [probe, van, spare].map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key, mqtt_password_sha256: p.mqtt_password_sha256 })),
      users: [{ name: user.name, role: user.role, token_sha256: user.token_sha256 }],
    });
    if (!config.ok) throw new Error(config.detail);
    collector = await startCollector(config.value);

    const status = (p: typeof probe, state: 'online' | 'offline', position: typeof PROBE_POSITION) =>
      p.factory.make('status', {
        state, software_version: '0.1.0', started_ts_ms: Date.now() - 120_000, uptime_s: 120, position,
        sources: [{ source_name: 'gsmtap0', source_kind: 'gsmtap', state: 'ok' as const, frames_total: 5120, events_total: 812, rejected_total: 3, rejected_by_reason: { too_short: 3 }, last_frame_ts_ms: Date.now() }],
        outbox_depth: 0, detections_total: 1,
      });
    const client = await connectMqtt(collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password });
    await publishAndWait(client, statusTopic(probe.site, probe.probe), JSON.stringify(status(probe, 'online', PROBE_POSITION)), { retain: true });
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), JSON.stringify(detection));
    await endMqtt(client);
    const vanClient = await connectMqtt(collector.mqttUrl, { username: van.mqtt_username, password: van.mqtt_password });
    await publishAndWait(vanClient, statusTopic(van.site, van.probe), JSON.stringify(status(van, 'offline', { lat_deg: -29.87, lon_deg: 26.92, position_source: 'config' })), { retain: true });
    await endMqtt(vanClient);
    await waitFor(async () => ((await collector.store.listDetections({ limit: 5 })).length === 1 ? true : undefined), 'the detection in the store');
    chromium = await launchChromium({ viewport: { width: 1400, height: 860 } });
  });
  afterAll(async () => {
    await chromium?.close();
    await collector?.close();
  });

  it('exports the web root and Leaflet dist directories', () => {
    expect(dashboardsWebRoot).toMatch(/dashboards\/web\/$/);
    expect(leafletDistDir).toMatch(/leaflet\/dist$/);
  });

  it('shows the detection in the list and on the map (TA ring + dot), and the probes with their health', async () => {
    const page = await chromium.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${collector.httpUrl}/#token=${encodeURIComponent(user.token)}`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    expect(page.url()).not.toContain('token'); // taken out of the address bar

    const item = page.locator(`li.detection[data-id="${detection.id}"]`);
    await expect.poll(() => item.count()).toBe(1);
    const text = (await item.textContent()) ?? '';
    for (const s of ['ccch-burst@1', 'cell 651-01-117-11201', 'ta_steps 3', 'score 0.970', 'event_count 40', 'originating_call 40', 'high']) expect(text).toContain(s);
    expect(text).not.toContain('cell position unknown');

    await expect.poll(() => page.locator(`path.ta-ring[data-detection-id="${detection.id}"]`).count()).toBe(1);
    await expect.poll(() => page.locator(`path.detection-dot[data-detection-id="${detection.id}"]`).count()).toBe(1);
    expect(await page.locator('path.cell-marker').count()).toBe(1);
    expect(await page.locator('path.probe-marker.probe-online').count()).toBe(1);
    expect(await page.locator('path.probe-marker.probe-offline').count()).toBe(1);

    const roof = page.locator('li.probe[data-probe="maseru/roof-1"]');
    expect(await roof.getAttribute('data-health')).toBe('online');
    const roofText = await roof.innerText();
    for (const s of ['state online', 'last seen', 'gsmtap0 (gsmtap) ok', 'frames_total 5120', 'events_total 812', 'rejected_total 3']) expect(roofText).toContain(s);
    expect(await page.locator('li.probe[data-probe="maseru/van-2"]').getAttribute('data-health')).toBe('offline');
    expect(await page.locator('li.probe[data-probe="maseru/spare-3"]').getAttribute('data-health')).toBe('unknown');

    await page.locator(`path.detection-dot[data-detection-id="${detection.id}"]`).hover({ force: true });
    await expect.poll(() => page.locator('.leaflet-tooltip').innerText()).toContain('coarse: TA ring point nearest the probe; full geolocation comes later');
    expect(await page.locator('#dot-label').innerText()).toContain('full geolocation comes later');

    // The dot lies on the ring's outer edge (the probe is farther than range_max_m), checked with an independent haversine.
    // A string, so the bundler does not rewrite the browser-side dynamic import.
    const dot = (await page.evaluate(
      `import('/geo.js').then((geo) => geo.nearestRingPoint(${JSON.stringify(CELL_POSITION)}, ${JSON.stringify(PROBE_POSITION)}, ${detection.body.range_min_m}, ${detection.body.range_max_m}))`,
    )) as { lat_deg: number; lon_deg: number };
    expect(haversineM(CELL_POSITION, PROBE_POSITION)).toBeGreaterThan(detection.body.range_max_m);
    // The page computes on the WGS-84 ellipsoid (@simhound/geo); the sphere agrees within 0.5 %.
    expect(Math.abs(haversineM(CELL_POSITION, dot) / detection.body.range_max_m - 1)).toBeLessThan(0.005);
    const viaDot = haversineM(CELL_POSITION, dot) + haversineM(dot, PROBE_POSITION);
    expect(viaDot - haversineM(CELL_POSITION, PROBE_POSITION)).toBeLessThan(1); // on the straight line cell → probe

    // And as drawn: the dot's centre sits on the ring's outer edge, on the side of the probe marker.
    const centre = async (selector: string) => {
      const box = (await page.locator(selector).first().boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2, r: box.width / 2 };
    };
    const cellPx = await centre('path.cell-marker');
    const ringPx = await centre(`path.ta-ring[data-detection-id="${detection.id}"]`);
    const dotPx = await centre(`path.detection-dot[data-detection-id="${detection.id}"]`);
    const probePx = await centre('path.probe-marker.probe-online');
    const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
    expect(dist(cellPx, ringPx)).toBeLessThan(3);
    expect(Math.abs(dist(cellPx, dotPx) - ringPx.r)).toBeLessThan(3);
    expect(Math.abs(dist(cellPx, dotPx) + dist(dotPx, probePx) - dist(cellPx, probePx))).toBeLessThan(2);

    const shot = join(screenshotDir, 'dashboard.png');
    await page.screenshot({ path: shot });
    console.info(`screenshot: ${shot}`);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows imported cell DB text as text, never as HTML (a hostile radio column)', async () => {
    const hostileCell = { mcc: '651', mnc: '01', lac: 117, ci: 99999 };
    const hostile = '<img src=x onerror="window.__pwned=1"><b id="pwned">bold</b>';
    await collector.store.upsertCells([{ radio: hostile, ...hostileCell, lat_deg: -29.85, lon_deg: 26.96, range_m: 1000, samples: 1, updated_ts_ms: null }]);
    const client = await connectMqtt(collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password });
    const onHostile = probe.factory.make('detection', { ...structuredClone(sampleDetection), cell: hostileCell, arfcn: 14, position: PROBE_POSITION });
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), JSON.stringify(onHostile));
    await endMqtt(client);
    await waitFor(async () => ((await collector.store.listDetections({ limit: 5 })).some((d) => d.id === onHostile.id) ? true : undefined), 'the detection on the hostile cell');

    const page = await chromium.context.newPage();
    await page.goto(`${collector.httpUrl}/#token=${encodeURIComponent(user.token)}`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    await expect.poll(() => page.locator('path.cell-marker').count()).toBe(2);
    for (let i = 0; i < 2; i += 1) {
      await page.locator('path.cell-marker').nth(i).hover({ force: true });
      await page.waitForTimeout(100);
    }
    await expect.poll(async () => (await page.locator('.leaflet-tooltip').allInnerTexts()).join(' ')).toContain('<img src=x');
    expect(await page.locator('#pwned').count()).toBe(0);
    expect(await page.locator('.leaflet-tooltip img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.close();
  });

  it('says so when the page is opened without a token, and when the token is wrong', async () => {
    const page = await chromium.context.newPage();
    await page.goto(`${collector.httpUrl}/`);
    await expect.poll(() => page.locator('#status').innerText()).toContain('No API token');
    await page.goto(`${collector.httpUrl}/#token=wrong`);
    await page.reload();
    await expect.poll(() => page.locator('#status').innerText()).toContain('HTTP 401');
    await page.close();
  });
});
