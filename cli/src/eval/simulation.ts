/**
 * The evaluation's window on the simulator: load a scenario, play it in memory as every probe hears it
 * (GSMTAP bytes with timestamps, in time order), and hand over its ground truth. The only module of the
 * evaluation that knows the simulator's API (`WorldStream`, `scenarioStartMs`).
 */
import { WorldStream, distanceM, loadScenarioFile, scenarioStartMs, type GroundTruth, type Scenario } from '@simhound/simulator';
import type { CellId } from '@simhound/protocol';

export interface SimulatedRun {
  name: string;
  scenario: Scenario;
  probes: string[];
  start_ts_ms: number;
  end_ts_ms: number;
  /** The ground truth (complete once simulateFrames has run; dens' serving intervals grow with the run). */
  truth: () => GroundTruth | { start_ts_ms: number; end_ts_ms: number };
  cellDistanceM: (a: CellId, b: CellId) => number | null;
  stream: WorldStream | null;
}

/**
 * Runs start at the scenario's own local `start` (its weekday and hour matter, and crowd events such as
 * a match are at absolute dates), unless told otherwise.
 */
export function loadSimulation(path: string, opts: { duration_s?: number; start_ts_ms?: number } = {}): SimulatedRun {
  const loaded = loadScenarioFile(path);
  if (!loaded.ok) throw new Error(`${path}: ${loaded.detail ?? loaded.reason}`);
  const scenario = loaded.value;
  const start = opts.start_ts_ms ?? scenarioStartMs(scenario);
  const end = start + (opts.duration_s ?? scenario.duration_s) * 1000;
  const cells = scenario.cells;
  const run: SimulatedRun = {
    name: scenario.name,
    scenario,
    probes: scenario.probes.map((p) => `${p.site}/${p.probe}`),
    start_ts_ms: start,
    end_ts_ms: end,
    stream: null,
    truth: () => run.stream?.truth() ?? { start_ts_ms: start, end_ts_ms: end },
    cellDistanceM: (a, b) => {
      const ca = cells.find((c) => c.mcc === a.mcc && c.mnc === a.mnc && c.lac === a.lac && c.ci === a.ci);
      const cb = cells.find((c) => c.mcc === b.mcc && c.mnc === b.mnc && c.lac === b.lac && c.ci === b.ci);
      return ca && cb ? distanceM(ca, cb) : null;
    },
  };
  return run;
}

export function simulateFrames(sim: SimulatedRun, onFrame: (probeIndex: number, ts_ms: number, gsmtap: Uint8Array) => void): void {
  const stream = new WorldStream(sim.scenario, { start_ts_ms: sim.start_ts_ms, end_ts_ms: sim.end_ts_ms });
  sim.stream = stream;
  for (let t = sim.start_ts_ms; t < sim.end_ts_ms; ) {
    t = Math.min(sim.end_ts_ms, t + 60_000);
    stream.step(t, onFrame);
  }
}
