/**
 * `simhound replay --events` into a slow pipe: peak RSS of the built CLI while a reader takes its output
 * at a fixed rate, next to the same replay into a reader that keeps up (the reference). Without
 * back-pressure the slow case buffers the whole output in memory (measured 2.44 GB on a 764,742-frame
 * capture before the fix); with it, both stay flat.
 *
 * Run alone: node --conditions=source --import tsx bench/replay-backpressure.ts
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, simulateToCaptures } from '../simulator/src/index.js';
import type { Figure } from './figure.js';

const root = join(import.meta.dirname, '..');
const CLI = join(root, 'cli', 'dist', 'main.js');
const SLOW_BYTES_PER_S = 8 * 1024 * 1024;

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Replay with --events, reading its stdout at `bytesPerS` (Infinity: as fast as it comes). */
async function replayInto(capture: string, bytesPerS: number): Promise<{ peakMb: number; bytes: number; seconds: number }> {
  const child = spawn(process.execPath, [CLI, 'replay', capture, '--events'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const out = child.stdout!;
  let bytes = 0;
  let peak = 0;
  const t0 = Date.now();
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 25);
  let reader: NodeJS.Timeout | null = null;
  if (Number.isFinite(bytesPerS)) {
    out.pause();
    // Small ticks: a paused pipe refills at most one highWaterMark (64 KiB) between two ticks.
    let credit = 0;
    reader = setInterval(() => {
      credit = Math.min(credit + bytesPerS / 200, bytesPerS / 20);
      let chunk: Buffer | null;
      while (credit > 0 && (chunk = out.read() as Buffer | null) !== null) {
        bytes += chunk.length;
        credit -= chunk.length;
      }
    }, 5);
  } else out.on('data', (c: Buffer) => (bytes += c.length));
  const ended = new Promise<void>((r) => out.on('end', () => r()));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  await ended;
  clearInterval(sampler);
  if (reader) clearInterval(reader);
  if (code !== 0) throw new Error(`replay exited ${code}`);
  return { peakMb: peak, bytes, seconds: (Date.now() - t0) / 1000 };
}

export async function benchReplayBackpressure(): Promise<Figure[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'simhound-bench-replay-'));
  try {
    const sc = loadScenarioFile(join(root, 'simulator', 'scenarios', 'maseru-demo.yaml'));
    if (!sc.ok) throw new Error(sc.detail);
    const made = await simulateToCaptures(sc.value, { out_dir: dir, duration_s: 2 * 3600 });
    if (!made.ok) throw new Error(made.reason);
    const capture = made.value.files.captures[0]!;
    const fast = await replayInto(capture, Infinity);
    const slow = await replayInto(capture, SLOW_BYTES_PER_S);
    if (slow.bytes !== fast.bytes) throw new Error(`output differs: ${slow.bytes} vs ${fast.bytes} bytes`);
    const frames = made.value.frames_per_probe[0]!.toLocaleString('en-US');
    return [{
      name: 'replay_events_slow_reader_peak_rss_mb',
      description: `peak RSS of \`simhound replay --events\` on a ${frames}-frame simulated capture (${(fast.bytes / 2 ** 20).toFixed(0)} MiB of JSON lines) read by a pipe at ${SLOW_BYTES_PER_S / 2 ** 20} MiB/s (${slow.seconds.toFixed(1)} s)`,
      value: slow.peakMb,
      unit: 'MB',
      reference: 'the same replay into a reader that keeps up',
      reference_value: fast.peakMb,
      ratio: slow.peakMb / fast.peakMb,
      command: '`npm run bench` (or alone: `node --conditions=source --import tsx bench/replay-backpressure.ts`); RSS sampled every 25 ms from /proc/<pid>/status; needs the built CLI',
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchReplayBackpressure()) process.stdout.write(`${f.name}: ${f.value.toFixed(1)} ${f.unit} (ref ${f.reference_value?.toFixed(1)}) — ${f.description}\n`);
}
