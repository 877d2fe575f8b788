/**
 * What the SDR path reports: plain JSON-serialisable events with field-vocabulary names. Four of them
 * map one-to-one onto observation messages (observations.ts): `channel_power`, `slot_occupancy`,
 * `band_scan` and `uplink_burst`. `tdma_sync` (FCCH/SCH found: BSIC, frame number, the receiver's
 * tuning error) is for logs, replay and calibration, not published.
 *
 * Powers are dBm: 10·log10(power in full-scale units) + the device's `calibration_db`.
 */
import type { Link } from './gsm-bands.js';

/** How a burst's timeslot was found: from the cell's FCCH/SCH (absolute), from the bursts' own timing (relative numbering), or not yet. */
export type SlotAlignment = 'fcch' | 'bursts' | 'none';

/** Power of one ARFCN over a report interval. */
export interface ChannelPowerEvent {
  type: 'channel_power';
  /** End of the interval. */
  ts_ms: number;
  window_s: number;
  arfcn: number;
  link: Link;
  freq_hz: number;
  /** Mean power over the interval. */
  rssi_dbm: number;
  /** Strongest channelizer frame (tens of µs) in the interval. */
  peak_rssi_dbm: number;
  noise_floor_dbm: number | null;
  /** Share of frames more than the burst threshold above the noise floor, 0–1. */
  busy_share: number;
  /** Carrier frequency error measured on this ARFCN's FCCH (tone − 67.708 kHz), when seen. */
  freq_offset_hz?: number;
  bsic?: number;
}

export interface SlotOccupancySlot {
  timeslot: number;
  /** Share of the interval's TDMA frames in which this timeslot carried a burst, 0–1. */
  busy_share: number;
  burst_count: number;
  /** Median burst power in this timeslot (absent when no burst). */
  rssi_dbm?: number;
}

/**
 * Timeslot occupancy of one ARFCN over a report interval: the raw material of the `uplink-multislot`
 * detector. A SIM-box den shows many timeslots busy in the same TDMA frames at near-equal power (all
 * its modems sit at one spot); a crowd shows fewer concurrent slots and spread powers.
 */
export interface SlotOccupancyEvent {
  type: 'slot_occupancy';
  ts_ms: number;
  window_s: number;
  arfcn: number;
  link: Link;
  alignment: SlotAlignment;
  /** TDMA frames in the interval. */
  frame_count: number;
  burst_count: number;
  /** Always 8 entries, timeslot 0–7 (relative numbering when alignment is 'bursts'). */
  slots: SlotOccupancySlot[];
  /** Busy timeslots per TDMA frame: mean, maximum, and histogram (index = number of busy slots, 0–8). */
  concurrent_slots_mean: number;
  concurrent_slots_max: number;
  concurrent_slots_histogram: number[];
  /** Per-burst power histogram: counts of bursts in [start + i·step, start + (i+1)·step) dBm. */
  rssi_hist_start_dbm: number;
  rssi_hist_step_db: number;
  rssi_hist_counts: number[];
  /** Standard deviation of the per-timeslot median powers over timeslots busy ≥ 5 % of frames (0 with one such slot). */
  rssi_spread_db?: number;
  /** Interquartile range of all burst powers. */
  rssi_iqr_db?: number;
  bsic?: number;
}

export interface BandScanChannel {
  arfcn: number;
  freq_hz: number;
  rssi_dbm: number;
  peak_rssi_dbm: number;
  /** 'continuous': on in (nearly) every frame — a BCCH carrier (C0); 'bursty': TDMA traffic. */
  activity: 'continuous' | 'bursty';
  busy_share: number;
}

/** Active ARFCNs of a band and link found by a sweep (or over a whole recording). */
export interface BandScanEvent {
  type: 'band_scan';
  ts_ms: number;
  window_s: number;
  band: string;
  link: Link;
  noise_floor_dbm: number | null;
  /** ARFCNs covered by the scan. */
  scanned_count: number;
  channels: BandScanChannel[];
}

/** One uplink burst (for signal-strength location and the Immediate Assignment tie-in). */
export interface UplinkBurstEvent {
  type: 'uplink_burst';
  ts_ms: number;
  arfcn: number;
  /** Absolute timeslot (only when aligned to the cell's FCCH) and frame number (only after its SCH). */
  fn?: number;
  timeslot?: number;
  rssi_dbm: number;
  burst_kind: 'normal' | 'access';
  /** Sample index of the burst's first bit in the stream (edge-only; not published). */
  sample: number;
}

/** The SDR locked onto a cell's TDMA frame (FCCH) or read its SCH. */
export interface TdmaSyncEvent {
  type: 'tdma_sync';
  ts_ms: number;
  arfcn: number;
  /** 'fcch': frame timing and frequency error; 'sch': plus BSIC and frame number. */
  source: 'fcch' | 'sch';
  /** Sample index of the burst's first bit. */
  sample: number;
  freq_offset_hz: number;
  bsic?: number;
  fn?: number;
  /** The receiver's sample clock error against the cell's, fitted over successive bursts. */
  clock_ppm?: number;
}

export type IqEvent = ChannelPowerEvent | SlotOccupancyEvent | BandScanEvent | UplinkBurstEvent | TdmaSyncEvent;
