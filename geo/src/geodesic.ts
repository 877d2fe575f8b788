/**
 * Distances, bearings and destination points on the WGS-84 ellipsoid, from GeographicLib's geodesic
 * routines (Karney 2013: accurate to nanometres, well kept, the reference every other tool is checked
 * against). The one place in simhound that does geodesy: the collector, the simulator and the web page
 * (through the browser build of this package) all call these, so no second great-circle formula exists.
 *
 * Must not hold state or do I/O.
 */
import geodesic from 'geographiclib-geodesic';

export interface LatLon {
  lat_deg: number;
  lon_deg: number;
}

const WGS84 = geodesic.Geodesic.WGS84;

/** Mean Earth radius (IUGG R1 = (2a + b) / 3), metres — for callers that need a scale, not for distances. */
export const EARTH_RADIUS_M = 6_371_008.8;

/** Normalises a longitude to [-180, 180). */
export function wrapLonDeg(lon_deg: number): number {
  return ((((lon_deg + 180) % 360) + 360) % 360) - 180;
}

/** Geodesic distance in metres between two points (WGS-84). */
export function distanceM(a: LatLon, b: LatLon): number {
  return WGS84.Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, geodesic.Geodesic.DISTANCE).s12 ?? 0;
}

/** Initial bearing (forward azimuth) from a to b, degrees clockwise from true north, in [0, 360). */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const azi = WGS84.Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, geodesic.Geodesic.AZIMUTH).azi1 ?? 0;
  return (azi + 360) % 360;
}

/** Distance and initial bearing in one call. */
export function inverse(a: LatLon, b: LatLon): { distance_m: number; bearing_deg: number } {
  const r = WGS84.Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, geodesic.Geodesic.DISTANCE | geodesic.Geodesic.AZIMUTH);
  return { distance_m: r.s12 ?? 0, bearing_deg: ((r.azi1 ?? 0) + 360) % 360 };
}

/** The point `distance_m` from `origin` along the geodesic leaving it at `bearing_deg`. */
export function destination(origin: LatLon, bearing_deg: number, distance_m: number): LatLon {
  const r = WGS84.Direct(origin.lat_deg, origin.lon_deg, bearing_deg, distance_m, geodesic.Geodesic.LATITUDE | geodesic.Geodesic.LONGITUDE);
  return { lat_deg: r.lat2!, lon_deg: wrapLonDeg(r.lon2!) };
}
