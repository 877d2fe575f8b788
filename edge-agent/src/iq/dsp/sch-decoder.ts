/**
 * SCH (synchronisation burst) decoding: gives the cell's BSIC and the TDMA frame number, so bursts
 * measured later carry frame numbers that match Immediate Assignment request references.
 *
 * Steps (3GPP TS 45.002 §5.2.5, TS 45.003 §4.7, TS 44.018 §9.1.30): extract the channel with the
 * carrier error the FCCH measured removed; find the burst's timing and phase by correlating with the
 * 64-bit extended training sequence (after GMSK's j^−k derotation a symbol reads ±1 by its bit);
 * soft bits of the two 39-bit halves → Viterbi (K = 5, G0 = 1+D³+D⁴, G1 = 1+D+D³+D⁴) → 25 info bits +
 * 10 parity bits checked against g(D) = D¹⁰+D⁸+D⁶+D⁵+D⁴+D²+1 (inverted) → BSIC, T1, T2, T3' → FN.
 * Returns a typed failure (no_sync, bad_parity) instead of a guess.
 */
import { fail, ok, type Result } from '@simhound/protocol';
import { extractChannel } from './channel-extractor.js';
import { fnFromReduced, SYMBOL_RATE_HZ } from './gsm-timing.js';

export const SCH_SYNC_SEQUENCE: readonly number[] = [
  1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
  0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1,
];
const SYNC_FIRST_BIT = 42;

export interface SchDecoded {
  bsic: number;
  /** Network colour code and base station colour code (BSIC = 8·NCC + BCC). */
  ncc: number;
  bcc: number;
  t1: number;
  t2: number;
  t3p: number;
  fn: number;
  /** Absolute sample index of the burst's bit 0 (fractional). */
  start_sample: number;
  /** Normalised training-sequence correlation, 0–1. */
  sync_quality: number;
}

export type SchFailure = 'no_sync' | 'bad_parity' | 'too_short';

/** Sample a complex signal at a fractional index with a 16-tap Hann-windowed sinc. */
function interpolate(z: Float64Array, t: number): [number, number] {
  const n = z.length / 2;
  const base = Math.floor(t);
  let re = 0;
  let im = 0;
  for (let m = base - 7; m <= base + 8; m++) {
    if (m < 0 || m >= n) continue;
    const x = t - m;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = 0.5 + 0.5 * Math.cos((Math.PI * x) / 8.5);
    re += z[2 * m]! * sinc * w;
    im += z[2 * m + 1]! * sinc * w;
  }
  return [re, im];
}

/** Linear interpolation: cheap enough for the coarse timing search. */
function interpolateLinear(z: Float64Array, t: number): [number, number] {
  const n = z.length / 2;
  const i = Math.floor(t);
  if (i < 0 || i + 1 >= n) return [0, 0];
  const f = t - i;
  return [z[2 * i]! + f * (z[2 * i + 2]! - z[2 * i]!), z[2 * i + 1]! + f * (z[2 * i + 3]! - z[2 * i + 1]!)];
}

/**
 * Symbols [from, to) of a burst starting at fractional index t0 (samples per symbol sps), derotated
 * by j^−k, into `out` (interleaved, indexed by symbol).
 */
function derotatedSymbols(z: Float64Array, t0: number, sps: number, out: Float64Array, from = 0, to = 148, sample = interpolate): Float64Array {
  for (let k = from; k < to; k++) {
    const [re, im] = sample(z, t0 + k * sps);
    // multiply by j^(−k): k mod 4 = 0 → 1, 1 → −j, 2 → −1, 3 → j
    switch (k & 3) {
      case 0: out[2 * k] = re; out[2 * k + 1] = im; break;
      case 1: out[2 * k] = im; out[2 * k + 1] = -re; break;
      case 2: out[2 * k] = -re; out[2 * k + 1] = -im; break;
      default: out[2 * k] = -im; out[2 * k + 1] = re;
    }
  }
  return out;
}

function syncCorrelation(y: Float64Array): { re: number; im: number; quality: number } {
  let re = 0;
  let im = 0;
  let energy = 0;
  for (let i = 0; i < 64; i++) {
    const k = SYNC_FIRST_BIT + i;
    const sign = SCH_SYNC_SEQUENCE[i] ? -1 : 1;
    re += sign * y[2 * k]!;
    im += sign * y[2 * k + 1]!;
    energy += Math.hypot(y[2 * k]!, y[2 * k + 1]!);
  }
  return { re, im, quality: energy > 0 ? Math.hypot(re, im) / energy : 0 };
}

