/**
 * The FFT behind the channelizer: fft.js (pure JavaScript, double precision — the required default)
 * or, optionally, PFFFT compiled to WebAssembly with SIMD (@echogarden/pffft-wasm, single precision),
 * which measured several times faster here (BENCHMARKS.md). Both take interleaved complex input and
 * give the forward transform X[k] = Σ x[n]·e^{−2πikn/N} in natural order.
 *
 * The WebAssembly module is loaded once, asynchronously (`prepareFftBackend`); engines are then made
 * synchronously. Its memory can grow when an engine is made, which detaches older views, so callers
 * take `input()`/`output()` afresh for each frame. It must not window or scale: the channelizer does.
 */
import FFT from 'fft.js';

export const FFT_BACKENDS = ['fft.js', 'pffft-wasm'] as const;
export type FftBackend = (typeof FFT_BACKENDS)[number];
export type FftArrayType = 'float64' | 'array';
export type FftBuffer = Float64Array | Float32Array | number[];

export interface FftEngine {
  readonly backend: FftBackend;
  readonly size: number;
  /** Interleaved complex input, 2·size values; fill it, then transform(). */
  input(): FftBuffer;
  /** Interleaved complex output of the last transform(). */
  output(): FftBuffer;
  transform(): void;
  /** Free native memory (WebAssembly engines). */
  dispose(): void;
}

interface PffftModule {
  HEAPF32: Float32Array;
  _pffft_new_setup(n: number, kind: number): number;
  _pffft_destroy_setup(setup: number): void;
  _pffft_aligned_malloc(bytes: number): number;
  _pffft_aligned_free(ptr: number): void;
  _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
}

let pffft: PffftModule | null = null;
let loading: Promise<PffftModule> | null = null;

/** Load what a backend needs (the WebAssembly module for pffft-wasm); resolves at once for fft.js. */
export async function prepareFftBackend(backend: FftBackend): Promise<void> {
  if (backend !== 'pffft-wasm' || pffft !== null) return;
  loading ??= import('@echogarden/pffft-wasm/simd').then(async (m) => (await (m.default as () => Promise<PffftModule>)()));
  pffft = await loading;
}

/** Why an engine cannot be made for this size, or null. */
export function fftSizeProblem(backend: FftBackend, size: number): string | null {
  if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) return `FFT size must be a power of two ≥ 4, got ${size}`;
  if (backend === 'pffft-wasm' && size % 16 !== 0) return `pffft-wasm needs an FFT size that is a multiple of 16, got ${size}`;
  return null;
}

class FftJsEngine implements FftEngine {
  readonly backend = 'fft.js';
  private readonly fft: FFT;
  private readonly in: FftBuffer;
  private readonly out: FftBuffer;

  constructor(readonly size: number, arrayType: FftArrayType) {
    this.fft = new FFT(size);
    if (arrayType === 'array') {
      this.in = new Array<number>(2 * size).fill(0);
      this.out = new Array<number>(2 * size).fill(0);
    } else {
      this.in = new Float64Array(2 * size);
      this.out = new Float64Array(2 * size);
    }
  }

  input(): FftBuffer {
    return this.in;
  }

  output(): FftBuffer {
    return this.out;
  }

  transform(): void {
    this.fft.transform(this.out, this.in);
  }

  dispose(): void {}
}

const PFFFT_COMPLEX = 1;
const PFFFT_FORWARD = 0;

class PffftEngine implements FftEngine {
  readonly backend = 'pffft-wasm';
  private readonly setup: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private readonly workPtr: number;
  private inView: Float32Array;
  private outView: Float32Array;
  private disposed = false;

  constructor(private readonly m: PffftModule, readonly size: number) {
    this.setup = m._pffft_new_setup(size, PFFFT_COMPLEX);
    this.inPtr = m._pffft_aligned_malloc(8 * size);
    this.outPtr = m._pffft_aligned_malloc(8 * size);
    this.workPtr = m._pffft_aligned_malloc(8 * size);
    this.inView = this.view(this.inPtr);
    this.outView = this.view(this.outPtr);
    this.inView.fill(0);
  }

  private view(ptr: number): Float32Array {
    return new Float32Array(this.m.HEAPF32.buffer, ptr, 2 * this.size);
  }

  input(): FftBuffer {
    // Memory grew (another engine was made): views over the old buffer are detached.
    if (this.inView.buffer !== this.m.HEAPF32.buffer) {
      this.inView = this.view(this.inPtr);
      this.outView = this.view(this.outPtr);
    }
    return this.inView;
  }

  output(): FftBuffer {
    if (this.outView.buffer !== this.m.HEAPF32.buffer) this.input();
    return this.outView;
  }

  transform(): void {
    this.m._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, PFFFT_FORWARD);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.m._pffft_aligned_free(this.inPtr);
    this.m._pffft_aligned_free(this.outPtr);
    this.m._pffft_aligned_free(this.workPtr);
    this.m._pffft_destroy_setup(this.setup);
  }
}

/** An engine for `size` points. pffft-wasm needs `prepareFftBackend('pffft-wasm')` first. */
export function createFftEngine(backend: FftBackend, size: number, arrayType: FftArrayType = 'array'): FftEngine {
  const problem = fftSizeProblem(backend, size);
  if (problem !== null) throw new RangeError(problem);
  if (backend === 'fft.js') return new FftJsEngine(size, arrayType);
  if (pffft === null) throw new Error('pffft-wasm is not loaded: await prepareFftBackend("pffft-wasm") first');
  return new PffftEngine(pffft, size);
}
