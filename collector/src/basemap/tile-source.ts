/**
 * Map tiles from a local file a deployment supplies, so the web map needs no tile server on the
 * internet: MBTiles 1.3 (an SQLite database: `metadata` + `tiles` in TMS row order) read with
 * better-sqlite3, or PMTiles v3 (one file of directories and tiles) read with the `pmtiles` library through
 * a file-range source. Raster (png, jpg, webp) or vector (Mapbox Vector Tile, pbf) tiles.
 *
 * Must not fetch anything over the network and must not write the file.
 */
import Database from 'better-sqlite3';
import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';

export type TileFormat = 'png' | 'jpg' | 'webp' | 'pbf';

export interface BasemapMetadata {
  format: TileFormat;
  kind: 'raster' | 'vector';
  min_zoom: number;
  max_zoom: number;
  /** [west, south, east, north] */
  bounds: [number, number, number, number] | null;
  attribution: string | null;
  name: string | null;
}

export interface TileSource {
  readonly metadata: BasemapMetadata;
  /** Tile bytes (vector tiles uncompressed), or null when the file has no such tile. */
  getTile(z: number, x: number, y: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

export const CONTENT_TYPES: Record<TileFormat, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  pbf: 'application/vnd.mapbox-vector-tile',
};

function formatOf(text: string | undefined): TileFormat | null {
  switch ((text ?? '').toLowerCase()) {
    case 'png': return 'png';
    case 'jpg': case 'jpeg': return 'jpg';
    case 'webp': return 'webp';
    case 'pbf': case 'mvt': return 'pbf';
    default: return null;
  }
}

const unzipIfGzip = (b: Uint8Array) => (b.length > 2 && b[0] === 0x1f && b[1] === 0x8b ? new Uint8Array(gunzipSync(b)) : b);

export class MbtilesSource implements TileSource {
  readonly metadata: BasemapMetadata;
  private readonly db: Database.Database;
  private readonly stmt: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    const meta = Object.fromEntries((this.db.prepare('SELECT name, value FROM metadata').all() as Array<{ name: string; value: string }>).map((r) => [r.name, r.value]));
    const format = formatOf(meta.format);
    if (format === null) throw new Error(`${path}: unsupported MBTiles format "${meta.format ?? ''}"`);
    const zooms = this.db.prepare('SELECT MIN(zoom_level) AS lo, MAX(zoom_level) AS hi FROM tiles').get() as { lo: number | null; hi: number | null };
    const bounds = meta.bounds?.split(',').map(Number);
    this.metadata = {
      format,
      kind: format === 'pbf' ? 'vector' : 'raster',
      min_zoom: Number(meta.minzoom ?? zooms.lo ?? 0),
      max_zoom: Number(meta.maxzoom ?? zooms.hi ?? 0),
      bounds: bounds && bounds.length === 4 && bounds.every(Number.isFinite) ? (bounds as [number, number, number, number]) : null,
      attribution: meta.attribution ?? null,
      name: meta.name ?? null,
    };
    this.stmt = this.db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
  }

  async getTile(z: number, x: number, y: number): Promise<Uint8Array | null> {
    const row = this.stmt.get(z, x, (1 << z) - 1 - y) as { tile_data: Buffer } | undefined; // TMS rows count from the south
    if (!row) return null;
    return this.metadata.format === 'pbf' ? unzipIfGzip(row.tile_data) : row.tile_data;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** A pmtiles Source reading byte ranges from a local file. */
class FileRangeSource implements Source {
  constructor(private readonly fh: FileHandle, private readonly key: string) {}
  getKey(): string {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.fh.read(buf, 0, length, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
  }
}

const PMTILES_FORMATS: Partial<Record<TileType, TileFormat>> = { [TileType.Mvt]: 'pbf', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpg', [TileType.Webp]: 'webp' };

export class PmtilesSource implements TileSource {
  private constructor(readonly metadata: BasemapMetadata, private readonly archive: PMTiles, private readonly fh: FileHandle) {}

  static async open(path: string): Promise<PmtilesSource> {
    const fh = await open(path, 'r');
    try {
      const archive = new PMTiles(new FileRangeSource(fh, path));
      const h = await archive.getHeader();
      const format = PMTILES_FORMATS[h.tileType];
      if (format === undefined) throw new Error(`${path}: unsupported PMTiles tile type ${h.tileType}`);
      const meta = ((await archive.getMetadata()) ?? {}) as { attribution?: string; name?: string };
      return new PmtilesSource({
        format,
        kind: format === 'pbf' ? 'vector' : 'raster',
        min_zoom: h.minZoom,
        max_zoom: h.maxZoom,
        bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
        attribution: meta.attribution ?? null,
        name: meta.name ?? null,
      }, archive, fh);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async getTile(z: number, x: number, y: number): Promise<Uint8Array | null> {
    const r = await this.archive.getZxy(z, x, y);
    return r ? new Uint8Array(r.data) : null;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export async function openTileSource(path: string): Promise<TileSource> {
  const ext = extname(path).toLowerCase();
  if (ext === '.pmtiles') return PmtilesSource.open(path);
  if (ext === '.mbtiles') return new MbtilesSource(path);
  throw new Error(`${path}: expected a .mbtiles or .pmtiles file`);
}
