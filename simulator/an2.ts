import { loadScenarioFile, WorldStream } from './src/index.ts';
import type { AccessRecord } from './src/truth.ts';
const sc = loadScenarioFile(process.argv[2]!);
if (!sc.ok) { console.error(sc.detail); process.exit(1); }
const binMin = Number(process.argv[3] ?? 10);
const recs: AccessRecord[] = [];
const st = new WorldStream(sc.value, { onAccess: (r) => recs.push(r) });
const t0 = performance.now();
for (let t = st.start_ts_ms; t < st.end_ts_ms; t += 600_000) st.step(Math.min(t + 600_000, st.end_ts_ms), () => {});
console.log('wall', ((performance.now() - t0) / 1000).toFixed(1), 's', st.world.counters);
const truth = st.truth();
const focus = new Set([...truth.crowds.flatMap((c) => c.serving.map((s) => s.cell.ci)), ...truth.dens.flatMap((d) => d.serving.map((s) => s.cell.ci))]);
console.log('crowds', JSON.stringify(truth.crowds.map((c) => ({ id: c.id, serving: c.serving.map((s) => `${s.cell.ci}:${s.ta_steps.join('/')}`) }))));
console.log('dens', JSON.stringify(truth.dens.map((d) => ({ id: d.id, serving: d.serving.map((s) => `${s.cell.ci}:${s.ta_steps}`) }))));
const nb = Math.ceil((st.end_ts_ms - st.start_ts_ms) / (binMin * 60000));
const rows = new Map<string, number[]>();
for (const r of recs) {
  const key = `${r.origin} ${r.message === 'reject' ? 'REJECT' : r.procedure}`;
  let a = rows.get(key); if (!a) rows.set(key, a = new Array(nb).fill(0));
  a[Math.floor((r.ts_ms - st.start_ts_ms) / (binMin * 60000))]++;
}
for (const [k, a] of [...rows].sort()) if (!k.startsWith('human ') || process.argv[4]) console.log(k.padEnd(34), a.join(' '));
