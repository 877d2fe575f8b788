/**
 * The SDR analysis pipeline: raw IQ bytes in (from a file or rtl_tcp), events out.
 *
 *   bytes → [sample history] → framer → channelizer (fft.js) ─┬→ noise floor
 *                                                             ├→ channel power per report interval
 *                                                             ├→ burst detector → slot meter → slot occupancy, uplink bursts
 *                                                             └→ coarse FCCH → refine (history) → TDMA clock → SCH decode
 *
 * Sample indices are absolute over the whole stream and survive retunes, so a TDMA clock set on a
 * downlink carrier keeps timing the uplink after the receiver moves there. A retune rebuilds the
 * channel plan and drops the samples of the settling time. Event times are the stream's own clock:
 * `start_ts_ms` + sample index / rate.
 *
 * It must not read files or sockets (sources do), print, or publish (observations.ts maps events to
 * the contract; the agent publishes).
 */
import { fail, ok, type Result } from '@simhound/protocol';
import { channelsInView, type ChannelInView, type GsmBand, type Link, CHANNEL_SPACING_HZ } from './gsm-bands.js';
import { BYTES_PER_SAMPLE, type IqFormat } from './sample-format.js';
import type { BandScanChannel, BandScanEvent, ChannelPowerEvent, IqEvent } from './events.js';
import { BurstDetector, type DetectedBurst } from './dsp/burst-detector.js';
import { Channelizer, defaultFftSize, isPowerOfTwo, type FftArrayType } from './dsp/channelizer.js';
import { fftSizeProblem, type FftBackend } from './dsp/fft-engine.js';
import { CoarseFcchDetector, refineFcch, type FcchCandidate } from './dsp/fcch.js';
import { SYMBOL_RATE_HZ, FRAME_S, samplesPerFrame } from './dsp/gsm-timing.js';
import { IqFramer } from './dsp/iq-framer.js';
import { NoiseFloorEstimator } from './dsp/noise-floor.js';
import { SampleHistory } from './dsp/sample-history.js';
import { decodeSch } from './dsp/sch-decoder.js';
import { SelfAlignedGrid, SlotOccupancyAccumulator, assignWithClock, type SlotAssignment } from './dsp/slot-meter.js';
import { TdmaClock } from './dsp/tdma-clock.js';
import type { WindowKind } from './dsp/window.js';

export interface IqPipelineOptions {
  format: IqFormat;
  sample_rate_hz: number;
  center_freq_hz: number;
  band: GsmBand;
  /** dBm = dBFS + calibration_db (per device and gain setting; see docs/sdr.md). */
  calibration_db?: number;
  /** Unix ms of sample 0. */
  start_ts_ms?: number;
  /** FFT size (power of two); default: bins ≤ 40 kHz. */
  fft_size?: number;
  hop?: number;
  window?: WindowKind;
  fft_array?: FftArrayType;
  /** 'fft.js' (default) or 'pffft-wasm' (await prepareFftBackend('pffft-wasm') before create()). */
  fft_backend?: FftBackend;
  dc_tau_s?: number | null;
  iq_correction?: boolean;
  /** Share of the sample rate the receiver's filter keeps flat (default 0.85). */
  usable_fraction?: number;
  burst_on_db?: number;
  burst_off_db?: number;
  /** A fixed noise floor per channel (dBFS) instead of the estimate. */
  noise_floor_dbfs?: number | null;
  report_interval_s?: number;
  /** Look for FCCH/SCH on downlink channels (default true). */
  fcch?: boolean;
  /** ARFCN whose cell clock times the uplink (default: the first cell synchronised). */
  sync_arfcn?: number | null;
  /** Largest carrier/tuning error accepted for an FCCH (default 30 kHz). */
  max_freq_error_hz?: number;
  /**
   * A GSM carrier leaks about 15–17 dB down into each neighbouring 200 kHz channel (GMSK's skirt plus
   * the window). A channel's frame counts toward bursts only when it is within this many dB of its
   * stronger neighbour (default 12), so a strong burst does not also appear, weaker, next door.
   */
  adjacent_rejection_db?: number;
}

export type IqPipelineError = 'sample_rate_too_low' | 'no_channels_in_view' | 'bad_fft_size';

