/**
 * Where the investigator web page lives on disk, for the collector to serve: `dashboardsWebRoot` (plain
 * HTML + ES modules, no build step), `leafletDistDir` (Leaflet's own dist files, served under
 * /vendor/leaflet/ so the page needs no internet) and `geoBrowserDir` (the browser build of
 * @simhound/geo, served under /vendor/simhound-geo/: the page's geodesy is the collector's) and
 * `protomapsLeafletDir` (protomaps-leaflet's self-contained build, which draws vector base-map tiles).
 * Must not contain page logic.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

// ../web/ from both src/index.ts (sources) and dist/index.js (built package).
export const dashboardsWebRoot: string = fileURLToPath(new URL('../web/', import.meta.url));

export const leafletDistDir: string = join(dirname(require.resolve('leaflet/package.json')), 'dist');

/** Built by `npm run build` (the root `prepare` script) in the geo workspace. */
export const geoBrowserDir: string = join(dirname(require.resolve('@simhound/geo/package.json')), 'dist', 'browser');

export const protomapsLeafletDir: string = join(dirname(require.resolve('protomaps-leaflet/package.json')), 'dist');
