/**
 * A cell's TDMA clock in sample-index units: where each frame and timeslot starts in the sample
 * stream, and — once an SCH was decoded — which frame number it is. Set from FCCH bursts (always on
 * TS0 of the BCCH carrier, frames 0/10/20/30/40 of the 51-multiframe) and SCH bursts (frame number);
 * the frame length in samples is fitted to successive FCCH/SCH positions, so a receiver clock that is a
 * few ppm off does not drift the slots. Sample indices continue across retunes, so the clock set on a
 * downlink carrier times the uplink too (uplink frames start 3 timeslots later, TS 45.010 §6.6).
 *
 * It must not detect bursts; it only keeps time.
 */
import { HYPERFRAME, SLOTS_PER_FRAME, UPLINK_DELAY_SLOTS, isFcchFrame, samplesPerFrame } from './gsm-timing.js';

export interface TdmaPosition {
  /** Frames since the clock's anchor (negative before it). */
  frame_count: number;
  /** GSM frame number when the SCH was decoded, else null. */
  fn: number | null;
  timeslot: number;
  /** Position inside the timeslot, 0…1. */
  slot_fraction: number;
}

export type ClockEvent = 'anchored' | 'consistent' | 'resynced' | 'fn_set' | 'fn_mismatch';

const MAX_FITS = 16;
/** Fit the frame length only over observations this many frames apart (two bursts one frame apart would amplify their timing error). */
const MIN_FIT_SPAN_FRAMES = 20;

export class TdmaClock {
  private anchorSample: number | null = null;
  /** FN of the anchor frame, when known. */
  private anchorFn: number | null = null;
  private spf: number;
  private readonly nominalSpf: number;
  private readonly fits: Array<{ frames: number; sample: number }> = [];
  bsic: number | null = null;
  /** Counters by event, for status. */
  readonly events: Record<ClockEvent, number> = { anchored: 0, consistent: 0, resynced: 0, fn_set: 0, fn_mismatch: 0 };

  constructor(readonly sampleRateHz: number) {
    this.nominalSpf = samplesPerFrame(sampleRateHz);
    this.spf = this.nominalSpf;
  }

  get synced(): boolean {
    return this.anchorSample !== null;
  }

  get fnKnown(): boolean {
    return this.anchorFn !== null;
  }

  /** Samples per TDMA frame as fitted (nominal until two bursts were seen). */
  get samplesPerFrame(): number {
    return this.spf;
  }

  /** Parts per million by which the receiver's sample clock differs from the cell's (fitted). */
  get clockErrorPpm(): number {
    return (this.spf / this.nominalSpf - 1) * 1e6;
  }

  /** An FCCH burst started at `startSample` (TS0 of an FCCH frame). */
  observeFcch(startSample: number): ClockEvent {
    if (this.anchorSample === null) return this.anchor(startSample, null);
    const frames = Math.round((startSample - this.anchorSample) / this.spf);
    const residual = startSample - (this.anchorSample + frames * this.spf);
    // More than a quarter slot off: the stream jumped (dropped samples) or a false FCCH; start over.
    if (Math.abs(residual) > this.spf / SLOTS_PER_FRAME / 4) return this.anchor(startSample, null, 'resynced');
    if (this.anchorFn !== null && !isFcchFrame(this.anchorFn + frames)) {
      this.events.fn_mismatch++;
      return 'fn_mismatch';
    }
    this.fit(frames, startSample);
    this.events.consistent++;
    return 'consistent';
  }

