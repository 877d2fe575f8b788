/**
 * SDR benchmark: simulated GSM-900 downlink (BCCH carrier + traffic carrier + noise, rtl_sdr cu8,
 * 2.4 MS/s, 9 ARFCNs in view) through
 *  (1) the channelizer (cu8 → DC removal → IQ correction → Hann window → fft.js → power per ARFCN), next
 *      to the C/FFTW3 reference (bench/reference/channel-power.c, double precision, gcc -O2, the same
 *      computation) timed on the same file in the same run — the like-for-like ratio;
 *  (2) the whole pipeline (plus noise floor, burst detection, slot meter, FCCH/SCH sync, reports);
 *  (3) design choices: FFT size, fft.js array type, window, overlap — each vs the C reference with the
 *      same settings;
 *  (4) accuracy: largest per-frame channel-power difference TS vs C, dB;
 *  (5) RSS over a 10-minute stream (the input looped through one pipeline).
 * Every timing is the best of several passes over the input held in memory, after three warm-up passes
 * (a probe runs for hours: the JIT's steady state is what counts), in CPU seconds of one process on one
 * core (wall-clock is noisier on a shared machine); each variant runs in a fresh process.
 *
 * Run alone: node --conditions=source --import tsx bench/iq-channelizer.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IqSceneGenerator, writeSceneIq } from '../simulator/src/iq/index.js';
import { arfcnToFrequency, channelsInView } from '../edge-agent/src/iq/gsm-bands.js';
import { Channelizer } from '../edge-agent/src/iq/dsp/channelizer.js';
import { IqFramer } from '../edge-agent/src/iq/dsp/iq-framer.js';
import { buildChannelPowerOracle, oracleBench, oracleChannelPowers, oracleCompileArgs, type OracleChannelOptions } from '../test-support/src/channel-power-oracle.js';
import type { Figure } from './figure.js';

const RATE = 2_400_000;
const CENTRE = arfcnToFrequency('GSM900', 59, 'downlink')! + 100_000;
const WORKER = fileURLToPath(new URL('./iq-worker.ts', import.meta.url));
const COMMAND = '`npm run bench` (or alone: `node --conditions=source --import tsx bench/iq-channelizer.ts`)';

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

function worker(job: Record<string, unknown>): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--expose-gc', WORKER, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`bench worker failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

interface Variant {
  name: string;
  label: string;
  fft_size: number;
  hop?: number;
  window?: 'hann' | 'rect' | 'blackman_harris';
  fft_array?: 'float64' | 'array';
}

export async function benchIq(options: { quick?: boolean } = {}): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-bench-iq-'));
  const figures: Figure[] = [];
  try {
    const seconds = options.quick ? 0.25 : 4;
    const input = join(dir, 'gsm900-dl-2.4MSps.cu8');
    const scene = new IqSceneGenerator({
      sample_rate_hz: RATE, center_freq_hz: CENTRE, seed: 1, noise_dbfs: -42, fn0: 100_000,
      transmitters: [
        { id: 'c0', freq_hz: arfcnToFrequency('GSM900', 58, 'downlink')!, power_dbfs: -22, link: 'downlink', pattern: 'bcch', bsic: 12, freq_error_hz: 600 },
        { id: 'trx', freq_hz: arfcnToFrequency('GSM900', 61, 'downlink')!, power_dbfs: -28, link: 'downlink', pattern: 'slots', slots: [1, 2, 5], freq_error_hz: 600 },
      ],
    }, { recordTruth: false });
    writeSceneIq(scene, input, 'cu8', Math.round(seconds * RATE));
    const offsets = channelsInView('GSM900', CENTRE, 0.85 * RATE).map((c) => c.offset_hz);
    const oracle = buildChannelPowerOracle();
    const passes = options.quick ? 3 : 7;
    const base = { input, sample_rate_hz: RATE, center_freq_hz: CENTRE, channel_offsets_hz: offsets, passes };
    const cOptions = (v: Variant): OracleChannelOptions => ({ format: 'cu8', sample_rate_hz: RATE, fft_size: v.fft_size, hop: v.hop, window: v.window ?? 'hann', channel_offsets_hz: offsets });
    const cBench = (v: Variant) => oracleBench(oracle, input, cOptions(v), passes);
    const cRef = `C/FFTW3 reference (bench/reference/channel-power.c, double, gcc ${oracleCompileArgs('channel-power').slice(0, 1).join(' ')}), same settings, same file`;

    // (1) The default channelizer vs C.
    const defaults: Variant = { name: 'default', label: '128-point FFT, hop 128, Hann, fft.js on plain arrays', fft_size: 128, fft_array: 'array' };
    const ts = worker({ ...base, mode: 'channelizer', fft_size: 128, fft_array: 'array' });
    const c = cBench(defaults);
    figures.push({
      name: 'iq_channelizer_cu8_msps',
      description: `channelizer on ${seconds} s of simulated GSM-900 downlink (rtl_sdr cu8, 2.4 MS/s, ${offsets.length} ARFCNs in view): cu8 → DC removal → IQ correction → Hann window → 128-point fft.js (18.75 kHz bins, 53 µs frames) → power per ARFCN; one core, CPU time, best of ${passes} (wall: ${round(ts.msps_wall as number)} MS/s; C wall ${round(c.msps_wall)} MS/s)`,
      value: round(ts.msps_cpu as number), unit: 'MS/s', reference: cRef, reference_value: round(c.msps_cpu), ratio: round((ts.msps_cpu as number) / c.msps_cpu, 2), command: COMMAND,
    });

    // (2) The whole pipeline.
    const pipe = worker({ ...base, mode: 'pipeline', fft_size: 128, fft_array: 'array' });
    figures.push({
      name: 'iq_pipeline_cu8_msps',
      description: `whole SDR pipeline on the same input: channelizer + noise floor + burst detection + slot meter + FCCH/SCH sync + reports (${pipe.events as number} events a pass); the C reference does the channelizer part only`,
      value: round(pipe.msps_cpu as number), unit: 'MS/s', reference: cRef, reference_value: round(c.msps_cpu), ratio: round((pipe.msps_cpu as number) / c.msps_cpu, 2), command: COMMAND,
    });

    // (2b) The optional WebAssembly FFT backend (PFFFT, SIMD, single precision): channelizer and pipeline.
    const wasmCh = worker({ ...base, mode: 'channelizer', fft_size: 128, fft_backend: 'pffft-wasm' });
    figures.push({
      name: 'iq_channelizer_pffft_wasm_msps',
      description: `the same channelizer with the optional pffft-wasm backend (PFFFT in WebAssembly SIMD, float32) instead of fft.js (wall: ${round(wasmCh.msps_wall as number)} MS/s)`,
      value: round(wasmCh.msps_cpu as number), unit: 'MS/s', reference: cRef, reference_value: round(c.msps_cpu), ratio: round((wasmCh.msps_cpu as number) / c.msps_cpu, 2), command: COMMAND,
    });
    const wasmPipe = worker({ ...base, mode: 'pipeline', fft_size: 128, fft_backend: 'pffft-wasm' });
    figures.push({
      name: 'iq_pipeline_pffft_wasm_msps',
      description: 'the whole SDR pipeline with the pffft-wasm backend',
      value: round(wasmPipe.msps_cpu as number), unit: 'MS/s', reference: cRef, reference_value: round(c.msps_cpu), ratio: round((wasmPipe.msps_cpu as number) / c.msps_cpu, 2), command: COMMAND,
    });

    // (3) Choices.
    const variants: Variant[] = options.quick
      ? [{ name: 'fft64', label: '64-point FFT', fft_size: 64, fft_array: 'array' }, { name: 'float64', label: '128-point FFT, fft.js on Float64Array', fft_size: 128, fft_array: 'float64' }]
      : [
          { name: 'fft32', label: '32-point FFT (75 kHz bins: too wide for 200 kHz channels)', fft_size: 32, fft_array: 'array' },
          { name: 'fft64', label: '64-point FFT (37.5 kHz bins, 27 µs frames)', fft_size: 64, fft_array: 'array' },
          { name: 'fft256', label: '256-point FFT (9.4 kHz bins, 107 µs frames)', fft_size: 256, fft_array: 'array' },
          { name: 'fft1024', label: '1024-point FFT (2.3 kHz bins, 427 µs frames: too coarse for timeslots)', fft_size: 1024, fft_array: 'array' },
          { name: 'float64', label: '128-point FFT, fft.js on Float64Array', fft_size: 128, fft_array: 'float64' },
          { name: 'rect', label: '128-point FFT, rectangular window', fft_size: 128, fft_array: 'array', window: 'rect' },
          { name: 'overlap', label: '128-point FFT, hop 64 (50 % overlap)', fft_size: 128, hop: 64, fft_array: 'array' },
        ];
    for (const v of variants) {
      const t = worker({ ...base, mode: 'channelizer', fft_size: v.fft_size, hop: v.hop, window: v.window, fft_array: v.fft_array });
      const cv = cBench(v);
      figures.push({
        name: `iq_channelizer_${v.name}_msps`,
        description: `channelizer variant: ${v.label} (C with the same FFT size/window/hop)`,
        value: round(t.msps_cpu as number), unit: 'MS/s', reference: 'C/FFTW3 reference, same settings', reference_value: round(cv.msps_cpu), ratio: round((t.msps_cpu as number) / cv.msps_cpu, 2), command: COMMAND,
      });
    }

    // (4) Accuracy against the oracle on the bench input.
    const ours: Float64Array[] = [];
    const ch = new Channelizer({ sample_rate_hz: RATE, fft_size: 128, channels: offsets.map((o) => ({ offset_hz: o, width_hz: 200_000 })) }, (_f, _s, p) => ours.push(p.slice()));
    const { readFileSync } = await import('node:fs');
    new IqFramer('cu8', ch).push(readFileSync(input));
    const ref = oracleChannelPowers(oracle, input, cOptions(defaults), join(dir, 'oracle.bin'));
    let worst = 0;
    ours.forEach((p, f) => p.forEach((v, k) => (worst = Math.max(worst, Math.abs(10 * Math.log10(v / ref.power[f]![k]!))))));
    figures.push({
      name: 'iq_channel_power_max_abs_diff_db',
      description: `largest per-frame channel-power difference, TypeScript channelizer vs the C/FFTW3 reference, over ${ours.length.toLocaleString('en')} frames × ${offsets.length} ARFCNs of the bench input (limit in the tests: 0.1 dB)`,
      value: Number(worst.toExponential(2)), unit: 'dB', reference: null, reference_value: null, ratio: null, command: COMMAND,
    });

    // (5) RSS over a 10-minute stream.
    const streamS = options.quick ? 30 : 600;
    const rss = worker({ ...base, mode: 'rss', fft_size: 128, fft_array: 'array', stream_s: streamS });
    const mb = (b: number) => round(b / 1048576);
    figures.push({
      name: 'iq_stream_10min_rss_peak_mb',
      description: `peak RSS while ${round(rss.stream_s as number, 0)} s of 2.4 MS/s stream (the input looped) went through one pipeline in ${round(rss.wall_s as number)} s: start ${mb(rss.start as number)} MB, peak ${mb(rss.peak as number)} MB, end ${mb(rss.end as number)} MB; samples every ~2 s: ${(rss.trace_mb as number[]).join(', ')} MB; V8 heap after a forced collection each minute of stream: ${(rss.heap_after_gc_mb as number[]).join(', ')} MB`,
      value: mb(rss.peak as number), unit: 'MB', reference: 'RSS after the warm-up pass', reference_value: mb(rss.start as number), ratio: round((rss.peak as number) / (rss.start as number), 2), command: COMMAND,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchIq({ quick: process.argv.includes('--quick') });
  for (const f of figures) {
    const ref = f.reference_value === null ? '' : ` (reference ${f.reference_value}, ratio ${f.ratio})`;
    process.stdout.write(`${f.name}: ${f.value} ${f.unit}${ref}\n  ${f.description}\n`);
  }
}
