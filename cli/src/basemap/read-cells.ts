/** Towers of an OpenCelliD-format CSV within a bbox, parsed with the collector's own CSV reader. */
import { readFileSync } from 'node:fs';
import { OPENCELLID_ORDER, isHeaderlessRow, mapHeader, parseCellRow, splitCsvLine, type ColumnMap } from '@simhound/collector';
import type { BasemapCell } from '@simhound/collector';

export function readCellsInBbox(path: string, bbox: [number, number, number, number]): BasemapCell[] {
  const out: BasemapCell[] = [];
  let columns: ColumnMap | null = null;
  for (const [i, raw] of readFileSync(path, 'utf8').split(/\r?\n/).entries()) {
    const line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    const split = splitCsvLine(line);
    if (!split.ok) continue;
    if (columns === null) {
      if (isHeaderlessRow(split.value)) columns = OPENCELLID_ORDER;
      else {
        const m = mapHeader(split.value);
        if (!m.ok) throw new Error(`${path}: ${m.detail ?? m.reason}`);
        columns = m.value;
        continue;
      }
    }
    const row = parseCellRow(split.value, columns);
    if (!row.ok) continue;
    const c = row.value;
    if (c.lon_deg < bbox[0] || c.lon_deg > bbox[2] || c.lat_deg < bbox[1] || c.lat_deg > bbox[3]) continue;
    out.push({ lat_deg: c.lat_deg, lon_deg: c.lon_deg, mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci, radio: c.radio });
  }
  return out;
}