/** Counters, for status and the replay summary. */
export interface IqPipelineStats {
  samples: number;
  frames: number;
  events: number;
  events_by_type: Record<string, number>;
  bursts: number;
  blips: number;
  fcch_candidates: number;
  /** Candidates not refined because the carrier's clock was confirmed recently. */
  fcch_skipped: number;
  fcch_found: number;
  fcch_rejected: number;
  sch_decoded: number;
  sch_failed: Record<string, number>;
  tasks_dropped: number;
  retunes: number;
}

interface ChannelState {
  view: ChannelInView;
  grid: SelfAlignedGrid;
  slots: SlotOccupancyAccumulator;
}

interface Tuning {
  epoch: number;
  center_hz: number;
  /** Absolute index of the channelizer's sample 0. */
  base: number;
  channels: ChannelState[];
  channelizer: Channelizer;
  framer: IqFramer;
  noise: NoiseFloorEstimator;
  bursts: BurstDetector;
  fcch: CoarseFcchDetector | null;
  floors: Float64Array;
  fcchMin: Float64Array;
  onFactor: number;
  /** Per-channel interval statistics (typed arrays: touched every frame). */
  powerSum: Float64Array;
  peak: Float64Array;
  busyFrames: Int32Array;
  /** Frames in the interval, and those judged against a known noise floor (busy-share denominator). */
  frames: number;
  floorFrames: number;
  /** Index of the neighbouring channel 200 kHz below/above on the same link, or −1. */
  lower: Int32Array;
  upper: Int32Array;
  /** Power with adjacent-channel leakage masked (the burst detector's input). */
  detect: Float64Array;
  /** This frame's power with leakage from a stronger neighbour zeroed (the FCCH detector's input). */
  fcchPower: Float64Array;
  leakFactor: number;
  /** Callbacks bound once per tuning (no closure per frame). */
  onBurst: (b: DetectedBurst) => void;
  onCandidate: (c: FcchCandidate) => void;
  /** The last three frames' powers (ring), to mask leakage one frame late with both neighbours in time. */
  recent: Float64Array[];
  recentFirst: number[];
  recentCount: number;
}

interface PendingTask {
  epoch: number;
  needEnd: number;
  run: () => void;
}

interface ScanEntry {
  arfcn: number;
  freq_hz: number;
  link: Link;
  powerSum: number;
  frames: number;
  peak: number;
  busyFrames: number;
  floorFrames: number;
}

/** After this many SCH decodes on a carrier, decode one only every SCH_RECHECK_S (the FCCH keeps the clock). */
const SCH_CONFIRMATIONS = 5;
const SCH_RECHECK_S = 2;
/** Once a carrier's clock is confirmed by SCH_CONFIRMATIONS SCH decodes, refine one FCCH only every FCCH_RECHECK_S. */
const FCCH_RECHECK_S = 1;

const dbOf = (linear: number) => 10 * Math.log10(Math.max(linear, 1e-30));
const round2 = (v: number) => Math.round(v * 100) / 100;

export class IqPipeline {
  readonly options: IqPipelineOptions;
  private readonly calibration: number;
  private timeBaseTs: number;
  private timeBaseSample = 0;
  private readonly history: SampleHistory | null;
  private readonly pieceBytes: number;
  private readonly estimateFloor: boolean;
  private tuning!: Tuning;
  private epoch = 0;
  /** Bytes received since the start (absolute stream position). */
  private bytesIn = 0;
  private readonly clocks = new Map<number, TdmaClock>();
  private readonly freqOffsets = new Map<number, number>();
  private readonly lastSch = new Map<number, number>();
  private readonly lastRefine = new Map<number, number>();
  private readonly schCount = new Map<number, number>();
  private primaryArfcn: number | null = null;
  private readonly pending: PendingTask[] = [];
  private reportStart = 0;
  private nextReport = 0;
  private readonly reportSamples: number;
  private readonly scan = new Map<string, ScanEntry>();
  private scanStart: number | null = null;
  private lastFloor: number | null = null;
  private readonly counters: IqPipelineStats = {
    samples: 0, frames: 0, events: 0, events_by_type: {}, bursts: 0, blips: 0, fcch_candidates: 0, fcch_skipped: 0, fcch_found: 0,
    fcch_rejected: 0, sch_decoded: 0, sch_failed: {}, tasks_dropped: 0, retunes: 0,
  };

