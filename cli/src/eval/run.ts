/**
 * Running the evaluation: frames from a simulated world (in memory, no files) or from captures, through
 * the same code the edge agent runs — GSM frame decoder → AnalysisPipeline with the detection engine —
 * once per probe, with every method fed the same events in one pass:
 *   den-candidate@1   the detection engine (all detectors, fused), thresholds from the config;
 *   ccch-burst@1      the first detector (60 s windows), as a reference row;
 *   naive-threshold@1 mean + 4 sd per 5-minute window, as a reference row.
 * Returns every method's detections with probe names; scoring is score.ts's job.
 */
import { randomBytes } from 'node:crypto';
import {
  AnalysisPipeline, DedicatedSessionTracker, GsmFrameDecoder, createSubRefHasher, detectionSetup, replayCapture, type DetectorsConfig, type GsmEvent,
} from '@simhound/edge-agent';
import type { CellId, DetectionBody } from '@simhound/protocol';
import type { ScoredDetection } from './score.js';
import { simulateFrames, type SimulatedRun } from './simulation.js';

export const EVAL_METHODS = ['den-candidate@1', 'ccch-burst@1', 'naive-threshold@1'] as const;
export type EvalMethod = (typeof EVAL_METHODS)[number];

export interface MethodRun {
  method: EvalMethod;
  detections: ScoredDetection[];
}

export interface EvalRunOutput {
  methods: MethodRun[];
  frames: number;
  events: number;
  /** Wall-clock seconds the run took and how much simulated/captured time it covered. */
  wall_s: number;
  covered_s: number;
}

interface ProbeChain {
  decoder: GsmFrameDecoder;
  pipelines: Array<{ method: EvalMethod; pipeline: AnalysisPipeline }>;
}

function toScored(probe: string, d: DetectionBody): ScoredDetection {
  return {
    probe,
    ts_ms: d.window.end_ts_ms,
    first_seen_ts_ms: d.evidence.first_seen_ts_ms ?? d.window.start_ts_ms,
    cell: d.cell,
    arfcn: d.arfcn,
    ta_steps: d.ta_steps,
    ta_span: d.evidence.ta_span_steps ?? 1,
    severity: d.severity,
    score: d.score,
  };
}

function makeChain(
  probe: string,
  methods: readonly EvalMethod[],
  detectors: DetectorsConfig,
  out: Map<EvalMethod, ScoredDetection[]>,
  cellDistanceM?: (a: CellId, b: CellId) => number | null,
): ProbeChain {
  const subRef = createSubRefHasher(randomBytes(32));
  const decoder = new GsmFrameDecoder({ subRef, sessions: new DedicatedSessionTracker() });
  const pipelines = methods.map((method) => {
    const config: DetectorsConfig = method === 'den-candidate@1' ? detectors : { ...detectors, run: [method] };
    const setup = detectionSetup(config, cellDistanceM ? { cellDistanceM } : {});
    const pipeline = new AnalysisPipeline({
      window_s: method === 'naive-threshold@1' ? 300 : 60,
      engine: setup.engine,
      windowDetectors: setup.windowDetectors,
      position: () => null,
      sinks: { onDetection: (d) => out.get(method)!.push(toScored(probe, d)), onWindow: () => {} },
    });
    return { method, pipeline };
  });
  return { decoder, pipelines };
}

export interface EvalRunOptions {
  methods?: readonly EvalMethod[];
  detectors: DetectorsConfig;
}

/** A scenario, simulated in memory for every probe. */
export function evaluateSimulation(sim: SimulatedRun, options: EvalRunOptions): EvalRunOutput {
  const methods = options.methods ?? EVAL_METHODS;
  const out = new Map<EvalMethod, ScoredDetection[]>(methods.map((m) => [m, []]));
  const chains = sim.probes.map((p) => makeChain(p, methods, options.detectors, out, sim.cellDistanceM));
  const started = performance.now();
  let frames = 0;
  let events = 0;
  let lastTs = 0;
  const emitFor = (chain: ProbeChain) => (e: GsmEvent) => {
    events++;
    for (const p of chain.pipelines) p.pipeline.add(e);
  };
  const emitters = chains.map(emitFor);
  simulateFrames(sim, (probeIndex, ts_ms, gsmtap) => {
    frames++;
    lastTs = ts_ms;
    const chain = chains[probeIndex]!;
    chain.decoder.decode(gsmtap, 0, gsmtap.length, ts_ms, sim.probes[probeIndex]!, emitters[probeIndex]!);
  });
  chains.forEach((c, k) => {
    c.decoder.flushSessions(emitters[k]!);
    for (const p of c.pipelines) p.pipeline.flush();
  });
  return {
    methods: methods.map((m) => ({ method: m, detections: out.get(m)! })),
    frames,
    events,
    wall_s: (performance.now() - started) / 1000,
    covered_s: Math.max(0, (lastTs - sim.start_ts_ms) / 1000),
  };
}

/** Captures (one per probe), replayed. */
export async function evaluateCaptures(captures: ReadonlyArray<{ probe: string; path: string }>, options: EvalRunOptions): Promise<EvalRunOutput> {
  const methods = options.methods ?? EVAL_METHODS;
  const out = new Map<EvalMethod, ScoredDetection[]>(methods.map((m) => [m, []]));
  const started = performance.now();
  let frames = 0;
  let events = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const c of captures) {
    const chain = makeChain(c.probe, methods, options.detectors, out);
    const r = await replayCapture(c.path, {
      subRef: createSubRefHasher(randomBytes(32)),
      decoder: chain.decoder,
      source: c.probe,
      onEvent: (e) => {
        events++;
        if (e.ts_ms < first) first = e.ts_ms;
        if (e.ts_ms > last) last = e.ts_ms;
        for (const p of chain.pipelines) p.pipeline.add(e);
      },
    });
    if (!r.ok) throw new Error(`cannot read ${c.path}: ${r.reason}${r.detail ? ` (${r.detail})` : ''}`);
    frames += r.value.gsmtap_frames;
    for (const p of chain.pipelines) p.pipeline.flush();
  }
  return {
    methods: methods.map((m) => ({ method: m, detections: out.get(m)! })),
    frames,
    events,
    wall_s: (performance.now() - started) / 1000,
    covered_s: Number.isFinite(first) ? (last - first) / 1000 : 0,
  };
}
