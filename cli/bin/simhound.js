#!/usr/bin/env node
// The `simhound` command. A committed shim, so npm can link the bin on a fresh install before the
// root `prepare` script has built cli/dist (npm skips bins whose file does not exist yet).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('simhound: cli/dist/main.js is missing; run `npm install` (or `npm run build`) in the repository root\n');
  process.exit(1);
}
await import(main.href);
