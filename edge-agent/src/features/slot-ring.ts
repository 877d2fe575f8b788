/**
 * Rolling counts of one place on the air — a (cell, TA) slot, or a whole cell — by traffic class:
 * 10-second bins over the last hour with running sums over the detection horizons (1, 5, 15, 60 min),
 * and hourly bins over the last week for the slow signals (persistence, diurnal shape).
 *
 * Time is the events' own clock (capture time in a replay, receive time live), kept as absolute bin
 * indices. Every update is O(classes), so the cost per event does not grow with the horizons; rolling
 * forward over a quiet gap costs at most one pass over the ring. Memory per ring is fixed (≈ 30 kB).
 *
 * Must not interpret counts (detectors do) and must not keep identities.
 */
import { TRAFFIC_CLASS_COUNT } from './traffic-class.js';

export const BIN_MS = 10_000;
/** Detection horizons in 10-s bins: 1, 5, 15 and 60 minutes. */
export const HORIZON_BINS = [6, 30, 90, 360] as const;
export const HORIZON_COUNT = HORIZON_BINS.length;
const RING_BINS = 360;
export const HOUR_MS = 3_600_000;
/** Hourly history: one week. */
export const HOURLY_BINS = 168;

const NC = TRAFFIC_CLASS_COUNT;

export function binOf(ts_ms: number): number {
  return Math.floor(ts_ms / BIN_MS);
}

export function hourOf(ts_ms: number): number {
  return Math.floor(ts_ms / HOUR_MS);
}

export class SlotRing {
  private readonly bins = new Uint16Array(RING_BINS * NC);
  /** Running sums: sums[h * NC + c] = Σ class c over the last HORIZON_BINS[h] bins (current bin included). */
  private readonly sums = new Float64Array(HORIZON_COUNT * NC);
  private readonly hourly = new Float32Array(HOURLY_BINS * NC);
  /** Absolute index of the newest bin the ring holds. */
  lastBin: number;
  lastHour: number;
  /** First and last event times seen on this ring. */
  readonly first_ts_ms: number;
  last_ts_ms: number;
  /** Events ever added (all classes). */
  total = 0;
  /** Time of the latest originating access here (for close pairs; the tracker keeps it). */
  last_orig_ts_ms = -Infinity;

  constructor(ts_ms: number) {
    this.lastBin = binOf(ts_ms);
    this.lastHour = hourOf(ts_ms);
    this.first_ts_ms = ts_ms;
    this.last_ts_ms = ts_ms;
  }

  /** Count one event of class `cls` at `ts_ms` (late events within the ring are placed in their bin). */
  add(ts_ms: number, cls: number, n = 1): void {
    const bin = binOf(ts_ms);
    if (bin > this.lastBin) this.advance(ts_ms);
    const age = this.lastBin - bin;
    if (age >= RING_BINS) return; // older than the ring: nothing to add it to
    const slot = ((bin % RING_BINS) + RING_BINS) % RING_BINS;
    const i = slot * NC + cls;
    if (this.bins[i]! < 0xffff) this.bins[i]! += n;
    for (let h = 0; h < HORIZON_COUNT; h++) if (age < HORIZON_BINS[h]!) this.sums[h * NC + cls]! += n;
    const hour = hourOf(ts_ms);
    if (this.lastHour - hour < HOURLY_BINS) this.hourly[(((hour % HOURLY_BINS) + HOURLY_BINS) % HOURLY_BINS) * NC + cls]! += n;
    this.total += n;
    if (ts_ms > this.last_ts_ms) this.last_ts_ms = ts_ms;
  }

  /** Roll the ring forward so that its newest bin contains `ts_ms`. */
  advance(ts_ms: number): void {
    const bin = binOf(ts_ms);
    const steps = bin - this.lastBin;
    if (steps > 0) {
      if (steps >= RING_BINS) {
        this.bins.fill(0);
        this.sums.fill(0);
      } else {
        for (let b = this.lastBin + 1; b <= bin; b++) {
          // Bins leaving each horizon as `b` enters.
          for (let h = 0; h < HORIZON_COUNT; h++) {
            const leaving = b - HORIZON_BINS[h]!;
            const base = (((leaving % RING_BINS) + RING_BINS) % RING_BINS) * NC;
            for (let c = 0; c < NC; c++) this.sums[h * NC + c]! -= this.bins[base + c]!;
          }
          const base = (b % RING_BINS) * NC;
          for (let c = 0; c < NC; c++) this.bins[base + c] = 0;
        }
      }
      this.lastBin = bin;
    }
    const hour = hourOf(ts_ms);
    const hsteps = hour - this.lastHour;
    if (hsteps > 0) {
      if (hsteps >= HOURLY_BINS) this.hourly.fill(0);
      else for (let h = this.lastHour + 1; h <= hour; h++) this.hourly.fill(0, (h % HOURLY_BINS) * NC, (h % HOURLY_BINS) * NC + NC);
      this.lastHour = hour;
    }
  }

  /** Σ of class `cls` over horizon index `h` (see HORIZON_BINS). */
  sum(h: number, cls: number): number {
    return this.sums[h * NC + cls]!;
  }

  /** All class sums over horizon `h`, copied into `out`. */
  sumsInto(h: number, out: Float64Array): Float64Array {
    for (let c = 0; c < NC; c++) out[c] = this.sums[h * NC + c]!;
    return out;
  }

  /** Add this ring's sums over horizon `h` into `out`. */
  addSumsInto(h: number, out: Float64Array): void {
    for (let c = 0; c < NC; c++) out[c]! += this.sums[h * NC + c]!;
  }

  /**
   * Counts of the given classes per group of `binsPerGroup` 10-s bins, oldest first, over the last
   * `groups` groups (the current, partly filled bin is excluded so every group is complete).
   */
  series(classes: readonly number[], binsPerGroup: number, groups: number, out?: Float64Array): Float64Array {
    const series = out ?? new Float64Array(groups);
    series.fill(0);
    const newestComplete = this.lastBin - 1;
    for (let g = 0; g < groups; g++) {
      let n = 0;
      for (let k = 0; k < binsPerGroup; k++) {
        const b = newestComplete - (groups - 1 - g) * binsPerGroup - (binsPerGroup - 1 - k);
        if (this.lastBin - b >= RING_BINS) continue;
        const base = (((b % RING_BINS) + RING_BINS) % RING_BINS) * NC;
        for (const c of classes) n += this.bins[base + c]!;
      }
      series[g] = n;
    }
    return series;
  }

  /** Σ of the given classes over the last `hours` complete hours plus the current one. */
  hourlySum(classes: readonly number[], hours: number): number {
    let n = 0;
    const span = Math.min(hours, HOURLY_BINS - 1);
    for (let h = this.lastHour - span; h <= this.lastHour; h++) {
      const base = (((h % HOURLY_BINS) + HOURLY_BINS) % HOURLY_BINS) * NC;
      for (const c of classes) n += this.hourly[base + c]!;
    }
    return n;
  }

  /** Counts of the given classes per hour, oldest first, for the last `hours` complete hours. */
  hourlySeries(classes: readonly number[], hours: number): Float64Array {
    const span = Math.min(hours, HOURLY_BINS - 1);
    const out = new Float64Array(span);
    for (let i = 0; i < span; i++) {
      const h = this.lastHour - span + i;
      const base = (((h % HOURLY_BINS) + HOURLY_BINS) % HOURLY_BINS) * NC;
      let n = 0;
      for (const c of classes) n += this.hourly[base + c]!;
      out[i] = n;
    }
    return out;
  }
}
