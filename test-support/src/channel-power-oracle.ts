/**
 * Builds and runs the C/FFTW3 reference for the SDR channelizer (bench/reference/channel-power.c):
 * compiled with the system gcc and libfftw3-dev (scripts/install-system-packages.sh installs both),
 * once per source version into a temp dir shared by the test files and the benchmark.
 * Test/bench-only. A missing compiler or FFTW is an error with the command that failed, never a skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORACLE_SOURCE = fileURLToPath(new URL('../../bench/reference/channel-power.c', import.meta.url));

function pkgConfig(args: string[]): string[] {
  try {
    return execFileSync('pkg-config', args, { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
  } catch {
    return args.includes('--libs') ? ['-lfftw3'] : [];
  }
}

/** The compiler command line used (also printed in BENCHMARKS.md). */
export function oracleCompileArgs(output: string): string[] {
  return ['-O2', '-o', output, ORACLE_SOURCE, ...pkgConfig(['--cflags', 'fftw3']), ...pkgConfig(['--libs', 'fftw3']), '-lm'];
}

/** Path of the compiled oracle, building it if this source version has not been built yet. */
export function buildChannelPowerOracle(): string {
  const source = readFileSync(ORACLE_SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `simhound-channel-power-${hash}`);
  const bin = join(dir, 'channel-power');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const partial = `${bin}.${process.pid}.tmp`;
  const r = spawnSync('gcc', oracleCompileArgs(partial), { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `cannot build the C/FFTW reference: gcc ${oracleCompileArgs(partial).join(' ')} → ${r.error?.message ?? r.stderr}` +
        ' (install gcc and libfftw3-dev: bash scripts/install-system-packages.sh)',
    );
  }
  renameSync(partial, bin);
  return bin;
}

export interface OracleChannelOptions {
  format: 'cu8' | 'cs8' | 'cs16' | 'cf32';
  sample_rate_hz: number;
  fft_size: number;
  hop?: number;
  window?: 'hann' | 'blackman_harris' | 'rect';
  dc_tau_s?: number | null;
  iq_correction?: boolean;
  iq_tau_s?: number;
  channel_offsets_hz: readonly number[];
  width_hz?: number;
}

/** Run the oracle with a file on its stdin. */
function runOracle(bin: string, args: string[], inputPath: string): { status: number | null; stdout: string; stderr: string } {
  const fd = openSync(inputPath, 'r');
  try {
    const r = spawnSync(bin, args, { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

function channelArgs(o: OracleChannelOptions): string[] {
  const args = ['--format', o.format, '--rate', String(o.sample_rate_hz), '--fft', String(o.fft_size)];
  if (o.hop !== undefined) args.push('--hop', String(o.hop));
  if (o.window) args.push('--window', o.window);
  if (o.dc_tau_s === null) args.push('--no-dc');
  else if (o.dc_tau_s !== undefined) args.push('--dc-tau', String(o.dc_tau_s));
  args.push(o.iq_correction === false ? '--no-iq' : '--iq');
  if (o.iq_tau_s !== undefined) args.push('--iq-tau', String(o.iq_tau_s));
  if (o.width_hz !== undefined) args.push('--width', String(o.width_hz));
  args.push('--channels', o.channel_offsets_hz.join(','));
  return args;
}

/** Channel powers per frame from the C reference: `power[frame][channel]` and `upper[frame][channel]`. */
export function oracleChannelPowers(bin: string, inputPath: string, o: OracleChannelOptions, outPath: string): { power: Float64Array[]; upper: Float64Array[] } {
  const r = runOracle(bin, [...channelArgs(o), '--out', outPath], inputPath);
  if (r.status !== 0) throw new Error(`channel-power failed: ${r.stderr}`);
  const raw = readFileSync(outPath);
  const values = new Float64Array(raw.buffer, raw.byteOffset, raw.length / 8);
  const n = o.channel_offsets_hz.length;
  const power: Float64Array[] = [];
  const upper: Float64Array[] = [];
  for (let f = 0; f < values.length / (2 * n); f++) {
    const p = new Float64Array(n);
    const u = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      p[c] = values[(f * n + c) * 2]!;
      u[c] = values[(f * n + c) * 2 + 1]!;
    }
    power.push(p);
    upper.push(u);
  }
  return { power, upper };
}

/** Timing run of the C reference: best pass of `passes` over the input held in memory. */
export function oracleBench(bin: string, inputPath: string, o: OracleChannelOptions, passes: number): { msps_cpu: number; msps_wall: number; samples_per_pass: number } {
  const r = runOracle(bin, [...channelArgs(o), '--bench', String(passes)], inputPath);
  if (r.status !== 0) throw new Error(`channel-power --bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { msps_cpu: number; msps_wall: number; samples_per_pass: number };
}

export interface OracleFcch {
  centre_sample: number;
  peak_sample: number;
  tone_hz: number;
  concentration: number;
  at_end?: boolean;
}

/** FCCH bursts found by the C reference's spectrogram method in one channel. */
export function oracleFcch(bin: string, inputPath: string, format: OracleChannelOptions['format'], sampleRateHz: number, channelOffsetHz: number): OracleFcch[] {
  const r = runOracle(bin, ['--fcch', '--format', format, '--rate', String(sampleRateHz), '--channel-offset', String(channelOffsetHz)], inputPath);
  if (r.status !== 0) throw new Error(`channel-power --fcch failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as OracleFcch);
}
