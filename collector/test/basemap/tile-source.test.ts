/**
 * The offline base map: a vector MBTiles cut by makeBasemap (Natural Earth + towers) read back through
 * the collector's tile source and its HTTP routes, tiles decoded with @mapbox/vector-tile (an
 * independent MVT reader); and a PMTiles v3 archive written here from the spec (header, one root
 * directory entry, one tile) read back through the pmtiles library.
 */
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBasemap, MbtilesSource, openTileSource, tileRange } from '../../src/index.js';
import { startTestCollector, type TestCollector } from '../harness.js';
import { tempDir } from '../fixtures.js';

const BBOX: [number, number, number, number] = [27.40, -29.38, 27.57, -29.25];

describe('offline base map', () => {
  const tmp = tempDir('basemap');
  let tc: TestCollector | null = null;
  afterAll(async () => {
    await tc?.close();
    tmp.remove();
  });

  it('cuts a vector MBTiles whose tiles hold the Lesotho–South Africa border, land and towers', async () => {
    const out = join(tmp.dir, 'maseru.mbtiles');
    const r = makeBasemap({ bbox: BBOX, min_zoom: 8, max_zoom: 14, cells: [{ lat_deg: -29.31015, lon_deg: 27.491226, mcc: '651', mnc: '01', lac: 123, ci: 65302, radio: 'GSM' }], out });
    let expected = 0;
    for (let z = 8; z <= 14; z++) {
      const t = tileRange(BBOX, z);
      expected += (t.x1 - t.x0 + 1) * (t.y1 - t.y0 + 1);
    }
    expect(r.tiles).toBe(expected);
    const src = new MbtilesSource(out);
    expect(src.metadata).toMatchObject({ format: 'pbf', kind: 'vector', min_zoom: 8, max_zoom: 14 });
    expect(src.metadata.attribution).toContain('Natural Earth');
    // The z14 tile holding the tower.
    const n = 2 ** 14;
    const x = Math.floor(((27.491226 + 180) / 360) * n);
    const lat = (-29.31015 * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n);
    const tile = new VectorTile(new Pbf((await src.getTile(14, x, y))!));
    expect(Object.keys(tile.layers).sort()).toEqual(['earth', 'simhound_cells']);
    expect(tile.layers.simhound_cells!.feature(0).properties).toMatchObject({ kind: 'cell_tower', ci: 65302 });
    const names = Array.from({ length: tile.layers.earth!.length }, (_, i) => tile.layers.earth!.feature(i).properties.name);
    expect(names).toContain('Lesotho');
    // A z8 tile spans the border.
    const t8 = tileRange(BBOX, 8);
    const low = new VectorTile(new Pbf((await src.getTile(8, t8.x0, t8.y0))!));
    expect(low.layers.boundaries!.feature(0).properties.kind).toBe('country');
    expect(new Set(Array.from({ length: low.layers.earth!.length }, (_, i) => low.layers.earth!.feature(i).properties.name))).toEqual(new Set(['Lesotho', 'South Africa']));
    expect(await src.getTile(3, 0, 0)).toBeNull();
    await src.close();
  });

  it('serves it over HTTP without a token, 204 for missing tiles, 400 outside the zoom level', async () => {
    const out = join(tmp.dir, 'served.mbtiles');
    makeBasemap({ bbox: BBOX, min_zoom: 10, max_zoom: 12, cells: [], out });
    tc = await startTestCollector({ probes: [], extra: { basemap: { path: out, attribution: '© test' } } });
    const base = tc.collector.httpUrl;
    const meta = await (await fetch(`${base}/basemap/metadata.json`)).json();
    expect(meta).toMatchObject({ kind: 'vector', format: 'pbf', min_zoom: 10, max_zoom: 12, attribution: '© test' });
    const t = tileRange(BBOX, 12);
    const ok = await fetch(`${base}/basemap/12/${t.x0}/${t.y0}.pbf`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(Object.keys(new VectorTile(new Pbf(new Uint8Array(await ok.arrayBuffer()))).layers)).toContain('earth');
    expect((await fetch(`${base}/basemap/5/0/0`)).status).toBe(204);
    expect((await fetch(`${base}/basemap/2/9/0`)).status).toBe(400);
  });

  it('reads a PMTiles v3 archive (written here from the spec) through the pmtiles library', async () => {
    const tileBytes = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'); // a PNG signature + IHDR start: opaque bytes here
    // Root directory (uncompressed): 1 entry; tile_id of z1/x0/y0 on the Hilbert curve is 1 + 0 = 1.
    const varint = (v: number) => {
      const out: number[] = [];
      while (v >= 0x80) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); }
      out.push(v);
      return out;
    };
    const dir = Buffer.from([...varint(1), ...varint(1), ...varint(1), ...varint(tileBytes.length), ...varint(0 + 1)]);
    const meta = Buffer.from(JSON.stringify({ attribution: 'spec test', name: 'pm' }));
    const header = Buffer.alloc(127);
    header.write('PMTiles', 0, 'latin1');
    header[7] = 3;
    let o = 8;
    const u64 = (v: number) => { header.writeBigUInt64LE(BigInt(v), o); o += 8; };
    const rootOff = 127;
    const metaOff = rootOff + dir.length;
    const dataOff = metaOff + meta.length;
    u64(rootOff); u64(dir.length); u64(metaOff); u64(meta.length); u64(0); u64(0); u64(dataOff); u64(tileBytes.length);
    u64(1); u64(1); u64(1); // addressed tiles, tile entries, tile contents
    header[o++] = 1; // clustered
    header[o++] = 1; // internal compression: none
    header[o++] = 1; // tile compression: none
    header[o++] = 2; // tile type: png
    header[o++] = 1; // min zoom
    header[o++] = 1; // max zoom
    for (const v of [27.4, -29.38, 27.57, -29.25]) { header.writeInt32LE(Math.round(v * 1e7), o); o += 4; }
    header[o++] = 1;
    header.writeInt32LE(Math.round(27.48 * 1e7), o); o += 4;
    header.writeInt32LE(Math.round(-29.31 * 1e7), o);
    const path = join(tmp.dir, 'spec.pmtiles');
    writeFileSync(path, Buffer.concat([header, dir, meta, tileBytes]));
    const src = await openTileSource(path);
    expect(src.metadata).toMatchObject({ format: 'png', kind: 'raster', min_zoom: 1, max_zoom: 1, attribution: 'spec test' });
    expect(src.metadata.bounds![0]).toBeCloseTo(27.4, 6);
    expect(Buffer.from((await src.getTile(1, 0, 0))!)).toEqual(tileBytes);
    expect(await src.getTile(1, 1, 1)).toBeNull();
    await src.close();
    await expect(openTileSource(join(tmp.dir, 'x.tif'))).rejects.toThrow(/mbtiles or .pmtiles/);
  });

  it('refuses to start with a base map file it cannot read, saying which and what to do', async () => {
    await expect(startTestCollector({ probes: [], extra: { basemap: { path: join(tmp.dir, 'missing.mbtiles') } } })).rejects.toThrow(/basemap.path .*missing.mbtiles: .*give a readable .mbtiles or .pmtiles file/);
    await expect(startTestCollector({ probes: [], extra: { geo: { prior_geojson: join(tmp.dir, 'nope.geojson') } } })).rejects.toThrow(/geo.prior_geojson .*nope.geojson: no such file/);
  });
});
