/**
 * The channelizer: raw IQ samples → DC removal → IQ imbalance correction → window → FFT (fft.js, or
 * optionally PFFFT in WebAssembly: fft-engine.ts) →
 * power per channel (one 200 kHz ARFCN each), one frame every `hop` samples (tens of kHz frame rate at
 * the default sizes, far above the 1 kHz the slot meter needs). Also gives each channel's power in its
 * upper half, which the FCCH detector uses.
 *
 * Format conversion, DC and IQ correction and windowing are fused into one pass per frame because this
 * is the hot loop of the SDR path (tens of MS/s on one core); everything after the FFT is per channel.
 *
 * - DC: each frame's mean (before correction) updates an exponential DC estimate with time constant
 *   `dc_tau_s`; the next frames subtract it (a block-wise high-pass, a few Hz wide at the defaults).
 * - IQ imbalance: every 8th frame, the window-weighted second moments of that frame's FFT input are
 *   mapped back through the correction in force to E[I²], E[Q²], E[IQ] of the DC-free samples, which
 *   update exponential estimates (time constant `iq_tau_s`); the correction Q' = c1·Q + c2·I with
 *   c1 = 1/(g·cos φ), c2 = −tan φ (g = √(E[Q²]/E[I²]), sin φ = E[IQ]/√(E[I²]E[Q²])) makes I and Q
 *   equal in power and uncorrelated, which removes the mirror image of every carrier. (Only ratios of
 *   the moments matter, so the window weighting, common to I and Q, cancels.)
 *
 * The same arithmetic, in the same order, is in bench/reference/channel-power.c (the FFTW oracle).
 * It must not allocate per frame, keep samples beyond one frame, or know about GSM beyond channel
 * offsets: bursts and slots are the meters' job.
 */
import { createFftEngine, type FftArrayType, type FftBackend, type FftEngine } from './fft-engine.js';
import { channelSpans, mapChannelBins, type ChannelBinMap, type ChannelSpans, type ChannelSpec } from './channel-bins.js';
import { makeWindow, windowEnergy, type WindowKind } from './window.js';

export type { FftArrayType, FftBackend } from './fft-engine.js';

export interface ChannelizerOptions {
  sample_rate_hz: number;
  /** FFT length, a power of two ≥ 4. */
  fft_size: number;
  /** Samples between frame starts; default fft_size (no overlap). Must divide into fft_size evenly. */
  hop?: number;
  window?: WindowKind;
  channels: readonly ChannelSpec[];
  /** DC estimate time constant; null turns DC removal off. Default 0.01 s. */
  dc_tau_s?: number | null;
  /** Default true. */
  iq_correction?: boolean;
  /** IQ imbalance estimate time constant. Default 0.2 s. */
  iq_tau_s?: number;
  /**
   * Array type fed to fft.js (one type per process: mixing them halves its speed). Default 'array':
   * fft.js's own tables are plain arrays, and plain arrays of doubles measured faster here (BENCHMARKS.md).
   */
  fft_array?: FftArrayType;
  /** 'fft.js' (default) or 'pffft-wasm' (load it first with prepareFftBackend). */
  fft_backend?: FftBackend;
  /**
   * Also compute |X|² (spectrumView) for every bin within ± this many Hz of the centre, not only the
   * channels' bins: the noise-floor estimate needs quiet bins beside the carriers. Default 0.
   */
  spectrum_half_width_hz?: number;
}

/**
 * Called once per frame with reused arrays (copy what you keep): `power[c]` is channel c's mean power
 * per sample in full-scale units (|x|² = 1 → 0 dBFS), `upper[c]` the part of it above the centre.
 */
export type FrameSink = (frameIndex: number, firstSample: number, power: Float64Array, upper: Float64Array) => void;

/** Every this many frames, one frame updates the IQ imbalance estimate. */
export const IQ_STATS_EVERY = 8;

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 4 && (n & (n - 1)) === 0;
}

/** Default FFT size: the smallest power of two with bins no wider than `maxBinHz` (20 kHz → frames of ~50–64 µs, ~10 per timeslot). */
export function defaultFftSize(sampleRateHz: number, maxBinHz = 20_000): number {
  let n = 4;
  while (sampleRateHz / n > maxBinHz) n *= 2;
  return n;
}

