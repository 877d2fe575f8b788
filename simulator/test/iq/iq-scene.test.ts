/**
 * The IQ scene generator: GMSK bursts have the power asked for and constant envelope, an FCCH is a
 * tone 67.7 kHz above its carrier, bursts land in the timeslots asked for (uplink 3 slots later, early
 * by the timing advance), blocks of any size give the same samples, and the writer quantises to every
 * format with clipping counted.
 */
import { describe, expect, it } from 'vitest';
import { IqSceneGenerator, quantizeIq, samplesPer, type IqScene } from '../../src/iq/index.js';

const RATE = 1_000_000;
const power = (x: Float32Array, from: number, to: number) => {
  let s = 0;
  for (let k = from; k < to; k++) s += x[2 * k]! ** 2 + x[2 * k + 1]! ** 2;
  return s / (to - from);
};

describe('IQ scene generator', () => {
  const scene: IqScene = {
    sample_rate_hz: RATE, center_freq_hz: 900e6, seed: 1, fn0: 51 * 1000, frame0_sample: 50,
    transmitters: [
      { id: 'c0', freq_hz: 900.1e6, power_dbfs: -20, link: 'downlink', pattern: 'bcch', bsic: 7 },
      { id: 'ms', freq_hz: 899.8e6, power_dbfs: -30, link: 'uplink', pattern: 'slots', slots: [2], ta_steps: 10 },
    ],
  };

  it('puts bursts where asked, at the power asked, with a constant envelope', () => {
    const g = new IqSceneGenerator(scene);
    const x = g.next(Math.round(0.1 * RATE));
    const sps = samplesPer(RATE);
    const fcch = g.truth.find((t) => t.kind === 'fcch')!;
    expect(fcch.fn % 51).toBe(0);
    expect(fcch.start_sample).toBeCloseTo(50 + 0 * sps.frame, 6);
    const ms = g.truth.filter((t) => t.tx === 'ms');
    // Uplink TS2 of frame f starts 3 + 2 slots after downlink TS0, 10 symbols early.
    expect(ms[0]!.start_sample).toBeCloseTo(50 + 5 * sps.slot - 10 * sps.symbol, 6);
    expect(ms.every((t) => t.timeslot === 2)).toBe(true);
    // Power inside one C0 burst (the C0 alone: in the full scene the handset overlaps it in time).
    const c0 = new IqSceneGenerator({ ...scene, transmitters: [scene.transmitters[0]!] });
    const alone = c0.next(Math.round(0.02 * RATE));
    const b = c0.truth[3]!;
    expect(10 * Math.log10(power(alone, Math.ceil(b.start_sample), Math.floor(b.end_sample)))).toBeCloseTo(-20, 2);
    const env = Array.from({ length: 200 }, (_, i) => Math.hypot(alone[2 * (2000 + i)]!, alone[2 * (2000 + i) + 1]!));
    expect(Math.max(...env) - Math.min(...env)).toBeLessThan(0.01 * Math.max(...env));
    expect(x.length).toBe(2 * 0.1 * RATE);
  });

  it('makes the FCCH a tone 67.708 kHz above its carrier', () => {
    const g = new IqSceneGenerator({ ...scene, transmitters: [scene.transmitters[0]!] });
    const x = g.next(20_000);
    const f = g.truth.find((t) => t.kind === 'fcch')!;
    let re = 0;
    let im = 0;
    for (let k = Math.ceil(f.start_sample) + 20; k < f.end_sample - 20; k++) {
      const a = [x[2 * k]!, x[2 * k + 1]!];
      const b = [x[2 * k + 2]!, x[2 * k + 3]!];
      re += b[0]! * a[0]! + b[1]! * a[1]!;
      im += b[1]! * a[0]! - b[0]! * a[1]!;
    }
    const tone = (Math.atan2(im, re) * RATE) / (2 * Math.PI);
    expect(tone - 100_000).toBeCloseTo(1_625_000 / 24, -1);
  });

  it('gives the same samples whatever the block size', () => {
    const a = new IqSceneGenerator({ ...scene, noise_dbfs: -40 }).next(30_000);
    const g = new IqSceneGenerator({ ...scene, noise_dbfs: -40 });
    const parts = [g.next(7_777), g.next(11_111), g.next(11_112)];
    const b = new Float32Array(60_000);
    let at = 0;
    for (const p of parts) {
      b.set(p, at);
      at += p.length;
    }
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('quantises to cu8, cs8, cs16, cf32 and counts clipped values', () => {
    const x = new Float32Array([0, 0, 1.5, -1.5, 0.5, -0.25]);
    expect([...quantizeIq(x, 3, 'cu8').bytes]).toEqual([128, 128, 255, 0, 192, 96]);
    expect(quantizeIq(x, 3, 'cu8').clipped).toBe(2);
    expect(quantizeIq(x, 3, 'cs16').bytes.readInt16LE(8)).toBe(16384);
    expect(quantizeIq(x, 3, 'cs8').bytes.readInt8(5)).toBe(-32);
    expect(quantizeIq(x, 3, 'cf32').bytes.readFloatLE(16)).toBe(0.5);
  });
});
