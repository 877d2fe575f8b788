import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCellsCsv, mapHeader, parseCellRow, splitCsvLine, SqliteStore, OPENCELLID_ORDER } from '../../src/index.js';
import { tempDir } from '../fixtures.js';

const LESOTHO = new URL('../../../../shared/data/cells/LesothoCellTowersData.csv', import.meta.url).pathname;

describe('splitCsvLine', () => {
  it('splits plain and quoted fields, with "" escapes and empty trailing fields', () => {
    expect(splitCsvLine('a,b,,c')).toEqual({ ok: true, value: ['a', 'b', '', 'c'] });
    expect(splitCsvLine('"x,y","he said ""hi""",z,')).toEqual({ ok: true, value: ['x,y', 'he said "hi"', 'z', ''] });
    expect(splitCsvLine('"open,end')).toEqual({ ok: false, reason: 'unterminated_quote' });
  });
});

describe('OpenCelliD rows', () => {
  it('maps the OpenCelliD and the pandas-style headers to the same columns', () => {
    const ocid = mapHeader('radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal'.split(','));
    expect(ocid).toEqual({ ok: true, value: OPENCELLID_ORDER });
    const pandas = mapHeader('Unnamed: 0,radio,MCC,MNC,TAC,CID,unit,LON,LAT,RANGE,SAM,changeable,created,updated,averageSignal,Country,Network,Continent'.split(','));
    expect(pandas).toEqual({ ok: true, value: { radio: 1, mcc: 2, mnc: 3, lac: 4, ci: 5, lon: 7, lat: 8, range: 9, samples: 10, updated: 13 } });
    expect(mapHeader(['foo', 'bar'])).toMatchObject({ ok: false, reason: 'unknown_header' });
  });

  it('gives each bad row a typed reason', () => {
    const row = (s: string) => parseCellRow(s.split(','), OPENCELLID_ORDER);
    expect(row('GSM,651,1,117,11201,0,26.95,-29.84,27324,7,1,1369925573,1443966345,0')).toEqual({
      ok: true,
      value: { radio: 'GSM', mcc: '651', mnc: '01', lac: 117, ci: 11201, lat_deg: -29.84, lon_deg: 26.95, range_m: 27324, samples: 7, updated_ts_ms: 1443966345000 },
    });
    expect(row('GSM,651,1,117')).toMatchObject({ ok: false, reason: 'bad_column_count' });
    expect(row('GSM,651,1,117,11201,0,,-29.84')).toMatchObject({ ok: false, reason: 'missing_field', detail: 'lon' });
    expect(row('GSM,abc,1,117,11201,0,26.95,-29.84')).toMatchObject({ ok: false, reason: 'bad_number' });
    expect(row('GSM,651,1,117,11201,0,26.95,-95')).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(row('GSM,651,1,70000,11201,0,26.95,-29.84')).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(row('GSM,651,1.5,117,11201,0,26.95,-29.84')).toMatchObject({ ok: false, reason: 'bad_number' });
  });
});

describe('importCellsCsv', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  beforeEach(() => {
    tmp = tempDir('cells');
    store = SqliteStore.open(join(tmp.dir, 'c.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    tmp.remove();
  });

  it('imports every row of the real Lesotho export (pandas-style header)', async () => {
    const r = await importCellsCsv(LESOTHO, store);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ header: 'named', rows_total: 1936, imported: 1936, rejected_total: 0 });
    expect((await store.counts()).cells).toBe(1936);
    // first data row of the file: GSM,651,1,117,11201,0,26.953123,-29.841163,27324,7
    expect(await store.findCell({ mcc: '651', mnc: '01', lac: 117, ci: 11201 })).toMatchObject({ radio: 'GSM', lat_deg: -29.841163, lon_deg: 26.953123, range_m: 27324, samples: 7 });
  });

  it('imports a headerless OpenCelliD file and counts bad rows without stopping', async () => {
    const path = join(tmp.dir, 'cells.csv');
    writeFileSync(
      path,
      [
        'GSM,262,2,318,11225,0,8.6821,50.1109,1000,12,1,1400000000,1500000000,0',
        'GSM,262,2,318,oops,0,8.6821,50.1109,1000,12,1,1400000000,1500000000,0',
        'LTE,262,2,318',
        '"GSM,262',
        '',
        'UMTS,262,2,318,99999,0,8.7,50.2,,,1,,,0',
      ].join('\r\n'),
    );
    const r = await importCellsCsv(path, store);
    expect(r.ok && r.value).toMatchObject({
      header: 'none', rows_total: 5, imported: 2, rejected_total: 3,
      rejected_by_reason: { bad_column_count: 1, bad_number: 1, unterminated_quote: 1 },
      first_rejections: [
        { line: 2, reason: 'bad_number' },
        { line: 3, reason: 'bad_column_count' },
        { line: 4, reason: 'unterminated_quote' },
      ],
    });
    expect(await store.findCell({ mcc: '262', mnc: '02', lac: 318, ci: 99999 })).toMatchObject({ radio: 'UMTS', range_m: null, samples: null, updated_ts_ms: null });
  });

  it('returns typed failures for a missing file, an empty file and an unknown header', async () => {
    expect(await importCellsCsv(join(tmp.dir, 'nope.csv'), store)).toMatchObject({ ok: false, reason: 'unreadable' });
    writeFileSync(join(tmp.dir, 'empty.csv'), '\n\n');
    expect(await importCellsCsv(join(tmp.dir, 'empty.csv'), store)).toMatchObject({ ok: false, reason: 'empty' });
    writeFileSync(join(tmp.dir, 'other.csv'), 'name,city\nx,y\n');
    expect(await importCellsCsv(join(tmp.dir, 'other.csv'), store)).toMatchObject({ ok: false, reason: 'unknown_header' });
  });
});