  private constructor(options: IqPipelineOptions, private readonly emit: (e: IqEvent) => void) {
    this.options = options;
    this.calibration = options.calibration_db ?? 0;
    this.timeBaseTs = options.start_ts_ms ?? 0;
    this.estimateFloor = options.noise_floor_dbfs === undefined || options.noise_floor_dbfs === null;
    this.reportSamples = Math.max(1, Math.round((options.report_interval_s ?? 5) * options.sample_rate_hz));
    // Enough raw history for an FCCH, the SCH one frame later, and margins.
    const historySamples = Math.ceil(4 * samplesPerFrame(options.sample_rate_hz)) + 4096;
    this.history = options.fcch === false ? null : new SampleHistory(options.format, historySamples);
    this.pieceBytes = this.history === null ? Number.MAX_SAFE_INTEGER : Math.floor(historySamples / 4) * BYTES_PER_SAMPLE[options.format];
  }

  /** Build a pipeline; a sample rate or centre that leaves no whole GSM channel in view is an error. */
  static create(options: IqPipelineOptions, emit: (e: IqEvent) => void): Result<IqPipeline, IqPipelineError> {
    if (!(options.sample_rate_hz >= CHANNEL_SPACING_HZ * 1.25)) {
      return fail('sample_rate_too_low', `${options.sample_rate_hz} S/s cannot hold one 200 kHz GSM channel (need ≥ 250 kS/s)`);
    }
    if (options.fft_size !== undefined && !isPowerOfTwo(options.fft_size)) return fail('bad_fft_size', `fft_size ${options.fft_size} is not a power of two ≥ 4`);
    const problem = fftSizeProblem(options.fft_backend ?? 'fft.js', options.fft_size ?? defaultFftSize(options.sample_rate_hz));
    if (problem !== null) return fail('bad_fft_size', problem);
    const p = new IqPipeline(options, emit);
    const built = p.buildTuning(options.center_freq_hz, 0);
    if (!built.ok) return built;
    p.tuning = built.value;
    return ok(p);
  }

  get centerFreqHz(): number {
    return this.tuning.center_hz;
  }

  /** Absolute index of the current tuning's first analysed sample (after its settle time). */
  get tuningStartSample(): number {
    return this.tuning.base;
  }

  /** Channels currently in view. */
  get channels(): readonly ChannelInView[] {
    return this.tuning.channels.map((c) => c.view);
  }

  /** Absolute index of the next whole sample to arrive. */
  get sampleIndex(): number {
    return Math.floor(this.bytesIn / BYTES_PER_SAMPLE[this.options.format]);
  }

  private get samplesIn(): number {
    return this.sampleIndex;
  }

  clock(arfcn: number): TdmaClock | undefined {
    return this.clocks.get(arfcn);
  }

  stats(): IqPipelineStats {
    return { ...this.counters, samples: this.samplesIn, frames: this.counters.frames, blips: this.counters.blips + this.tuning.bursts.blips, events_by_type: { ...this.counters.events_by_type }, sch_failed: { ...this.counters.sch_failed } };
  }

  /** Feed raw bytes in stream order. */
  push(chunk: Uint8Array): void {
    // Work in pieces of at most a quarter of the raw history, so an FCCH found in a piece can still
    // be read back (with its SCH one frame later) before newer samples overwrite it.
    const piece = this.pieceBytes;
    for (let at = 0; at < chunk.length; at += piece) this.pushPiece(at === 0 && chunk.length <= piece ? chunk : chunk.subarray(at, at + piece));
  }

  private pushPiece(chunk: Uint8Array): void {
    this.history?.append(chunk);
    const startByte = this.bytesIn;
    this.bytesIn += chunk.length;
    // After a retune, bytes before the tuning's first sample are the receiver settling: dropped.
    const tuningStartByte = this.tuning.base * BYTES_PER_SAMPLE[this.options.format];
    if (this.bytesIn <= tuningStartByte) return;
    const skip = Math.max(0, tuningStartByte - startByte);
    this.tuning.framer.push(skip > 0 ? chunk.subarray(skip) : chunk);
  }

  /**
   * The receiver moved to `centerHz`; the next `settleSamples` samples are still settling and dropped.
   * Reports of the old tuning are closed first; TDMA clocks are kept.
   */
  retune(centerHz: number, settleSamples = 0): Result<void, IqPipelineError> {
    this.closeReports();
    this.runPending(true);
    const bps = BYTES_PER_SAMPLE[this.options.format];
    const built = this.buildTuning(centerHz, Math.ceil(this.bytesIn / bps) + Math.max(0, Math.round(settleSamples)));
    if (!built.ok) return built;
    this.tuning.channelizer.dispose();
    this.tuning = built.value;
    this.counters.retunes++;
    return ok(undefined);
  }

