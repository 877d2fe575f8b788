/**
 * Cells and OpenCelliD-format CSV: the scenario's cells written as a CSV (so a collector imports the
 * same tower database), and real towers read from an export (OpenCelliD header or the pandas-style
 * header of the Lesotho file in shared/data/cells) and picked for a scenario — GSM rows around a
 * point, whole sites (co-located cells become sectors), an ARFCN plan (OpenCelliD has no ARFCNs).
 *
 * It reads text it is given; it must not reach the network or invent positions.
 */
import type { Scenario } from './scenario.js';
import { distanceM } from './geo.js';

export const OPENCELLID_HEADER = 'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal';

export function scenarioCellsCsv(scenario: Scenario): string {
  const rows = scenario.cells.map((c) => ['GSM', c.mcc, Number(c.mnc), c.lac, c.ci, 0, c.lon_deg, c.lat_deg, 1000, 1, 1, 0, 0, 0].join(','));
  return `${[OPENCELLID_HEADER, ...rows].join('\n')}\n`;
}

export interface TowerRow {
  radio: string;
  mcc: string;
  mnc: string;
  lac: number;
  ci: number;
  lat_deg: number;
  lon_deg: number;
  samples: number;
}

const HEADER_NAMES: Record<string, keyof TowerRow | 'skip'> = {
  radio: 'radio', mcc: 'mcc', net: 'mnc', mnc: 'mnc', area: 'lac', tac: 'lac', lac: 'lac', cell: 'ci', cid: 'ci', ci: 'ci',
  lon: 'lon_deg', lat: 'lat_deg', samples: 'samples', sam: 'samples',
};

/** Rows of an OpenCelliD-format CSV with a header (unquoted fields). Rows that do not parse are skipped. */
export function readTowerCsv(text: string): TowerRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  const col = new Map<string, number>();
  header.forEach((h, i) => {
    const name = HEADER_NAMES[h];
    if (name !== undefined && name !== 'skip' && !col.has(name)) col.set(name, i);
  });
  const out: TowerRow[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const get = (k: keyof TowerRow) => (col.has(k) ? f[col.get(k)!]?.trim() ?? '' : '');
    const mncNum = Number(get('mnc'));
    const row: TowerRow = {
      radio: get('radio'),
      mcc: get('mcc'),
      mnc: String(mncNum).padStart(2, '0'),
      lac: Number(get('lac')),
      ci: Number(get('ci')),
      lat_deg: Number(get('lat_deg')),
      lon_deg: Number(get('lon_deg')),
      samples: Number(get('samples') || 0),
    };
    if (!/^[0-9]{3}$/.test(row.mcc) || !Number.isInteger(row.lac) || !Number.isInteger(row.ci) || !Number.isFinite(row.lat_deg) || !Number.isFinite(row.lon_deg)) continue;
    out.push(row);
  }
  return out;
}

export interface CellPick {
  center: { lat_deg: number; lon_deg: number };
  radius_m: number;
  /** PLMNs to keep (default all). */
  plmns?: string[];
  /** Fewest metres between two kept sites of one operator (co-located cells form one site). */
  min_site_spacing_m?: number;
  /** Most cells per operator. */
  max_cells_per_operator?: number;
  /** Most cells of one site (sectors). */
  max_sectors?: number;
}

export interface PickedCell extends TowerRow {
  /** Sector azimuth when the site has more than one cell of the operator. */
  azimuth_deg?: number;
  arfcn: number;
}

/**
 * GSM cells around a point from real rows: sites nearest the centre first, thinned by spacing, each
 * site's cells (same operator, same position) as sectors at 0/120/240°, ARFCNs unique per scenario
 * (operator n gets 1 + 62·n …, GSM 900).
 */
export function pickCells(rows: readonly TowerRow[], pick: CellPick): PickedCell[] {
  const spacing = pick.min_site_spacing_m ?? 0;
  const maxCells = pick.max_cells_per_operator ?? 60;
  const maxSectors = pick.max_sectors ?? 3;
  const gsm = rows.filter((r) => r.radio.toUpperCase() === 'GSM' && (pick.plmns === undefined || pick.plmns.includes(r.mcc + r.mnc)));
  const sites = new Map<string, TowerRow[]>();
  for (const r of gsm) {
    if (distanceM(r, pick.center) > pick.radius_m) continue;
    const key = `${r.mcc}${r.mnc}:${r.lat_deg.toFixed(4)},${r.lon_deg.toFixed(4)}`;
    const list = sites.get(key) ?? [];
    if (!list.some((x) => x.ci === r.ci)) list.push(r);
    sites.set(key, list);
  }
  const ordered = [...sites.values()].sort((a, b) => distanceM(a[0]!, pick.center) - distanceM(b[0]!, pick.center));
  const kept: TowerRow[][] = [];
  const perOp = new Map<string, number>();
  const seenCi = new Set<number>();
  for (const site of ordered) {
    const plmn = site[0]!.mcc + site[0]!.mnc;
    if (kept.some((k) => k[0]!.mcc + k[0]!.mnc === plmn && distanceM(k[0]!, site[0]!) < spacing)) continue;
    const cells = site.filter((c) => !seenCi.has(c.ci)).sort((a, b) => a.ci - b.ci).slice(0, maxSectors);
    const used = perOp.get(plmn) ?? 0;
    if (cells.length === 0 || used + cells.length > maxCells) continue;
    perOp.set(plmn, used + cells.length);
    cells.forEach((c) => seenCi.add(c.ci));
    kept.push(cells);
  }
  const plmnOrder = [...new Set(kept.map((k) => k[0]!.mcc + k[0]!.mnc))].sort();
  const nextArfcn = new Map(plmnOrder.map((p, i) => [p, 1 + 62 * i]));
  const out: PickedCell[] = [];
  for (const site of kept) {
    const plmn = site[0]!.mcc + site[0]!.mnc;
    site.forEach((c, k) => {
      const arfcn = nextArfcn.get(plmn)!;
      nextArfcn.set(plmn, arfcn + 1);
      out.push({ ...c, arfcn, ...(site.length > 1 ? { azimuth_deg: (k * 360) / site.length } : {}) });
    });
  }
  return out;
}