export class Channelizer {
  readonly fftSize: number;
  readonly hop: number;
  readonly sampleRateHz: number;
  readonly channelCount: number;
  readonly bins: ChannelBinMap;
  private readonly spans: ChannelSpans;
  /** |X|² in frequency order (index 0 = −fs/2), only over the bins some channel uses. */
  private readonly spectrum: Float64Array;
  /** Running sum of `spectrum` in frequency order: cumulative[s + 1] − cumulative[a] sums bins a … s. */
  private readonly cumulative: Float64Array;
  private readonly engine: FftEngine;
  private readonly window: Float64Array;
  /** Overlap path only: the DC/IQ-corrected samples of the current frame. */
  private readonly history: Float64Array | null;
  private readonly norm: number;
  private readonly power: Float64Array;
  private readonly upper: Float64Array;
  private readonly dcEnabled: boolean;
  private readonly dcBeta: number;
  private readonly iqEnabled: boolean;
  private readonly iqGamma: number;
  private dcI = 0;
  private dcQ = 0;
  private eII = 0;
  private eQQ = 0;
  private eIQ = 0;
  private statFrames = 0;
  private dcPrimed = false;
  private c1 = 1;
  private c2 = 0;
  private frameIndex = 0;
  private sampleIndex = 0;

  constructor(options: ChannelizerOptions, private readonly sink: FrameSink) {
    if (!isPowerOfTwo(options.fft_size)) throw new RangeError(`fft_size must be a power of two ≥ 4, got ${options.fft_size}`);
    const hop = options.hop ?? options.fft_size;
    if (!Number.isInteger(hop) || hop < 1 || hop > options.fft_size || options.fft_size % hop !== 0) {
      throw new RangeError(`hop must divide fft_size (${options.fft_size}), got ${hop}`);
    }
    this.fftSize = options.fft_size;
    this.hop = hop;
    this.sampleRateHz = options.sample_rate_hz;
    this.channelCount = options.channels.length;
    this.bins = mapChannelBins(options.channels, options.fft_size, options.sample_rate_hz);
    this.spans = channelSpans(this.bins, options.fft_size);
    if (options.spectrum_half_width_hz !== undefined && options.spectrum_half_width_hz > 0) {
      const binHz = options.sample_rate_hz / options.fft_size;
      const half = Math.min(options.fft_size / 2 - 1, Math.floor(options.spectrum_half_width_hz / binHz));
      this.spans.first = Math.min(this.spans.first, options.fft_size / 2 - half);
      this.spans.last = Math.max(this.spans.last, options.fft_size / 2 + half);
    }
    if (this.spans.last < this.spans.first) {
      this.spans.first = options.fft_size / 2;
      this.spans.last = options.fft_size / 2;
    }
    this.spectrum = new Float64Array(options.fft_size);
    this.cumulative = new Float64Array(options.fft_size + 1);
    this.engine = createFftEngine(options.fft_backend ?? 'fft.js', options.fft_size, options.fft_array ?? 'array');
    this.window = makeWindow(options.window ?? 'hann', options.fft_size);
    this.norm = 1 / (options.fft_size * windowEnergy(this.window));
    const n2 = 2 * options.fft_size;
    this.history = hop === options.fft_size ? null : new Float64Array(n2);
    this.power = new Float64Array(this.channelCount);
    this.upper = new Float64Array(this.channelCount);
    const dcTau = options.dc_tau_s === undefined ? 0.01 : options.dc_tau_s;
    this.dcEnabled = dcTau !== null;
    this.dcBeta = dcTau === null ? 0 : Math.min(1, hop / (dcTau * options.sample_rate_hz));
    this.iqEnabled = options.iq_correction ?? true;
    this.iqGamma = Math.min(1, (IQ_STATS_EVERY * hop) / ((options.iq_tau_s ?? 0.2) * options.sample_rate_hz));
  }

  /** The analysis window (its length is the FFT size). */
  get analysisWindow(): Float64Array {
    return this.window;
  }

  /** Which FFT runs. */
  get fftBackend(): FftBackend {
    return this.engine.backend;
  }

  /** Free the FFT engine's native memory (pffft-wasm); the channelizer is unusable afterwards. */
  dispose(): void {
    this.engine.dispose();
  }

  /** Frames produced so far. */
  get frames(): number {
    return this.frameIndex;
  }

  /** Samples consumed so far (= frames × hop). */
  get samples(): number {
    return this.sampleIndex;
  }

  /**
   * The last frame's |X|² in frequency order (index 0 = −fs/2), valid over [first, last] (the bins the
   * channels use), and the factor that turns a sum of those into a channel power. Read it inside the
   * frame sink; the next frame overwrites it.
   */
  spectrumView(): { readonly data: Float64Array; readonly first: number; readonly last: number; readonly norm: number; readonly bin_hz: number } {
    this.view ??= { data: this.spectrum, first: this.spans.first, last: this.spans.last, norm: this.norm, bin_hz: this.sampleRateHz / this.fftSize };
    return this.view;
  }

  private view: { data: Float64Array; first: number; last: number; norm: number; bin_hz: number } | null = null;