  /** The stream broke (reconnect, dropped samples): clocks and runs no longer line up. */
  discontinuity(): void {
    for (const c of this.clocks.values()) c.reset();
    this.lastSch.clear();
    this.schCount.clear();
    this.lastRefine.clear();
    this.primaryArfcn = null;
    this.tuning.bursts.reset();
    this.tuning.fcch?.reset();
    this.tuning.framer.discardPending();
    for (const ch of this.tuning.channels) ch.grid.reset();
    this.pending.length = 0;
  }

  /** End of stream: run what can still run and close the last (partial) interval. */
  flush(): void {
    this.runPending(true);
    this.closeReports();
  }

  /** Free native memory (the pffft-wasm engine); the pipeline is unusable afterwards. */
  dispose(): void {
    this.tuning.channelizer.dispose();
  }

  /** Emit a band scan over what was seen since the last one (all tunings) and start a new one. */
  emitBandScan(band: GsmBand, link: Link): BandScanEvent {
    // The current tuning's measurements so far belong in this scan.
    this.closeReports();
    const floorDbm = this.lastFloor === null ? null : round2(dbOf(this.lastFloor) + this.calibration);
    const entries = [...this.scan.values()].filter((e) => e.link === link && e.frames > 0).sort((a, b) => a.freq_hz - b.freq_hz);
    const threshold = this.lastFloor === null ? null : this.lastFloor * 10 ** ((this.options.burst_on_db ?? 10) / 10);
    const leak = 10 ** ((this.options.adjacent_rejection_db ?? 12) / 10);
    const meanOf = (e: ScanEntry) => e.powerSum / e.frames;
    const channels: BandScanChannel[] = [];
    entries.forEach((e, i) => {
      const mean = meanOf(e);
      const busy = e.floorFrames > 0 ? e.busyFrames / e.floorFrames : 0;
      // Active: bursts in at least 1 % of frames or a mean clearly above the floor — unless it is on
      // average `adjacent_rejection_db` below a neighbour, i.e. that neighbour's leakage (which also
      // makes short busy runs), and not busy most of the time itself.
      const neighbours = [entries[i - 1], entries[i + 1]].filter((n): n is ScanEntry => n !== undefined && Math.abs(Math.abs(n.freq_hz - e.freq_hz) - CHANNEL_SPACING_HZ) < 1);
      const leakage = neighbours.some((n) => mean * leak < meanOf(n));
      const active = busy >= 0.01 || (threshold !== null && mean > threshold);
      if (!active || (leakage && busy < 0.5)) return;
      channels.push({
        arfcn: e.arfcn, freq_hz: e.freq_hz, rssi_dbm: round2(dbOf(mean) + this.calibration), peak_rssi_dbm: round2(dbOf(e.peak) + this.calibration),
        activity: busy > 0.9 ? 'continuous' : 'bursty', busy_share: round2(busy),
      });
    });
    const now = this.tsOf(this.samplesIn);
    const event: BandScanEvent = {
      type: 'band_scan', ts_ms: now, window_s: round2(((this.samplesIn - (this.scanStart ?? 0)) / this.options.sample_rate_hz)), band, link,
      noise_floor_dbm: floorDbm, scanned_count: entries.length, channels,
    };
    this.scan.clear();
    this.scanStart = this.samplesIn;
    this.send(event);
    return event;
  }

  /** Sample `sample` was received at `tsMs` (live sources re-base after a reconnect: samples were lost). */
  setTimeBase(sample: number, tsMs: number): void {
    this.timeBaseSample = sample;
    this.timeBaseTs = tsMs;
  }

  private tsOf(sample: number): number {
    return Math.round(this.timeBaseTs + ((sample - this.timeBaseSample) / this.options.sample_rate_hz) * 1000);
  }

  private send(e: IqEvent): void {
    this.counters.events++;
    this.counters.events_by_type[e.type] = (this.counters.events_by_type[e.type] ?? 0) + 1;
    this.emit(e);
  }

