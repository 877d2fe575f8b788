/**
 * The channelizer against its independent oracle (the C/FFTW3 program in bench/reference, same input,
 * same definition) on the real GSM recording and on 8-bit noise, plus physical checks that need no
 * oracle: a full-scale tone reads 0 dBFS, DC and IQ-imbalance images are removed, the frame rate is
 * far above 1 kHz, and chunking never changes a result.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChannelPowerOracle, oracleChannelPowers } from '@simhound/test-support/channel-power-oracle';
import { seededRandom } from '@simhound/test-support/random';
import { Channelizer, defaultFftSize, type ChannelizerOptions } from '../../../src/iq/dsp/channelizer.js';
import { IqFramer } from '../../../src/iq/dsp/iq-framer.js';
import { createFftEngine, prepareFftBackend } from '../../../src/iq/dsp/fft-engine.js';
import type { IqFormat } from '../../../src/iq/sample-format.js';

const REAL_IQ = join(import.meta.dirname, '..', '..', 'vectors', 'iq', 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile');
const dir = mkdtempSync(join(tmpdir(), 'simhound-channelizer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const db = (x: number) => 10 * Math.log10(x);

function run(format: IqFormat, data: Uint8Array, options: ChannelizerOptions, chunk = 65_536): { power: Float64Array[]; upper: Float64Array[]; channelizer: Channelizer } {
  const power: Float64Array[] = [];
  const upper: Float64Array[] = [];
  const channelizer = new Channelizer(options, (_i, _s, p, u) => {
    power.push(p.slice());
    upper.push(u.slice());
  });
  const framer = new IqFramer(format, channelizer);
  for (let i = 0; i < data.length; i += chunk) framer.push(data.subarray(i, i + chunk));
  return { power, upper, channelizer };
}

/** Complex tones as cf32 bytes: sum of A·e^{j(2πft+φ)}, optional I/Q gain and phase error. */
function tones(n: number, fs: number, list: Array<{ freq_hz: number; amplitude: number }>, imbalance?: { gain: number; phase_rad: number }, dc?: [number, number]): Buffer {
  const out = Buffer.alloc(n * 8);
  for (let k = 0; k < n; k++) {
    let i = dc?.[0] ?? 0;
    let q = dc?.[1] ?? 0;
    for (const t of list) {
      const ph = (2 * Math.PI * t.freq_hz * k) / fs;
      i += t.amplitude * Math.cos(ph);
      q += t.amplitude * (imbalance ? imbalance.gain * Math.sin(ph + imbalance.phase_rad) : Math.sin(ph));
    }
    out.writeFloatLE(i, 8 * k);
    out.writeFloatLE(q, 8 * k + 4);
  }
  return out;
}