/** Viterbi decoding of the SCH's 78 soft bits (positive = bit 0) into 39 bits (35 + 4 tail). */
export function viterbiSch(soft: Float64Array | readonly number[]): number[] {
  const steps = soft.length / 2;
  const states = 16;
  let metric = new Float64Array(states).fill(-Infinity);
  metric[0] = 0;
  const from: Int8Array[] = [];
  const input: Int8Array[] = [];
  for (let k = 0; k < steps; k++) {
    const next = new Float64Array(states).fill(-Infinity);
    const prev = new Int8Array(states);
    const bitIn = new Int8Array(states);
    for (let s = 0; s < states; s++) {
      if (metric[s] === -Infinity) continue;
      const u1 = s & 1;
      const u3 = (s >> 2) & 1;
      const u4 = (s >> 3) & 1;
      for (let u = 0; u <= 1; u++) {
        const c0 = u ^ u3 ^ u4;
        const c1 = u ^ u1 ^ u3 ^ u4;
        const m = metric[s]! + (c0 ? -soft[2 * k]! : soft[2 * k]!) + (c1 ? -soft[2 * k + 1]! : soft[2 * k + 1]!);
        const t = ((s << 1) | u) & 15;
        if (m > next[t]!) {
          next[t] = m;
          prev[t] = s;
          bitIn[t] = u;
        }
      }
    }
    metric = next;
    from.push(prev);
    input.push(bitIn);
  }
  // The 4 tail bits bring the encoder back to state 0.
  const bits = new Array<number>(steps);
  let s = 0;
  for (let k = steps - 1; k >= 0; k--) {
    bits[k] = input[k]![s]!;
    s = from[k]![s]!;
  }
  return bits;
}

/** True when the 10 parity bits match the 25 data bits (TS 45.003 §4.7, inverted remainder). */
export function schParityOk(bits: readonly number[]): boolean {
  let reg = 0;
  for (let i = 0; i < 25; i++) {
    const feedback = ((reg >> 9) & 1) ^ bits[i]!;
    reg = (reg << 1) & 0x3ff;
    if (feedback) reg ^= 0x175;
  }
  for (let i = 0; i < 10; i++) if ((((reg >> (9 - i)) & 1) ^ 1) !== bits[25 + i]) return false;
  return true;
}

/** BSIC and reduced frame number from the 25 information bits (TS 44.018 §9.1.30 layout). */
export function parseSchInfo(d: readonly number[]): { bsic: number; t1: number; t2: number; t3p: number } {
  const field = (positions: number[]) => positions.reduce((v, p, i) => v | (d[p]! << i), 0);
  const bsic = field([2, 3, 4, 5, 6, 7]);
  // T1 bit 0 is d23, bits 1–8 are d8–d15, bits 9–10 are d0–d1.
  const t1 = field([23, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1]);
  const t2 = field([18, 19, 20, 21, 22]);
  const t3p = field([24, 16, 17]);
  return { bsic, t1, t2, t3p };
}

/**
 * Decode the SCH in raw samples `segment` (absolute start `segmentStart`) whose burst is expected to
 * start near `expectedStart`; `offsetHz` is the channel's offset from the receiver centre plus the
 * carrier error the FCCH measured.
 */
export function decodeSch(segment: Float64Array, segmentStart: number, sampleRateHz: number, offsetHz: number, expectedStart: number, searchSymbols = 12): Result<SchDecoded, SchFailure> {
  const ch = extractChannel(segment, sampleRateHz, offsetHz);
  const z = ch.data;
  const sps = ch.sample_rate_hz / SYMBOL_RATE_HZ;
  const expected = (expectedStart - segmentStart) / ch.decimation;
  if (expected - searchSymbols * sps < 0 || expected + (148 + searchSymbols) * sps > z.length / 2) return fail('too_short');
  let best = { t: 0, quality: -1, re: 0, im: 0 };
  const y = new Float64Array(2 * 148);
  // Correlate the 64 training symbols only: coarsely (quarter symbols, linear interpolation), then
  // finely around the best (1/32 symbol, windowed sinc).
  const search = (from: number, to: number, step: number, sample: typeof interpolate) => {
    for (let t = from; t <= to; t += step) {
      const c = syncCorrelation(derotatedSymbols(z, t, sps, y, SYNC_FIRST_BIT, SYNC_FIRST_BIT + 64, sample));
      if (c.quality > best.quality) best = { t, quality: c.quality, re: c.re, im: c.im };
    }
  };
  search(expected - searchSymbols * sps, expected + searchSymbols * sps, sps / 4, interpolateLinear);
  const coarse = best.t;
  best = { t: 0, quality: -1, re: 0, im: 0 };
  search(coarse - sps / 4, coarse + sps / 4, sps / 32, interpolate);
  if (best.quality < 0.5) return fail('no_sync', `training-sequence correlation ${best.quality.toFixed(2)}`);
  derotatedSymbols(z, best.t, sps, y);
  const norm = Math.hypot(best.re, best.im);
  const soft: number[] = [];
  const softAt = (k: number) => (y[2 * k]! * best.re + y[2 * k + 1]! * best.im) / norm;
  for (let k = 3; k <= 41; k++) soft.push(softAt(k));
  for (let k = 106; k <= 144; k++) soft.push(softAt(k));
  const bits = viterbiSch(soft);
  if (!schParityOk(bits)) return fail('bad_parity');
  const info = parseSchInfo(bits);
  return ok({
    ...info,
    ncc: info.bsic >> 3,
    bcc: info.bsic & 7,
    fn: fnFromReduced(info.t1, info.t2, info.t3p),
    // Symbol k is read at the end of its period (where GMSK's phase has taken it in): bit 0 starts one symbol earlier.
    start_sample: segmentStart + (best.t - sps) * ch.decimation,
    sync_quality: best.quality,
  });
}
