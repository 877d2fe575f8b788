/**
 * Which FFT bins make up each channel, with what weight. A bin of width Δ centred on f_k covers
 * [f_k − Δ/2, f_k + Δ/2]; its weight in a channel is the fraction of that interval inside the channel
 * [offset − width/2, offset + width/2], so a channel edge falling inside a bin splits the bin between
 * the two neighbours and channel powers add up to the band power. The same rule is written in the C
 * reference (bench/reference/channel-power.c); the two must agree.
 *
 * Also the weight of each bin in the channel's upper half (offset … offset + width/2): the FCCH tone
 * (+67.7 kHz) puts nearly all of a downlink channel's energy there, ordinary GMSK bursts about half.
 */

export interface ChannelSpec {
  /** Channel centre minus the receiver's centre frequency. */
  offset_hz: number;
  width_hz: number;
}

export interface ChannelBinMap {
  /** Bins of channel c are entries [start[c], start[c+1]) of `bin`, `weight`, `upperWeight`. */
  start: Int32Array;
  /** Bin index in the FFT's natural order (0 = DC, N/2 … N−1 = negative frequencies). */
  bin: Int32Array;
  weight: Float64Array;
  upperWeight: Float64Array;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Frequency of bin k (natural order) relative to the centre. */
export function binFrequency(k: number, fftSize: number, sampleRateHz: number): number {
  return ((k < fftSize / 2 ? k : k - fftSize) * sampleRateHz) / fftSize;
}

export function mapChannelBins(channels: readonly ChannelSpec[], fftSize: number, sampleRateHz: number): ChannelBinMap {
  const delta = sampleRateHz / fftSize;
  const start = new Int32Array(channels.length + 1);
  const bins: number[] = [];
  const weights: number[] = [];
  const upper: number[] = [];
  channels.forEach((c, i) => {
    start[i] = bins.length;
    const lo = c.offset_hz - c.width_hz / 2;
    const hi = c.offset_hz + c.width_hz / 2;
    for (let k = 0; k < fftSize; k++) {
      const f = binFrequency(k, fftSize, sampleRateHz);
      const w = overlap(f - delta / 2, f + delta / 2, lo, hi) / delta;
      if (w <= 0) continue;
      bins.push(k);
      weights.push(w);
      upper.push(overlap(f - delta / 2, f + delta / 2, c.offset_hz, hi) / delta);
    }
  });
  start[channels.length] = bins.length;
  return { start, bin: Int32Array.from(bins), weight: Float64Array.from(weights), upperWeight: Float64Array.from(upper) };
}

/**
 * The same weights as contiguous spans over the spectrum in frequency order (index s = k + N/2 mod N),
 * so the channelizer computes each |X|² once and sums runs: channel c covers [lo, hi] with weight 1
 * inside and `loWeight`/`hiWeight` at its edge bins; its upper half starts at `upperLo` with weight
 * `upperLoWeight`. Requires channels at least two bins wide (always true at ≤ 40 kHz bins).
 */
export interface ChannelSpans {
  lo: Int32Array;
  hi: Int32Array;
  loWeight: Float64Array;
  hiWeight: Float64Array;
  upperLo: Int32Array;
  upperLoWeight: Float64Array;
  /** Smallest and largest spectrum index any channel uses. */
  first: number;
  last: number;
}

export function channelSpans(map: ChannelBinMap, fftSize: number): ChannelSpans {
  const count = map.start.length - 1;
  const spans: ChannelSpans = {
    lo: new Int32Array(count),
    hi: new Int32Array(count),
    loWeight: new Float64Array(count),
    hiWeight: new Float64Array(count),
    upperLo: new Int32Array(count),
    upperLoWeight: new Float64Array(count),
    first: fftSize,
    last: -1,
  };
  const half = fftSize / 2;
  for (let c = 0; c < count; c++) {
    const entries: Array<{ s: number; w: number; u: number }> = [];
    for (let j = map.start[c]!; j < map.start[c + 1]!; j++) entries.push({ s: (map.bin[j]! + half) % fftSize, w: map.weight[j]!, u: map.upperWeight[j]! });
    entries.sort((a, b) => a.s - b.s);
    if (entries.length < 2) throw new RangeError(`channel ${c} spans fewer than two FFT bins: use a larger fft_size`);
    const lo = entries[0]!;
    const hi = entries[entries.length - 1]!;
    entries.forEach((e, i) => {
      if (e.s !== lo.s + i) throw new RangeError(`channel ${c} bins are not contiguous`);
      if (i > 0 && i < entries.length - 1 && Math.abs(e.w - 1) > 1e-9) throw new RangeError(`channel ${c} has a partial bin inside`);
    });
    const upper = entries.findIndex((e) => e.u > 0);
    if (upper <= 0) throw new RangeError(`channel ${c} has no lower half`);
    for (let i = upper + 1; i < entries.length - 1; i++) {
      if (Math.abs(entries[i]!.u - 1) > 1e-9) throw new RangeError(`channel ${c} upper half has a partial bin inside`);
    }
    spans.lo[c] = lo.s;
    spans.hi[c] = hi.s;
    spans.loWeight[c] = lo.w;
    spans.hiWeight[c] = hi.w;
    spans.upperLo[c] = entries[upper]!.s;
    spans.upperLoWeight[c] = entries[upper]!.u;
    spans.first = Math.min(spans.first, lo.s);
    spans.last = Math.max(spans.last, hi.s);
  }
  return spans;
}
