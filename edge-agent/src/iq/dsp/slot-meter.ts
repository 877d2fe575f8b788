/**
 * Puts bursts into TDMA timeslots and sums them into per-ARFCN occupancy reports.
 *
 * Timeslot of a burst: with the cell's TDMA clock (FCCH/SCH), the slot whose expected burst centre
 * (74 symbols in for a normal burst, 44 for an access burst) is nearest the burst's centre — on the
 * uplink the grid is 3 slots later and a handset's timing advance moves its bursts up to 0.4 slot
 * earlier, still nearest its own slot. Without a clock (an uplink with no downlink in view), the grid
 * is fitted to the bursts themselves: the circular mean of burst start times modulo one timeslot,
 * giving consistent but relative slot numbers.
 *
 * The report per interval: per-slot busy share and median power, busy slots per TDMA frame (mean, max,
 * histogram), a per-burst power histogram, the spread of per-slot powers and the IQR of burst powers.
 * It must not detect bursts or decide what a den is (detectors do, from these reports).
 */
import type { Link } from '../gsm-bands.js';
import type { SlotAlignment, SlotOccupancyEvent, SlotOccupancySlot } from '../events.js';
import type { BurstKind } from './burst-detector.js';
import { ACCESS_BURST_SYMBOLS, NORMAL_BURST_SYMBOLS, SLOTS_PER_FRAME, SYMBOLS_PER_SLOT, samplesPerSymbol } from './gsm-timing.js';
import type { TdmaClock } from './tdma-clock.js';

export interface SlotAssignment {
  alignment: SlotAlignment;
  /** Frames counted from the clock's anchor (or from sample 0 for a self-fitted grid). */
  frame_count: number | null;
  timeslot: number | null;
  fn: number | null;
}

/** Fraction of a slot from its start to the middle of a burst of this kind. */
function centreFraction(kind: BurstKind): number {
  return (kind === 'access' ? ACCESS_BURST_SYMBOLS : NORMAL_BURST_SYMBOLS) / 2 / SYMBOLS_PER_SLOT;
}

/** Slot grid fitted to a channel's own bursts (relative numbering). */
export class SelfAlignedGrid {
  private re = 0;
  private im = 0;
  private count = 0;
  private readonly slotSamples: number;
  private readonly decay: number;

  constructor(sampleRateHz: number, private readonly minBursts = 8, memoryBursts = 2_000) {
    this.slotSamples = samplesPerSymbol(sampleRateHz) * SYMBOLS_PER_SLOT;
    this.decay = 1 - 1 / memoryBursts;
  }

  /** Learn from a burst's start (only bursts that began a run: cut pieces repeat their run's phase). */
  observe(startSample: number): void {
    const phase = (2 * Math.PI * (startSample % this.slotSamples)) / this.slotSamples;
    this.re = this.re * this.decay + Math.cos(phase);
    this.im = this.im * this.decay + Math.sin(phase);
    this.count++;
  }

  /** Sample offset of slot boundaries (0 … slot length), or null while too few bursts were seen. */
  get offset(): number | null {
    if (this.count < this.minBursts || Math.hypot(this.re, this.im) === 0) return null;
    const phase = Math.atan2(this.im, this.re);
    return (((phase / (2 * Math.PI)) * this.slotSamples) % this.slotSamples + this.slotSamples) % this.slotSamples;
  }

  assign(centreSample: number, kind: BurstKind): SlotAssignment {
    const offset = this.offset;
    if (offset === null) return { alignment: 'none', frame_count: null, timeslot: null, fn: null };
    const k = Math.round((centreSample - offset) / this.slotSamples - centreFraction(kind));
    const frame = Math.floor(k / SLOTS_PER_FRAME);
    return { alignment: 'bursts', frame_count: frame, timeslot: k - frame * SLOTS_PER_FRAME, fn: null };
  }

  reset(): void {
    this.re = this.im = 0;
    this.count = 0;
  }
}

/** Timeslot of a burst on a clock's grid. */
export function assignWithClock(clock: TdmaClock, centreSample: number, kind: BurstKind, link: Link): SlotAssignment | null {
  const slotSamples = clock.samplesPerFrame / SLOTS_PER_FRAME;
  // Position of the nearest slot whose burst centre would be here.
  const pos = clock.position(centreSample - (centreFraction(kind) - 0.5) * slotSamples, link);
  if (pos === null) return null;
  // `position` floors; the burst centre sits near the slot middle, so floor = nearest centre.
  return { alignment: 'fcch', frame_count: pos.frame_count, timeslot: pos.timeslot, fn: pos.fn };
}

