/**
 * FCCH (frequency correction burst) detection on a downlink channel, in two steps:
 *
 * 1. Coarse, per channelizer frame (cheap, every frame): the FCCH's 148 all-zero bits make a pure tone
 *    67.7 kHz above the carrier, so nearly all of the channel's power sits in its upper half, where an
 *    ordinary GMSK burst puts about half. A run of such frames lasting about one burst is a candidate.
 * 2. Refine, on the raw samples around a candidate (rare): extract the channel, measure the tone from
 *    the phase advance between samples, and place the burst where a 148-symbol window holds the most
 *    samples advancing at that rate. Gives the burst start to a fraction of a symbol and the carrier's
 *    frequency offset (tone − 67.708 kHz), which is also the receiver's tuning error.
 *
 * It must not decide the TDMA clock (tdma-clock does) or read samples itself (the pipeline passes them).
 */
import { extractChannel } from './channel-extractor.js';
import { FCCH_TONE_HZ, NORMAL_BURST_SYMBOLS, SYMBOL_RATE_HZ } from './gsm-timing.js';

export interface FcchCandidate {
  channel: number;
  /** First sample of the first tone frame and last sample of the last. */
  first_sample: number;
  last_sample: number;
  /** Mean channel power over the run (full scale). */
  power: number;
}

export interface CoarseFcchOptions {
  /** Upper-half share above which a frame is tone-like. Default 0.8. */
  min_upper_share?: number;
  /** Runs shorter/longer than these fractions of a 148-symbol burst are not FCCH. */
  min_fraction?: number;
  max_fraction?: number;
}

/** Streaming coarse detector for a set of channels; feed it every channelizer frame. */
export class CoarseFcchDetector {
  private readonly runStart: Float64Array;
  private readonly runEnd: Float64Array;
  private readonly runPower: Float64Array;
  private readonly runFrames: Int32Array;
  private readonly gap: Int32Array;
  private readonly minShare: number;
  private readonly minSamples: number;
  private readonly maxSamples: number;

  constructor(channelCount: number, private readonly channels: readonly number[], sampleRateHz: number, private readonly frameLength: number, options: CoarseFcchOptions = {}) {
    this.runStart = new Float64Array(channelCount).fill(-1);
    this.runEnd = new Float64Array(channelCount);
    this.runPower = new Float64Array(channelCount);
    this.runFrames = new Int32Array(channelCount);
    this.gap = new Int32Array(channelCount);
    this.minShare = options.min_upper_share ?? 0.8;
    const burst = (NORMAL_BURST_SYMBOLS * sampleRateHz) / SYMBOL_RATE_HZ;
    this.minSamples = burst * (options.min_fraction ?? 0.8);
    this.maxSamples = burst * (options.max_fraction ?? 1.6) + frameLength;
  }

  /**
   * One frame. `minPower[c]` is the least power a tone frame must have (e.g. noise floor + 6 dB).
   * Calls `found` for each run that ended and looks like one FCCH burst.
   */
  frame(firstSample: number, power: Float64Array, upper: Float64Array, minPower: Float64Array, found: (c: FcchCandidate) => void): void {
    for (const c of this.channels) {
      const p = power[c]!;
      const tone = p > minPower[c]! && upper[c]! > this.minShare * p;
      if (tone) {
        if (this.runStart[c]! < 0) {
          this.runStart[c] = firstSample;
          this.runPower[c] = 0;
          this.runFrames[c] = 0;
        }
        this.runEnd[c] = firstSample + this.frameLength - 1;
        this.runPower[c]! += p;
        this.runFrames[c]!++;
        this.gap[c] = 0;
      } else if (this.runStart[c]! >= 0) {
        // One non-tone frame inside a burst (noise) does not end it; two do.
        if (++this.gap[c]! < 2) continue;
        const length = this.runEnd[c]! - this.runStart[c]! + 1;
        if (length >= this.minSamples && length <= this.maxSamples) {
          found({ channel: c, first_sample: this.runStart[c]!, last_sample: this.runEnd[c]!, power: this.runPower[c]! / this.runFrames[c]! });
        }
        this.runStart[c] = -1;
      }
    }
  }

  /** Forget runs in progress (retune). */
  reset(): void {
    this.runStart.fill(-1);
  }
}

export interface RefinedFcch {
  /** Absolute sample index where the burst's first bit starts (fractional). */
  start_sample: number;
  /** Tone frequency relative to the extracted channel's nominal centre. */
  tone_hz: number;
  /** Carrier frequency error: tone − 67.708 kHz. */
  carrier_offset_hz: number;
  /** Mean phase-advance agreement inside the burst, 0–1 (≈ 1 for a clean FCCH). */
  quality: number;
}

/**
 * Refine a candidate from raw samples `segment` (interleaved, full scale) that start at absolute index
 * `segmentStart` and contain the whole burst. `offsetHz` is the channel's nominal offset from the
 * receiver centre. Returns null when no clean tone burst is there.
 */
