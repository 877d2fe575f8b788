/**
 * Simulator benchmark: 24 simulated hours of the 50,000-subscriber Maseru city (simulator/scenarios/
 * city-50k-24h.yaml: ~100 real cells, one roof probe decoding BCCH + CCCH) through the streaming API,
 * including GSMTAP encoding of every frame the probe receives, on one core. Reports the speed as a
 * multiple of real time against the 100× the simulator must reach, the frames per second it produces,
 * and the peak RSS (memory must not grow with simulated time).
 *
 * Run alone: node --conditions=source --import tsx bench/simulator.ts
 */
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, runWorld, scenarioStartMs } from '../simulator/src/index.js';
import type { Figure } from './figure.js';

const SCENARIO = fileURLToPath(new URL('../simulator/scenarios/city-50k-24h.yaml', import.meta.url));
const REQUIRED_X_REAL_TIME = 100;

export async function benchSimulator(): Promise<Figure[]> {
  const sc = loadScenarioFile(SCENARIO);
  if (!sc.ok) throw new Error(sc.detail);
  const scenario = sc.value;
  let frames = 0;
  let bytes = 0;
  let peakRss = process.memoryUsage().rss;
  let rssAt1h = 0;
  const startTs = scenarioStartMs(scenario);
  const started = performance.now();
  const summary = await runWorld(scenario, {
    onFrame: (_k, ts, b) => {
      frames++;
      bytes += b.length;
      if ((frames & 0xffff) === 0) {
        const rss = process.memoryUsage().rss;
        if (rss > peakRss) peakRss = rss;
        if (rssAt1h === 0 && ts - startTs >= 3_600_000) rssAt1h = rss;
      }
    },
  });
  const wallS = (performance.now() - started) / 1000;
  const simulatedS = scenario.duration_s;
  const x = simulatedS / wallS;
  const command = 'node --conditions=source --import tsx bench/simulator.ts (runWorld over simulator/scenarios/city-50k-24h.yaml, frames counted, not written)';
  const origins = Object.entries(summary.assignments_by_origin).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    {
      name: 'simulator_city_50k_24h_x_real_time',
      description: `Simulator: 24 h of a 50,000-subscriber city (${scenario.cells.length} cells) with GSMTAP encoding, one core — ${frames.toLocaleString('en-US')} frames, assignments ${origins}`,
      value: x,
      unit: '× real time',
      reference: 'the required speed (not measured)',
      reference_value: REQUIRED_X_REAL_TIME,
      ratio: x / REQUIRED_X_REAL_TIME,
      command,
    },
    {
      name: 'simulator_city_50k_frames_per_s',
      description: `Simulator: GSMTAP frames produced per wall-clock second (${(bytes / 1e6).toFixed(0)} MB in all)`,
      value: frames / wallS,
      unit: 'frames/s',
      reference: null,
      reference_value: null,
      ratio: null,
      command,
    },
    {
      name: 'simulator_city_50k_peak_rss_mib',
      description: 'Simulator: peak RSS over the 24 h run, against the RSS after the first simulated hour (flat memory)',
      value: peakRss / 2 ** 20,
      unit: 'MiB',
      reference: 'RSS after 1 simulated hour',
      reference_value: rssAt1h > 0 ? rssAt1h / 2 ** 20 : null,
      ratio: rssAt1h > 0 ? peakRss / rssAt1h : null,
      command,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchSimulator()) process.stdout.write(`${JSON.stringify(f)}\n`);
}
