/**
 * `npm run docs:evaluation`: runs `simhound eval` over the scenario library (simulator/scenarios/*.yaml,
 * or the files given) and writes docs/evaluation.md: the detection table with the reference rows, per-den
 * results, every false episode, and how long the runs took. Sections other modules generate (location)
 * are kept between their markers when the file is rewritten.
 *
 *   node --conditions=source --import tsx scripts/gen-evaluation-doc.ts [scenario.yaml …] [--out docs/evaluation.md]
 *   node --conditions=source --import tsx scripts/gen-evaluation-doc.ts --from results/*.json [--note "…"]
 *
 * `--from` assembles the document from `simhound eval --json` outputs made separately (e.g. one process
 * per scenario, in parallel); `--note` says how they were made (it goes into the header).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evalCommand } from '../cli/src/commands/eval.js';
import { overall, markdownTable, resultsFromJson, type ScenarioResult } from '../cli/src/eval/report.js';
import { silentLogger } from '@simhound/protocol';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args.splice(outIndex, 2)[1]! : join(root, 'docs/evaluation.md');
const noteIndex = args.indexOf('--note');
const note = noteIndex >= 0 ? args.splice(noteIndex, 2)[1]! : null;
const fromIndex = args.indexOf('--from');
const fromFiles = fromIndex >= 0 ? args.splice(fromIndex).slice(1) : [];
const scenarioDir = join(root, 'simulator/scenarios');
const inputs = args.length > 0 ? args : readdirSync(scenarioDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(scenarioDir, f));

const GENERATED_START = '<!-- detection:start (scripts/gen-evaluation-doc.ts) -->';
const GENERATED_END = '<!-- detection:end -->';

function details(results: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const den = r.methods.find((m) => m.method === 'den-candidate@1');
    if (!den) continue;
    lines.push(`### ${r.scenario}`, '', `${r.covered_h.toFixed(1)} h simulated at ${r.speed_x.toFixed(0)}× real time (${r.frames > 0 ? `${r.frames.toLocaleString('en-US')} frames, ` : ''}all three methods in one pass).`, '');
    if (den.score.per_den.length > 0) {
      lines.push('| den | type | heard | detected | time to detect |', '|---|---|---|---|---:|');
      for (const d of den.score.per_den) lines.push(`| ${d.id} | ${d.type} | ${d.heard ? 'yes' : 'no'} | ${d.detected ? 'yes' : '**no**'} | ${d.time_to_detect_s === null ? '–' : `${d.time_to_detect_s.toFixed(0)} s`} |`);
      lines.push('');
    }
    if (den.score.false.length > 0) {
      lines.push('False den-candidate episodes:', '');
      for (const f of den.score.false) lines.push(`- ${f.probe} cell ${f.cell} TA ${f.ta_steps}: ${f.detections} detections${f.crowd ? ` on ${f.crowd}` : ''}`);
      lines.push('');
    } else lines.push('No false den candidates.', '');
  }
  return lines;
}

async function main(): Promise<void> {
  const started = Date.now();
  let results: ScenarioResult[];
  if (fromFiles.length > 0) {
    results = fromFiles.flatMap((f) => resultsFromJson(JSON.parse(readFileSync(f, 'utf8'))));
  } else {
    process.stderr.write(`evaluating ${inputs.length} scenario(s)…\n`);
    results = await evalCommand(inputs, { json: true }, silentLogger);
  }
  const wallH = results.reduce((a, r) => a + (r.speed_x > 0 ? r.covered_h / r.speed_x : 0), 0);
  const o = overall(results).find((x) => x.method === 'den-candidate@1');
  const generated = [
    GENERATED_START,
    '',
    fromFiles.length > 0
      ? `Generated ${new Date().toISOString()} by \`npm run docs:evaluation -- --from …\` from ${fromFiles.length} \`simhound eval --json\` runs${note ? ` (${note})` : ''}; ${(wallH * 60).toFixed(0)} min of evaluation in all.`
      : `Generated ${new Date().toISOString()} by \`npm run docs:evaluation\` in ${((Date.now() - started) / 60_000).toFixed(1)} min on this machine.`,
    '',
    '## Detection: every scenario, den-candidate@1 against the reference rows',
    '',
    markdownTable(results),
    '',
    o ? `Overall den-candidate@1: recall ${o.recall === null ? '–' : `${(o.recall * 100).toFixed(1)} %`} (${o.detected}/${o.dens}), median time to detect ${o.median_time_to_detect_s === null ? '–' : `${o.median_time_to_detect_s.toFixed(0)} s`}, ${o.false_den_hours.toFixed(1)} false den-hours in ${o.false_episodes} false episodes.` : '',
    '',
    '## Per scenario',
    '',
    ...details(results),
    GENERATED_END,
  ].join('\n');
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const s = previous.indexOf(GENERATED_START);
  const e = previous.indexOf(GENERATED_END);
  const doc = s >= 0 && e > s ? previous.slice(0, s) + generated + previous.slice(e + GENERATED_END.length) : `${previous || '# Evaluation\n\n'}${generated}\n`;
  writeFileSync(out, doc);
  process.stderr.write(`wrote ${out}\n`);
}

await main();
