/**
 * The den view in a real Chromium against a real collector: two operators' den candidates, uplink bursts
 * of three fixed probes (the simulator's channel, tied to the den's places) and the offline base map
 * (a vector MBTiles cut from Natural Earth + the cell DB). Checked on the page and on its screenshot:
 * the den's point and 95 % ellipse are drawn (the point inside the ellipse, the true den inside the
 * ellipse, found by their colours in the PNG), the heatmap, the timeline, the time slider, an export, the
 * envelope check and fox-hunt guidance work. The screenshot is kept for a human to look at.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destination } from '@simhound/geo';
import { detectionTopic, observationTopic, statusTopic } from '@simhound/protocol';
import { makeBasemap, startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { DenUplinkGenerator, createRandom, fixedProbe } from '@simhound/simulator';
import { launchChromium, type RunningChromium } from '@simhound/test-support/chromium';
import { makeProbe, makeUser } from '@simhound/test-support/identities';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { DEN, ECONET, LESOTHO_CELLS, VODACOM, denCandidate, taAt } from './maseru-den.js';

const ELLIPSE_RGB = [255, 0, 170];
const POINT_RGB = [0, 200, 255];

const candidate = (site: typeof VODACOM, end_ts_ms: number) =>
  denCandidate(site, end_ts_ms, 1_500_000, [{ detector: 'mo-mt-asymmetry', detector_version: 1, p_log10: 14, level: 'strong', horizon_s: 3600, reason: 'answered pagings far below the cell', facts: { mt_share: 0.01 } }]);

/** Pixels of one colour (±tolerance) in a PNG, as page coordinates. */
function pixelsOf(png: PNG, rgb: number[], tol = 40): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i]! - rgb[0]!) <= tol && Math.abs(png.data[i + 1]! - rgb[1]!) <= tol && Math.abs(png.data[i + 2]! - rgb[2]!) <= tol) out.push({ x, y });
    }
  }
  return out;
}

/** Whether p lies inside the closed outline drawn by `outline` pixels (ray from its centroid). */
function insideOutline(outline: Array<{ x: number; y: number }>, p: { x: number; y: number }): boolean {
  const c = { x: outline.reduce((a, q) => a + q.x, 0) / outline.length, y: outline.reduce((a, q) => a + q.y, 0) / outline.length };
  const angle = Math.atan2(p.y - c.y, p.x - c.x);
  const radii = outline
    .filter((q) => Math.abs(((Math.atan2(q.y - c.y, q.x - c.x) - angle + 3 * Math.PI) % (2 * Math.PI)) - Math.PI) < 0.05)
    .map((q) => Math.hypot(q.x - c.x, q.y - c.y))
    .sort((a, b) => a - b);
  if (radii.length === 0) return false;
  return Math.hypot(p.x - c.x, p.y - c.y) < radii[Math.floor(radii.length / 2)]!;
}

