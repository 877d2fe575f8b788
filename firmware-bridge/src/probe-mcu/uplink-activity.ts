/**
 * A firmware REPORT frame → the contract's `uplink_activity` observation (per-slot-window burst counts
 * and levels in dBm through the detector calibration). Levels are clamped to the contract's range.
 * Must not: do I/O.
 */
import type { UplinkActivityObservation } from '@simhound/protocol';
import type { HelloFrame, ReportFrame } from '../protocol/frames.js';
import { TDMA_FRAME_MS } from '../protocol/frames.js';
import { adcToMillivolts, millivoltsToDbm, type DetectorCalibration } from './calibration.js';

const clampDbm = (v: number) => Math.max(-150, Math.min(30, Math.round(v * 100) / 100));

export function uplinkActivityOf(
  report: ReportFrame,
  device: Pick<HelloFrame, 'vref_mv' | 'adc_bits' | 'threshold_adc'>,
  calibration: DetectorCalibration,
  ts_ms: number,
  source_name?: string,
): UplinkActivityObservation {
  const dbm = (adc: number) => clampDbm(millivoltsToDbm(adcToMillivolts(adc, device.vref_mv, device.adc_bits), calibration));
  const slots = report.slots.map((s, slot) => ({ slot, burst_count: s.bursts, peak_rssi_dbm: dbm(s.peak_adc), mean_rssi_dbm: dbm(s.mean_adc) }));
  const meanAdc = report.slots.reduce((a, s) => a + s.mean_adc, 0) / report.slots.length;
  const obs: UplinkActivityObservation = {
    type: 'uplink_activity',
    ts_ms,
    duration_ms: Math.round(report.frame_count * TDMA_FRAME_MS * 1000) / 1000,
    frame_count: report.frame_count,
    burst_count: report.slots.reduce((a, s) => a + s.bursts, 0),
    rssi_dbm: dbm(meanAdc),
    peak_rssi_dbm: dbm(Math.max(...report.slots.map((s) => s.peak_adc))),
    threshold_dbm: dbm(device.threshold_adc),
    slots,
  };
  if (source_name !== undefined) obs.source_name = source_name;
  return obs;
}