  /** The current IQ correction (c1, c2) and DC estimate, for tests and status. */
  corrections(): { dc_i: number; dc_q: number; c1: number; c2: number } {
    return { dc_i: this.dcI, dc_q: this.dcQ, c1: this.c1, c2: this.c2 };
  }

  /** Process `frames` hops of 8-bit samples starting at byte `offset`; `lut` maps a byte to full scale. */
  processBytes(bytes: Uint8Array, offset: number, frames: number, lut: Float64Array): void {
    const h = this.hop;
    for (let f = 0; f < frames; f++) {
      if (this.history === null) this.frameBytes(bytes, offset + 2 * h * f, lut);
      else this.overlapBytes(bytes, offset + 2 * h * f, lut);
    }
  }

  /** Process `frames` hops of 16-bit samples starting at element `offset` (values scaled by `scale`). */
  processInt16(values: Int16Array, offset: number, frames: number, scale: number): void {
    const h = this.hop;
    for (let f = 0; f < frames; f++) this.frameScaled(values, offset + 2 * h * f, scale);
  }

  /** Process `frames` hops of float32 samples starting at element `offset`. */
  processFloat32(values: Float32Array, offset: number, frames: number): void {
    const h = this.hop;
    for (let f = 0; f < frames; f++) this.frameScaled(values, offset + 2 * h * f, 1);
  }

  /** Forget DC/IQ estimates and frame counters (after a retune or a reconnect). */
  reset(keepCounters = true): void {
    this.dcI = 0;
    this.dcQ = 0;
    this.eII = this.eQQ = this.eIQ = 0;
    this.statFrames = 0;
    this.dcPrimed = false;
    this.c1 = 1;
    this.c2 = 0;
    if (this.history !== null) this.history.fill(0);
    if (!keepCounters) {
      this.frameIndex = 0;
      this.sampleIndex = 0;
    }
  }

  // The common case: 8-bit samples, hop = fft size. Conversion, DC, IQ correction and window in one pass.
  private frameBytes(b: Uint8Array, base: number, lut: Float64Array): void {
    const n = this.fftSize;
    const w = this.window;
    const x = this.engine.input();
    const dcI = this.dcI;
    const dcQ = this.dcQ;
    const c1 = this.c1;
    const c2 = this.c2;
    let sI = 0;
    let sQ = 0;
    for (let k = 0, j = base; k < n; k++, j += 2) {
      const i = lut[b[j]!]!;
      const q = lut[b[j + 1]!]!;
      sI += i;
      sQ += q;
      const re = i - dcI;
      const im = (q - dcQ) * c1 + re * c2;
      const wk = w[k]!;
      x[2 * k] = re * wk;
      x[2 * k + 1] = im * wk;
    }
    this.endFrame(sI, sQ, n);
  }

  private overlapBytes(b: Uint8Array, base: number, lut: Float64Array): void {
    const h = this.hop;
    const hist = this.history!;
    const keep = 2 * (this.fftSize - h);
    hist.copyWithin(0, 2 * h);
    const dcI = this.dcI;
    const dcQ = this.dcQ;
    const c1 = this.c1;
    const c2 = this.c2;
    let sI = 0;
    let sQ = 0;
    for (let k = 0, j = base; k < h; k++, j += 2) {
      const i = lut[b[j]!]!;
      const q = lut[b[j + 1]!]!;
      sI += i;
      sQ += q;
      const re = i - dcI;
      hist[keep + 2 * k] = re;
      hist[keep + 2 * k + 1] = (q - dcQ) * c1 + re * c2;
    }
    this.windowHistory();
    this.endFrame(sI, sQ, h);
  }

  // 16-bit and float input (less common formats): one loop for both, overlap handled inline.
  private frameScaled(v: Int16Array | Float32Array, base: number, scale: number): void {
    const h = this.hop;
    const n = this.fftSize;
    const hist = this.history;
    const w = this.window;
    const x = this.engine.input();
    const keep = 2 * (n - h);
    if (hist !== null) hist.copyWithin(0, 2 * h);
    const dcI = this.dcI;
    const dcQ = this.dcQ;
    const c1 = this.c1;
    const c2 = this.c2;
    let sI = 0;
    let sQ = 0;
    for (let k = 0, j = base; k < h; k++, j += 2) {
      const i = v[j]! * scale;
      const q = v[j + 1]! * scale;
      sI += i;
      sQ += q;
      const re = i - dcI;
      const im = (q - dcQ) * c1 + re * c2;
      if (hist !== null) {
        hist[keep + 2 * k] = re;
        hist[keep + 2 * k + 1] = im;
      } else {
        const wk = w[k]!;
        x[2 * k] = re * wk;
        x[2 * k + 1] = im * wk;
      }
    }
    if (hist !== null) this.windowHistory();
    this.endFrame(sI, sQ, h);
  }

