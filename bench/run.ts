/**
 * `npm run bench`: runs every benchmark, writes BENCHMARKS.md (machine, Node version, command, figures)
 * and bench/results.json (`{ "<figure>": { value, unit, reference, reference_value, ratio } }`) so later
 * runs can be compared. Each figure is compared with a reference measured in the same run.
 */
import { writeFileSync } from 'node:fs';
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

async function main(): Promise<void> {
  const started = new Date();
  const figures: Figure[] = [];
  process.stderr.write('bench: GSM decoding vs tshark …\n');
  figures.push(...(await benchGsmDecode()));
  process.stderr.write('bench: location engine (den update, heatmap) …\n');
  figures.push(...(await benchLocate()));
  process.stderr.write('bench: simulator, 24 h of a 50k-subscriber city …\n');
  figures.push(...(await benchSimulator()));
  process.stderr.write('bench: collector ingest through mosquitto …\n');
  figures.push(...(await benchCollectorIngest()));
  process.stderr.write('bench: serial probes (frame stages, CENG parser, firmware in simavr) …\n');
  figures.push(...(await benchSerial()));
  process.stderr.write('bench: disk outbox (SQLite) vs append-only log …\n');
  figures.push(...(await benchOutbox()));
  process.stderr.write('bench: replay --events into a slow pipe …\n');
  figures.push(...(await benchReplayBackpressure()));
  process.stderr.write('bench: SDR channelizer and pipeline vs C/FFTW3 …\n');
  figures.push(...(await benchIq()));

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
  const results: Record<string, Omit<Figure, 'name'>> = {};
  for (const { name, ...rest } of figures) results[name] = rest;
  const root = fileURLToPath(new URL('..', import.meta.url));
  writeFileSync(`${root}bench/results.json`, `${JSON.stringify({ generated: started.toISOString(), machine, figures: results }, null, 2)}\n`);

  const lines = [
    '# simhound benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts). Do not edit by hand; rerun it. -->',
    '',
    `Run: ${started.toISOString()} with \`npm run bench\`.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gib} GiB, ${machine.os}; Node ${machine.node}; ${machine.tshark.replace(/\.$/, '')}; FFTW ${machine.fftw3}; ${machine.gcc}`,
    '',
    'Every figure is measured in this run next to its reference, measured in the same run on the same input.',
    '',
    '| figure | value | unit | reference | reference value | ratio |',
    '|---|---:|---|---|---:|---:|',
    ...figures.map((f) => `| ${f.description} | ${fmt(f.value)} | ${f.unit} | ${f.reference ?? '—'} | ${fmt(f.reference_value)} | ${f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`} |`),
    '',
    '## How each figure was measured',
    '',
    ...figures.map((f) => `- \`${f.name}\`: ${f.command}.`),
    '',
  ];
  writeFileSync(`${root}BENCHMARKS.md`, lines.join('\n'));
  process.stderr.write(`bench: wrote BENCHMARKS.md and bench/results.json (${figures.length} figures)\n`);
}

await main();
