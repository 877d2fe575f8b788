/**
 * Detection against the simulator's ground truth on a fast subset of the scenario library (the whole
 * library, with the reference rows, is docs/evaluation.md: `npm run docs:evaluation`). Each case runs
 * the same pipeline code as `simhound edge` (decoder → features → detectors → fusion) on a simulated
 * world and scores den candidates against the truth: dens found in time, and zero false candidates on
 * the hard negatives, including a cold start at a stadium's kick-off.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { DetectorsConfigSchema, type DetectorsConfig } from '@simhound/edge-agent';
import { loadScenarioFile, scenarioStartMs, simulateToCaptures } from '@simhound/simulator';
import { loadSimulation } from '../../src/eval/simulation.js';
import { evaluateCaptures, evaluateSimulation } from '../../src/eval/run.js';
import { readTruth } from '../../src/eval/truth.js';
import { scoreDetections, type Score } from '../../src/eval/score.js';

const scenarios = new URL('../../../simulator/scenarios/', import.meta.url).pathname;
const detectors = Value.Default(DetectorsConfigSchema, {}) as DetectorsConfig;
const H = 3_600_000;

function denCandidates(file: string, opts: { duration_s?: number; start_ts_ms?: number } = {}): Score {
  const sim = loadSimulation(join(scenarios, file), opts);
  const run = evaluateSimulation(sim, { methods: ['den-candidate@1'], detectors });
  return scoreDetections(readTruth(sim.truth(), sim.end_ts_ms), run.methods[0]!.detections);
}

function startOf(file: string): number {
  const sc = loadScenarioFile(join(scenarios, file));
  if (!sc.ok) throw new Error(sc.detail);
  return scenarioStartMs(sc.value);
}

describe('den candidates on the scenario library (fast subset)', () => {
  it('finds the demo GoIP-32 within two minutes of its first call, and nothing else', () => {
    const s = denCandidates('maseru-demo.yaml');
    expect(s.dens).toBe(1);
    expect(s.recall).toBe(1);
    expect(s.median_time_to_detect_s).toBeLessThanOrEqual(120);
    expect(s.false_episodes).toBe(0);
  }, 120_000);

  it('raises nothing on a 50k-subscriber city\'s busiest hours', () => {
    // 08:00–10:00 local on a weekday, started cold (no learned baseline).
    const s = denCandidates('city-50k-24h.yaml', { start_ts_ms: startOf('city-50k-24h.yaml') + 8 * H, duration_s: 2 * 3600 });
    expect(s.dens).toBe(0);
    expect(s.false).toEqual([]);
  }, 600_000);

  it('raises nothing on a legitimate call centre\'s working day', () => {
    const s = denCandidates('neg-call-centre-24h.yaml', { start_ts_ms: startOf('neg-call-centre-24h.yaml') + 8 * H, duration_s: 4 * 3600 });
    expect(s.false).toEqual([]);
  }, 600_000);

  it('finds a slow GoIP-8 (10 calls per port-hour, rotating SIMs, started at midnight) within three hours', () => {
    // Too few calls an hour for strong asymmetry evidence within one hour (docs/evaluation.md states the
    // gap to the 60-minute target): it is found once the same unanswered place has held the cell's
    // originating demand for two hours or more (fusion rule E; 2.5 h here).
    const s = denCandidates('den-goip-8-slow-rotation-48h.yaml', { duration_s: 4 * 3600 });
    expect(s.dens).toBe(1);
    expect(s.recall).toBe(1);
    expect(s.median_time_to_detect_s).toBeLessThanOrEqual(3 * 3600);
    expect(s.false_episodes).toBe(0);
  }, 600_000);

  it('scores a capture with the truth file written beside it as it scores the scenario in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-eval-capture-'));
    try {
      const sc = loadScenarioFile(join(scenarios, 'maseru-demo.yaml'));
      if (!sc.ok) throw new Error(sc.detail);
      const made = await simulateToCaptures({ ...sc.value, duration_s: 900 }, { out_dir: dir });
      if (!made.ok) throw new Error(made.reason);
      const run = await evaluateCaptures(made.value.files.captures.map((path, k) => ({ probe: `p${k}`, path })), { methods: ['den-candidate@1'], detectors });
      const { readFileSync } = await import('node:fs');
      const truth = readTruth(JSON.parse(readFileSync(made.value.files.truth, 'utf8')));
      const s = scoreDetections(truth, run.methods[0]!.detections);
      expect(run.frames).toBeGreaterThan(1000);
      expect(s.dens).toBe(1);
      expect(s.recall).toBe(1);
      expect(s.false_episodes).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
