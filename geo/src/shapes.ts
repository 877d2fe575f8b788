/**
 * Shapes for maps and exports, as [lat, lon] vertex lists (Leaflet's order) or GeoJSON-ready points:
 * circles and Timing-Advance annuli around a cell, the ring point nearest a probe, and confidence
 * ellipses given in a local plane. All geodesy goes through geodesic.ts / local-projection.ts.
 *
 * Must not draw or touch the DOM (the page does).
 */
import { bearingDeg, destination, distanceM, type LatLon } from './geodesic.js';
import { LocalProjection } from './local-projection.js';

export type LatLngPair = [number, number];

/** A circle of radius_m around centre, as [lat, lon] pairs. */
export function circleLatLngs(centre: LatLon, radius_m: number, vertices = 96): LatLngPair[] {
  const out: LatLngPair[] = [];
  for (let i = 0; i < vertices; i += 1) {
    const p = destination(centre, (360 * i) / vertices, radius_m);
    out.push([p.lat_deg, p.lon_deg]);
  }
  return out;
}

/** Outer and inner rings of a TA annulus (the inner ring, reversed, is the hole). */
export function annulusLatLngs(centre: LatLon, range_min_m: number, range_max_m: number): LatLngPair[][] {
  const outer = circleLatLngs(centre, range_max_m);
  return range_min_m > 0 ? [outer, circleLatLngs(centre, range_min_m).reverse()] : [outer];
}

/**
 * The point of the annulus [range_min_m, range_max_m] around `cell` nearest to `probe`: along the
 * bearing cell → probe at the probe's distance clamped into the ring.
 */
export function nearestRingPoint(cell: LatLon, probe: LatLon, range_min_m: number, range_max_m: number): LatLon {
  const d = distanceM(cell, probe);
  const r = Math.min(Math.max(d, range_min_m), range_max_m);
  const bearing = d < 0.01 ? 0 : bearingDeg(cell, probe);
  return destination(cell, bearing, r);
}

/** A confidence ellipse: centre, semi-axes in metres, and the major axis' bearing (degrees from north). */
export interface EllipseSpec {
  centre: LatLon;
  semi_major_m: number;
  semi_minor_m: number;
  /** Bearing of the major axis, degrees clockwise from north, in [0, 180). */
  orientation_deg: number;
}

/** Vertices of an ellipse on the map (computed in the local plane about its centre). */
export function ellipseLatLngs(e: EllipseSpec, vertices = 72): LatLngPair[] {
  const proj = new LocalProjection(e.centre);
  const th = (e.orientation_deg * Math.PI) / 180;
  // Major-axis unit vector in (east, north): bearing θ → (sin θ, cos θ).
  const ux = Math.sin(th);
  const uy = Math.cos(th);
  const out: LatLngPair[] = [];
  for (let i = 0; i < vertices; i += 1) {
    const t = (2 * Math.PI * i) / vertices;
    const a = e.semi_major_m * Math.cos(t);
    const b = e.semi_minor_m * Math.sin(t);
    const p = proj.toLatLon(a * ux + b * uy, a * uy - b * ux);
    out.push([p.lat_deg, p.lon_deg]);
  }
  return out;
}

/** Whether a point lies inside an ellipse (in the ellipse's local plane). */
export function insideEllipse(e: EllipseSpec, p: LatLon): boolean {
  const { x, y } = new LocalProjection(e.centre).toXY(p);
  const th = (e.orientation_deg * Math.PI) / 180;
  const along = x * Math.sin(th) + y * Math.cos(th);
  const across = x * Math.cos(th) - y * Math.sin(th);
  if (e.semi_major_m <= 0 || e.semi_minor_m <= 0) return false;
  return (along / e.semi_major_m) ** 2 + (across / e.semi_minor_m) ** 2 <= 1;
}
