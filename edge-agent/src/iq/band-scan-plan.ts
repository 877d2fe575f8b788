/**
 * Tuning steps that sweep a GSM band with a receiver of a given sample rate: consecutive groups of
 * ARFCNs, each group wholly inside the usable part of one tuning, every ARFCN in exactly one step.
 * The centre of a step sits between two ARFCNs when the group is even, so no carrier lands on the
 * receiver's DC spike.
 */
import { CHANNEL_SPACING_HZ, bandChannels, type GsmBand, type Link } from './gsm-bands.js';

export interface ScanStep {
  link: Link;
  center_freq_hz: number;
  arfcns: number[];
}

export function planBandScan(band: GsmBand, links: readonly Link[], sampleRateHz: number, usableFraction = 0.85): ScanStep[] {
  const perStep = Math.max(1, Math.floor((usableFraction * sampleRateHz - CHANNEL_SPACING_HZ) / CHANNEL_SPACING_HZ) + 1);
  const steps: ScanStep[] = [];
  for (const link of links) {
    const channels = bandChannels(band, link);
    let group: typeof channels = [];
    const flush = () => {
      if (group.length === 0) return;
      steps.push({ link, center_freq_hz: (group[0]!.freq_hz + group[group.length - 1]!.freq_hz) / 2, arfcns: group.map((c) => c.arfcn) });
      group = [];
    };
    for (const c of channels) {
      // A gap in the band (E-GSM 975–1023 then 0–124 is contiguous; others are too) starts a new step.
      if (group.length > 0 && (group.length >= perStep || c.freq_hz - group[group.length - 1]!.freq_hz > CHANNEL_SPACING_HZ + 1)) flush();
      group.push(c);
    }
    flush();
  }
  return steps;
}
