/**
 * ARFCN ↔ frequency per TS 45.005 §2, band scan steps and channels in view.
 */
import { describe, expect, it } from 'vitest';
import { arfcnToFrequency, bandChannels, bandsAt, channelsInView, frequencyToArfcn } from '../../src/iq/gsm-bands.js';
import { planBandScan } from '../../src/iq/band-scan-plan.js';

describe('GSM bands', () => {
  it('maps ARFCNs to carrier frequencies of each band and link', () => {
    expect(arfcnToFrequency('GSM900', 30, 'downlink')).toBe(941_000_000); // the real recording's carrier
    expect(arfcnToFrequency('GSM900', 1, 'uplink')).toBe(890_200_000);
    expect(arfcnToFrequency('GSM900', 975, 'uplink')).toBe(880_200_000);
    expect(arfcnToFrequency('GSM900', 1023, 'downlink')).toBe(934_800_000);
    expect(arfcnToFrequency('DCS1800', 725, 'downlink')).toBe(1_847_800_000); // vf_call6's ARFCN
    expect(arfcnToFrequency('DCS1800', 512, 'uplink')).toBe(1_710_200_000);
    expect(arfcnToFrequency('GSM850', 128, 'downlink')).toBe(869_200_000);
    expect(arfcnToFrequency('PCS1900', 810, 'downlink')).toBe(1_989_800_000);
    expect(arfcnToFrequency('GSM900', 125, 'downlink')).toBeNull();
    expect(frequencyToArfcn('GSM900', 941_000_300)).toEqual({ arfcn: 30, link: 'downlink' });
    expect(frequencyToArfcn('DCS1800', 1_725_000_000)).toEqual({ arfcn: 586, link: 'uplink' });
    expect(bandChannels('GSM900', 'downlink')).toHaveLength(174);
  });

  it('lists the ARFCNs wholly inside the usable band, and the bands around a frequency', () => {
    expect(channelsInView('GSM900', 941e6, 0.85 * 500_000).map((c) => c.arfcn)).toEqual([30]);
    expect(channelsInView('GSM900', 947.1e6, 0.85 * 2.4e6).map((c) => c.arfcn)).toEqual([56, 57, 58, 59, 60, 61, 62, 63, 64, 65]);
    expect(bandsAt(941e6, 250_000)).toEqual(['GSM900']);
    expect(bandsAt(1_860e6, 1e6)).toEqual(['DCS1800', 'PCS1900']);
    expect(bandsAt(100e6, 1e6)).toEqual([]);
  });

  it('plans a sweep covering every ARFCN exactly once, centred between carriers', () => {
    const steps = planBandScan('GSM900', ['downlink', 'uplink'], 2.4e6);
    const seen = steps.flatMap((s) => s.arfcns.map((a) => `${s.link}:${a}`));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(2 * 174);
    for (const s of steps) {
      expect(channelsInView('GSM900', s.center_freq_hz, 0.85 * 2.4e6).filter((c) => c.link === s.link).map((c) => c.arfcn)).toEqual(expect.arrayContaining(s.arfcns));
    }
  });
});
