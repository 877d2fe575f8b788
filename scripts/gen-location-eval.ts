// Writes the location section of docs/evaluation.md (between its location markers; the detection table
// around it is the lead's): `npm run docs:locate -- [--trials N] [scenario.yaml …]`.
// Default: 100 trial dens on every scenario in simulator/scenarios/. Creates the file if missing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadScenarioFile } from '../simulator/src/index.js';
import { evaluateLocation } from '../cli/src/eval/locate.js';
import { locateMarkdownTable } from '../cli/src/eval/locate-report.js';
import { renderLocationSection, replaceLocationSection } from '../cli/src/eval/locate-doc.js';

const args = process.argv.slice(2);
let trials = 100;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--trials') trials = Number(args[++i]);
  else files.push(args[i]!);
}
const scenarioDir = fileURLToPath(new URL('../simulator/scenarios/', import.meta.url));
const inputs = files.length ? files : readdirSync(scenarioDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(scenarioDir, f));
const started = performance.now();
const results = inputs.map((path) => {
  const sc = loadScenarioFile(path);
  if (!sc.ok) throw new Error(`${path}: ${sc.detail ?? sc.reason}`);
  process.stderr.write(`locating ${trials} trial dens in ${sc.value.name} …\n`);
  return evaluateLocation(sc.value, trials);
});
const command = `npm run docs:locate -- --trials ${trials}${files.length ? ` ${files.join(' ')}` : ''}`;
const section = renderLocationSection(locateMarkdownTable(results), { command, generated: new Date().toISOString(), wall_s: (performance.now() - started) / 1000 });
const target = fileURLToPath(new URL('../docs/evaluation.md', import.meta.url));
const before = existsSync(target) ? readFileSync(target, 'utf8') : '# simhound evaluation\n';
writeFileSync(target, replaceLocationSection(before, section));
process.stdout.write(`wrote the location section of ${target}\n`);
