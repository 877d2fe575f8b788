/**
 * Finds GSM bursts in each channel's power series (one value per channelizer frame, tens of µs apart):
 * a run starts when a frame's power exceeds the noise floor by `on_db` and ends after two frames below
 * floor + `off_db`. Burst edges are placed to a fraction of a frame from how much of the window the
 * burst filled (the window's energy share), and a run longer than one timeslot — neighbouring busy
 * slots, or a carrier that never pauses — is cut every 156.25 symbols from its start, each piece one
 * burst. A burst's power is the mean over the frames wholly inside its 148 useful symbols, so ramps
 * and guard periods do not pull it down.
 *
 * Kinds by duration: access (RACH, 88 symbols), normal (148 symbols); shorter blips are counted and
 * dropped. It must not assign timeslots (the slot meter does, with the TDMA clock).
 */
import { ACCESS_BURST_SYMBOLS, NORMAL_BURST_SYMBOLS, SYMBOLS_PER_SLOT, samplesPerSymbol } from './gsm-timing.js';

export type BurstKind = 'normal' | 'access';

export interface DetectedBurst {
  channel: number;
  kind: BurstKind;
  /** Estimated first and last sample of the burst's bits (fractional). */
  start_sample: number;
  end_sample: number;
  /** Mean power per sample over the burst's interior, full-scale units. */
  power: number;
  /** 0 for a burst that began a run; k for the k-th slot-length piece cut from a longer run. */
  piece: number;
}

export interface BurstDetectorOptions {
  on_db?: number;
  off_db?: number;
}

/** Fraction of a window's energy (Σw²) in its first `x` samples, 0…1, for edge placement. */
function energyShare(window: Float64Array): Float64Array {
  const share = new Float64Array(window.length + 1);
  for (let i = 0; i < window.length; i++) share[i + 1] = share[i]! + window[i]! * window[i]!;
  const total = share[window.length]!;
  for (let i = 0; i <= window.length; i++) share[i]! /= total;
  return share;
}

export class BurstDetector {
  private readonly frameLength: number;
  private readonly sps: number;
  private readonly slotSamples: number;
  private readonly normalSamples: number;
  private readonly margin: number;
  private readonly share: Float64Array;
  private readonly onFactor: number;
  private readonly offFactor: number;
  // Per-channel run state.
  private readonly inRun: Uint8Array;
  private readonly below: Int32Array;
  private readonly runFrames: Int32Array;
  private readonly prevPower: Float64Array;
  private readonly prevFirst: Float64Array;
  private readonly firstPower: Float64Array;
  private readonly firstFirst: Float64Array;
  private readonly lastAbovePower: Float64Array;
  private readonly lastAboveFirst: Float64Array;
  private readonly runStart: Float64Array;
  private readonly pieceIndex: Int32Array;
  private readonly pieceSum: Float64Array;
  private readonly pieceCount: Int32Array;
  private readonly piecePeak: Float64Array;
  private readonly floorAtRun: Float64Array;
  /** The last in-burst frame, not yet counted (its piece index, or −1 when outside a piece interior). */
  private readonly pendingPiece: Int32Array;
  private readonly pendingPower: Float64Array;
  /** Runs too short to be a burst (interference, noise spikes). */
  blips = 0;

  /** `window` is the channelizer's analysis window (its length is the frame length); frames come every `hop` samples. */
  constructor(private readonly channelCount: number, sampleRateHz: number, window: Float64Array, private readonly hop: number, options: BurstDetectorOptions = {}) {
    this.frameLength = window.length;
    this.sps = samplesPerSymbol(sampleRateHz);
    this.slotSamples = SYMBOLS_PER_SLOT * this.sps;
    this.normalSamples = NORMAL_BURST_SYMBOLS * this.sps;
    this.margin = 3 * this.sps;
    this.share = energyShare(window);
    this.onFactor = 10 ** ((options.on_db ?? 10) / 10);
    this.offFactor = 10 ** ((options.off_db ?? 6) / 10);
    const f64 = () => new Float64Array(channelCount);
    const i32 = () => new Int32Array(channelCount);
    this.inRun = new Uint8Array(channelCount);
    this.below = i32();
    this.runFrames = i32();
    this.prevPower = f64();
    this.prevFirst = f64();
    this.firstPower = f64();
    this.firstFirst = f64();
    this.lastAbovePower = f64();
    this.lastAboveFirst = f64();
    this.runStart = f64();
    this.pieceIndex = i32();
    this.pieceSum = f64();
    this.pieceCount = i32();
    this.piecePeak = f64();
    this.floorAtRun = f64();
    this.pendingPiece = i32().fill(-1);
    this.pendingPower = f64();
  }

