/**
 * The simulator's geodesy is the project's one geo module (@simhound/geo: WGS-84 through GeographicLib);
 * this file only re-exports what the world uses, so simulator code keeps importing '../geo.js'.
 */
export { EARTH_RADIUS_M, destination, distanceM, type LatLon } from '@simhound/geo';