  private buildTuning(centerHz: number, base: number): Result<Tuning, IqPipelineError> {
    const o = this.options;
    const view = channelsInView(o.band, centerHz, (o.usable_fraction ?? 0.85) * o.sample_rate_hz);
    if (view.length === 0) return fail('no_channels_in_view', `no ${o.band} ARFCN lies wholly within ${centerHz} Hz ± ${((o.usable_fraction ?? 0.85) * o.sample_rate_hz) / 2} Hz`);
    const fftSize = o.fft_size ?? defaultFftSize(o.sample_rate_hz);
    const channels: ChannelState[] = view.map((v) => ({
      view: v,
      grid: new SelfAlignedGrid(o.sample_rate_hz), slots: new SlotOccupancyAccumulator(v.arfcn, v.link),
    }));
    const epoch = ++this.epoch;
    let tuning: Tuning;
    const channelizer = new Channelizer(
      {
        sample_rate_hz: o.sample_rate_hz, fft_size: fftSize, hop: o.hop, window: o.window, fft_array: o.fft_array, fft_backend: o.fft_backend,
        dc_tau_s: o.dc_tau_s, iq_correction: o.iq_correction,
        spectrum_half_width_hz: ((o.usable_fraction ?? 0.85) * o.sample_rate_hz) / 2,
        channels: view.map((v) => ({ offset_hz: v.offset_hz, width_hz: CHANNEL_SPACING_HZ })),
      },
      (_frame, first, power, upper) => this.onFrame(tuning, first, power, upper),
    );
    const spectrum = channelizer.spectrumView();
    const downlink = view.flatMap((v, i) => (v.link === 'downlink' ? [i] : []));
    tuning = {
      epoch, center_hz: centerHz, base, channels, channelizer,
      framer: new IqFramer(o.format, channelizer),
      noise: new NoiseFloorEstimator(spectrum.last - spectrum.first + 1, spectrum.norm * (CHANNEL_SPACING_HZ / spectrum.bin_hz)),
      bursts: new BurstDetector(view.length, o.sample_rate_hz, channelizer.analysisWindow, channelizer.hop, { on_db: o.burst_on_db, off_db: o.burst_off_db }),
      fcch: o.fcch === false || downlink.length === 0 ? null : new CoarseFcchDetector(view.length, downlink, o.sample_rate_hz, fftSize),
      floors: new Float64Array(view.length),
      fcchMin: new Float64Array(view.length),
      onFactor: 10 ** ((o.burst_on_db ?? 10) / 10),
      powerSum: new Float64Array(view.length),
      peak: new Float64Array(view.length),
      busyFrames: new Int32Array(view.length),
      frames: 0,
      floorFrames: 0,
      lower: Int32Array.from(view.map((v, i) => (i > 0 && view[i - 1]!.link === v.link && Math.abs(v.freq_hz - view[i - 1]!.freq_hz - CHANNEL_SPACING_HZ) < 1 ? i - 1 : -1))),
      upper: Int32Array.from(view.map((v, i) => (i + 1 < view.length && view[i + 1]!.link === v.link && Math.abs(view[i + 1]!.freq_hz - v.freq_hz - CHANNEL_SPACING_HZ) < 1 ? i + 1 : -1))),
      detect: new Float64Array(view.length),
      fcchPower: new Float64Array(view.length),
      leakFactor: 10 ** ((o.adjacent_rejection_db ?? 12) / 10),
      recent: [0, 1, 2].map(() => new Float64Array(view.length)),
      recentFirst: [0, 0, 0],
      recentCount: 0,
      onBurst: (b) => this.onBurst(tuning, b),
      onCandidate: (c) => this.onFcchCandidate(tuning, c),
    };
    if (o.noise_floor_dbfs !== undefined && o.noise_floor_dbfs !== null) this.setFloor(tuning, 10 ** (o.noise_floor_dbfs / 10));
    this.reportStart = base;
    this.nextReport = base + this.reportSamples;
    if (this.scanStart === null) this.scanStart = base;
    return ok(tuning);
  }

  private setFloor(t: Tuning, floor: number): void {
    t.floors.fill(floor);
    t.fcchMin.fill(floor * 4);
    this.lastFloor = floor;
  }

