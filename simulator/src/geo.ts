/**
 * The simulator's geodesy is the project's one geo module (@simhound/geo: WGS-84 through GeographicLib);
 * this file only re-exports what the world uses, so simulator code keeps importing '../geo.js'.
 */
import { LocalProjection as GeoLocalProjection, type LatLon } from '@simhound/geo';

export { EARTH_RADIUS_M, destination, distanceM, type LatLon } from '@simhound/geo';

/**
 * The world's flat plane about an origin (x east, y north, metres): @simhound/geo's azimuthal-equidistant
 * projection (scale error < 1e-5 within 20 km), with the per-axis accessors the world's code uses. The
 * world projects its cells, areas, sites and routes once when it is built; its hot paths are arithmetic.
 */
export class LocalProjection extends GeoLocalProjection {
  x(p: LatLon): number {
    return this.toXY(p).x;
  }

  y(p: LatLon): number {
    return this.toXY(p).y;
  }
}
