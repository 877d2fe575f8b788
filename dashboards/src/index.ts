/**
 * Where the investigator web page lives on disk, for the collector to serve: `dashboardsWebRoot` (plain
 * HTML + ES modules, no build step) and `leafletDistDir` (Leaflet's own dist files, served under
 * /vendor/leaflet/ so the page needs no internet). Must not contain page logic.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// ../web/ from both src/index.ts (sources) and dist/index.js (built package).
export const dashboardsWebRoot: string = fileURLToPath(new URL('../web/', import.meta.url));

export const leafletDistDir: string = join(dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');