  private onFrame(t: Tuning, localFirst: number, power: Float64Array, upper: Float64Array): void {
    const first = t.base + localFirst;
    this.counters.frames++;
    // Tasks run at a fixed point of the stream (the first frame past their last sample), so results do
    // not depend on how the input was chunked. Those samples are in the history: it is appended first.
    if (this.pending.length > 0) this.runPending(false, first);
    const frameIndex = t.channelizer.frames;
    if (this.estimateFloor) {
      const s = t.channelizer.spectrumView();
      if (t.noise.frame(frameIndex, s.data, s.first)) {
        const f = t.noise.channelFloor;
        if (f !== null) this.setFloor(t, f);
      }
    }
    // One pass over the channels does the interval statistics and, for the FCCH detector, masks
    // frames a stronger neighbour dominates: its leakage lands in one half of a channel and so looks
    // like the FCCH's one-sided tone.
    const count = t.channels.length;
    const lower = t.lower;
    const upperNeighbour = t.upper;
    const leak = t.leakFactor;
    const sum = t.powerSum;
    const peak = t.peak;
    const fp = t.fcchPower;
    for (let c = 0; c < count; c++) {
      const p = power[c]!;
      sum[c]! += p;
      if (p > peak[c]!) peak[c] = p;
      const lo = lower[c]!;
      const hi = upperNeighbour[c]!;
      const neighbour = Math.max(lo >= 0 ? power[lo]! : 0, hi >= 0 ? power[hi]! : 0);
      fp[c] = p * leak < neighbour ? 0 : p;
    }
    t.frames++;
    // Burst detection runs one frame late: a frame is leakage when a neighbouring channel is
    // `adjacent_rejection_db` stronger over that frame and the ones before and after (burst ramps
    // splash wider than the steady burst; one short frame's GMSK spectrum fluctuates by several dB).
    const n = t.recentCount++;
    t.recent[n % 3]!.set(power);
    t.recentFirst[n % 3] = first;
    if (n >= 1) {
      const mid = t.recent[(n - 1) % 3]!;
      const before = n >= 2 ? t.recent[(n - 2) % 3]! : mid;
      const detect = t.detect;
      const floor = t.floors[0]!;
      const busyLevel = floor * t.onFactor;
      const busy = t.busyFrames;
      for (let c = 0; c < count; c++) {
        const p = mid[c]!;
        const lo = lower[c]!;
        const hi = upperNeighbour[c]!;
        let neighbour = 0;
        if (lo >= 0) neighbour = before[lo]! + mid[lo]! + power[lo]!;
        if (hi >= 0) neighbour = Math.max(neighbour, before[hi]! + mid[hi]! + power[hi]!);
        const d = (before[c]! + p + power[c]!) * leak < neighbour ? 0 : p;
        detect[c] = d;
        if (floor > 0 && d > busyLevel) busy[c]!++;
      }
      if (floor > 0) t.floorFrames++;
      t.bursts.frame(t.recentFirst[(n - 1) % 3]!, detect, t.floors, t.onBurst);
    }
    if (t.fcch !== null) t.fcch.frame(first, fp, upper, t.fcchMin, t.onCandidate);
    if (first + t.channelizer.fftSize >= this.nextReport) {
      this.closeReports(first + t.channelizer.fftSize);
    }
  }

  private primaryClock(): TdmaClock | null {
    const sync = this.options.sync_arfcn ?? this.primaryArfcn;
    return sync === null || sync === undefined ? null : (this.clocks.get(sync) ?? null);
  }

  /**
   * The clock that numbers a channel's timeslots: a BCCH carrier's own; for the uplink, the sync cell's
   * (uplink timing is the downlink's plus 3 slots and the handset's timing advance); for a downlink
   * traffic carrier, the sync cell's when its bursts start on that cell's slot boundaries (same site).
   */
  private clockFor(ch: ChannelState): TdmaClock | null {
    const own = this.clocks.get(ch.view.arfcn);
    if (ch.view.link === 'downlink' && own) return own;
    const primary = this.primaryClock();
    if (primary === null || !primary.synced) return null;
    if (ch.view.link === 'uplink') return primary;
    const offset = ch.grid.offset;
    if (offset === null) return null;
    const slot = primary.samplesPerFrame / 8;
    const phase = ((primary.slotStart(0, 0, 'downlink')! % slot) + slot) % slot;
    const diff = Math.abs(offset - phase);
    return Math.min(diff, slot - diff) < 0.05 * slot ? primary : null;
  }

