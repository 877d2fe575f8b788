/**
 * A prior over where dens can be: uniform, or built-up areas from a GeoJSON file (buildings, landuse
 * residential/commercial/industrial polygons cut from OpenStreetMap, or any polygons an analyst draws).
 * Inside a polygon the prior is 1, outside `outside_weight` (not 0: maps are incomplete). Polygons are
 * moved into the locator's local plane once; point-in-polygon is @turf/boolean-point-in-polygon (planar,
 * holes respected), tried only where the polygon's box covers the point.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { polygon as turfPolygon } from '@turf/helpers';
import type { Feature, Polygon } from 'geojson';
import type { LocalProjection } from '@simhound/geo';

export interface BuiltUpPriorConfig {
  /** Prior weight of a place outside every polygon, relative to inside (0 < w ≤ 1). */
  outside_weight: number;
}

type Ring = Array<[number, number]>;

interface PlanePolygon {
  feature: Feature<Polygon>;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export type PriorProblem = 'not_geojson' | 'no_polygons';

export class BuiltUpPrior {
  private readonly polygons: PlanePolygon[];
  readonly logOutside: number;

  private constructor(polygons: PlanePolygon[], config: BuiltUpPriorConfig) {
    this.polygons = polygons;
    this.logOutside = Math.log(Math.min(1, Math.max(1e-9, config.outside_weight)));
  }

  /** Build from a GeoJSON object (FeatureCollection, Feature, Polygon or MultiPolygon) in lon/lat. */
  static fromGeoJson(geojson: unknown, projection: LocalProjection, config: BuiltUpPriorConfig): { ok: true; value: BuiltUpPrior } | { ok: false; reason: PriorProblem } {
    const rings: Ring[][] = [];
    const visit = (g: unknown): boolean => {
      if (g === null || typeof g !== 'object') return false;
      const o = g as { type?: string; features?: unknown[]; geometry?: unknown; coordinates?: unknown; geometries?: unknown[] };
      switch (o.type) {
        case 'FeatureCollection':
          return Array.isArray(o.features) && o.features.every(visit);
        case 'Feature':
          return o.geometry === null || visit(o.geometry);
        case 'GeometryCollection':
          return Array.isArray(o.geometries) && o.geometries.every(visit);
        case 'Polygon':
          rings.push(o.coordinates as Ring[]);
          return true;
        case 'MultiPolygon':
          for (const p of o.coordinates as Ring[][]) rings.push(p);
          return true;
        case 'Point': case 'MultiPoint': case 'LineString': case 'MultiLineString':
          return true;
        default:
          return false;
      }
    };
    if (!visit(geojson)) return { ok: false, reason: 'not_geojson' };
    const polygons: PlanePolygon[] = [];
    for (const poly of rings) {
      const plane = poly.map((ring) => ring.map(([lon, lat]) => {
        const p = projection.toXY({ lat_deg: lat!, lon_deg: lon! });
        return [p.x, p.y] as [number, number];
      }));
      if (plane.length === 0 || plane[0]!.length < 4) continue;
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const [x, y] of plane[0]!) {
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
      polygons.push({ feature: turfPolygon(plane), x0, y0, x1, y1 });
    }
    if (polygons.length === 0) return { ok: false, reason: 'no_polygons' };
    return { ok: true, value: new BuiltUpPrior(polygons, config) };
  }

  /** Whether any polygon's bounding box meets the rectangle. */
  touches(x0: number, y0: number, x1: number, y1: number): boolean {
    return this.polygons.some((p) => p.x1 >= x0 && p.x0 <= x1 && p.y1 >= y0 && p.y0 <= y1);
  }

  /** Log prior at a point: 0 inside a polygon, log(outside_weight) outside. */
  at(x: number, y: number): number {
    for (const p of this.polygons) {
      if (x < p.x0 || x > p.x1 || y < p.y0 || y > p.y1) continue;
      if (booleanPointInPolygon([x, y], p.feature)) return 0;
    }
    return this.logOutside;
  }
}