describe('den view in Chromium', () => {
  const roof = makeProbe('maseru', 'roof-1');
  const fixed = [0, 1, 2].map((i) => makeProbe('maseru', `fixed-${i + 1}`));
  const user = makeUser('ivo', 'investigator');
  const dir = mkdtempSync(join(tmpdir(), 'simhound-den-page-'));
  let collector: RunningCollector;
  let chromium: RunningChromium;

  beforeAll(async () => {
    const basemap = join(dir, 'maseru.mbtiles');
    makeBasemap({ bbox: [27.40, -29.38, 27.57, -29.25], min_zoom: 8, max_zoom: 15, cells: [], out: basemap });
    const config = validateCollectorConfig({
      mqtt: { embedded_broker: { port: 0 } },
      http: { port: 0 },
      storage: { sqlite_path: join(dir, 'collector.sqlite') },
      cells_csv: LESOTHO_CELLS,
      basemap: { path: basemap, attribution: '<b>Natural Earth</b> (public domain)' },
      dens: { update_debounce_ms: 50 },
      probes: [roof, ...fixed].map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key, mqtt_password_sha256: p.mqtt_password_sha256 })),
      users: [{ name: user.name, role: user.role, token_sha256: user.token_sha256 }],
    });
    if (!config.ok) throw new Error(config.detail);
    collector = await startCollector(config.value);
    const now = Date.now();
    const positions = [30, 150, 270].map((b, i) => destination(DEN, b, 300 + 30 * i));
    const gen = new DenUplinkGenerator(DEN, createRandom(9), { tie: true });
    const accesses = Array.from({ length: 300 }, (_, k) => {
      const s = k % 2 ? ECONET : VODACOM;
      return { ts_ms: now - 20_000 + k * 50, fn: k * 13, ra: 0xe0 + (k % 32), arfcn: s.arfcn, cell: s.cell, ta_steps: taAt(s.position) };
    });
    const c = await connectMqtt(collector.mqttUrl, { username: roof.mqtt_username, password: roof.mqtt_password });
    await publishAndWait(c, detectionTopic(roof.site, roof.probe), JSON.stringify(roof.factory.make('detection', candidate(VODACOM, now - 60_000))));
    await publishAndWait(c, detectionTopic(roof.site, roof.probe), JSON.stringify(roof.factory.make('detection', candidate(ECONET, now - 40_000))));
    await endMqtt(c);
    for (const [i, p] of fixed.entries()) {
      const cl = await connectMqtt(collector.mqttUrl, { username: p.mqtt_username, password: p.mqtt_password });
      const status = {
        state: 'online' as const, software_version: '0.1.0', started_ts_ms: now - 60_000, uptime_s: 60, position: { ...positions[i]!, position_source: 'config' as const },
        sources: [], outbox_depth: 0, detections_total: 0,
      };
      await publishAndWait(cl, statusTopic(p.site, p.probe), JSON.stringify(p.factory.make('status', status)), { retain: true });
      const heard = gen.generate([fixedProbe(`${p.site}/${p.probe}`, positions[i]!)], accesses).get(`${p.site}/${p.probe}`)!;
      await publishAndWait(cl, observationTopic(p.site, p.probe), JSON.stringify(p.factory.make('observation', { observations: heard })));
      await endMqtt(cl);
    }
    await waitFor(async () => {
      await collector.dens!.idle();
      const d = (await collector.store.dens.listDens({ limit: 5 }))[0];
      return d?.estimate?.inputs.rssi_bins === 3 ? d : undefined;
    }, 'the den located with three probes', 30_000);
    chromium = await launchChromium({ viewport: { width: 1400, height: 900 } });
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await collector?.close();
  });

  it('draws the den (point inside its ellipse, the true den inside too), heatmap, timeline, slider, export, checks and guidance', async () => {
    const den = (await collector.store.dens.listDens({ limit: 5 }))[0]!;
    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${collector.httpUrl}/#token=${encodeURIComponent(user.token)}`);
    await page.waitForSelector('body[data-dens-loaded="1"]', { timeout: 20_000 });
    await expect.poll(() => page.locator(`path.den-ellipse[data-den-id="${den.id}"]`).count()).toBe(1);
    await expect.poll(() => page.locator(`path.den-point[data-den-id="${den.id}"]`).count()).toBe(1);
    expect(await page.locator('path.den-ring').count()).toBe(2);
    // The offline base map: vector tiles drawn by protomaps-leaflet from the collector.
    await expect.poll(() => page.evaluate(() => document.body.dataset.basemap)).toBe('vector');
    await expect.poll(() => page.locator('.leaflet-tile-loaded').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // The attribution is shown as text (Leaflet would render HTML).
    expect(await page.locator('.leaflet-control-attribution').innerText()).toContain('<b>Natural Earth</b>');
    expect(await page.locator('.leaflet-control-attribution b').count()).toBe(0);

    // Select the den: heatmap, den page and timeline.
    await page.locator(`li.den[data-den-id="${den.id}"]`).click();
    await expect.poll(() => page.locator(`img.den-heatmap[data-den-id="${den.id}"]`).count()).toBe(1);
    await expect.poll(() => page.locator('#timeline li').count()).toBeGreaterThan(4);
    const kinds = await page.locator('#timeline li').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind));
    for (const k of ['detection', 'observation', 'estimate', 'state']) expect(kinds).toContain(k);
    expect(await page.locator('#den-detail').innerText()).toContain('path loss fitted');

    // Screenshot check: the point (cyan) inside the ellipse (magenta) outline, and so is the true den.
    // Markers and tooltips off the ellipse are hidden for the pixel count only.
    await page.mouse.move(5, 5);
    const mapBox = (await page.locator('#map').boundingBox())!;
    const legend = (await page.locator('#legend').boundingBox())!;
    const onMap = (p: { x: number; y: number }) => p.x >= mapBox.x && p.x < mapBox.x + mapBox.width &&
      !(p.x >= legend.x && p.x <= legend.x + legend.width && p.y >= legend.y && p.y <= legend.y + legend.height);
    const shot = join(dir, 'den-page.png');
    await page.screenshot({ path: shot });
    console.info(`screenshot: ${shot}`);
    const png = PNG.sync.read(readFileSync(shot));
    const ellipse = pixelsOf(png, ELLIPSE_RGB).filter(onMap);
    const point = pixelsOf(png, POINT_RGB, 30).filter(onMap);
    expect(ellipse.length).toBeGreaterThan(100);
    expect(point.length).toBeGreaterThan(20);
    const pointCentre = { x: point.reduce((a, p) => a + p.x, 0) / point.length, y: point.reduce((a, p) => a + p.y, 0) / point.length };
    expect(insideOutline(ellipse, pointCentre)).toBe(true);
    const truth = (await page.evaluate(`(() => { const p = window.simhound.map.latLngToContainerPoint([${DEN.lat_deg}, ${DEN.lon_deg}]); return { x: p.x, y: p.y }; })()`)) as { x: number; y: number };
    expect(insideOutline(ellipse, { x: truth.x + mapBox.x, y: truth.y + mapBox.y })).toBe(true);
    // And a point well outside is not (the check can fail).
    expect(insideOutline(ellipse, { x: mapBox.x + 5, y: mapBox.y + 5 })).toBe(false);

    // Export GeoJSON through the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'GeoJSON' }).click()]);
    const fc = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(fc.features.map((f: { properties: { kind: string } }) => f.properties.kind)).toContain('ellipse_95');
    // Re-verify the signed envelopes.
    await page.getByRole('button', { name: 'verify evidence' }).click();
    await expect.poll(() => page.locator('#den-action-status').innerText()).toMatch(/^5\/5 signed envelopes verified$/);

    // Fox hunt: click where the unit stands, 500 m east of the estimate.
    const start = destination(den.estimate!.ml_point, 90, 500);
    const sp = (await page.evaluate(`(() => { const p = window.simhound.map.latLngToContainerPoint([${start.lat_deg}, ${start.lon_deg}]); return { x: p.x, y: p.y }; })()`)) as { x: number; y: number };
    await page.mouse.click(mapBox.x + sp.x, mapBox.y + sp.y);
    await expect.poll(() => page.locator('#guidance').innerText()).toMatch(/walk \d+ m toward (2[4-9]\d|30\d)°/);
    expect(await page.locator('path.guidance-line').count()).toBe(1);

    // Time slider: before any estimate existed there is no ellipse; back to live it returns.
    await page.locator('#time-slider').fill('0');
    await expect.poll(() => page.locator('path.den-ellipse').count()).toBe(0);
    expect(await page.locator('#time-label').innerText()).not.toBe('live');
    await page.locator('#time-slider').fill('1000');
    await expect.poll(() => page.locator('path.den-ellipse').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
