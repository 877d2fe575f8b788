import { loadScenarioFile, WorldStream } from './src/index.ts';
import type { AccessRecord } from './src/truth.ts';
const sc = loadScenarioFile(process.argv[2]!);
if (!sc.ok) { console.error(sc.detail); process.exit(1); }
const hours = Number(process.argv[3] ?? 24);
const scenario = { ...sc.value, duration_s: hours * 3600, start: process.argv[4] ?? '2026-03-06T00:00:00' };
const recs: AccessRecord[] = [];
const t0 = performance.now();
const st = new WorldStream(scenario, { onAccess: (r) => recs.push(r) });
let frames = 0;
for (let t = st.start_ts_ms; t < st.end_ts_ms; t += 600_000) st.step(Math.min(t + 600_000, st.end_ts_ms), () => { frames++; });
const dt = (performance.now() - t0) / 1000;
console.log('frames', frames, 'wall s', dt.toFixed(1), 'x real', (hours * 3600 / dt).toFixed(0), 'accesses', recs.length);
// hourly human originating
const hourly = new Array(hours).fill(0), hourlyDen = new Array(hours).fill(0);
const ORIG = new Set(['originating_call','originating_speech_tch_h','other_sdcch','originating_call_or_sdcch','emergency_call']);
for (const r of recs) { if (r.message !== 'assignment' || !ORIG.has(r.cause)) continue; const h = Math.floor((r.ts_ms - st.start_ts_ms) / 3600000); if (r.origin === 'human') hourly[h]++; else hourlyDen[h]++; }
console.log('human orig/h', hourly.join(' '));
console.log('den orig/h', hourlyDen.join(' '));
// dispersion per (ci, ta) 5-min windows during 10-16h
const W = 300_000; const counts = new Map<string, number[]>();
const nWin = Math.floor(hours * 3600_000 / W);
for (const r of recs) { if (r.origin !== 'human' || r.message !== 'assignment' || !ORIG.has(r.cause)) continue; const k = `${r.ci}/${r.ta_steps}`; let a = counts.get(k); if (!a) counts.set(k, a = new Array(nWin).fill(0)); a[Math.floor((r.ts_ms - st.start_ts_ms) / W)]++; }
const disp: string[] = [];
for (const [k, a] of counts) { const sel = a.filter((_, w) => { const h = ((w * W / 3600000) + 2) % 24; return h >= 10 && h < 16; }); const m = sel.reduce((x, y) => x + y, 0) / sel.length; if (m < 1) continue; const v = sel.reduce((x, y) => x + (y - m) ** 2, 0) / (sel.length - 1); disp.push(`${k}:m=${m.toFixed(1)},D=${(v / m).toFixed(2)}`); }
console.log('dispersion (10-16h, 5min, mean>=1):', disp.slice(0, 20).join(' '));
const byProc: Record<string, number> = {}; for (const r of recs) if (r.message === 'assignment') byProc[`${r.origin.split(':')[0]}:${r.procedure}`] = (byProc[`${r.origin.split(':')[0]}:${r.procedure}`] ?? 0) + 1;
console.log(byProc);
console.log('rejects', recs.filter((r) => r.message === 'reject').length, st.world.counters, 'agenda', st.world.agendaSize, 'subs', st.world.subs.size);
