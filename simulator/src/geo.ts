/**
 * Small spherical-earth helpers for the simulator's world (distances of a few km: the spherical model's
 * error, < 0.5 %, is far below one Timing Advance step).
 */

export const EARTH_RADIUS_M = 6_371_008.8;

export interface LatLon {
  lat_deg: number;
  lon_deg: number;
}

const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** Great-circle distance (haversine). */
export function distanceM(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat_deg - a.lat_deg);
  const dLon = rad(b.lon_deg - a.lon_deg);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat_deg)) * Math.cos(rad(b.lat_deg)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point `distance_m` from `origin` along initial bearing `bearing_deg` (clockwise from north). */
export function destination(origin: LatLon, bearing_deg: number, distance_m: number): LatLon {
  const d = distance_m / EARTH_RADIUS_M;
  const b = rad(bearing_deg);
  const lat1 = rad(origin.lat_deg);
  const lon1 = rad(origin.lon_deg);
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 = lon1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat_deg: deg(lat2), lon_deg: ((deg(lon2) + 540) % 360) - 180 };
}

/**
 * A local flat projection (equirectangular about an origin): x east, y north, in metres. Within a city
 * (< 20 km) its distance error is well under 0.1 %, and it makes the world's hot paths plain arithmetic.
 */
export class LocalProjection {
  private readonly kx: number;
  private readonly ky: number;

  constructor(readonly origin: LatLon) {
    this.ky = (Math.PI / 180) * EARTH_RADIUS_M;
    this.kx = this.ky * Math.cos((origin.lat_deg * Math.PI) / 180);
  }

  x(p: LatLon): number {
    return (p.lon_deg - this.origin.lon_deg) * this.kx;
  }

  y(p: LatLon): number {
    return (p.lat_deg - this.origin.lat_deg) * this.ky;
  }

  toLatLon(x: number, y: number): LatLon {
    return { lat_deg: this.origin.lat_deg + y / this.ky, lon_deg: this.origin.lon_deg + x / this.kx };
  }
}