  private onBurst(t: Tuning, b: DetectedBurst): void {
    this.counters.bursts++;
    const ch = t.channels[b.channel]!;
    const centre = (b.start_sample + b.end_sample) / 2;
    if (b.piece === 0) ch.grid.observe(b.start_sample);
    const clock = this.clockFor(ch);
    const assignment: SlotAssignment = (clock?.synced ? assignWithClock(clock, centre, b.kind, ch.view.link) : null) ?? ch.grid.assign(centre, b.kind);
    const rssi = round2(dbOf(b.power) + this.calibration);
    ch.slots.add(assignment, rssi);
    if (ch.view.link === 'uplink') {
      const aligned = assignment.alignment === 'fcch';
      this.send({
        type: 'uplink_burst', ts_ms: this.tsOf(b.start_sample), arfcn: ch.view.arfcn, rssi_dbm: rssi, burst_kind: b.kind, sample: round2(b.start_sample),
        ...(aligned && assignment.fn !== null ? { fn: assignment.fn } : {}),
        ...(aligned && assignment.timeslot !== null ? { timeslot: assignment.timeslot } : {}),
      });
    }
  }

  private onFcchCandidate(t: Tuning, c: FcchCandidate): void {
    this.counters.fcch_candidates++;
    if (this.history === null) return;
    // A confirmed clock needs an FCCH only now and then (the sample clock drifts by ppm).
    const view0 = t.channels[c.channel]!.view;
    const clock0 = this.clocks.get(view0.arfcn);
    const lastRefine = this.lastRefine.get(view0.arfcn);
    const confirmed = clock0 !== undefined && clock0.fnKnown && (this.schCount.get(view0.arfcn) ?? 0) >= SCH_CONFIRMATIONS;
    if (confirmed && lastRefine !== undefined && c.first_sample - lastRefine < FCCH_RECHECK_S * this.options.sample_rate_hz) {
      this.counters.fcch_skipped++;
      return;
    }
    this.lastRefine.set(view0.arfcn, c.first_sample);
    const sps = this.options.sample_rate_hz / SYMBOL_RATE_HZ;
    // Candidate positions are absolute sample indices already.
    const from = Math.max(t.base, Math.floor(c.first_sample - 40 * sps));
    const to = Math.ceil(c.last_sample + 40 * sps);
    const view = t.channels[c.channel]!.view;
    this.pending.push({ epoch: t.epoch, needEnd: to, run: () => this.refine(t, view, from, to) });
  }

  private refine(t: Tuning, view: ChannelInView, from: number, to: number): void {
    const segment = this.history!.read(from, to - from);
    if (segment === null) {
      this.counters.tasks_dropped++;
      return;
    }
    const r = refineFcch(segment, from, this.options.sample_rate_hz, view.offset_hz, { max_offset_hz: this.options.max_freq_error_hz });
    if (r === null) {
      this.counters.fcch_rejected++;
      return;
    }
    this.counters.fcch_found++;
    let clock = this.clocks.get(view.arfcn);
    if (!clock) {
      clock = new TdmaClock(this.options.sample_rate_hz);
      this.clocks.set(view.arfcn, clock);
    }
    clock.observeFcch(r.start_sample);
    if (this.primaryArfcn === null) this.primaryArfcn = view.arfcn;
    this.freqOffsets.set(view.arfcn, r.carrier_offset_hz);
    this.send({
      type: 'tdma_sync', ts_ms: this.tsOf(r.start_sample), arfcn: view.arfcn, source: 'fcch', sample: round2(r.start_sample),
      freq_offset_hz: round2(r.carrier_offset_hz), clock_ppm: round2(clock.clockErrorPpm),
    });
    // The SCH follows one TDMA frame later on the same timeslot. Once the frame number is known and
    // confirmed, one SCH every few seconds is enough to keep checking it.
    const last = this.lastSch.get(view.arfcn);
    const decoded = this.schCount.get(view.arfcn) ?? 0;
    if (clock.fnKnown && decoded >= SCH_CONFIRMATIONS && last !== undefined && r.start_sample - last < SCH_RECHECK_S * this.options.sample_rate_hz) return;
    this.lastSch.set(view.arfcn, r.start_sample);
    const sps = this.options.sample_rate_hz / SYMBOL_RATE_HZ;
    const expected = r.start_sample + clock.samplesPerFrame;
    const a = Math.floor(expected - 40 * sps);
    const b = Math.ceil(expected + 190 * sps);
    this.pending.push({
      epoch: t.epoch, needEnd: b, run: () => {
        const seg = this.history!.read(a, b - a);
        if (seg === null) {
          this.counters.tasks_dropped++;
          return;
        }
        const sch = decodeSch(seg, a, this.options.sample_rate_hz, view.offset_hz + r.carrier_offset_hz, expected);
        if (!sch.ok) {
          this.counters.sch_failed[sch.reason] = (this.counters.sch_failed[sch.reason] ?? 0) + 1;
          return;
        }
        this.counters.sch_decoded++;
        this.schCount.set(view.arfcn, (this.schCount.get(view.arfcn) ?? 0) + 1);
        clock!.observeSch(sch.value.start_sample, sch.value.fn, sch.value.bsic);
        this.send({
          type: 'tdma_sync', ts_ms: this.tsOf(sch.value.start_sample), arfcn: view.arfcn, source: 'sch', sample: round2(sch.value.start_sample),
          freq_offset_hz: round2(r.carrier_offset_hz), bsic: sch.value.bsic, fn: sch.value.fn, clock_ppm: round2(clock!.clockErrorPpm),
        });
      },
    });
  }

