/**
 * The offline base map (no token needed, like the page itself: it holds public map data only):
 *
 *   GET /basemap/metadata.json     format, raster/vector, zoom range, bounds, attribution ({kind: 'none'}
 *                                  when no file is configured, so the page asks without an error)
 *   GET /basemap/:z/:x/:y          one tile (XYZ numbering); 204 where the file has none
 *
 * Must not proxy or fetch tiles from anywhere else.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CONTENT_TYPES, type TileSource } from '../basemap/tile-source.js';

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 24 }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.String({ pattern: '^[0-9]+(\\.(png|jpg|jpeg|webp|pbf|mvt))?$' }),
});

export function basemapRoutes(source: TileSource | null, attribution?: string) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/basemap/metadata.json', async () => (source === null ? { kind: 'none' } : { ...source.metadata, attribution: attribution ?? source.metadata.attribution }));
    if (source === null) return;
    app.get('/basemap/:z/:x/:y', { schema: { params: TileParams } }, async (req, reply) => {
      const p = req.params as Static<typeof TileParams>;
      const y = Number.parseInt(p.y, 10);
      const n = 2 ** p.z;
      if (p.x >= n || y >= n) return reply.code(400).send({ error: 'bad_request', detail: 'tile outside the zoom level' });
      const tile = await source.getTile(p.z, p.x, y);
      reply.header('cache-control', 'public, max-age=86400');
      if (tile === null) return reply.code(204).send();
      return reply.type(CONTENT_TYPES[source.metadata.format]).send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
    });
  };
}
