import { loadScenarioFile, runWorld } from './src/index.ts';
const sc = loadScenarioFile(process.argv[2]!);
if (!sc.ok) { console.error(sc.detail); process.exit(1); }
const hours = Number(process.argv[3] ?? 24);
const scenario = { ...sc.value, duration_s: hours * 3600 };
const t0 = performance.now();
let frames = 0, bytes = 0;
const r = await runWorld(scenario, { onFrame: (_k, _t, b) => { frames++; bytes += b.length; } });
const dt = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ hours, frames, bytes, wall_s: dt, x_real_time: hours * 3600 / dt, rss_mb: process.memoryUsage().rss / 1e6, byOrigin: r.assignments_by_origin, probes: r.probes }));