export function refineFcch(segment: Float64Array, segmentStart: number, sampleRateHz: number, offsetHz: number, options: { min_quality?: number; max_offset_hz?: number } = {}): RefinedFcch | null {
  const minQuality = options.min_quality ?? 0.95;
  const maxOffset = options.max_offset_hz ?? 30_000;
  const ch = extractChannel(segment, sampleRateHz, offsetHz);
  const z = ch.data;
  const n = z.length / 2;
  const sps = ch.sample_rate_hz / SYMBOL_RATE_HZ;
  const burst = Math.round(NORMAL_BURST_SYMBOLS * sps);
  if (n < burst + 2) return null;
  // Phase advance between neighbouring samples, and its magnitude.
  const dRe = new Float64Array(n - 1);
  const dIm = new Float64Array(n - 1);
  const mag = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    const ar = z[2 * k]!;
    const ai = z[2 * k + 1]!;
    const br = z[2 * k + 2]!;
    const bi = z[2 * k + 3]!;
    dRe[k] = br * ar + bi * ai;
    dIm[k] = bi * ar - br * ai;
    mag[k] = Math.hypot(dRe[k]!, dIm[k]!);
  }
  // First pass: the burst-long window with the most coherent phase advance gives the tone.
  const window = (from: number, len: number) => {
    let re = 0;
    let im = 0;
    let m = 0;
    for (let k = from; k < from + len; k++) {
      re += dRe[k]!;
      im += dIm[k]!;
      m += mag[k]!;
    }
    return { re, im, m };
  };
  let best = -1;
  let bestAt = 0;
  let acc = window(0, burst - 1);
  for (let a = 0; a + burst - 1 <= n - 1; a++) {
    if (a > 0) {
      acc.re += dRe[a + burst - 2]! - dRe[a - 1]!;
      acc.im += dIm[a + burst - 2]! - dIm[a - 1]!;
      acc.m += mag[a + burst - 2]! - mag[a - 1]!;
    }
    const c = acc.m > 0 ? Math.hypot(acc.re, acc.im) / acc.m : 0;
    if (c > best) {
      best = c;
      bestAt = a;
    }
  }
  if (best < minQuality) return null;
  const w = window(bestAt, burst - 1);
  const omega = Math.atan2(w.im, w.re);
  // Second pass: per-sample agreement with that advance; the burst is the 148-symbol run holding most.
  const cw = Math.cos(omega);
  const sw = Math.sin(omega);
  const agree = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) agree[k] = mag[k]! > 0 ? (dRe[k]! * cw + dIm[k]! * sw) / mag[k]! : 0;
  let sum = 0;
  for (let k = 0; k < burst - 1; k++) sum += agree[k]!;
  let bestSum = sum;
  let start = 0;
  for (let a = 1; a + burst - 1 <= n - 1; a++) {
    sum += agree[a + burst - 2]! - agree[a - 1]!;
    if (sum > bestSum) {
      bestSum = sum;
      start = a;
    }
  }
  // Tone from the burst's middle (edges carry the ramps), in Hz.
  const inner = window(start + Math.round(10 * sps), Math.max(1, burst - 1 - Math.round(20 * sps)));
  const toneHz = (Math.atan2(inner.im, inner.re) * ch.sample_rate_hz) / (2 * Math.PI);
  const quality = bestSum / (burst - 1);
  // Long runs of equal bits in ordinary bursts make weaker, off-frequency tones: not an FCCH.
  if (quality < minQuality || Math.abs(toneHz - FCCH_TONE_HZ) > maxOffset) return null;
  // Oversampled noise also advances its phase smoothly from sample to sample; a tone, unlike noise,
  // stays coherent over the whole burst: |Σ z·e^{−jωn}| ≈ Σ|z| for an FCCH, ≪ for noise.
  const w0 = (2 * Math.PI * toneHz) / ch.sample_rate_hz;
  let cre = 0;
  let cim = 0;
  let total = 0;
  const from = start + Math.round(10 * sps);
  const to = start + burst - Math.round(10 * sps);
  for (let k = from; k < to; k++) {
    const c = Math.cos(w0 * k);
    const s = Math.sin(w0 * k);
    const re = z[2 * k]!;
    const im = z[2 * k + 1]!;
    cre += re * c + im * s;
    cim += im * c - re * s;
    total += Math.hypot(re, im);
  }
  if (total === 0 || Math.hypot(cre, cim) / total < minQuality) return null;
  // The phase advance settles one symbol into the burst (the first bit's differential encoding and the
  // Gaussian pulse), so the burst's bit 0 starts one symbol before the run found.
  return {
    start_sample: segmentStart + start * ch.decimation - sampleRateHz / SYMBOL_RATE_HZ,
    tone_hz: toneHz,
    carrier_offset_hz: toneHz - FCCH_TONE_HZ,
    quality,
  };
}
