/**
 * Fuzz the GSM frame decoder with structure-aware mutations of real and hand-made GSMTAP frames
 * (truncations, length lies, bit flips, random GSMTAP headers, random RR/MM types …) and print the
 * counts by outcome. Exits non-zero if anything threw or a message decoder raised an exception.
 *
 *   npm run fuzz -- [--frames N] [--seed S]      (default 1,000,000 frames, seed 1)
 */
import { runFuzz } from '../edge-agent/test/gsm/fuzz-frames.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`--${name} needs a non-negative number\n`);
    process.exit(2);
  }
  return v;
}

const frames = arg('frames', 1_000_000);
const seed = arg('seed', 1);
const report = runFuzz(frames, seed);
const rate = Math.round(report.frames / (report.elapsed_ms / 1000));
process.stdout.write(`fuzzed ${report.frames} frames (seed ${report.seed}) in ${report.elapsed_ms} ms, ${rate} frames/s\n`);
process.stdout.write(`escaped throws: ${report.escaped_throws}, decoder exceptions: ${report.outcomes.decoder_exception}, events: ${report.events}\n`);
process.stdout.write('outcomes:\n');
for (const [k, v] of Object.entries(report.outcomes)) process.stdout.write(`  ${k.padEnd(26)} ${v}\n`);
process.stdout.write('events by message:\n');
for (const [k, v] of Object.entries(report.events_by_message).sort()) process.stdout.write(`  ${k.padEnd(26)} ${v}\n`);
process.stdout.write(`dedicated sessions: ${JSON.stringify(report.sessions)}\n`);
process.stdout.write('mutations:\n');
for (const [k, v] of Object.entries(report.mutations)) process.stdout.write(`  ${k.padEnd(26)} ${v}\n`);
const counted = Object.values(report.outcomes).reduce((a, b) => a + b, 0);
if (report.escaped_throws > 0 || report.outcomes.decoder_exception > 0 || counted !== report.frames) {
  process.stderr.write('FAIL: throws or uncounted frames\n');
  process.exit(1);
}