  /** An SCH burst of frame `fn` started at `startSample`. */
  observeSch(startSample: number, fn: number, bsic: number): ClockEvent {
    this.bsic = bsic;
    if (this.anchorSample !== null && this.anchorFn !== null) {
      const frames = Math.round((startSample - this.anchorSample) / this.spf);
      if ((this.anchorFn + frames) % HYPERFRAME === fn && Math.abs(startSample - (this.anchorSample + frames * this.spf)) < this.spf / SLOTS_PER_FRAME / 4) {
        this.fit(frames, startSample);
        this.events.consistent++;
        return 'consistent';
      }
      this.events.fn_mismatch++;
    }
    if (this.anchorSample !== null && this.anchorFn === null) {
      // Keep the fitted history; give the anchor its frame number.
      const frames = Math.round((startSample - this.anchorSample) / this.spf);
      if (Math.abs(startSample - (this.anchorSample + frames * this.spf)) < this.spf / SLOTS_PER_FRAME / 4) {
        this.anchorFn = (((fn - frames) % HYPERFRAME) + HYPERFRAME) % HYPERFRAME;
        this.fit(frames, startSample);
        this.events.fn_set++;
        return 'fn_set';
      }
    }
    this.anchor(startSample, fn);
    this.events.fn_set++;
    return 'fn_set';
  }

  /** Where `sample` falls: downlink timeslots, or uplink ones (3 slots later). Null before sync. */
  position(sample: number, link: 'downlink' | 'uplink'): TdmaPosition | null {
    if (this.anchorSample === null) return null;
    const slot = this.spf / SLOTS_PER_FRAME;
    const shifted = sample - this.anchorSample - (link === 'uplink' ? UPLINK_DELAY_SLOTS * slot : 0);
    const slots = shifted / slot;
    const whole = Math.floor(slots);
    const frameCount = Math.floor(whole / SLOTS_PER_FRAME);
    const timeslot = whole - frameCount * SLOTS_PER_FRAME;
    return {
      frame_count: frameCount,
      fn: this.anchorFn === null ? null : (((this.anchorFn + frameCount) % HYPERFRAME) + HYPERFRAME) % HYPERFRAME,
      timeslot,
      slot_fraction: slots - whole,
    };
  }

  /** Sample index where timeslot `timeslot` of frame `frameCount` (from the anchor) starts. */
  slotStart(frameCount: number, timeslot: number, link: 'downlink' | 'uplink'): number | null {
    if (this.anchorSample === null) return null;
    const slot = this.spf / SLOTS_PER_FRAME;
    return this.anchorSample + frameCount * this.spf + (timeslot + (link === 'uplink' ? UPLINK_DELAY_SLOTS : 0)) * slot;
  }

  reset(): void {
    this.anchorSample = null;
    this.anchorFn = null;
    this.spf = this.nominalSpf;
    this.fits.length = 0;
    this.bsic = null;
  }

  private anchor(sample: number, fn: number | null, event: ClockEvent = 'anchored'): ClockEvent {
    this.anchorSample = sample;
    this.anchorFn = fn;
    this.spf = this.nominalSpf;
    this.fits.length = 0;
    this.fits.push({ frames: 0, sample });
    this.events[event]++;
    return event;
  }

  /** Least-squares fit of sample = anchor + frames·spf over recent observations. */
  private fit(frames: number, sample: number): void {
    this.fits.push({ frames, sample });
    if (this.fits.length > MAX_FITS) this.fits.shift();
    const n = this.fits.length;
    if (n < 2) return;
    const span = Math.max(...this.fits.map((f) => f.frames)) - Math.min(...this.fits.map((f) => f.frames));
    if (span < MIN_FIT_SPAN_FRAMES) return;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (const f of this.fits) {
      sx += f.frames;
      sy += f.sample;
      sxx += f.frames * f.frames;
      sxy += f.frames * f.sample;
    }
    const den = n * sxx - sx * sx;
    if (den <= 0) return;
    const slope = (n * sxy - sx * sy) / den;
    // Accept only plausible clocks (±200 ppm); otherwise keep the nominal length.
    if (Math.abs(slope / this.nominalSpf - 1) > 200e-6) return;
    const intercept = (sy - slope * sx) / n;
    this.spf = slope;
    // Re-anchor on the fitted line so frame counts stay as they were.
    this.anchorSample = intercept;
  }
}
