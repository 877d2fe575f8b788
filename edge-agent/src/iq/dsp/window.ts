/**
 * FFT analysis windows for the channelizer. Hann is the default: −31 dB first sidelobe falling
 * 18 dB/octave keeps a strong carrier from leaking into the channels two ARFCNs away; Blackman-Harris
 * (4-term, −92 dB) is for band scans next to very strong carriers; rect is the cheapest and leaks most.
 */

export const WINDOW_KINDS = ['hann', 'blackman_harris', 'rect'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** A periodic window of length n (the DFT-even form, right for overlapped spectral analysis). */
export function makeWindow(kind: WindowKind, n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (2 * Math.PI * i) / n;
    switch (kind) {
      case 'hann':
        w[i] = 0.5 - 0.5 * Math.cos(x);
        break;
      case 'blackman_harris':
        w[i] = 0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
        break;
      case 'rect':
        w[i] = 1;
        break;
    }
  }
  return w;
}

/** Σ w², the window's energy: divides |X|² so that a full-scale tone reads 0 dBFS. */
export function windowEnergy(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
  return s;
}
