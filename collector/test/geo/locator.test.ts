/**
 * The location engine on simulated measurements (the simulator's uplink channel: path loss, building
 * and facade losses, correlated shadowing, Rayleigh fading, per-probe calibration errors) against the
 * den's true position, and its bookkeeping (incremental sums equal a fresh computation, heatmap peak,
 * prior, pruning).
 */
import { describe, expect, it } from 'vitest';
import { bearingDeg, destination, distanceM, insideEllipse } from '@simhound/geo';
import { DenUplinkGenerator, createRandom, fixedProbe } from '@simhound/simulator';
import { BuiltUpPrior } from '../../src/geo/built-up-prior.js';
import { ellipseFromCovariance, Locator } from '../../src/geo/locator.js';

const ORIGIN = { lat_deg: -29.315, lon_deg: 27.485 };
// Real Maseru towers of two operators (the demo's cell list).
const CELL_A = { lat_deg: -29.31015, lon_deg: 27.491226 };
const CELL_B = { lat_deg: -29.33955, lon_deg: 27.464989 };
const DEN = { lat_deg: -29.3262, lon_deg: 27.4905 };

function ringFor(cell: typeof CELL_A, excess_m = 40) {
  const k = Math.floor((distanceM(DEN, cell) + excess_m) / 553.5);
  return { cell, range_min_m: k * 553.5, range_max_m: (k + 1) * 553.5 };
}

function fixedScene(seed: number) {
  const rnd = createRandom(seed);
  const probes = [10, 130, 250].map((b, i) => fixedProbe(`maseru/p${i}`, destination(DEN, b, 300 + 50 * i)));
  const gen = new DenUplinkGenerator(DEN, rnd.fork('uplink'));
  const accesses = Array.from({ length: 400 }, (_, i) => ({ ts_ms: i * 3000, fn: (i * 650) % 2715648, ra: 0xa0 + (i % 32), arfcn: 18, cell: null, ta_steps: null }));
  const heard = gen.generate(probes, accesses);
  const bursts = probes.flatMap((p) => heard.get(p.id)!.map((o) => ({ position: p.positionAt(o.ts_ms), rssi_dbm: o.rssi_dbm, probe: p.id, moving: false })));
  return { probes, bursts };
}

