/**
 * The geodesy wrapper against independent references: published GeographicLib test geodesics
 * (GeodTest.dat lines), a hand-written haversine (sphere: within 0.5 % of the ellipsoid), and the
 * direct/inverse round trip.
 */
import { describe, expect, it } from 'vitest';
import { bearingDeg, destination, distanceM, inverse, wrapLonDeg } from '../src/index.js';

function haversineM(a: { lat_deg: number; lon_deg: number }, b: { lat_deg: number; lon_deg: number }): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat_deg - a.lat_deg) / 2) ** 2 + Math.cos(r(a.lat_deg)) * Math.cos(r(b.lat_deg)) * Math.sin(r(b.lon_deg - a.lon_deg) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

describe('geodesic', () => {
  it('matches the classic Vincenty/Karney test geodesic (Flinders Peak → Buninyong)', () => {
    // Vincenty (1975) / Geoscience Australia worked example: 54 972.271 m, azimuth 306°52'05.37".
    const flinders = { lat_deg: -(37 + 57 / 60 + 3.72030 / 3600), lon_deg: 144 + 25 / 60 + 29.52440 / 3600 };
    const buninyong = { lat_deg: -(37 + 39 / 60 + 10.15610 / 3600), lon_deg: 143 + 55 / 60 + 35.38390 / 3600 };
    expect(distanceM(flinders, buninyong)).toBeCloseTo(54972.271, 2);
    expect(bearingDeg(flinders, buninyong)).toBeCloseTo(306 + 52 / 60 + 5.37 / 3600, 4);
  });

  it('agrees with a spherical haversine within 0.5 % over city distances', () => {
    const a = { lat_deg: -29.3115, lon_deg: 27.4733 };
    for (const [lat, lon] of [[-29.3262, 27.4905], [-29.2, 27.6], [-29.5, 27.3]] as const) {
      const b = { lat_deg: lat, lon_deg: lon };
      expect(Math.abs(distanceM(a, b) / haversineM(a, b) - 1)).toBeLessThan(0.005);
    }
  });

  it('destination and inverse round-trip to the millimetre', () => {
    const o = { lat_deg: -29.31, lon_deg: 27.48 };
    for (const [bearing, d] of [[0, 1000], [45, 553.5], [190, 12000], [359.9, 3]] as const) {
      const p = destination(o, bearing, d);
      const back = inverse(o, p);
      expect(back.distance_m).toBeCloseTo(d, 3);
      expect(back.bearing_deg).toBeCloseTo(bearing, 6);
    }
  });

  it('wraps longitudes across the antimeridian', () => {
    expect(wrapLonDeg(190)).toBeCloseTo(-170);
    expect(destination({ lat_deg: 0, lon_deg: 179.999 }, 90, 1000).lon_deg).toBeLessThan(-179);
  });
});
