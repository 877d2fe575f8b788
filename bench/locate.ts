/**
 * Location engine benchmark (collector/src/geo/): a den in Maseru on a 20 × 20 km area at 10 m cells
 * (2016 × 2016 cells), TA rings of two operators' cells, three fixed probes and a fox hunt of 120 walker
 * bins (the simulator's uplink channel):
 *  (1) the update on one new uplink burst (addBursts + estimate), median of 60 updates, next to the same
 *      posterior computed densely over all 4 million cells without tiles or cached sums;
 *  (2) the same update for a den seen from one cell only (the widest posterior: a whole TA ring);
 *  (3) a heatmap viewport (256 × 256 px over ~2 × 2 km, + base64 as the API sends it), next to the same
 *      raster with an exact geodesic projection per pixel.
 *
 * Run alone: node --conditions=source --import tsx bench/locate.ts
 */
import { destination, distanceM, LocalProjection } from '../geo/src/index.js';
import { Locator } from '../collector/src/geo/locator.js';
import { UplinkRssiLikelihood } from '../collector/src/geo/uplink-rssi.js';
import { TaRingLikelihood } from '../collector/src/geo/ta-ring.js';
import { DenUplinkGenerator, createRandom, fixedProbe } from '../simulator/src/index.js';
import type { Figure } from './figure.js';

const DEN = { lat_deg: -29.3262, lon_deg: 27.4905 };
const ORIGIN = { lat_deg: -29.32, lon_deg: 27.48 };
const CELLS = [{ lat_deg: -29.31015, lon_deg: 27.491226 }, { lat_deg: -29.33955, lon_deg: 27.464989 }];

