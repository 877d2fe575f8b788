import { describe, expect, it } from 'vitest';
import { LocalProjection, distanceM, ellipseLatLngs, insideEllipse, nearestRingPoint, annulusLatLngs } from '../src/index.js';

describe('LocalProjection (azimuthal equidistant)', () => {
  const proj = new LocalProjection({ lat_deg: -29.31, lon_deg: 27.48 });

  it('round-trips points within 20 km to under a millimetre', () => {
    for (const [x, y] of [[0, 0], [10_000, -10_000], [-7_300, 4_100], [1, 1]] as const) {
      const p = proj.toLatLon(x, y);
      const back = proj.toXY(p);
      expect(Math.hypot(back.x - x, back.y - y)).toBeLessThan(1e-3);
    }
  });

  it('keeps plane distances between any two points of a 20 km square within 1e-5 of the geodesic', () => {
    const pts = [[-10_000, -10_000], [10_000, 10_000], [-10_000, 10_000], [3_000, -8_000]] as const;
    for (const a of pts) {
      for (const b of pts) {
        if (a === b) continue;
        const plane = Math.hypot(a[0] - b[0], a[1] - b[1]);
        const geo = distanceM(proj.toLatLon(a[0], a[1]), proj.toLatLon(b[0], b[1]));
        expect(Math.abs(plane / geo - 1)).toBeLessThan(1e-5);
      }
    }
  });

  it('puts north on +y and east on +x', () => {
    expect(proj.toLatLon(0, 1000).lat_deg).toBeGreaterThan(-29.31);
    expect(proj.toLatLon(1000, 0).lon_deg).toBeGreaterThan(27.48);
  });
});

describe('shapes', () => {
  const centre = { lat_deg: -29.32, lon_deg: 27.49 };

  it('draws an ellipse whose vertices lie on it and whose inside test agrees', () => {
    const e = { centre, semi_major_m: 300, semi_minor_m: 100, orientation_deg: 30 };
    const ring = ellipseLatLngs(e, 36);
    const dist = ring.map(([lat, lon]) => distanceM(centre, { lat_deg: lat, lon_deg: lon }));
    expect(Math.max(...dist)).toBeCloseTo(300, 0);
    expect(Math.min(...dist)).toBeCloseTo(100, 0);
    const proj = new LocalProjection(centre);
    const along = (d: number) => proj.toLatLon(d * Math.sin(Math.PI / 6), d * Math.cos(Math.PI / 6));
    expect(insideEllipse(e, along(290))).toBe(true);
    expect(insideEllipse(e, along(310))).toBe(false);
    expect(insideEllipse(e, proj.toLatLon(110 * Math.cos(Math.PI / 6), -110 * Math.sin(Math.PI / 6)))).toBe(false);
  });

  it('puts the nearest ring point on the ring, toward the probe', () => {
    const probe = { lat_deg: -29.30, lon_deg: 27.52 };
    const p = nearestRingPoint(centre, probe, 1107, 1660.5);
    expect(distanceM(centre, p)).toBeCloseTo(1660.5, 3);
    expect(distanceM(centre, p) + distanceM(p, probe) - distanceM(centre, probe)).toBeLessThan(0.01);
    expect(annulusLatLngs(centre, 0, 553.5)).toHaveLength(1);
    expect(annulusLatLngs(centre, 553.5, 1107)).toHaveLength(2);
  });
});
