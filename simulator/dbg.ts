import { loadScenarioFile, World } from './src/index.ts';
const sc = loadScenarioFile(process.argv[2]!);
if (!sc.ok) { console.error(sc.detail); process.exit(1); }
const w = new World({ ...sc.value, dens: [] } as any);
const h = w.humans as any;
const counts: Record<number, number> = {};
const orig = h.perform.bind(h);
h.perform = (i: number, k: number, t: number) => { if (w.subs.ownerKind[i] === 0) counts[k] = (counts[k] ?? 0) + 1; return orig(i, k, t); };
const procs: Record<string, number> = {};
w.advance(w.start_ts_ms + 3600_000, (e) => { if (e.kind === 'assignment' && !e.repeat) for (const a of e.entries) procs[a.procedure] = (procs[a.procedure] ?? 0) + 1; });
console.log('performs/h', counts, 'procedures/h', procs, w.counters);
let sum = 0; for (let i = 0; i < w.residents; i++) sum += w.subs.rateSum[i]! * w.subs.activity[i]!;
console.log('mean events/day per sub', sum / w.residents * 86400000);
