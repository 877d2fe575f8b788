/**
 * `npm run soak`: the fault-injection soak of issue #8 against the built CLI — real mosquitto on the
 * generated config, real `simhound collector` and `simhound edge` processes, load edges through the
 * real outbox and publisher — every fault at a full and a gentle rate; prints the table (markdown) that
 * docs/delivery.md shows. Options (after `--`: `npm run soak -- --short`):
 *   --short            short outages (2 s), a 15 s partition, 5 s disk full: ~7 minutes for every row
 *   --test             the two combined rows `npm test` runs (test-support/test/soak/soak.test.ts)
 *   (neither)          the long profile: 10 s outages, a 10-minute partition, 60 s disk full, 1000 msgs/s
 *   --only <text>      rows whose key (`collector-kill9 embedded full`, `partition embedded gentle` …)
 *                      contains <text> (repeatable)
 *   --keep             keep each row's temp directory (databases, outboxes, configs)
 * Exit 1 when any row lost or duplicated a message (known limits, marked ¹, aside).
 */
import { FULL_PROFILE, SHORT_PROFILE, TEST_PROFILE, allRows, formatTable, rowKey, rowPassed, runSoak, testRows } from '@simhound/test-support/soak/soak';

const args = process.argv.slice(2);
const profile = args.includes('--test') ? TEST_PROFILE : args.includes('--short') ? SHORT_PROFILE : FULL_PROFILE;
const only: string[] = [];
args.forEach((a, i) => {
  if (a === '--only' && args[i + 1] !== undefined) only.push(args[i + 1]!);
});
const rows = (profile === TEST_PROFILE ? testRows() : allRows()).filter((r) => only.length === 0 || only.some((o) => rowKey(r).includes(o)));
const started = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);
log(`soak (${profile.name} profile): ${rows.length} rows; full rate ${profile.rates.full}/s, gentle ${profile.rates.gentle}/s over ${profile.edges} load edges`);
const results = await runSoak(profile, rows, { log, keep: args.includes('--keep') });
process.stdout.write(`\n${formatTable(results)}\n\n`);
for (const r of results) if (r.notes.length > 0) process.stdout.write(`- ${r.label}, ${r.rate}: ${r.notes.join('; ')}\n`);
const faults = results.reduce((n, r) => n + 1 + (r.then?.length ?? 0), 0);
const total = (f: (r: (typeof results)[number]) => number) => results.reduce((n, r) => n + f(r), 0);
process.stdout.write(`\ntotal: ${faults} faults injected; sent ${total((r) => r.sent)}, stored ${total((r) => r.stored)}, lost ${total((r) => r.lost)}, duplicated ${total((r) => r.duplicated)}, dropped by policy ${total((r) => r.dropped)}, redelivered and deduped ${total((r) => r.redelivered)}\n`);
process.stdout.write(`(${profile.name} profile, ${Math.round((Date.now() - started) / 1000)} s, node ${process.version})\n`);
process.exit(results.every(rowPassed) ? 0 : 1);
