/**
 * One SDR benchmark measurement in a fresh process (so each variant's array type and FFT size get
 * their own JIT state: mixing array types in one process slows fft.js down for all of them).
 * Called by bench/iq-channelizer.ts: `node --conditions=source --import tsx bench/iq-worker.ts '<json>'`;
 * prints one JSON line.
 *
 * Modes:
 *  - channelizer: cu8 bytes → Channelizer (DC, IQ correction, window, fft.js, channel powers), best of
 *    `passes` passes over the input held in memory, CPU time (and wall time);
 *  - pipeline: the same bytes through the whole IqPipeline (noise floor, burst detection, slot meter,
 *    FCCH/SCH, reports);
 *  - rss: the input looped through one IqPipeline for `stream_s` seconds of stream, RSS sampled.
 */
import { readFileSync } from 'node:fs';
import { Channelizer, type FftArrayType } from '../edge-agent/src/iq/dsp/channelizer.js';
import { prepareFftBackend, type FftBackend } from '../edge-agent/src/iq/dsp/fft-engine.js';
import { IqFramer } from '../edge-agent/src/iq/dsp/iq-framer.js';
import type { WindowKind } from '../edge-agent/src/iq/dsp/window.js';
import { IqPipeline } from '../edge-agent/src/iq/iq-pipeline.js';

interface Job {
  mode: 'channelizer' | 'pipeline' | 'rss';
  input: string;
  sample_rate_hz: number;
  center_freq_hz: number;
  fft_size: number;
  hop?: number;
  window?: WindowKind;
  fft_array?: FftArrayType;
  fft_backend?: FftBackend;
  iq_correction?: boolean;
  channel_offsets_hz: number[];
  passes?: number;
  stream_s?: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
await prepareFftBackend(job.fft_backend ?? 'fft.js');
const input = readFileSync(job.input);
const samples = input.length / 2;
const CHUNK = 256 * 1024;

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Warm-up passes before timing: the JIT needs a few seconds of stream to reach the code a probe runs for hours. */
const WARM_UP_PASSES = 3;

function timePasses(run: () => void, passes: number): { msps_cpu: number; msps_wall: number } {
  for (let w = 0; w < WARM_UP_PASSES; w++) run();
  let bestCpu = Infinity;
  let bestWall = Infinity;
  for (let p = 0; p < passes; p++) {
    const c0 = cpuSeconds();
    const w0 = performance.now();
    run();
    bestCpu = Math.min(bestCpu, cpuSeconds() - c0);
    bestWall = Math.min(bestWall, (performance.now() - w0) / 1000);
  }
  return { msps_cpu: samples / bestCpu / 1e6, msps_wall: samples / bestWall / 1e6 };
}

let checksum = 0;
if (job.mode === 'channelizer') {
  const result = timePasses(() => {
    const ch = new Channelizer(
      {
        sample_rate_hz: job.sample_rate_hz, fft_size: job.fft_size, hop: job.hop, window: job.window, fft_array: job.fft_array, fft_backend: job.fft_backend, iq_correction: job.iq_correction,
        channels: job.channel_offsets_hz.map((o) => ({ offset_hz: o, width_hz: 200_000 })),
      },
      (_f, _s, power) => {
        checksum += power[0]!;
      },
    );
    const framer = new IqFramer('cu8', ch);
    for (let at = 0; at < input.length; at += CHUNK) framer.push(input.subarray(at, at + CHUNK));
    ch.dispose();
  }, job.passes ?? 5);
  process.stdout.write(`${JSON.stringify({ ...result, checksum })}\n`);
} else if (job.mode === 'pipeline') {
  let events = 0;
  const result = timePasses(() => {
    const p = IqPipeline.create({ format: 'cu8', sample_rate_hz: job.sample_rate_hz, center_freq_hz: job.center_freq_hz, band: 'GSM900', fft_size: job.fft_size, fft_array: job.fft_array, fft_backend: job.fft_backend, report_interval_s: 1 }, () => events++);
    if (!p.ok) throw new Error(p.detail);
    for (let at = 0; at < input.length; at += CHUNK) p.value.push(input.subarray(at, at + CHUNK));
    p.value.flush();
    p.value.dispose();
  }, job.passes ?? 5);
  process.stdout.write(`${JSON.stringify({ ...result, events })}\n`);
} else {
  const p = IqPipeline.create({ format: 'cu8', sample_rate_hz: job.sample_rate_hz, center_freq_hz: job.center_freq_hz, band: 'GSM900', fft_size: job.fft_size, fft_array: job.fft_array, fft_backend: job.fft_backend, report_interval_s: 10 }, () => {});
  if (!p.ok) throw new Error(p.detail);
  const pipeline = p.value;
  const push = () => {
    for (let at = 0; at < input.length; at += CHUNK) pipeline.push(input.subarray(at, at + CHUNK));
  };
  push(); // warm-up pass (JIT, first allocations)
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const streamSamples = (job.stream_s ?? 600) * job.sample_rate_hz;
  const t0 = performance.now();
  const trace: number[] = [];
  // The V8 heap after a forced collection, once per minute of stream: what the pipeline really holds
  // (RSS also counts garbage V8 has not collected yet and pages it has not returned).
  const heapTrace: number[] = [];
  const minute = 60 * job.sample_rate_hz;
  let nextHeap = pipeline.sampleIndex + minute;
  let last = t0;
  while (pipeline.sampleIndex < streamSamples) {
    push();
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    if (performance.now() - last > 2000) {
      trace.push(Math.round(rss / 1048576));
      last = performance.now();
    }
    if (pipeline.sampleIndex >= nextHeap) {
      global.gc?.();
      heapTrace.push(Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10);
      nextHeap += minute;
    }
  }
  const end = process.memoryUsage().rss;
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ start, peak: Math.max(peak, end), end, stream_s: pipeline.sampleIndex / job.sample_rate_hz, wall_s: seconds, trace_mb: trace, heap_after_gc_mb: heapTrace, stats: pipeline.stats() })}\n`);
}
