// Writes docs/configuration.md from the config schemas (see cli/src/config-doc.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigDoc } from '../cli/src/config-doc.js';

const target = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
writeFileSync(target, renderConfigDoc());
process.stdout.write(`wrote ${target}\n`);