describe('Locator', () => {
  it('TA rings alone: the den lies in the ring intersection region and inside the ellipse', () => {
    const loc = new Locator(ORIGIN);
    loc.setRings([ringFor(CELL_A), ringFor(CELL_B)]);
    const e = loc.estimate();
    expect(insideEllipse(e.ellipse_95, DEN)).toBe(true);
    expect(e.grid.admissible_tiles).toBeLessThan(400); // of 63 × 63 = 3969: the rings prune the rest
    expect(e.inputs).toMatchObject({ rings: 2, rssi_bins: 0, bearings: 0, prior: false });
  });

  it('rings + 3 fixed probes: the region shrinks, the ML point is within 300 m and the ellipse holds the den', () => {
    const { bursts } = fixedScene(11);
    const loc = new Locator(ORIGIN);
    loc.setRings([ringFor(CELL_A), ringFor(CELL_B)]);
    const taOnly = loc.estimate();
    loc.setBursts(bursts);
    const e = loc.estimate();
    expect(e.hpd95_area_m2).toBeLessThan(taOnly.hpd95_area_m2);
    expect(distanceM(e.ml_point, DEN)).toBeLessThan(300);
    expect(insideEllipse(e.ellipse_95, DEN)).toBe(true);
    expect(e.path_loss!.exponent).toBeGreaterThan(2);
    expect(e.path_loss!.exponent).toBeLessThan(4.5);
    expect(e.inputs.rssi_bins).toBe(3);
  });

  it('adding bursts bit by bit gives the same posterior as adding them at once', () => {
    const { bursts } = fixedScene(12);
    const walker = Array.from({ length: 60 }, (_, i) => ({ position: destination(DEN, 200, 150 - i * 2), rssi_dbm: -80 - (i % 7), probe: 'maseru/walker', moving: true }));
    const all = [...bursts, ...walker];
    const once = new Locator(ORIGIN);
    once.setRings([ringFor(CELL_A)]);
    once.setBursts(all);
    const a = once.estimate();
    const stepwise = new Locator(ORIGIN);
    stepwise.setRings([ringFor(CELL_A)]);
    stepwise.estimate();
    for (let i = 0; i < all.length; i += 37) {
      stepwise.addBursts(all.slice(i, i + 37));
      stepwise.estimate();
    }
    const b = stepwise.estimate();
    expect(distanceM(a.ml_point, b.ml_point)).toBeLessThan(0.01);
    expect(b.covariance_m2.xx).toBeCloseTo(a.covariance_m2.xx, 3);
    expect(b.covariance_m2.xy).toBeCloseTo(a.covariance_m2.xy, 3);
  });

  it('a bearing from a probe narrows the estimate along its ray', () => {
    const loc = new Locator(ORIGIN);
    loc.setRings([ringFor(CELL_A), ringFor(CELL_B)]);
    const before = loc.estimate();
    const probe = destination(DEN, 300, 600);
    loc.setBearings([{ position: probe, bearing_deg: bearingDeg(probe, DEN) + 2, bearing_std_deg: 5 }]);
    const after = loc.estimate();
    expect(after.hpd95_area_m2).toBeLessThan(before.hpd95_area_m2 / 2);
    expect(insideEllipse(after.ellipse_95, DEN)).toBe(true);
  });

  it('renders a heatmap whose brightest pixel is at the ML point', () => {
    const { bursts } = fixedScene(13);
    const loc = new Locator(ORIGIN);
    loc.setRings([ringFor(CELL_A), ringFor(CELL_B)]);
    loc.setBursts(bursts);
    const e = loc.estimate();
    const bbox = { west: e.ml_point.lon_deg - 0.01, east: e.ml_point.lon_deg + 0.01, south: e.ml_point.lat_deg - 0.01, north: e.ml_point.lat_deg + 0.01 };
    const h = loc.heatmap(bbox, 201, 201);
    let best = 0;
    let at = 0;
    h.values.forEach((v, i) => {
      if (v > best) {
        best = v;
        at = i;
      }
    });
    expect(best).toBe(255);
    const px = at % 201;
    const py = Math.floor(at / 201);
    const p = { lat_deg: bbox.north + ((bbox.south - bbox.north) * (py + 0.5)) / 201, lon_deg: bbox.west + ((bbox.east - bbox.west) * (px + 0.5)) / 201 };
    expect(distanceM(p, e.ml_point)).toBeLessThan(15);
  });

  it('a built-up prior moves mass into the polygons', () => {
    const loc = new Locator(ORIGIN);
    loc.setRings([ringFor(CELL_A)]);
    const c = loc.projection.toXY(DEN);
    const square = [[c.x - 200, c.y - 200], [c.x + 200, c.y - 200], [c.x + 200, c.y + 200], [c.x - 200, c.y + 200], [c.x - 200, c.y - 200]]
      .map(([x, y]) => loc.projection.toLatLon(x!, y!)).map((p) => [p.lon_deg, p.lat_deg]);
    const prior = BuiltUpPrior.fromGeoJson({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square] } }] }, loc.projection, { outside_weight: 0.01 });
    expect(prior.ok).toBe(true);
    if (!prior.ok) return;
    expect(prior.value.at(c.x, c.y)).toBe(0);
    expect(prior.value.at(c.x + 300, c.y)).toBeCloseTo(Math.log(0.01));
    const without = loc.estimate();
    loc.setPrior(prior.value);
    const withPrior = loc.estimate();
    expect(distanceM(withPrior.mean_point, DEN)).toBeLessThan(distanceM(without.mean_point, DEN));
    expect(BuiltUpPrior.fromGeoJson({ type: 'Nonsense' }, loc.projection, { outside_weight: 0.1 })).toEqual({ ok: false, reason: 'not_geojson' });
  });
});

describe('ellipseFromCovariance', () => {
  it('gives axis-aligned and rotated ellipses', () => {
    expect(ellipseFromCovariance(400, 0, 100, 1)).toMatchObject({ semi_major_m: 20, semi_minor_m: 10, orientation_deg: 90 });
    expect(ellipseFromCovariance(100, 0, 400, 1)).toMatchObject({ semi_major_m: 20, semi_minor_m: 10, orientation_deg: 0 });
    const r = ellipseFromCovariance(250, 150, 250, 1); // major along north-east
    expect(r.orientation_deg).toBeCloseTo(45, 6);
    expect(r.semi_major_m).toBeCloseTo(20, 6);
  });
});
