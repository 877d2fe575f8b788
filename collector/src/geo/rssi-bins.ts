/**
 * Turns uplink-burst measurements of one den into regression bins for the RSSI likelihood. Bursts
 * measured at one spot share that spot's shadowing, so averaging a thousand of them does not make the
 * spot's level more trustworthy than its shadowing sigma: a fixed probe is one bin; a moving probe's
 * bursts are binned on a square grid of about the shadowing's decorrelation distance. A bin's variance is
 * shadowing² + fast-fading²/bursts.
 *
 * A bin's level is the local mean power, corrected for the receiver's sensitivity: far from the den only
 * the bursts that faded up are heard, which would make the den look nearer. Rayleigh-faded power is
 * exponential, and an exponential cut below a threshold T is T plus the same exponential (memoryless), so
 * the mean power of the heard bursts minus T estimates the local mean. T is the weakest burst the probe
 * has heard (≈ its sensitivity where it was cut; negligible where it was not). The correction is capped
 * at 10 dB.
 *
 * Incremental: adding bursts changes only their bins, and `changedSince` says which, so the grid can
 * update cell sums bin by bin instead of recomputing every bin at every cell.
 * Input positions are already in the local plane (metres). No I/O.
 */
import type { RssiBin } from './uplink-rssi.js';

export interface BurstSample {
  x: number;
  y: number;
  rssi_dbm: number;
  probe: string;
  /** True when the probe moves (GPS position per burst); false for a fixed probe. */
  moving: boolean;
}

export interface BinningModel {
  /** Spatial bin of a moving probe, metres (≈ shadowing decorrelation distance). */
  bin_m: number;
  /** Shadowing sigma, dB (urban: 6–8). */
  shadowing_sigma_db: number;
  /** Spread of single bursts around the local mean (Rayleigh fading in dB ≈ 5.6), dB. */
  fading_sigma_db: number;
}

export const BINNING_DEFAULTS: BinningModel = { bin_m: 25, shadowing_sigma_db: 6, fading_sigma_db: 5.6 };

/** A bin as the grid sums see it: position, weight w = 1/var and w·r. */
export interface BinState {
  key: string;
  x: number;
  y: number;
  w: number;
  wr: number;
}

interface Acc {
  key: string;
  sx: number;
  sy: number;
  /** Σ burst power, mW. */
  sp: number;
  n: number;
  probe: string;
  version: number;
}

const MAX_CORRECTION = 0.1;
const toMw = (dbm: number) => 10 ** (dbm / 10);

export class RssiBinner {
  private readonly accs = new Map<string, Acc>();
  /** Weakest burst per probe, mW (the truncation threshold). */
  private readonly floor = new Map<string, number>();
  private version = 0;

  constructor(readonly model: BinningModel = BINNING_DEFAULTS) {}

  /** The current version (bumped by every add). */
  get currentVersion(): number {
    return this.version;
  }

  add(samples: readonly BurstSample[]): void {
    if (samples.length === 0) return;
    this.version++;
    const m = this.model;
    const lowered = new Set<string>();
    for (const s of samples) {
      const key = s.moving ? `${s.probe}|${Math.floor(s.x / m.bin_m)}|${Math.floor(s.y / m.bin_m)}` : `${s.probe}|fixed`;
      let a = this.accs.get(key);
      if (a === undefined) this.accs.set(key, (a = { key, sx: 0, sy: 0, sp: 0, n: 0, probe: s.probe, version: 0 }));
      const mw = toMw(s.rssi_dbm);
      a.sx += s.x;
      a.sy += s.y;
      a.sp += mw;
      a.n++;
      a.version = this.version;
      const f = this.floor.get(s.probe);
      // A lower threshold changes every bin of that probe (only when it moves by more than ~0.5 dB).
      if (f === undefined || mw < f * 0.89) lowered.add(s.probe);
      if (f === undefined || mw < f) this.floor.set(s.probe, mw);
    }
    if (lowered.size > 0) for (const a of this.accs.values()) if (lowered.has(a.probe)) a.version = this.version;
  }

  /** The bin's sensitivity-corrected local mean level, dBm. */
  private level(a: Acc): number {
    const mean = a.sp / a.n;
    const t = this.floor.get(a.probe) ?? 0;
    return 10 * Math.log10(Math.max(mean - t, MAX_CORRECTION * mean));
  }

  clear(): void {
    this.accs.clear();
    this.floor.clear();
    this.version++;
  }

  get size(): number {
    return this.accs.size;
  }

  private variance(n: number): number {
    return this.model.shadowing_sigma_db ** 2 + this.model.fading_sigma_db ** 2 / n;
  }

  bins(): RssiBin[] {
    return [...this.accs.values()].map((a) => ({ x: a.sx / a.n, y: a.sy / a.n, rssi_dbm: this.level(a), var_db2: this.variance(a.n), bursts: a.n, probe: a.probe }));
  }

  state(a: Acc): BinState {
    const w = 1 / this.variance(a.n);
    return { key: a.key, x: a.sx / a.n, y: a.sy / a.n, w, wr: w * this.level(a) };
  }

  /** Current state of every bin changed after `version`. */
  changedSince(version: number): BinState[] {
    const out: BinState[] = [];
    for (const a of this.accs.values()) if (a.version > version) out.push(this.state(a));
    return out;
  }

  allStates(): BinState[] {
    return [...this.accs.values()].map((a) => this.state(a));
  }
}

/** One-shot binning (tests, evaluation). */
export function binBursts(samples: readonly BurstSample[], model: BinningModel = BINNING_DEFAULTS): RssiBin[] {
  const b = new RssiBinner(model);
  b.add(samples);
  return b.bins();
}
