/**
 * The evaluation's window on the simulator: load a scenario, play it in memory as every probe hears it
 * (GSMTAP bytes with timestamps, in time order), and hand over its ground truth. The only module of the
 * evaluation that knows the simulator's API.
 */
import { ProbeFrameBuilder, World, createRandom, distanceM, loadScenarioFile, type Scenario } from '@simhound/simulator';
import type { CellId } from '@simhound/protocol';

export interface SimulatedRun {
  name: string;
  scenario: Scenario;
  probes: string[];
  start_ts_ms: number;
  end_ts_ms: number;
  /** The world (built lazily by simulateFrames) and its ground truth afterwards. */
  truth: () => unknown;
  cellDistanceM: (a: CellId, b: CellId) => number | null;
  world: World | null;
}

/** Monday 2026-01-05 00:00 UTC: runs start on a weekday at midnight unless told otherwise. */
export const DEFAULT_START_TS_MS = Date.UTC(2026, 0, 5);

export function loadSimulation(path: string, opts: { duration_s?: number; start_ts_ms?: number } = {}): SimulatedRun {
  const loaded = loadScenarioFile(path);
  if (!loaded.ok) throw new Error(`${path}: ${loaded.detail ?? loaded.reason}`);
  const scenario = loaded.value;
  const start = opts.start_ts_ms ?? DEFAULT_START_TS_MS;
  const end = start + (opts.duration_s ?? scenario.duration_s) * 1000;
  const cells = scenario.cells;
  const run: SimulatedRun = {
    name: scenario.name,
    scenario,
    probes: scenario.probes.map((p) => `${p.site}/${p.probe}`),
    start_ts_ms: start,
    end_ts_ms: end,
    world: null,
    truth: () => ({ ...(run.world?.truth ?? {}), start_ts_ms: start, end_ts_ms: end }),
    cellDistanceM: (a, b) => {
      const ca = cells.find((c) => c.mcc === a.mcc && c.mnc === a.mnc && c.lac === a.lac && c.ci === a.ci);
      const cb = cells.find((c) => c.mcc === b.mcc && c.mnc === b.mnc && c.lac === b.lac && c.ci === b.ci);
      return ca && cb ? distanceM(ca, cb) : null;
    },
  };
  return run;
}

export function simulateFrames(sim: SimulatedRun, onFrame: (probeIndex: number, ts_ms: number, gsmtap: Uint8Array) => void): void {
  const world = new World(sim.scenario, sim.start_ts_ms);
  sim.world = world;
  const builders = sim.scenario.probes.map((p) => new ProbeFrameBuilder(sim.scenario.cells, p, createRandom(sim.scenario.seed).fork(`frames:${p.probe}`)));
  for (let t = sim.start_ts_ms; t < sim.end_ts_ms; t += 60_000) {
    for (const e of world.advance(Math.min(sim.end_ts_ms, t + 60_000))) {
      builders.forEach((b, i) => {
        const frame = b.build(e);
        if (frame !== null) onFrame(i, e.ts_ms, frame);
      });
    }
  }
}
