import { defineConfig } from 'tsup';
import { packageBuild } from '../tsup.config.base.js';

// Two builds of one source: the Node package, and one self-contained ES module (GeographicLib bundled
// in) that the collector serves to the web page, so page and server share this geodesy.
export default defineConfig([
  { ...packageBuild, clean: false },
  {
    entry: { 'simhound-geo': 'src/index.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2020',
    noExternal: ['geographiclib-geodesic'],
    sourcemap: true,
    clean: true,
  },
]);
