/**
 * `simhound eval <scenario.yaml | capture.pcap …>`: score detection against ground truth.
 * A scenario is simulated in memory for every probe; a capture is scored against the truth JSON beside
 * it (`x.pcap` → `x.truth.json`, or the `<scenario>.truth.json` that `simhound simulate --out` writes
 * for `<scenario>.<probe>.pcap`), so anyone's world can be scored. Captures sharing one truth file are
 * one run (several probes). Prints a table (or `--json`); `--markdown <file>` writes the table.
 * `--locate <n>` adds the location table (eval/locate*.ts) for n trial dens per scenario; `--locate-only`
 * skips detection.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readTruth, type EvalTruth } from '../eval/truth.js';
import { scoreDetections } from '../eval/score.js';
import { EVAL_METHODS, evaluateCaptures, evaluateSimulation, type EvalMethod, type EvalRunOutput } from '../eval/run.js';
import { loadSimulation } from '../eval/simulation.js';
import { markdownTable, resultsJson, type ScenarioResult } from '../eval/report.js';
import { replayDetectorsConfig } from './replay.js';
import { evaluateLocation } from '../eval/locate.js';
import { locateJson, locateMarkdownTable, type LocateScenarioResult } from '../eval/locate-report.js';
import { CliError, printLine } from '../output.js';
import type { Logger } from '@simhound/protocol';

export interface EvalOptions {
  json?: boolean;
  markdown?: string;
  config?: string;
  methods?: string;
  durationS?: number;
  /** Trial dens per scenario for the location table (0 or absent: no location table). */
  locate?: number;
  locateOnly?: boolean;
}

const CAPTURE = /\.(pcap|pcapng)$/i;

/** The truth file for a capture: strip extensions one dot at a time until `<stem>.truth.json` exists. */
export function truthFileFor(capture: string): string | null {
  const dir = dirname(capture);
  let stem = basename(capture).replace(CAPTURE, '');
  for (;;) {
    const candidate = join(dir, `${stem}.truth.json`);
    if (existsSync(candidate)) return candidate;
    const dot = stem.lastIndexOf('.');
    if (dot <= 0) return null;
    stem = stem.slice(0, dot);
  }
}

function methodsFrom(spec?: string): EvalMethod[] {
  if (!spec) return [...EVAL_METHODS];
  const wanted = spec.split(',').map((s) => s.trim());
  const bad = wanted.filter((w) => !(EVAL_METHODS as readonly string[]).includes(w));
  if (bad.length) throw new CliError(`--methods: unknown ${bad.join(', ')} (known: ${EVAL_METHODS.join(', ')})`, 2);
  return wanted as EvalMethod[];
}

function scoreRun(name: string, source: string, truth: EvalTruth, run: EvalRunOutput): ScenarioResult {
  return {
    scenario: name,
    source,
    covered_h: run.covered_s / 3600,
    speed_x: run.wall_s > 0 ? run.covered_s / run.wall_s : 0,
    frames: run.frames,
    methods: run.methods.map((m) => ({ method: m.method, score: scoreDetections(truth, m.detections) })),
  };
}

export async function evalCommand(inputs: string[], opts: EvalOptions, log: Logger): Promise<ScenarioResult[]> {
  if (inputs.length === 0) throw new CliError('give at least one scenario file or capture', 2);
  const detectors = replayDetectorsConfig({ ...(opts.config ? { config: opts.config } : {}) });
  const methods = methodsFrom(opts.methods);
  const results: ScenarioResult[] = [];
  const captureGroups = new Map<string, string[]>();
  const located: LocateScenarioResult[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new CliError(`${input}: no such file`, 2);
    if (CAPTURE.test(input)) {
      const truthFile = truthFileFor(input);
      if (truthFile === null) throw new CliError(`${input}: no ground truth beside it (expected ${input.replace(CAPTURE, '')}.truth.json)`, 2);
      captureGroups.set(truthFile, [...(captureGroups.get(truthFile) ?? []), input]);
      continue;
    }
    if (opts.locate) {
      const loaded = loadSimulation(input);
      log.info('locating trial dens', { scenario: loaded.name, trials: opts.locate });
      located.push(evaluateLocation(loaded.scenario, opts.locate, {}, (_t, i) => {
        if ((i + 1) % 10 === 0) log.info('location trials', { done: i + 1, of: opts.locate });
      }));
    }
    if (opts.locateOnly) continue;
    let sim;
    try {
      sim = loadSimulation(input, opts.durationS ? { duration_s: opts.durationS } : {});
    } catch (e) {
      throw new CliError((e as Error).message, 2);
    }
    log.info('simulating', { scenario: sim.name, hours: (sim.end_ts_ms - sim.start_ts_ms) / 3_600_000, probes: sim.probes.length });
    const run = evaluateSimulation(sim, { methods, detectors });
    results.push(scoreRun(sim.name, input, readTruth(sim.truth(), sim.end_ts_ms), run));
  }
  for (const [truthFile, captures] of captureGroups) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(truthFile, 'utf8'));
    } catch (e) {
      throw new CliError(`${truthFile}: not JSON (${(e as Error).message})`, 2);
    }
    const run = await evaluateCaptures(captures.map((path) => ({ probe: basename(path).replace(CAPTURE, ''), path })), { methods, detectors });
    const truth = readTruth(raw);
    results.push(scoreRun(truth.scenario, captures.join(', '), truth, run));
  }
  const tables = [...(opts.locateOnly ? [] : [markdownTable(results)]), ...(located.length ? [locateMarkdownTable(located)] : [])].join('\n\n');
  if (opts.json) printLine(located.length ? { ...(resultsJson(results) as object), location: locateJson(located) } : resultsJson(results));
  else printLine(tables);
  if (opts.markdown) writeFileSync(opts.markdown, `${tables}\n`);
  return results;
}