const HIST_STEP_DB = 2;
const HIST_MAX_BINS = 64;

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** One ARFCN's bursts over one report interval. */
export class SlotOccupancyAccumulator {
  private readonly framesBySlot: Array<Set<number>> = Array.from({ length: SLOTS_PER_FRAME }, () => new Set<number>());
  private readonly rssiBySlot: number[][] = Array.from({ length: SLOTS_PER_FRAME }, () => []);
  private readonly masks = new Map<number, number>();
  private readonly all: number[] = [];
  private alignment: SlotAlignment = 'none';
  private bursts = 0;

  constructor(readonly arfcn: number, readonly link: Link) {}

  add(assignment: SlotAssignment, rssiDbm: number): void {
    this.bursts++;
    this.all.push(rssiDbm);
    if (assignment.timeslot === null || assignment.frame_count === null) return;
    // The best alignment seen in the interval names it.
    if (assignment.alignment === 'fcch' || this.alignment === 'none') this.alignment = assignment.alignment;
    const ts = assignment.timeslot;
    const frame = assignment.frame_count;
    if (!this.framesBySlot[ts]!.has(frame)) {
      this.framesBySlot[ts]!.add(frame);
      this.rssiBySlot[ts]!.push(rssiDbm);
      this.masks.set(frame, (this.masks.get(frame) ?? 0) | (1 << ts));
    }
  }

  get burstCount(): number {
    return this.bursts;
  }

  /** The interval's report (`frameCount` = TDMA frames in the interval), or null without bursts. */
  report(tsMs: number, windowS: number, frameCount: number, bsic: number | null): SlotOccupancyEvent | null {
    if (this.bursts === 0) return null;
    const frames = Math.max(1, Math.round(frameCount));
    const slots: SlotOccupancySlot[] = this.framesBySlot.map((set, timeslot) => {
      const rssi = [...this.rssiBySlot[timeslot]!].sort((a, b) => a - b);
      const slot: SlotOccupancySlot = { timeslot, busy_share: Math.min(1, set.size / frames), burst_count: set.size };
      if (rssi.length > 0) slot.rssi_dbm = round(median(rssi), 2);
      return slot;
    });
    const histogram = new Array<number>(SLOTS_PER_FRAME + 1).fill(0);
    let sum = 0;
    let max = 0;
    for (const mask of this.masks.values()) {
      let n = 0;
      for (let m = mask; m !== 0; m &= m - 1) n++;
      histogram[n]!++;
      sum += n;
      max = Math.max(max, n);
    }
    histogram[0] = Math.max(0, frames - this.masks.size);
    const sorted = [...this.all].sort((a, b) => a - b);
    const start = Math.floor(sorted[0]! / HIST_STEP_DB) * HIST_STEP_DB;
    const counts = new Array<number>(Math.min(HIST_MAX_BINS, Math.floor((sorted[sorted.length - 1]! - start) / HIST_STEP_DB) + 1)).fill(0);
    for (const v of sorted) counts[Math.min(counts.length - 1, Math.floor((v - start) / HIST_STEP_DB))]!++;
    const event: SlotOccupancyEvent = {
      type: 'slot_occupancy',
      ts_ms: tsMs,
      window_s: windowS,
      arfcn: this.arfcn,
      link: this.link,
      alignment: this.alignment,
      frame_count: frames,
      burst_count: this.bursts,
      slots,
      concurrent_slots_mean: round(sum / Math.max(frames, this.masks.size), 3),
      concurrent_slots_max: max,
      concurrent_slots_histogram: histogram,
      rssi_hist_start_dbm: start,
      rssi_hist_step_db: HIST_STEP_DB,
      rssi_hist_counts: counts,
      rssi_iqr_db: round(quantile(sorted, 0.75) - quantile(sorted, 0.25), 2),
    };
    const busy = slots.filter((s) => s.busy_share >= 0.05 && s.rssi_dbm !== undefined).map((s) => s.rssi_dbm!);
    if (busy.length > 0) {
      const mean = busy.reduce((a, b) => a + b, 0) / busy.length;
      event.rssi_spread_db = round(Math.sqrt(busy.reduce((a, b) => a + (b - mean) ** 2, 0) / busy.length), 2);
    }
    if (bsic !== null) event.bsic = bsic;
    return event;
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
