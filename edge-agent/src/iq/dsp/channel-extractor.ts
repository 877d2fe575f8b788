/**
 * One GSM channel out of a wideband segment: mix the carrier to 0 Hz, low-pass (windowed-sinc FIR,
 * linear phase, no delay: output m is centred on input m·D) and decimate to about 2 samples per
 * symbol or more. Used only on the few milliseconds around an FCCH or SCH burst, so it favours clarity
 * over speed. It must not estimate anything: refiners and decoders work on its output.
 */

export interface ExtractedChannel {
  /** Interleaved I/Q at `sample_rate_hz`. */
  data: Float64Array;
  sample_rate_hz: number;
  /** Input samples per output sample. */
  decimation: number;
}

const firCache = new Map<string, Float64Array>();

/** Blackman-windowed sinc low-pass, 2·half+1 taps, unity gain at DC. */
function lowPass(cutoffHz: number, transitionHz: number, sampleRateHz: number): Float64Array {
  const key = `${cutoffHz}/${transitionHz}/${sampleRateHz}`;
  const cached = firCache.get(key);
  if (cached) return cached;
  const half = Math.max(4, Math.ceil((2.75 * sampleRateHz) / transitionHz));
  const taps = new Float64Array(2 * half + 1);
  const fc = cutoffHz / sampleRateHz;
  let sum = 0;
  for (let i = -half; i <= half; i++) {
    const sinc = i === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * i) / (Math.PI * i);
    const x = (i + half) / (2 * half);
    const w = 0.42 - 0.5 * Math.cos(2 * Math.PI * x) + 0.08 * Math.cos(4 * Math.PI * x);
    taps[i + half] = sinc * w;
    sum += sinc * w;
  }
  for (let i = 0; i < taps.length; i++) taps[i]! /= sum;
  firCache.set(key, taps);
  return taps;
}

/**
 * Extract the channel centred `offsetHz` from the receiver's centre out of `samples` (interleaved,
 * at `sampleRateHz`). The output rate is the input rate divided by the largest integer that keeps it
 * ≥ `minRateHz` (default 500 kHz, ~1.85 samples per symbol; 2 or more at the usual SDR rates).
 */
export function extractChannel(samples: Float64Array, sampleRateHz: number, offsetHz: number, options: { minRateHz?: number; cutoffHz?: number } = {}): ExtractedChannel {
  const minRate = options.minRateHz ?? 500_000;
  const decimation = Math.max(1, Math.floor(sampleRateHz / minRate));
  const rate = sampleRateHz / decimation;
  const cutoff = Math.min(options.cutoffHz ?? 110_000, 0.45 * rate);
  const taps = lowPass(cutoff, Math.min(90_000, rate / 2 - cutoff + 1), sampleRateHz);
  const half = (taps.length - 1) / 2;
  const n = samples.length / 2;
  // Mix first (a phasor rotated one step per input sample, re-anchored every 1024 samples against
  // rounding drift), then filter at the output instants only.
  const mixed = new Float64Array(2 * n);
  const w = (-2 * Math.PI * offsetHz) / sampleRateHz;
  const stepC = Math.cos(w);
  const stepS = Math.sin(w);
  let c = 1;
  let s = 0;
  for (let k = 0; k < n; k++) {
    if ((k & 1023) === 0) {
      c = Math.cos(w * k);
      s = Math.sin(w * k);
    }
    const i = samples[2 * k]!;
    const q = samples[2 * k + 1]!;
    mixed[2 * k] = i * c - q * s;
    mixed[2 * k + 1] = i * s + q * c;
    const nc = c * stepC - s * stepS;
    s = c * stepS + s * stepC;
    c = nc;
  }
  const outCount = Math.ceil(n / decimation);
  const data = new Float64Array(2 * outCount);
  for (let m = 0; m < outCount; m++) {
    const centre = m * decimation;
    let re = 0;
    let im = 0;
    const from = Math.max(0, centre - half);
    const to = Math.min(n - 1, centre + half);
    for (let k = from; k <= to; k++) {
      const h = taps[k - centre + half]!;
      re += h * mixed[2 * k]!;
      im += h * mixed[2 * k + 1]!;
    }
    data[2 * m] = re;
    data[2 * m + 1] = im;
  }
  return { data, sample_rate_hz: rate, decimation };
}