  /** Offset into a window where a burst edge lies, given the share of the window's energy it covered. */
  private edgeOffset(coveredShare: number, leading: boolean): number {
    // leading edge: burst fills [τ, N) → covered = 1 − share(τ); trailing: fills [0, τ) → covered = share(τ).
    const target = leading ? 1 - coveredShare : coveredShare;
    const s = this.share;
    let lo = 0;
    let hi = s.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (s[mid]! < target) lo = mid;
      else hi = mid;
    }
    const span = s[hi]! - s[lo]!;
    return lo + (span > 0 ? (target - s[lo]!) / span : 0);
  }

  /**
   * One frame: `power[c]` of channel c, `floor[c]` its noise floor (0 or less: not known yet, no
   * detection). Calls `emit` for every burst completed by this frame.
   */
  frame(firstSample: number, power: Float64Array, floor: Float64Array, emit: (b: DetectedBurst) => void): void {
    const n = this.frameLength;
    for (let c = 0; c < this.channelCount; c++) {
      const p = power[c]!;
      const fl = floor[c]!;
      if (fl <= 0) continue;
      if (this.inRun[c] === 0) {
        if (p > fl * this.onFactor) {
          this.inRun[c] = 1;
          this.below[c] = 0;
          this.runFrames[c] = 1;
          this.firstPower[c] = p;
          this.firstFirst[c] = firstSample;
          this.lastAbovePower[c] = p;
          this.lastAboveFirst[c] = firstSample;
          this.runStart[c] = NaN;
          this.pieceIndex[c] = 0;
          this.pieceSum[c] = 0;
          this.pieceCount[c] = 0;
          this.piecePeak[c] = p;
          this.floorAtRun[c] = fl;
          this.pendingPiece[c] = -1;
        } else {
          this.prevPower[c] = p;
          this.prevFirst[c] = firstSample;
        }
        continue;
      }
      // In a run.
      if (p > fl * this.offFactor) {
        this.below[c] = 0;
        this.runFrames[c]!++;
        this.lastAbovePower[c] = p;
        this.lastAboveFirst[c] = firstSample;
      } else if (++this.below[c]! >= 2) {
        this.endRun(c, emit);
        this.prevPower[c] = p;
        this.prevFirst[c] = firstSample;
        continue;
      }
      if (Number.isNaN(this.runStart[c]!)) {
        // Third frame of the run: its power stands for the burst's; place the leading edge.
        if (this.runFrames[c]! < 3) continue;
        this.runStart[c] = this.leadingEdge(c, p);
      }
      // Cut a piece every timeslot from the run's start.
      const start = this.runStart[c]!;
      while (firstSample >= start + (this.pieceIndex[c]! + 1) * this.slotSamples) this.closePiece(c, emit, start + (this.pieceIndex[c]! * this.slotSamples) + this.normalSamples, 'normal');
      const pieceStart = start + this.pieceIndex[c]! * this.slotSamples;
      // A frame counts toward the burst's power once the next frame shows the burst still on: the last
      // frame before the run ends straddles the trailing edge (and would pull an access burst down).
      if (this.below[c] === 0) {
        if (this.pendingPiece[c] === this.pieceIndex[c]) {
          this.pieceSum[c]! += this.pendingPower[c]!;
          this.pieceCount[c]!++;
        }
        this.pendingPiece[c] = firstSample >= pieceStart + this.margin && firstSample + n <= pieceStart + this.normalSamples - this.margin ? this.pieceIndex[c]! : -1;
        this.pendingPower[c] = p;
      }
      if (p > this.piecePeak[c]!) this.piecePeak[c] = p;
    }
  }

  private leadingEdge(c: number, burstPower: number): number {
    const fl = this.floorAtRun[c]!;
    const signal = Math.max(burstPower - fl, 1e-30);
    // If the frame before the run already held some of the burst, the edge is inside it.
    const prevShare = (this.prevPower[c]! - fl) / signal;
    if (prevShare > 0.05 && this.prevFirst[c]! === this.firstFirst[c]! - this.hop) {
      return this.prevFirst[c]! + this.edgeOffset(Math.min(1, prevShare), true);
    }
    const firstShare = Math.min(1, Math.max(0, (this.firstPower[c]! - fl) / signal));
    return this.firstFirst[c]! + this.edgeOffset(firstShare, true);
  }

  private closePiece(c: number, emit: (b: DetectedBurst) => void, end: number, kind: BurstKind, commitPending = true): void {
    // Inside a run that goes on, the last frame of this piece was still in the burst: count it.
    if (commitPending && this.pendingPiece[c] === this.pieceIndex[c]) {
      this.pieceSum[c]! += this.pendingPower[c]!;
      this.pieceCount[c]!++;
    }
    this.pendingPiece[c] = -1;
    const start = this.runStart[c]! + this.pieceIndex[c]! * this.slotSamples;
    const power = this.pieceCount[c]! > 0 ? this.pieceSum[c]! / this.pieceCount[c]! : this.piecePeak[c]!;
    emit({ channel: c, kind, start_sample: start, end_sample: end, power, piece: this.pieceIndex[c]! });
    this.pieceIndex[c]!++;
    this.pieceSum[c] = 0;
    this.pieceCount[c] = 0;
    this.piecePeak[c] = 0;
  }

  private endRun(c: number, emit: (b: DetectedBurst) => void): void {
    this.inRun[c] = 0;
    if (Number.isNaN(this.runStart[c]!)) {
      // Two frames or fewer: far shorter than any burst.
      this.blips++;
      return;
    }
    const pieceStart = this.runStart[c]! + this.pieceIndex[c]! * this.slotSamples;
    const burstPower = this.pieceCount[c]! > 0 ? this.pieceSum[c]! / this.pieceCount[c]! : this.piecePeak[c]!;
    const fl = this.floorAtRun[c]!;
    const lastShare = Math.min(1, Math.max(0, (this.lastAbovePower[c]! - fl) / Math.max(burstPower - fl, 1e-30)));
    const end = this.lastAboveFirst[c]! + this.edgeOffset(lastShare, false);
    const symbols = (end - pieceStart) / this.sps;
    if (symbols < 0.7 * ACCESS_BURST_SYMBOLS) {
      if (this.pieceIndex[c] === 0) this.blips++;
      return;
    }
    this.closePiece(c, emit, end, symbols < (ACCESS_BURST_SYMBOLS + NORMAL_BURST_SYMBOLS) / 2 ? 'access' : 'normal', false);
  }

  /** Drop runs in progress (retune, reconnect). */
  reset(): void {
    this.inRun.fill(0);
  }
}
