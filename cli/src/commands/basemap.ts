/**
 * `simhound basemap --bbox w,s,e,n --out map.mbtiles [--cells-csv cells.csv]`: cut the fallback offline
 * base map (Natural Earth borders + towers) for an area. For street-level maps cut one from
 * OpenStreetMap instead (docs/basemap.md) and point the collector's `basemap.path` at it.
 */
import { makeBasemap } from '@simhound/collector';
import { readCellsInBbox } from '../basemap/read-cells.js';
import { CliError, printLine } from '../output.js';

export interface BasemapOptions {
  bbox: string;
  out: string;
  cellsCsv?: string;
  minZoom: number;
  maxZoom: number;
}

export function parseBbox(text: string): [number, number, number, number] {
  const v = text.split(',').map(Number);
  if (v.length !== 4 || !v.every(Number.isFinite) || v[0]! >= v[2]! || v[1]! >= v[3]! || v[1]! < -85 || v[3]! > 85 || v[0]! < -180 || v[2]! > 180) {
    throw new CliError('--bbox: expected west,south,east,north in degrees (west < east, south < north, |lat| ≤ 85)', 2);
  }
  return v as [number, number, number, number];
}

export function basemapCommand(o: BasemapOptions): void {
  const bbox = parseBbox(o.bbox);
  if (!(o.minZoom >= 0 && o.maxZoom <= 18 && o.minZoom <= o.maxZoom)) throw new CliError('--min-zoom/--max-zoom: 0 ≤ min ≤ max ≤ 18', 2);
  const cells = o.cellsCsv ? readCellsInBbox(o.cellsCsv, bbox) : [];
  const r = makeBasemap({ bbox, min_zoom: o.minZoom, max_zoom: o.maxZoom, cells, out: o.out });
  printLine({ ...r, cells: cells.length });
}
