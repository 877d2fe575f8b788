import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MbtilesSource } from '@simhound/collector';
import { basemapCommand, parseBbox } from '../src/commands/basemap.js';
import { readCellsInBbox } from '../src/basemap/read-cells.js';

const LESOTHO_CELLS = new URL('../../../shared/data/cells/LesothoCellTowersData.csv', import.meta.url).pathname;

describe('simhound basemap', () => {
  it('rejects a bad bbox and zoom range with a usage error', () => {
    expect(() => parseBbox('27.5,-29.3,27.4,-29.2')).toThrow(/west < east/);
    expect(() => parseBbox('1,2,3')).toThrow(/west,south,east,north/);
    expect(parseBbox('27.4,-29.38,27.57,-29.25')).toEqual([27.4, -29.38, 27.57, -29.25]);
    expect(() => basemapCommand({ bbox: '27.4,-29.38,27.57,-29.25', out: '/tmp/x.mbtiles', minZoom: 9, maxZoom: 8 })).toThrow(/min-zoom/);
  });

  it('takes the towers inside the area from an OpenCelliD CSV and writes the MBTiles', async () => {
    const bbox: [number, number, number, number] = [27.40, -29.38, 27.57, -29.25];
    const cells = readCellsInBbox(LESOTHO_CELLS, bbox);
    expect(cells.length).toBeGreaterThan(10);
    expect(cells.every((c) => c.lon_deg >= 27.4 && c.lon_deg <= 27.57 && c.lat_deg >= -29.38 && c.lat_deg <= -29.25)).toBe(true);
    expect(cells.some((c) => c.ci === 65302 && c.mnc === '01')).toBe(true);
    const out = join(mkdtempSync(join(tmpdir(), 'simhound-bm-')), 'm.mbtiles');
    basemapCommand({ bbox: bbox.join(','), out, cellsCsv: LESOTHO_CELLS, minZoom: 9, maxZoom: 11 });
    expect(existsSync(out)).toBe(true);
    const src = new MbtilesSource(out);
    expect(src.metadata).toMatchObject({ min_zoom: 9, max_zoom: 11, kind: 'vector' });
    await src.close();
  });
});
