/**
 * The receiver's noise floor, expressed as the power one 200 kHz channel would show with nothing on
 * it. Every few frames the channelizer's spectrum (bins inside the usable band) is added to a block;
 * per block, the 20th percentile of the per-bin means is taken (carriers fill some bins, noise fills
 * most of the rest); the floor is the least of the last few seconds of blocks, so a busy moment does not
 * lift it. Works even when every channel in view is occupied part of the time, as long as a fifth of
 * the band is quiet at some point — the usual case; a fixed floor can be configured otherwise.
 * It must not decide what is a burst (the burst detector does).
 */

export interface NoiseFloorOptions {
  /** Use every Nth frame (default 8). */
  every_frames?: number;
  /** Frames (of those used) per block (default 64). */
  block_frames?: number;
  percentile?: number;
  /** Blocks remembered (default 64, i.e. a few seconds). */
  memory_blocks?: number;
}

export class NoiseFloorEstimator {
  private readonly sum: Float64Array;
  private used = 0;
  private readonly every: number;
  private readonly blockFrames: number;
  private readonly percentile: number;
  private readonly memory: Float64Array;
  private memoryCount = 0;
  private memoryAt = 0;
  private floorPerBin: number | null = null;

  constructor(private readonly binCount: number, private readonly channelFactor: number, options: NoiseFloorOptions = {}) {
    this.sum = new Float64Array(binCount);
    this.every = options.every_frames ?? 8;
    this.blockFrames = options.block_frames ?? 64;
    this.percentile = options.percentile ?? 0.2;
    this.memory = new Float64Array(options.memory_blocks ?? 64);
  }

  /**
   * Offer one frame's spectrum (`data[first … first + binCount)`). Returns true when a block closed and
   * the floor may have changed.
   */
  frame(frameIndex: number, data: Float64Array, first: number): boolean {
    if (frameIndex % this.every !== 0) return false;
    const s = this.sum;
    for (let k = 0; k < this.binCount; k++) s[k]! += data[first + k]!;
    if (++this.used < this.blockFrames) return false;
    const sorted = Float64Array.from(s).sort();
    const value = sorted[Math.min(sorted.length - 1, Math.floor(this.percentile * sorted.length))]! / this.used;
    s.fill(0);
    this.used = 0;
    this.memory[this.memoryAt] = value;
    this.memoryAt = (this.memoryAt + 1) % this.memory.length;
    this.memoryCount = Math.min(this.memoryCount + 1, this.memory.length);
    let min = Infinity;
    for (let i = 0; i < this.memoryCount; i++) min = Math.min(min, this.memory[i]!);
    this.floorPerBin = min;
    return true;
  }

  /** Noise power in one channel (full-scale units), or null before the first block. */
  get channelFloor(): number | null {
    return this.floorPerBin === null ? null : this.floorPerBin * this.channelFactor;
  }

  reset(): void {
    this.sum.fill(0);
    this.used = 0;
    this.memoryCount = 0;
    this.memoryAt = 0;
    this.floorPerBin = null;
  }
}
