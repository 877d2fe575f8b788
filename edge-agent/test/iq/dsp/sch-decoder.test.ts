/**
 * SCH decoding pieces against the simulator's encoder (written separately from the same clauses of
 * TS 45.003/44.018): field layout for every SCH frame position, parity, and a Viterbi decoder that
 * corrects channel errors a parity check alone would refuse. (The real recording's SCHs, checked
 * against gr-gsm's frame numbers, are in iq-pipeline.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { convolve, schBurstBits, schInfoBits, schParity } from '@simhound/simulator';
import { seededRandom } from '@simhound/test-support/random';
import { parseSchInfo, schParityOk, viterbiSch } from '../../../src/iq/dsp/sch-decoder.js';
import { fnFromReduced } from '../../../src/iq/dsp/gsm-timing.js';

const soft = (bits: readonly number[]): number[] => bits.map((b) => (b ? -1 : 1));

describe('SCH decoding', () => {
  it('reads back BSIC and frame number from the simulator\'s 25 information bits, for every SCH frame position', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 2_000; i++) {
      const bsic = Math.floor(random() * 64);
      let fn = Math.floor(random() * 2_715_648);
      fn -= ((fn % 51) - [1, 11, 21, 31, 41][i % 5]!);
      if (fn < 0 || fn >= 2_715_648) continue;
      const info = parseSchInfo(schInfoBits({ bsic, fn }));
      expect(info.bsic).toBe(bsic);
      expect(fnFromReduced(info.t1, info.t2, info.t3p)).toBe(fn);
    }
  });

  it('checks the parity the simulator computes and refuses any single flipped bit', () => {
    const d = schInfoBits({ bsic: 32, fn: 674_996 });
    const word = [...d, ...schParity(d)];
    expect(schParityOk(word)).toBe(true);
    for (let i = 0; i < 35; i++) {
      const bad = [...word];
      bad[i] ^= 1;
      expect(schParityOk(bad)).toBe(false);
    }
  });

  it('Viterbi-decodes the rate-1/2 code, correcting scattered channel errors', () => {
    const random = seededRandom(9);
    for (let trial = 0; trial < 200; trial++) {
      const d = Array.from({ length: 25 }, () => (random() < 0.5 ? 1 : 0));
      const u = [...d, ...schParity(d), 0, 0, 0, 0];
      const coded = convolve(u);
      const received = soft(coded);
      // Three weak or wrong coded bits far apart: within the code's correcting power (free distance 7).
      for (const at of [3 + (trial % 10), 30 + (trial % 11), 60 + (trial % 12)]) received[at] = -0.3 * received[at]!;
      expect(viterbiSch(received)).toEqual(u);
    }
  });

  it('matches the simulator\'s burst layout: 3 tail, 39 coded, 64 sync, 39 coded, 3 tail', () => {
    const bits = schBurstBits({ bsic: 32, fn: 674_996 });
    expect(bits).toHaveLength(148);
    const coded = [...bits.slice(3, 42), ...bits.slice(106, 145)];
    const u = viterbiSch(soft(coded));
    expect(schParityOk(u)).toBe(true);
    expect(parseSchInfo(u).bsic).toBe(32);
  });
});
