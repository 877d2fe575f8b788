// Spherical-earth geometry for the map: distances, bearings, destination points, TA-ring polygons and
// the point of a ring nearest a probe. Plain ES module with no imports so a test can load it alone.
// Accuracy: the sphere is within ~0.5 % of WGS-84 distances, far finer than a 553.5 m TA step.

export const EARTH_RADIUS_M = 6371008.8;
const rad = (deg) => (deg * Math.PI) / 180;
const deg = (r) => (r * 180) / Math.PI;

/** Great-circle distance in metres between {lat_deg, lon_deg} points. */
export function distanceM(a, b) {
  const dLat = rad(b.lat_deg - a.lat_deg);
  const dLon = rad(b.lon_deg - a.lon_deg);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat_deg)) * Math.cos(rad(b.lat_deg)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b, degrees clockwise from north. */
export function bearingDeg(a, b) {
  const y = Math.sin(rad(b.lon_deg - a.lon_deg)) * Math.cos(rad(b.lat_deg));
  const x = Math.cos(rad(a.lat_deg)) * Math.sin(rad(b.lat_deg)) - Math.sin(rad(a.lat_deg)) * Math.cos(rad(b.lat_deg)) * Math.cos(rad(b.lon_deg - a.lon_deg));
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

/** The point `distance_m` from `start` along `bearing_deg`. */
export function destination(start, bearing_deg, distance_m) {
  const delta = distance_m / EARTH_RADIUS_M;
  const theta = rad(bearing_deg);
  const phi1 = rad(start.lat_deg);
  const lambda1 = rad(start.lon_deg);
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta));
  const lambda2 = lambda1 + Math.atan2(Math.sin(theta) * Math.sin(delta) * Math.cos(phi1), Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2));
  return { lat_deg: deg(phi2), lon_deg: ((deg(lambda2) + 540) % 360) - 180 };
}

/** A circle of radius_m around centre as [lat, lon] pairs (Leaflet order). */
export function circleLatLngs(centre, radius_m, vertices = 96) {
  const out = [];
  for (let i = 0; i < vertices; i += 1) {
    const p = destination(centre, (360 * i) / vertices, radius_m);
    out.push([p.lat_deg, p.lon_deg]);
  }
  return out;
}

/** Outer and inner rings of the TA annulus, for L.polygon([outer, inner]) (the inner ring is a hole). */
export function annulusLatLngs(centre, range_min_m, range_max_m) {
  const outer = circleLatLngs(centre, range_max_m);
  return range_min_m > 0 ? [outer, circleLatLngs(centre, range_min_m).reverse()] : [outer];
}

/**
 * The point of the annulus [range_min_m, range_max_m] around `cell` nearest to `probe`: along the
 * bearing cell→probe at the probe's distance clamped into the ring. Coarse by design: a TA ring says
 * nothing about direction; the probe's side is only the most likely side for a probe that hears it.
 */
export function nearestRingPoint(cell, probe, range_min_m, range_max_m) {
  const d = distanceM(cell, probe);
  const r = Math.min(Math.max(d, range_min_m), range_max_m);
  const bearing = d < 0.01 ? 0 : bearingDeg(cell, probe);
  return destination(cell, bearing, r);
}
