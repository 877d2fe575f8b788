/**
 * `npm run bench`: runs every benchmark, writes BENCHMARKS.md (machine, Node version, command, figures)
 * and bench/results.json (`{ "<figure>": { value, unit, reference, reference_value, ratio } }`) so later
 * runs can be compared. Each figure is compared with a reference measured in the same run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, platform } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figure.js';
import { benchGsmDecode } from './gsm-decode.js';
import { benchLocate } from './locate.js';
import { benchSimulator } from './simulator.js';
import { benchCollectorIngest } from './collector-ingest.js';
import { benchSerial } from './serial.js';
import { benchOutbox } from './outbox.js';
import { benchReplayBackpressure } from './replay-backpressure.js';
import { benchIq } from './iq-channelizer.js';
import { benchDetectReplay } from './detect-replay.js';

function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'not installed';
  }
}

function fmt(n: number | null): string {
  if (n === null) return '—';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(4);
}

/** Every benchmark group, in the order `npm run bench` runs them. */
const GROUPS: Array<{ name: string; what: string; run: () => Promise<Figure[]> }> = [
  { name: 'decode', what: 'GSM decoding vs tshark', run: benchGsmDecode },
  { name: 'locate', what: 'location engine (den update, heatmap)', run: benchLocate },
  { name: 'simulator', what: 'simulator, 24 h of a 50k-subscriber city', run: benchSimulator },
  { name: 'ingest', what: 'collector ingest through mosquitto', run: () => benchCollectorIngest() },
  { name: 'serial', what: 'serial probes (frame stages, CENG parser, firmware in simavr)', run: benchSerial },
  { name: 'outbox', what: 'disk outbox (SQLite) vs append-only log', run: benchOutbox },
  { name: 'backpressure', what: 'replay --events into a slow pipe', run: benchReplayBackpressure },
  { name: 'iq', what: 'SDR channelizer and pipeline vs C/FFTW3', run: benchIq },
  { name: 'detect', what: 'replay --detect vs decoding only; detection engine memory over 24 h', run: benchDetectReplay },
];

interface StoredFigure extends Omit<Figure, 'name'> {
  /** When this figure was measured (a figure kept from an earlier run under --only keeps its date). */
  measured?: string;
}

async function main(): Promise<void> {
  const started = new Date();
  const root = fileURLToPath(new URL('..', import.meta.url));
  // `--only a,b`: run these groups, keep every other figure of bench/results.json with its own date.
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean)) : null;
  const unknown = only ? [...only].filter((g) => !GROUPS.some((x) => x.name === g)) : [];
  if (unknown.length) throw new Error(`--only: unknown group(s) ${unknown.join(', ')} (known: ${GROUPS.map((g) => g.name).join(', ')})`);
  const figures: Array<Figure & { measured: string }> = [];
  for (const g of GROUPS) {
    if (only && !only.has(g.name)) continue;
    process.stderr.write(`bench: ${g.what} …\n`);
    for (const f of await g.run()) figures.push({ ...f, measured: started.toISOString() });
  }
  if (only) {
    const previous = existsSync(`${root}bench/results.json`) ? (JSON.parse(readFileSync(`${root}bench/results.json`, 'utf8')) as { generated?: string; figures?: Record<string, StoredFigure> }) : {};
    const fresh = new Set(figures.map((f) => f.name));
    for (const [name, f] of Object.entries(previous.figures ?? {})) {
      if (!fresh.has(name)) figures.push({ name, ...f, measured: f.measured ?? previous.generated ?? 'earlier' });
    }
  }

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    tshark: tool('tshark', ['--version']),
    fftw3: tool('pkg-config', ['--modversion', 'fftw3']),
    gcc: tool('gcc', ['--version']),
  };
  const results: Record<string, StoredFigure> = {};
  for (const { name, ...rest } of figures) results[name] = rest;
  writeFileSync(`${root}bench/results.json`, `${JSON.stringify({ generated: started.toISOString(), machine, figures: results }, null, 2)}\n`);

  const lines = [
    '# simhound benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts). Do not edit by hand; rerun it. -->',
    '',
    only
      ? `Run: ${started.toISOString()} with \`npm run bench -- --only ${[...only].join(',')}\`; the other figures are kept from earlier runs on the same machine, each with its date below.`
      : `Run: ${started.toISOString()} with \`npm run bench\`.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gib} GiB, ${machine.os}; Node ${machine.node}; ${machine.tshark.replace(/\.$/, '')}; FFTW ${machine.fftw3}; ${machine.gcc}`,
    '',
    'Every figure is measured next to its reference, in the same run on the same input.',
    '',
    '| figure | value | unit | reference | reference value | ratio |',
    '|---|---:|---|---|---:|---:|',
    ...figures.map((f) => `| ${f.description} | ${fmt(f.value)} | ${f.unit} | ${f.reference ?? '—'} | ${fmt(f.reference_value)} | ${f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`} |`),
    '',
    '## How each figure was measured',
    '',
    ...figures.map((f) => `- \`${f.name}\` (measured ${f.measured}): ${f.command}.`),
    '',
  ];
  writeFileSync(`${root}BENCHMARKS.md`, lines.join('\n'));
  process.stderr.write(`bench: wrote BENCHMARKS.md and bench/results.json (${figures.length} figures)\n`);
}

await main();