  /** Run tasks whose samples have all arrived (up to `end`); at `final`, run or drop the rest. */
  private runPending(final: boolean, end = this.history?.endSample ?? 0): void {
    if (this.pending.length === 0 || this.history === null) return;
    for (let i = 0; i < this.pending.length; ) {
      const task = this.pending[i]!;
      if (task.epoch !== this.tuning.epoch) {
        this.pending.splice(i, 1);
        this.counters.tasks_dropped++;
      } else if (task.needEnd <= end) {
        this.pending.splice(i, 1);
        task.run();
      } else if (final) {
        this.pending.splice(i, 1);
        this.counters.tasks_dropped++;
      } else i++;
    }
  }

  /** Close the report interval ending at `endSample` (default: now). */
  private closeReports(endSample = this.samplesIn): void {
    const t = this.tuning;
    if (t === undefined) return;
    const samples = endSample - this.reportStart;
    if (samples <= 0) return;
    const windowS = samples / this.options.sample_rate_hz;
    const ts = this.tsOf(endSample);
    const floor = t.floors[0]! > 0 ? t.floors[0]! : null;
    t.channels.forEach((ch, c) => {
      if (t.frames === 0) return;
      const v = ch.view;
      const key = `${v.link}:${v.arfcn}`;
      const entry = this.scan.get(key) ?? { arfcn: v.arfcn, freq_hz: v.freq_hz, link: v.link, powerSum: 0, frames: 0, peak: 0, busyFrames: 0, floorFrames: 0 };
      entry.powerSum += t.powerSum[c]!;
      entry.frames += t.frames;
      entry.peak = Math.max(entry.peak, t.peak[c]!);
      entry.busyFrames += t.busyFrames[c]!;
      entry.floorFrames += t.floorFrames;
      this.scan.set(key, entry);
      const clock = this.clocks.get(v.arfcn);
      const event: ChannelPowerEvent = {
        type: 'channel_power', ts_ms: ts, window_s: round2(windowS), arfcn: v.arfcn, link: v.link, freq_hz: v.freq_hz,
        rssi_dbm: round2(dbOf(t.powerSum[c]! / t.frames) + this.calibration), peak_rssi_dbm: round2(dbOf(t.peak[c]!) + this.calibration),
        noise_floor_dbm: floor === null ? null : round2(dbOf(floor) + this.calibration), busy_share: t.floorFrames > 0 ? round2(t.busyFrames[c]! / t.floorFrames) : 0,
      };
      const offset = this.freqOffsets.get(v.arfcn);
      if (offset !== undefined) event.freq_offset_hz = round2(offset);
      if (clock?.bsic !== null && clock?.bsic !== undefined) event.bsic = clock.bsic;
      this.send(event);
      const occupancy = ch.slots.report(ts, round2(windowS), windowS / FRAME_S, this.clockFor(ch)?.bsic ?? null);
      if (occupancy !== null) this.send(occupancy);
      ch.slots = new SlotOccupancyAccumulator(v.arfcn, v.link);
    });
    t.powerSum.fill(0);
    t.peak.fill(0);
    t.busyFrames.fill(0);
    t.frames = 0;
    t.floorFrames = 0;
    this.reportStart = endSample;
    this.nextReport = endSample + this.reportSamples;
  }
}

