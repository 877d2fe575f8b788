/**
 * `simhound basemap`: cuts an offline base map (MBTiles with vector tiles in the Protomaps basemap
 * layer names, so the page's protomaps-leaflet draws it) for an area from data that ships in packages:
 * Natural Earth 1:10m country polygons and borders (public domain, npm `world-atlas`) as `earth` and
 * `boundaries`, plus the cell database's towers as `simhound_cells`. A deployment with internet access
 * uses an OpenStreetMap extract instead (docs/basemap.md); this is the fallback the demo and tests use.
 *
 * Tiles: geojson-vt slices, vt-pbf encodes (Mapbox Vector Tile 2), gzip as MBTiles readers expect.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import GeoJSONVT from 'geojson-vt';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

const require = createRequire(import.meta.url);
const vtpbf = require('vt-pbf') as { fromGeojsonVt(layers: Record<string, unknown>, options?: { version?: number; extent?: number }): Uint8Array };

export const NATURAL_EARTH_ATTRIBUTION = 'Natural Earth (public domain) via world-atlas';

export interface BasemapCell {
  lat_deg: number;
  lon_deg: number;
  mcc: string;
  mnc: string;
  lac: number;
  ci: number;
  radio: string;
}

export interface MakeBasemapOptions {
  /** [west, south, east, north] */
  bbox: [number, number, number, number];
  min_zoom: number;
  max_zoom: number;
  cells: readonly BasemapCell[];
  out: string;
  attribution?: string;
}

export interface BasemapReport {
  path: string;
  tiles: number;
  bytes: number;
  layers: string[];
}

/** XYZ tile range covering a bbox at zoom z (Web Mercator). */
export function tileRange(bbox: [number, number, number, number], z: number): { x0: number; x1: number; y0: number; y1: number } {
  const n = 2 ** z;
  const tx = (lon: number) => Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
  const ty = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)));
  };
  return { x0: tx(bbox[0]), x1: tx(bbox[2]), y0: ty(bbox[3]), y1: ty(bbox[1]) };
}

function overlaps(g: Geometry, bbox: [number, number, number, number]): boolean {
  let hit = false;
  const visit = (c: unknown): void => {
    if (hit || !Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [lon, lat] = c as number[];
      if (lon! >= bbox[0] && lon! <= bbox[2] && lat! >= bbox[1] && lat! <= bbox[3]) hit = true;
      return;
    }
    for (const x of c) visit(x);
  };
  visit((g as { coordinates?: unknown }).coordinates);
  return hit;
}

export function makeBasemap(o: MakeBasemapOptions): BasemapReport {
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-10m.json'), 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const countries = feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  // Countries within 2° of the area (their polygons carry the area's land and borders).
  const wide: [number, number, number, number] = [o.bbox[0] - 2, o.bbox[1] - 2, o.bbox[2] + 2, o.bbox[3] + 2];
  const near = countries.features.filter((f) => f.geometry && overlaps(f.geometry, wide));
  const earth: FeatureCollection = { type: 'FeatureCollection', features: near.map((f) => ({ type: 'Feature', properties: { kind: 'earth', name: f.properties.name }, geometry: f.geometry })) };
  const borders = mesh(topo, topo.objects.countries, (a, b) => a !== b);
  const boundaries: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'country', kind_detail: 2 }, geometry: borders }] };
  const cells: FeatureCollection = {
    type: 'FeatureCollection',
    features: o.cells.map((c): Feature => ({ type: 'Feature', properties: { kind: 'cell_tower', radio: c.radio, mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci }, geometry: { type: 'Point', coordinates: [c.lon_deg, c.lat_deg] } })),
  };
  const vtOptions = { maxZoom: o.max_zoom, indexMaxZoom: o.max_zoom, extent: 4096, buffer: 64, tolerance: 3 };
  const layers = { earth: new GeoJSONVT(earth, vtOptions), boundaries: new GeoJSONVT(boundaries, vtOptions), simhound_cells: new GeoJSONVT(cells, vtOptions) };

  if (existsSync(o.out)) rmSync(o.out);
  const db = new Database(o.out);
  const attribution = o.attribution ?? `${NATURAL_EARTH_ATTRIBUTION}; cells: OpenCelliD (CC BY-SA 4.0)`;
  let tiles = 0;
  let bytes = 0;
  db.transaction(() => {
    db.exec(`CREATE TABLE metadata (name TEXT, value TEXT);
      CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
      CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
    const meta = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
    const put = db.prepare('INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)');
    for (let z = o.min_zoom; z <= o.max_zoom; z++) {
      const r = tileRange(o.bbox, z);
      for (let x = r.x0; x <= r.x1; x++) {
        for (let y = r.y0; y <= r.y1; y++) {
          const parts: Record<string, unknown> = {};
          for (const [name, index] of Object.entries(layers)) {
            const t = index.getTile(z, x, y);
            if (t) parts[name] = t;
          }
          if (Object.keys(parts).length === 0) continue;
          const data = gzipSync(vtpbf.fromGeojsonVt(parts, { version: 2, extent: 4096 }));
          put.run(z, x, (1 << z) - 1 - y, data);
          tiles++;
          bytes += data.length;
        }
      }
    }
    const vectorLayers = [
      { id: 'earth', fields: { kind: 'String', name: 'String' } },
      { id: 'boundaries', fields: { kind: 'String', kind_detail: 'Number' } },
      { id: 'simhound_cells', fields: { kind: 'String', radio: 'String', mcc: 'String', mnc: 'String', lac: 'Number', ci: 'Number' } },
    ].map((l) => ({ ...l, minzoom: o.min_zoom, maxzoom: o.max_zoom }));
    for (const [k, v] of Object.entries({
      name: 'simhound offline base map', format: 'pbf', type: 'baselayer', version: '1',
      bounds: o.bbox.join(','), center: `${(o.bbox[0] + o.bbox[2]) / 2},${(o.bbox[1] + o.bbox[3]) / 2},${o.min_zoom + 2}`,
      minzoom: String(o.min_zoom), maxzoom: String(o.max_zoom), attribution, json: JSON.stringify({ vector_layers: vectorLayers }),
    })) meta.run(k, v);
  })();
  db.close();
  return { path: o.out, tiles, bytes, layers: Object.keys(layers) };
}
