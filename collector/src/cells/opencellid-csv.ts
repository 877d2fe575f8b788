/**
 * Reads rows of an OpenCelliD-format cell export into cell records. Accepts the OpenCelliD header
 * (`radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal`),
 * the same columns under pandas-style names (`Unnamed: 0,radio,MCC,MNC,TAC,CID,…,LON,LAT,RANGE,SAM,…`,
 * as in shared/data/cells/LesothoCellTowersData.csv), and headerless files in OpenCelliD column order.
 * Every bad row gets a typed reason; nothing throws. Must not do I/O (import-cells.ts reads the file).
 */
import { fail, ok, type Result } from '@simhound/protocol';
import type { CellRecord } from '../store/store.js';

export type CellColumn = 'radio' | 'mcc' | 'mnc' | 'lac' | 'ci' | 'lon' | 'lat' | 'range' | 'samples' | 'updated';
export type ColumnMap = Record<CellColumn, number | undefined> & { radio: number; mcc: number; mnc: number; lac: number; ci: number; lon: number; lat: number };

export type CellRowRejection = 'unterminated_quote' | 'bad_column_count' | 'missing_field' | 'bad_number' | 'out_of_range';
export type HeaderRejection = 'unknown_header';

const ALIASES: Record<CellColumn, readonly string[]> = {
  radio: ['radio'],
  mcc: ['mcc'],
  mnc: ['net', 'mnc'],
  lac: ['area', 'lac', 'tac'],
  ci: ['cell', 'cid', 'ci'],
  lon: ['lon'],
  lat: ['lat'],
  range: ['range'],
  samples: ['samples', 'sam'],
  updated: ['updated'],
};

/** Column positions of a headerless OpenCelliD export (cell_towers.csv order). */
export const OPENCELLID_ORDER: ColumnMap = { radio: 0, mcc: 1, mnc: 2, lac: 3, ci: 4, lon: 6, lat: 7, range: 8, samples: 9, updated: 12 };

const RADIO_TYPES = new Set(['GSM', 'UMTS', 'LTE', 'CDMA', 'NR', 'NBIOT']);

/** True when a first line looks like data, not a header (its radio column holds a radio type). */
export function isHeaderlessRow(fields: readonly string[]): boolean {
  return RADIO_TYPES.has((fields[0] ?? '').trim().toUpperCase());
}

export function mapHeader(fields: readonly string[]): Result<ColumnMap, HeaderRejection> {
  const lower = fields.map((f) => f.trim().toLowerCase());
  const found: Partial<Record<CellColumn, number>> = {};
  for (const [column, names] of Object.entries(ALIASES) as Array<[CellColumn, readonly string[]]>) {
    const index = lower.findIndex((f) => names.includes(f));
    if (index !== -1) found[column] = index;
  }
  const required: CellColumn[] = ['radio', 'mcc', 'mnc', 'lac', 'ci', 'lon', 'lat'];
  const missing = required.filter((c) => found[c] === undefined);
  if (missing.length > 0) return fail('unknown_header', `missing column(s) ${missing.join(', ')} in header ${fields.join(',')}`);
  return ok(found as ColumnMap);
}

function integer(text: string | undefined, name: string, min: number, max: number): Result<number, CellRowRejection> {
  if (text === undefined || text.trim() === '') return fail('missing_field', name);
  const value = Number(text);
  if (!Number.isInteger(value)) return fail('bad_number', `${name}=${JSON.stringify(text)}`);
  if (value < min || value > max) return fail('out_of_range', `${name}=${value} outside ${min}..${max}`);
  return ok(value);
}

function real(text: string | undefined, name: string, min: number, max: number): Result<number, CellRowRejection> {
  if (text === undefined || text.trim() === '') return fail('missing_field', name);
  const value = Number(text);
  if (!Number.isFinite(value)) return fail('bad_number', `${name}=${JSON.stringify(text)}`);
  if (value < min || value > max) return fail('out_of_range', `${name}=${value} outside ${min}..${max}`);
  return ok(value);
}

function optionalNumber(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export function parseCellRow(fields: readonly string[], columns: ColumnMap): Result<CellRecord, CellRowRejection> {
  const needed = Math.max(columns.radio, columns.mcc, columns.mnc, columns.lac, columns.ci, columns.lon, columns.lat);
  if (fields.length <= needed) return fail('bad_column_count', `${fields.length} columns, need at least ${needed + 1}`);
  const radio = (fields[columns.radio] ?? '').trim().toUpperCase();
  if (radio === '') return fail('missing_field', 'radio');
  const mcc = integer(fields[columns.mcc], 'mcc', 1, 999);
  if (!mcc.ok) return mcc;
  const mnc = integer(fields[columns.mnc], 'mnc', 0, 999);
  if (!mnc.ok) return mnc;
  const lac = integer(fields[columns.lac], 'lac', 0, 65535);
  if (!lac.ok) return lac;
  // 28 bits covers GSM CI (16), UMTS and LTE cell ids (28), the range protocol's CellId allows.
  const ci = integer(fields[columns.ci], 'ci', 0, 268435455);
  if (!ci.ok) return ci;
  const lon = real(fields[columns.lon], 'lon', -180, 180);
  if (!lon.ok) return lon;
  const lat = real(fields[columns.lat], 'lat', -90, 90);
  if (!lat.ok) return lat;
  const updated_s = columns.updated === undefined ? null : optionalNumber(fields[columns.updated]);
  return ok({
    radio,
    mcc: String(mcc.value).padStart(3, '0'),
    mnc: String(mnc.value).padStart(2, '0'),
    lac: lac.value,
    ci: ci.value,
    lat_deg: lat.value,
    lon_deg: lon.value,
    range_m: columns.range === undefined ? null : optionalNumber(fields[columns.range]),
    samples: columns.samples === undefined ? null : optionalNumber(fields[columns.samples]),
    // OpenCelliD's created/updated are Unix seconds
    updated_ts_ms: updated_s === null ? null : updated_s * 1000,
  });
}