describe('channelizer vs the C/FFTW3 reference', () => {
  const oracle = buildChannelPowerOracle();

  it('matches on the real GSM recording (complex64, 500 kHz, ARFCN 30 at the centre) within 0.1 dB per frame', () => {
    const data = readFileSync(REAL_IQ);
    const options = { sample_rate_hz: 500_000, fft_size: defaultFftSize(500_000), channels: [{ offset_hz: 0, width_hz: 200_000 }] };
    const ours = run('cf32', data, options, 7_777);
    const ref = oracleChannelPowers(oracle, REAL_IQ, { format: 'cf32', sample_rate_hz: 500_000, fft_size: options.fft_size, channel_offsets_hz: [0] }, join(dir, 'real.bin'));
    expect(ours.power.length).toBe(80_000 / options.fft_size);
    expect(ref.power.length).toBe(ours.power.length);
    let worst = 0;
    ours.power.forEach((p, f) => {
      worst = Math.max(worst, Math.abs(db(p[0]!) - db(ref.power[f]![0]!)));
      expect(Math.abs(ours.upper[f]![0]! - ref.upper[f]![0]!)).toBeLessThanOrEqual(1e-9 * ref.power[f]![0]!);
    });
    expect(worst).toBeLessThan(0.1);
    // Both are double precision with the same operation order: the real agreement is far tighter.
    expect(worst).toBeLessThan(1e-9);
  });

  for (const format of ['cu8', 'cs8', 'cs16'] as const) {
    it(`matches on seeded ${format} noise at 2.4 MS/s, 9 ARFCNs, with and without overlap`, () => {
      const random = seededRandom(format.length * 7919);
      const bytes = Buffer.alloc(format === 'cs16' ? 1_200_000 : 600_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      const path = join(dir, `noise.${format}`);
      writeFileSync(path, bytes);
      const offsets = [-800e3, -600e3, -400e3, -200e3, 0, 200e3, 400e3, 600e3, 800e3];
      for (const hop of [64, 16]) {
        const ours = run(format, bytes, { sample_rate_hz: 2.4e6, fft_size: 64, hop, channels: offsets.map((o) => ({ offset_hz: o, width_hz: 200e3 })) }, 1_001);
        const ref = oracleChannelPowers(oracle, path, { format, sample_rate_hz: 2.4e6, fft_size: 64, hop, channel_offsets_hz: offsets }, join(dir, `noise-${format}-${hop}.bin`));
        expect(ours.power.length).toBe(ref.power.length);
        let worst = 0;
        ours.power.forEach((p, f) => p.forEach((v, c) => (worst = Math.max(worst, Math.abs(db(v) - db(ref.power[f]![c]!))))));
        expect(worst).toBeLessThan(1e-9);
      }
    });
  }
});

describe('the optional pffft-wasm backend (single precision)', () => {
  it('matches the C/FFTW3 reference within 0.001 dB per frame on the real recording and on cu8 noise', async () => {
    await prepareFftBackend('pffft-wasm');
    const oracle = buildChannelPowerOracle();
    const real = readFileSync(REAL_IQ);
    const ours = run('cf32', real, { sample_rate_hz: 500_000, fft_size: 32, channels: [{ offset_hz: 0, width_hz: 200_000 }], fft_backend: 'pffft-wasm' });
    const ref = oracleChannelPowers(oracle, REAL_IQ, { format: 'cf32', sample_rate_hz: 500_000, fft_size: 32, channel_offsets_hz: [0] }, join(dir, 'real-pffft.bin'));
    expect(ours.power.length).toBe(ref.power.length);
    let worst = 0;
    ours.power.forEach((p, f) => (worst = Math.max(worst, Math.abs(db(p[0]!) - db(ref.power[f]![0]!)))));
    expect(worst).toBeLessThan(0.001);
    expect(worst).toBeGreaterThan(0); // float32, not the same arithmetic: never bit-identical
    const random = seededRandom(99);
    const bytes = Buffer.alloc(400_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    writeFileSync(join(dir, 'noise-pffft.cu8'), bytes);
    const offsets = [-800e3, -400e3, 0, 400e3, 800e3];
    const a = run('cu8', bytes, { sample_rate_hz: 2.4e6, fft_size: 128, channels: offsets.map((o) => ({ offset_hz: o, width_hz: 200e3 })), fft_backend: 'pffft-wasm' });
    const b = oracleChannelPowers(oracle, join(dir, 'noise-pffft.cu8'), { format: 'cu8', sample_rate_hz: 2.4e6, fft_size: 128, channel_offsets_hz: offsets }, join(dir, 'noise-pffft.bin'));
    let worstNoise = 0;
    a.power.forEach((p, f) => p.forEach((v, c) => (worstNoise = Math.max(worstNoise, Math.abs(db(v) - db(b.power[f]![c]!))))));
    expect(worstNoise).toBeLessThan(0.001);
  });

  it('refuses sizes PFFFT cannot do instead of aborting the WebAssembly module', async () => {
    await prepareFftBackend('pffft-wasm');
    expect(() => createFftEngine('pffft-wasm', 8)).toThrow(/multiple of 16/);
    const ok = createFftEngine('pffft-wasm', 16);
    expect(ok.input()).toHaveLength(32);
    ok.dispose();
  });
});

describe('channelizer physics', () => {
  it('reads a full-scale tone as 0 dBFS and a −20 dB tone as −20 dBFS, in the right channel only', () => {
    const fs = 2.4e6;
    const data = tones(64 * 400, fs, [{ freq_hz: 400e3, amplitude: 1 }, { freq_hz: -600e3, amplitude: 0.1 }]);
    const channels = [-600e3, -400e3, -200e3, 0, 200e3, 400e3, 600e3].map((o) => ({ offset_hz: o, width_hz: 200e3 }));
    const { power } = run('cf32', data, { sample_rate_hz: fs, fft_size: 64, channels, iq_correction: false, dc_tau_s: null });
    const mean = (c: number) => power.reduce((a, p) => a + p[c]!, 0) / power.length;
    expect(db(mean(5))).toBeCloseTo(0, 1);
    expect(db(mean(0))).toBeCloseTo(-20, 1);
    // Hann leakage two channels away from a full-scale tone stays below −60 dB.
    expect(db(mean(3))).toBeLessThan(-60);
  });

  it('runs far above 1 kHz frame rate at the default FFT size for 0.5, 2.4, 10 and 20 MS/s (bins ≤ 20 kHz)', () => {
    for (const fs of [500e3, 2.4e6, 10e6, 20e6]) {
      const n = defaultFftSize(fs);
      expect(fs / n).toBeGreaterThan(1_000);
      // ≥ 15 000 frames a second: about 9 frames per GSM timeslot (577 µs) for the burst meter.
      expect(fs / n).toBeGreaterThanOrEqual(15_000);
      expect(fs / n).toBeLessThanOrEqual(20_000);
    }
  });

  it('removes a DC offset (the RTL-SDR centre spike) from the centre channel', () => {
    const fs = 2.4e6;
    const data = tones(64 * 4000, fs, [{ freq_hz: 200e3, amplitude: 0.1 }], undefined, [0.3, -0.2]);
    const channels = [{ offset_hz: 0, width_hz: 200e3 }];
    const off = run('cf32', data, { sample_rate_hz: fs, fft_size: 64, channels, dc_tau_s: null, iq_correction: false }).power;
    const on = run('cf32', data, { sample_rate_hz: fs, fft_size: 64, channels, dc_tau_s: 0.01, iq_correction: false }).power;
    const late = (p: Float64Array[]) => p.slice(-1000).reduce((a, x) => a + x[0]!, 0) / 1000;
    expect(db(late(off))).toBeGreaterThan(-12); // 0.13 of DC power lands in the centre channel
    expect(db(late(on))).toBeLessThan(-45);
  });

  it('corrects IQ imbalance: the mirror image of a tone drops from ≈ −26 dBc to below −55 dBc', () => {
    const fs = 2.4e6;
    const data = tones(64 * 20_000, fs, [{ freq_hz: 600e3, amplitude: 0.5 }, { freq_hz: 250e3, amplitude: 0.05 }], { gain: 1.06, phase_rad: (3 * Math.PI) / 180 });
    const channels = [{ offset_hz: 600e3, width_hz: 200e3 }, { offset_hz: -600e3, width_hz: 200e3 }];
    const image = (iq: boolean) => {
      const { power, channelizer } = run('cf32', data, { sample_rate_hz: fs, fft_size: 64, channels, iq_correction: iq });
      const tail = power.slice(-4000);
      const m = (c: number) => tail.reduce((a, p) => a + p[c]!, 0) / tail.length;
      return { dbc: db(m(1) / m(0)), corr: channelizer.corrections() };
    };
    const without = image(false);
    const withCorrection = image(true);
    expect(without.dbc).toBeGreaterThan(-30);
    expect(without.dbc).toBeLessThan(-22);
    expect(withCorrection.dbc).toBeLessThan(-55);
    expect(withCorrection.corr.c1).toBeCloseTo(1 / (1.06 * Math.cos((3 * Math.PI) / 180)), 2);
    expect(withCorrection.corr.c2).toBeCloseTo(-Math.tan((3 * Math.PI) / 180), 2);
  });

  it('gives identical frames whatever the chunking, including misaligned 16- and 32-bit chunks', () => {
    const random = seededRandom(42);
    const bytes = Buffer.alloc(64 * 4 * 300 + 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    for (const format of ['cu8', 'cs16', 'cf32'] as const) {
      const usable = bytes.subarray(0, bytes.length - 3);
      const options = { sample_rate_hz: 2.4e6, fft_size: 64, channels: [{ offset_hz: 0, width_hz: 200e3 }, { offset_hz: 400e3, width_hz: 200e3 }] };
      const whole = run(format, usable, options, usable.length).power;
      // Odd chunk sizes starting at an odd byte offset of the underlying buffer.
      const shifted = Buffer.alloc(usable.length + 1);
      usable.copy(shifted, 1);
      const pieces = run(format, shifted.subarray(1), options, 37).power;
      expect(pieces.length).toBe(whole.length);
      pieces.forEach((p, f) => expect(Array.from(p)).toEqual(Array.from(whole[f]!)));
    }
  });

  it('refuses FFT sizes that are not powers of two and hops that do not divide them', () => {
    expect(() => new Channelizer({ sample_rate_hz: 1e6, fft_size: 48, channels: [] }, () => {})).toThrow(/power of two/);
    expect(() => new Channelizer({ sample_rate_hz: 1e6, fft_size: 64, hop: 48, channels: [] }, () => {})).toThrow(/hop/);
  });
});