  private windowHistory(): void {
    const hist = this.history!;
    const w = this.window;
    const x = this.engine.input();
    for (let k = 0; k < this.fftSize; k++) {
      const wk = w[k]!;
      x[2 * k] = hist[2 * k]! * wk;
      x[2 * k + 1] = hist[2 * k + 1]! * wk;
    }
  }

  /**
   * Moments of this frame's (windowed, corrected) FFT input, mapped back through the correction in
   * force (qd = (im − c2·re)/c1) to the DC-free, uncorrected samples, then smoothed.
   */
  private updateIq(): void {
    const x = this.engine.input();
    let sRR = 0;
    let sMM = 0;
    let sRM = 0;
    for (let k = 0, end = 2 * this.fftSize; k < end; k += 2) {
      const re = x[k]!;
      const im = x[k + 1]!;
      sRR += re * re;
      sMM += im * im;
      sRM += re * im;
    }
    const c1 = this.c1;
    const c2 = this.c2;
    const mII = sRR;
    const mQQ = (sMM - 2 * c2 * sRM + c2 * c2 * sRR) / (c1 * c1);
    const mIQ = (sRM - c2 * sRR) / c1;
    const g = this.statFrames === 0 ? 1 : this.iqGamma;
    this.statFrames++;
    this.eII += g * (mII - this.eII);
    this.eQQ += g * (mQQ - this.eQQ);
    this.eIQ += g * (mIQ - this.eIQ);
    if (this.eII > 0 && this.eQQ > 0) {
      const gain = Math.sqrt(this.eQQ / this.eII);
      let sinPhi = this.eIQ / Math.sqrt(this.eII * this.eQQ);
      if (sinPhi > 0.5) sinPhi = 0.5;
      else if (sinPhi < -0.5) sinPhi = -0.5;
      const cosPhi = Math.sqrt(1 - sinPhi * sinPhi);
      this.c1 = 1 / (gain * cosPhi);
      this.c2 = -sinPhi / cosPhi;
    }
  }

  private endFrame(sI: number, sQ: number, count: number): void {
    if (this.iqEnabled && this.frameIndex % IQ_STATS_EVERY === 0) this.updateIq();
    if (this.dcEnabled) {
      // The first frame after a start or reset sets the estimate; later frames move it slowly.
      const b = this.dcPrimed ? this.dcBeta : 1;
      this.dcPrimed = true;
      this.dcI += b * (sI / count - this.dcI);
      this.dcQ += b * (sQ / count - this.dcQ);
    }
    this.engine.transform();
    this.channelPowers();
    const first = this.sampleIndex + this.hop - this.fftSize;
    this.sink(this.frameIndex, first, this.power, this.upper);
    this.frameIndex++;
    this.sampleIndex += this.hop;
  }

  /**
   * |X|² once per bin (frequency order) with a running sum, then each channel as the difference of two
   * running sums with fractional edge bins: O(1) per channel instead of a loop over its bins (measured
   * a few per cent of the channelizer). The spectrum's few dozen dB of dynamic range lose nothing that
   * matters to the difference (the C reference, which sums directly, agrees within 0.001 dB).
   */
  private channelPowers(): void {
    const o = this.engine.output();
    const p = this.spectrum;
    const cum = this.cumulative;
    const half = this.fftSize / 2;
    const spans = this.spans;
    const first = spans.first;
    const last = spans.last;
    const mask = this.fftSize - 1;
    let run = 0;
    cum[first] = 0;
    // Frequency-order index s holds natural bin (s + N/2) mod N.
    for (let s = first; s <= last; s++) {
      const k = ((s + half) & mask) << 1;
      const re = o[k]!;
      const im = o[k + 1]!;
      const q = re * re + im * im;
      p[s] = q;
      run += q;
      cum[s + 1] = run;
    }
    const lo = spans.lo;
    const hi = spans.hi;
    const loWeight = spans.loWeight;
    const hiWeight = spans.hiWeight;
    const upperLo = spans.upperLo;
    const upperLoWeight = spans.upperLoWeight;
    const power = this.power;
    const upper = this.upper;
    const norm = this.norm;
    for (let c = 0, count = this.channelCount; c < count; c++) {
      const a = lo[c]!;
      const b = hi[c]!;
      const m = upperLo[c]!;
      const top = cum[b + 1]!;
      const hiPart = (1 - hiWeight[c]!) * p[b]!;
      power[c] = (top - cum[a]! - (1 - loWeight[c]!) * p[a]! - hiPart) * norm;
      upper[c] = (top - cum[m]! - (1 - upperLoWeight[c]!) * p[m]! - hiPart) * norm;
    }
  }
}