function ring(cell: (typeof CELLS)[number]) {
  const k = Math.floor((distanceM(DEN, cell) + 40) / 553.5);
  return { cell, range_min_m: k * 553.5, range_max_m: (k + 1) * 553.5 };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Bursts: 3 fixed probes (30 min) and a walker's 120 bins around the den. */
function measurements() {
  const rnd = createRandom(42);
  const gen = new DenUplinkGenerator(DEN, rnd.fork('uplink'));
  const probes = [20, 140, 260].map((b, i) => fixedProbe(`bench/fixed-${i}`, destination(DEN, b, 300 + 40 * i)));
  const accesses = Array.from({ length: 600 }, (_, i) => ({ ts_ms: i * 3000, fn: i, ra: 0xe0, arfcn: 18, cell: null, ta_steps: null }));
  const heard = gen.generate(probes, accesses);
  const fixed = probes.flatMap((p) => heard.get(p.id)!.map((o) => ({ position: p.positionAt(0), rssi_dbm: o.rssi_dbm, probe: p.id, moving: false })));
  const walker: typeof fixed = [];
  for (let k = 0; k < 120; k++) {
    // A spiral walk from 400 m in to 30 m, 5 bursts per 25 m stretch.
    const at = destination(DEN, k * 23, 400 - k * 3);
    const w = { id: 'bench/walker', moving: true, positionAt: () => at };
    for (let j = 0; j < 5; j++) {
      const o = gen.hear(w, { ts_ms: k * 1000 + j, fn: k, ra: 0xe0, arfcn: 18, cell: null, ta_steps: null });
      if (o) walker.push({ position: at, rssi_dbm: o.rssi_dbm, probe: 'bench/walker', moving: true });
    }
  }
  return { fixed, walker };
}

function updateTiming(rings: ReturnType<typeof ring>[], bursts: ReturnType<typeof measurements>): { ms: number; max: number; cells: number; bins: number } {
  const loc = new Locator(ORIGIN);
  loc.setRings(rings);
  const all = [...bursts.fixed, ...bursts.walker];
  const warm = all.length - 60;
  loc.setBursts(all.slice(0, warm));
  loc.estimate();
  const times: number[] = [];
  let cells = 0;
  for (let i = warm; i < all.length; i++) {
    const t0 = performance.now();
    loc.addBursts([all[i]!]);
    const e = loc.estimate();
    times.push(performance.now() - t0);
    cells = e.grid.refined_cells;
  }
  return { ms: median(times), max: Math.max(...times), cells, bins: loc.bins.length };
}

/** The same posterior over every cell of the area, no pruning, no cached sums. */
function denseTiming(rings: ReturnType<typeof ring>[], bursts: ReturnType<typeof measurements>): number {
  const proj = new LocalProjection(ORIGIN);
  const loc = new Locator(ORIGIN);
  loc.setBursts([...bursts.fixed, ...bursts.walker]);
  const rssi = new UplinkRssiLikelihood(loc.bins);
  const rs = rings.map((r) => ({ lik: new TaRingLikelihood(r.range_min_m, r.range_max_m), c: proj.toXY(r.cell) }));
  const n = 2016;
  const t0 = performance.now();
  let best = -Infinity;
  for (let j = 0; j < n; j++) {
    const y = -10_080 + (j + 0.5) * 10;
    for (let i = 0; i < n; i++) {
      const x = -10_080 + (i + 0.5) * 10;
      let lp = rssi.logLikelihoodAt(x, y);
      for (const r of rs) lp += r.lik.at(Math.hypot(x - r.c.x, y - r.c.y));
      if (lp > best) best = lp;
    }
  }
  return performance.now() - t0;
}

export async function benchLocate(): Promise<Figure[]> {
  const bursts = measurements();
  const two = [ring(CELLS[0]!), ring(CELLS[1]!)];
  const u2 = updateTiming(two, bursts);
  const u1 = updateTiming([ring(CELLS[0]!)], bursts);
  const dense = denseTiming(two, bursts);

  const loc = new Locator(ORIGIN);
  loc.setRings(two);
  loc.setBursts([...bursts.fixed, ...bursts.walker]);
  const e = loc.estimate();
  const c = e.ml_point;
  const bbox = { west: c.lon_deg - 0.0103, east: c.lon_deg + 0.0103, south: c.lat_deg - 0.009, north: c.lat_deg + 0.009 };
  const heat: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const h = loc.heatmap(bbox, 256, 256);
    Buffer.from(h.values).toString('base64');
    heat.push(performance.now() - t0);
  }
  // Reference raster: an exact geodesic projection for every pixel.
  const proj = loc.projection;
  const t0 = performance.now();
  for (let py = 0; py < 256; py++) {
    for (let px = 0; px < 256; px++) {
      const p = proj.toXY({ lat_deg: bbox.north + ((bbox.south - bbox.north) * (py + 0.5)) / 256, lon_deg: bbox.west + ((bbox.east - bbox.west) * (px + 0.5)) / 256 });
      loc.weightAt(p.x, p.y);
    }
  }
  const exactHeat = performance.now() - t0;

  const cmd = 'node --conditions=source --import tsx bench/locate.ts';
  return [
    {
      name: 'den_estimate_update_ms',
      description: `Den estimate update on one new uplink burst, 20 × 20 km at 10 m, 2 TA rings + 3 fixed probes + ${u2.bins - 3} walker bins (${u2.cells.toLocaleString('en-US')} cells refined), median of 60`,
      value: u2.ms, unit: 'ms',
      reference: 'same posterior evaluated densely over all 4,064,256 cells (no tiles, no cached sums)', reference_value: dense,
      ratio: dense / u2.ms,
      command: `${cmd} (benchLocate: updateTiming vs denseTiming)`,
    },
    {
      name: 'den_estimate_update_max_ms',
      description: 'Slowest of those 60 updates (tiles entering refinement get all bins summed)',
      value: u2.max, unit: 'ms',
      reference: 'same dense evaluation', reference_value: dense, ratio: dense / u2.max,
      command: `${cmd} (benchLocate: updateTiming, max)`,
    },
    {
      name: 'den_estimate_update_one_ring_ms',
      description: `Same update for a den seen from one cell only (a whole TA ring, ${u1.cells.toLocaleString('en-US')} cells refined)`,
      value: u1.ms, unit: 'ms',
      reference: 'same dense evaluation (2 rings)', reference_value: dense, ratio: dense / u1.ms,
      command: `${cmd} (benchLocate: updateTiming, one ring)`,
    },
    {
      name: 'heatmap_viewport_ms',
      description: 'Heatmap of a ~2 × 2 km viewport, 256 × 256 px, raster + base64 (what /api/dens/:id/heatmap does), median of 30',
      value: median(heat), unit: 'ms',
      reference: 'same raster with an exact geodesic projection per pixel', reference_value: exactHeat, ratio: exactHeat / median(heat),
      command: `${cmd} (benchLocate: heatmap)`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchLocate()) process.stdout.write(`${f.name}: ${f.value.toFixed(2)} ${f.unit} (reference ${f.reference_value?.toFixed(1)} → ${f.ratio?.toFixed(1)}×)\n`);
}
