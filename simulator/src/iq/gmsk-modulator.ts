/**
 * GMSK modulation (BT = 0.3, h = 1/2, TS 45.004) of one burst into a block of complex samples at any
 * sample rate: differential encoding (d̂ᵢ = dᵢ ⊕ dᵢ₋₁, aᵢ = 1 − 2d̂ᵢ, d₋₁ = 1), Gaussian-filtered
 * frequency pulses integrated in closed form, a raised-cosine power ramp of 2 symbols on each side, a
 * carrier offset, and the burst's own random starting phase. A burst can be written block by block:
 * every sample is a function of its absolute index, so block edges leave no seam.
 * It must not add noise or decide burst timing: the scene does.
 */
const BT = 0.3;
const SIGMA = Math.sqrt(Math.LN2) / (2 * Math.PI * BT); // Gaussian σ in symbol periods
/** A pulse is integrated over ±SPAN symbols around its centre; beyond that it is 0 or complete. */
const SPAN = 2.5;
const TABLE_STEPS = 256;
const RAMP_SYMBOLS = 2;

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit). */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

const normalCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
const normalPdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
// ∫_{-∞}^{x} Φ(u/σ) du
const psi = (x: number) => x * normalCdf(x / SIGMA) + SIGMA * normalPdf(x / SIGMA);

/** Integrated GMSK frequency pulse: rises from 0 to 1 over about ±1.5 symbols around 0. */
export function gmskPhaseStep(tauSymbols: number): number {
  if (tauSymbols <= -SPAN) return 0;
  if (tauSymbols >= SPAN) return 1;
  return psi(tauSymbols + 0.5) - psi(tauSymbols - 0.5);
}

const TABLE = (() => {
  const n = 2 * SPAN * TABLE_STEPS + 2;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = gmskPhaseStep(-SPAN + i / TABLE_STEPS);
  return t;
})();

function phaseStep(tau: number): number {
  const x = (tau + SPAN) * TABLE_STEPS;
  const i = Math.floor(x);
  const f = x - i;
  return TABLE[i]! + f * (TABLE[i + 1]! - TABLE[i]!);
}

export interface BurstToModulate {
  /** Absolute sample index where bit 0 starts (fractional). */
  start_sample: number;
  bits: readonly number[];
  /** Amplitude during the burst (|x|); power = amplitude². */
  amplitude: number;
  /** Carrier offset from the receiver's centre frequency. */
  offset_hz: number;
  /** Starting phase in radians. */
  phase_rad: number;
}

/** First and last absolute sample a burst touches (ramps included). */
export function burstExtent(b: BurstToModulate, samplesPerSymbol: number): { first: number; last: number } {
  return {
    first: Math.floor(b.start_sample - RAMP_SYMBOLS * samplesPerSymbol),
    last: Math.ceil(b.start_sample + (b.bits.length + RAMP_SYMBOLS) * samplesPerSymbol),
  };
}

/**
 * Add the burst's samples that fall in [blockStart, blockStart + blockLength) to `out` (interleaved
 * I/Q, index 0 = blockStart).
 */
export function addBurst(out: Float32Array | Float64Array, blockStart: number, blockLength: number, b: BurstToModulate, sampleRateHz: number, samplesPerSymbol: number): void {
  const { first, last } = burstExtent(b, samplesPerSymbol);
  const from = Math.max(first, blockStart);
  const to = Math.min(last, blockStart + blockLength - 1);
  if (from > to) return;
  const n = b.bits.length;
  const a = new Float64Array(n);
  let previous = 1;
  for (let i = 0; i < n; i++) {
    a[i] = 1 - 2 * (b.bits[i]! ^ previous);
    previous = b.bits[i]!;
  }
  const centre = (i: number) => b.start_sample + (i + 0.5) * samplesPerSymbol;
  const span = SPAN * samplesPerSymbol;
  const end = b.start_sample + n * samplesPerSymbol;
  const rampLength = RAMP_SYMBOLS * samplesPerSymbol;
  let full = 0;
  let firstPartial = 0;
  const w = (2 * Math.PI * b.offset_hz) / sampleRateHz;
  for (let s = from; s <= to; s++) {
    while (firstPartial < n && centre(firstPartial) + span <= s) full += a[firstPartial++]!;
    let steps = full;
    for (let i = firstPartial; i < n && centre(i) - span < s; i++) steps += a[i]! * phaseStep((s - centre(i)) / samplesPerSymbol);
    let envelope = 1;
    if (s < b.start_sample) envelope = 0.5 - 0.5 * Math.cos((Math.PI * (s - (b.start_sample - rampLength))) / rampLength);
    else if (s > end) envelope = 0.5 + 0.5 * Math.cos((Math.PI * (s - end)) / rampLength);
    const phase = b.phase_rad + w * s + (Math.PI / 2) * steps;
    const amp = b.amplitude * envelope;
    const k = 2 * (s - blockStart);
    out[k] = out[k]! + amp * Math.cos(phase);
    out[k + 1] = out[k + 1]! + amp * Math.sin(phase);
  }
}
