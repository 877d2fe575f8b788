import { readdirSync } from 'node:fs';
import { loadScenarioFile, WorldStream } from './src/index.ts';
for (const f of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
  const sc = loadScenarioFile(`scenarios/${f}`);
  if (!sc.ok) { console.log(f, sc.detail); continue; }
  const t0 = performance.now();
  const st = new WorldStream(sc.value);
  const t1 = performance.now();
  let frames = 0;
  st.step(st.start_ts_ms + 600_000, () => { frames++; });
  console.log(f.padEnd(40), 'subs', st.world.subs.size, 'build ms', (t1 - t0).toFixed(0), '10 min ms', (performance.now() - t1).toFixed(0), 'frames', frames, JSON.stringify(st.assignments_by_origin));
}
