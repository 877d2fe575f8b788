// Writes docs/contract.md from the protocol schemas and vocabulary (see protocol/src/contract-doc.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderContractDoc } from '../protocol/src/contract-doc.js';

const target = fileURLToPath(new URL('../docs/contract.md', import.meta.url));
writeFileSync(target, renderContractDoc());
process.stdout.write(`wrote ${target}\n`);
