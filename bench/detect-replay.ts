/**
 * Detection benchmark: how fast the whole edge pipeline replays a capture with every detector on, against
 * the same replay decoding only (measured in the same run on the same file), and whether the detection
 * engine's memory stays flat over a simulated day.
 *
 * 1. Whole process: `simhound replay <capture> --detect` vs `simhound replay <capture>` on a simulated
 *    capture of the 50,000-subscriber city (simulator/scenarios/city-50k-24h.yaml, first 6 hours, the
 *    roof probe's view), timed from spawn to exit.
 * 2. RSS over 24 h: the engine (all detectors, den-candidate fusion) fed the same city's 24 hours in
 *    memory (simulator → decoder → pipeline, no files), RSS sampled every simulated hour after a forced
 *    GC; reported as the last hour against hour 2 (after warm-up).
 *
 * Run alone: node --expose-gc --conditions=source --import tsx bench/detect-replay.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { loadScenarioFile, runWorld, scenarioStartMs, simulateToCaptures } from '../simulator/src/index.js';
import {
  AnalysisPipeline, DedicatedSessionTracker, DetectorsConfigSchema, GsmFrameDecoder, createSubRefHasher, detectionSetup, type DetectorsConfig,
} from '../edge-agent/src/index.js';
import type { Figure } from './figure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'cli', 'dist', 'main.js');
const SCENARIO = join(root, 'simulator', 'scenarios', 'city-50k-24h.yaml');

function timeCli(args: string[]): { seconds: number; frames: number; detections: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`simhound ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const lines = r.stdout.trim().split('\n');
  const summary = JSON.parse(lines.at(-1)!).summary as { gsmtap_frames: number; detections?: number };
  return { seconds, frames: summary.gsmtap_frames, detections: summary.detections ?? 0 };
}

export async function benchDetectReplay(): Promise<Figure[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const sc = loadScenarioFile(SCENARIO);
  if (!sc.ok) throw new Error(sc.detail);
  const dir = mkdtempSync(join(tmpdir(), 'simhound-bench-detect-'));
  const figures: Figure[] = [];
  try {
    const made = await simulateToCaptures({ ...sc.value, duration_s: 6 * 3600 }, { out_dir: dir });
    if (!made.ok) throw new Error(made.reason);
    const capture = made.value.files.captures[0]!;
    const mb = statSync(capture).size / 1e6;
    timeCli(['replay', capture]); // warm the page cache
    const decode = timeCli(['replay', capture]);
    const detect = timeCli(['replay', capture, '--detect']);
    const command = `node cli/dist/main.js replay <capture> --detect, vs the same without --detect (capture: simhound simulate simulator/scenarios/city-50k-24h.yaml --duration-s 21600, ${mb.toFixed(0)} MB)`;
    figures.push({
      name: 'replay_detect_frames_per_s',
      description: `\`simhound replay --detect\` (every detector, den-candidate fusion) on 6 h of the 50k-subscriber city (${decode.frames.toLocaleString('en-US')} frames, ${detect.detections} candidates), whole process`,
      value: detect.frames / detect.seconds,
      unit: 'frames/s',
      reference: '`simhound replay` of the same file, decoding only',
      reference_value: decode.frames / decode.seconds,
      ratio: decode.seconds / detect.seconds,
      command,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // RSS of the detection engine over a simulated day, in memory.
  const gc = (globalThis as { gc?: () => void }).gc;
  const detectors = Value.Default(DetectorsConfigSchema, {}) as DetectorsConfig;
  const setup = detectionSetup(detectors);
  let candidates = 0;
  const pipeline = new AnalysisPipeline({ window_s: 60, engine: setup.engine, windowDetectors: [], position: () => null, sinks: { onDetection: () => candidates++, onWindow: () => {} } });
  const decoder = new GsmFrameDecoder({ subRef: createSubRefHasher(randomBytes(32)), sessions: new DedicatedSessionTracker() });
  const start = scenarioStartMs(sc.value);
  const rssByHour: number[] = [];
  let nextHour = start + 3_600_000;
  const t0 = performance.now();
  let frames = 0;
  const emit = (e: Parameters<AnalysisPipeline['add']>[0]) => pipeline.add(e);
  await runWorld(sc.value, {
    onFrame: (k, ts, bytes) => {
      if (k !== 0) return;
      frames++;
      decoder.decode(bytes, 0, bytes.length, ts, 'roof', emit);
      if (ts >= nextHour) {
        gc?.();
        rssByHour.push(process.memoryUsage().rss / 2 ** 20);
        nextHour += 3_600_000;
      }
    },
  });
  pipeline.flush();
  const seconds = (performance.now() - t0) / 1000;
  const warm = rssByHour[Math.min(1, rssByHour.length - 1)] ?? 0;
  const last = rssByHour.at(-1) ?? 0;
  const peak = Math.max(...rssByHour);
  figures.push({
    name: 'detect_engine_24h_rss_mb',
    description: `RSS (after GC) of simulator + decoder + detection engine over 24 simulated hours of the 50k city (${frames.toLocaleString('en-US')} frames, ${candidates} candidates, ${seconds.toFixed(0)} s): hour 2 ${warm.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, hour 24 ${last.toFixed(0)} MB${gc ? '' : ' (no --expose-gc: RSS includes garbage)'}`,
    value: last,
    unit: 'MB',
    reference: 'RSS at simulated hour 2 (after warm-up)',
    reference_value: warm,
    ratio: warm > 0 ? last / warm : null,
    command: 'node --expose-gc --conditions=source --import tsx bench/detect-replay.ts (runWorld → GsmFrameDecoder → AnalysisPipeline in one process)',
  });
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchDetectReplay()) console.log(`${f.name}: ${f.value.toFixed(1)} ${f.unit} (reference ${f.reference_value?.toFixed(1)}, ratio ${f.ratio?.toFixed(2)}) — ${f.description}`);
}
