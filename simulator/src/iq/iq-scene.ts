/**
 * Simulated GSM radio as complex baseband IQ: a scene of transmitters (a BCCH carrier sending FCCH,
 * SCH and normal bursts in every timeslot; handsets or a SIM-box den sending normal or access bursts
 * on chosen timeslots of chosen frames, with known powers, timing advance, frequency error) plus white
 * noise, at any sample rate and centre frequency. Generated block by block (bounded memory, any
 * length), the same samples whatever the block sizes, with a ground-truth list of every burst sent.
 *
 * Powers are in dBFS: a burst of power_dbfs = 0 has |x| = 1 during its useful part. Noise power is the
 * total over the sampled band. Transmitters whose 200 kHz channel is not wholly inside centre ± rate/2
 * are not received (the receiver's anti-alias filter), so one scene can hold both links and each
 * tuning sees its own part.
 * It must not quantise or write files (iq-writer does).
 */
import { createRandom, type Random } from '../random.js';
import { HYPERFRAME, SLOTS_PER_FRAME, UPLINK_DELAY_SLOTS, samplesPer, FCCH_FRAMES_51, SCH_FRAMES_51 } from './gsm-air-timing.js';
import { addBurst, burstExtent, type BurstToModulate } from './gmsk-modulator.js';
import { schBurstBits } from './sch-encoder.js';

export type IqLink = 'downlink' | 'uplink';
export type IqBurstKind = 'fcch' | 'sch' | 'normal' | 'access';

export interface IqTransmitter {
  id: string;
  /** Carrier frequency (the receiver's centre plus an offset). */
  freq_hz: number;
  /** Burst power, dBFS. */
  power_dbfs: number;
  link: IqLink;
  /**
   * 'bcch': a BCCH carrier (C0): every timeslot of every frame, FCCH and SCH on TS0 at 51-multiframe
   * positions 0/10/20/30/40 and 1/11/21/31/41, normal bursts elsewhere. 'slots': `burst` bursts on
   * `slots` of every active frame.
   */
  pattern: 'bcch' | 'slots';
  slots?: readonly number[];
  burst?: 'normal' | 'access';
  /** BSIC sent in the SCH (bcch pattern). Default 0. */
  bsic?: number;
  /** Uplink timing advance: bursts start this many symbol periods early. */
  ta_steps?: number;
  /** Oscillator error of this transmitter. */
  freq_error_hz?: number;
  /** Standard deviation of a per-burst random power change, dB (a moving handset). */
  power_jitter_db?: number;
  /** Probability each scheduled burst is sent (default 1). */
  duty?: number;
  /** Active frame range [first, last] as FN offsets from the scene's fn0; default always. */
  active_frames?: readonly [number, number];
}

export interface IqScene {
  sample_rate_hz: number;
  center_freq_hz: number;
  seed: number;
  /** Total white-noise power over the sampled band, dBFS; null or absent for none. */
  noise_dbfs?: number | null;
  /** Frame number of the frame whose downlink TS0 starts at `frame0_sample`. Default 0. */
  fn0?: number;
  /** Sample index where downlink TS0 of frame fn0 starts. Default 0. */
  frame0_sample?: number;
  transmitters: readonly IqTransmitter[];
}

export interface TruthBurst {
  tx: string;
  link: IqLink;
  kind: IqBurstKind;
  fn: number;
  timeslot: number;
  freq_hz: number;
  /** Sample index of bit 0 and of the end of the last bit. */
  start_sample: number;
  end_sample: number;
  power_dbfs: number;
}

interface PlannedBurst extends BurstToModulate {
  truth: TruthBurst;
}

const NORMAL_BITS = 148;
const ACCESS_BITS = 88;

function hashSeed(seed: number, a: number, b: number): number {
  let h = (seed ^ 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ a, 0xcc9e2d51) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x1b873593) >>> 0;
  h = Math.imul(h ^ b, 0xe6546b64) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

function randomBits(r: Random, n: number, tail: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < tail || i >= n - tail ? 0 : r.next() < 0.5 ? 1 : 0));
}

export class IqSceneGenerator {
  readonly truth: TruthBurst[] = [];
  /** Absolute index of the next sample `next()` returns. */
  position = 0;
  private readonly sps: { symbol: number; slot: number; frame: number };
  private readonly noise: Random;
  private readonly noiseSigma: number;
  private spareGaussian: number | null = null;

  constructor(readonly scene: IqScene, private readonly options: { recordTruth?: boolean } = {}) {
    if (!(scene.sample_rate_hz > 0)) throw new RangeError('sample_rate_hz must be > 0');
    this.sps = samplesPer(scene.sample_rate_hz);
    this.noise = createRandom(hashSeed(scene.seed, 0x6e6f, 0x6973));
    this.noiseSigma = scene.noise_dbfs === null || scene.noise_dbfs === undefined ? 0 : Math.sqrt(10 ** (scene.noise_dbfs / 10) / 2);
  }

