/**
 * End to end through the demo wiring with real parts: simulator → UDP → edge agent → aedes (embedded,
 * authenticated) → collector → SQLite → HTTP API. The world runs 10× faster; the detection engine ticks on
 * receive time, so its first candidate comes after about a minute of wall clock, as in the real demo (whose
 * den, a GoIP-32, makes ~13 calls a minute).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@simhound/protocol';
import { insideEllipse } from '@simhound/geo';
import { startDemo, type RunningDemo } from '../src/commands/demo.js';

let demo: RunningDemo | null = null;
afterAll(async () => {
  await demo?.stop();
});

async function api<T>(d: RunningDemo, path: string): Promise<T> {
  const res = await fetch(`${d.collector.httpUrl}${path}`, { headers: { authorization: `Bearer ${d.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('simhound demo (aedes path)', () => {
  it('detects the hidden den on each of its serving cells at the true TA, each detection stored exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-demo-'));
    demo = await startDemo({ dataDir: dir, port: 0, windowS: 6, speed: 10 }, silentLogger);
    const d = demo;
    const truth = d.sim.truth;
    expect(truth.dens).toHaveLength(1);
    const expected = truth.dens[0]!.serving.map((s) => `${s.cell.ci}/${s.ta_steps}`).sort();

    type Det = { id: string; cell: { ci: number } | null; ta_steps: number; detector: string; evidence: { event_count: number } };
    let detections: Det[] = [];
    // The engine judges steadiness over at least a minute of receive time (6 bins of 10 s), whatever the
    // world's speed-up: the first candidate needs about 40–60 s of wall clock.
    const deadline = Date.now() + 100_000;
    while (Date.now() < deadline) {
      detections = (await api<{ detections: Det[] }>(d, '/api/detections?limit=100')).detections;
      const found = new Set(detections.map((x) => `${x.cell?.ci}/${x.ta_steps}`));
      if (expected.every((k) => found.has(k))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const found = detections.map((x) => `${x.cell?.ci}/${x.ta_steps}`);
    expect([...new Set(found)].sort()).toEqual(expected);
    // Exactly once: as many stored detections as the edge made, no duplicate ids.
    await new Promise((r) => setTimeout(r, 1000));
    const all = (await api<{ detections: Det[] }>(d, '/api/detections?limit=1000')).detections;
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    expect(all.length).toBe(d.edge.status().detections_total);
    // Nothing was rejected on the way: every envelope parsed, verified and was new.
    const stats = await d.collector.stats();
    expect(stats.ingest.rejected_total).toBe(0);
    const { probes } = await api<{ probes: Array<{ probe: string; status: { state: string } | null }> }>(d, '/api/probes');
    expect(probes.find((p) => p.probe === 'roof-1')?.status?.state).toBe('online');
  }, 150_000);

  it('makes one den from the candidates, sets up the uplink probes around it, and holds the true den in its ellipse', async () => {
    const d = demo!;
    const truth = d.sim.truth.dens[0]!;
    type Den = { id: string; places: Array<{ cell: { ci: number }; ta_steps: number }>; estimate: { ellipse_95: { centre: { lat_deg: number; lon_deg: number }; semi_major_m: number; semi_minor_m: number; orientation_deg: number }; inputs: { rssi_bins: number } } | null };
    let dens: Den[] = [];
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      dens = (await api<{ dens: Den[] }>(d, '/api/dens')).dens;
      if (dens.length > 0 && (dens[0]!.estimate?.inputs.rssi_bins ?? 0) >= 3) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(dens).toHaveLength(1);
    const den = dens[0]!;
    // Every place is one of the den's serving cells at a TA its BTS measured; every serving cell has a place.
    const measured = new Set(truth.serving.flatMap((s) => [s.ta_steps, ...s.ta_steps_observed].map((ta) => `${s.cell.ci}/${ta}`)));
    for (const p of den.places) expect(measured.has(`${p.cell.ci}/${p.ta_steps}`)).toBe(true);
    expect(new Set(den.places.map((p) => p.cell.ci))).toEqual(new Set(truth.serving.map((s) => s.cell.ci)));
    expect(den.estimate!.inputs.rssi_bins).toBeGreaterThanOrEqual(3);
    expect(insideEllipse(den.estimate!.ellipse_95, truth)).toBe(true);
    expect(d.uplink!.counters().fixed.every((p) => p !== null)).toBe(true);
    expect((await d.collector.stats()).ingest.rejected_total).toBe(0);
  }, 120_000);
});