  /** The next `count` complex samples, interleaved I/Q. */
  next(count: number): Float32Array {
    const out = new Float32Array(2 * count);
    this.fill(out, count);
    return out;
  }

  /** Write the next `count` samples into `out` (interleaved, length ≥ 2·count) and advance. */
  fill(out: Float32Array | Float64Array, count: number): void {
    out.fill(0, 0, 2 * count);
    const start = this.position;
    this.scene.transmitters.forEach((tx, index) => {
      // A channel not wholly inside ±rate/2: the receiver's anti-alias filter removes it (no aliasing in).
      if (Math.abs(tx.freq_hz + (tx.freq_error_hz ?? 0) - this.scene.center_freq_hz) + 100_000 > this.scene.sample_rate_hz / 2) return;
      for (const b of this.burstsOverlapping(tx, index, start, count)) {
        addBurst(out, start, count, b, this.scene.sample_rate_hz, this.sps.symbol);
        if (this.options.recordTruth !== false && burstExtent(b, this.sps.symbol).first >= start) this.truth.push(b.truth);
      }
    });
    if (this.noiseSigma > 0) {
      for (let k = 0; k < 2 * count; k++) out[k] = out[k]! + this.noiseSigma * this.gaussian();
    }
    this.position += count;
  }

  private gaussian(): number {
    if (this.spareGaussian !== null) {
      const g = this.spareGaussian;
      this.spareGaussian = null;
      return g;
    }
    const u = 1 - this.noise.next();
    const v = this.noise.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  private burstsOverlapping(tx: IqTransmitter, index: number, start: number, count: number): PlannedBurst[] {
    const frame0 = this.scene.frame0_sample ?? 0;
    const slot = this.sps.slot;
    const shift = (tx.link === 'uplink' ? UPLINK_DELAY_SLOTS * slot : 0) - (tx.ta_steps ?? 0) * this.sps.symbol;
    const margin = 4 * this.sps.symbol;
    const firstSlot = Math.floor((start - frame0 - shift - slot - margin) / slot);
    const lastSlot = Math.ceil((start + count - frame0 - shift + margin) / slot);
    const out: PlannedBurst[] = [];
    for (let g = firstSlot; g <= lastSlot; g++) {
      const b = this.plan(tx, index, g, frame0 + shift + g * slot);
      if (b === null) continue;
      const { first, last } = burstExtent(b, this.sps.symbol);
      if (last >= start && first < start + count) out.push(b);
    }
    return out;
  }

  /** The burst `tx` sends in global slot `g` (counted from TS0 of fn0), or null. */
  private plan(tx: IqTransmitter, index: number, g: number, startSample: number): PlannedBurst | null {
    const frameOffset = Math.floor(g / SLOTS_PER_FRAME);
    const timeslot = g - frameOffset * SLOTS_PER_FRAME;
    if (tx.active_frames && (frameOffset < tx.active_frames[0] || frameOffset > tx.active_frames[1])) return null;
    const fn = ((((this.scene.fn0 ?? 0) + frameOffset) % HYPERFRAME) + HYPERFRAME) % HYPERFRAME;
    const r = createRandom(hashSeed(this.scene.seed, index + 1, g >>> 0));
    let kind: IqBurstKind;
    let bits: number[];
    if (tx.pattern === 'bcch') {
      const fn51 = fn % 51;
      if (timeslot === 0 && (FCCH_FRAMES_51 as readonly number[]).includes(fn51)) {
        kind = 'fcch';
        bits = new Array<number>(NORMAL_BITS).fill(0);
      } else if (timeslot === 0 && (SCH_FRAMES_51 as readonly number[]).includes(fn51)) {
        kind = 'sch';
        bits = schBurstBits({ bsic: tx.bsic ?? 0, fn });
      } else {
        kind = 'normal';
        bits = randomBits(r, NORMAL_BITS, 3);
      }
    } else {
      if (!(tx.slots ?? []).includes(timeslot)) return null;
      if (tx.duty !== undefined && r.next() >= tx.duty) return null;
      kind = tx.burst ?? 'normal';
      bits = kind === 'access' ? randomBits(r, ACCESS_BITS, 3) : randomBits(r, NORMAL_BITS, 3);
    }
    const powerDbfs = tx.power_dbfs + (tx.power_jitter_db ? r.normal(0, tx.power_jitter_db) : 0);
    const freq = tx.freq_hz + (tx.freq_error_hz ?? 0);
    return {
      start_sample: startSample,
      bits,
      amplitude: Math.sqrt(10 ** (powerDbfs / 10)),
      offset_hz: freq - this.scene.center_freq_hz,
      phase_rad: 2 * Math.PI * r.next(),
      truth: {
        tx: tx.id,
        link: tx.link,
        kind,
        fn,
        timeslot,
        freq_hz: tx.freq_hz,
        start_sample: startSample,
        end_sample: startSample + bits.length * this.sps.symbol,
        power_dbfs: powerDbfs,
      },
    };
  }
}
