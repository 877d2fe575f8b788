/**
 * The SDR pipeline on the real GSM recording (2007 USRP1, GSM-900 downlink, 500 kHz complex64 centred
 * at 941.0 MHz) against two independent references:
 *  - the C/FFTW reference's FCCH finder (a fine spectrogram, a different method from ours: tone
 *    concentration instead of phase advance) for where the FCCH bursts are and at what tone;
 *  - gr-gsm's decode of the same file (GSMTAP frame numbers read back with tshark) for the TDMA frame
 *    numbering our SCH decoder must reproduce.
 * Also: settle/retune bookkeeping and chunk-size independence.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildChannelPowerOracle, oracleFcch } from '@simhound/test-support/channel-power-oracle';
import { tsharkFields } from '@simhound/test-support/tshark';
import type { IqEvent, TdmaSyncEvent } from '../../src/iq/events.js';
import { IqPipeline } from '../../src/iq/iq-pipeline.js';
import { replayIqFile } from '../../src/iq/sources/iq-file-source.js';
import { FCCH_TONE_HZ, samplesPerFrame, samplesPerSymbol } from '../../src/iq/dsp/gsm-timing.js';
import { defaultFftSize } from '../../src/iq/dsp/channelizer.js';

const VECTORS = join(import.meta.dirname, '..', 'vectors');
const REAL_IQ = join(VECTORS, 'iq', 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile');
const GRGSM_PCAP = join(VECTORS, 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.bcch.pcap');
const RATE = 500_000;

async function replayReal(chunk?: number): Promise<{ events: IqEvent[]; summary: Awaited<ReturnType<typeof replayIqFile>> }> {
  const events: IqEvent[] = [];
  const summary = await replayIqFile(REAL_IQ, { sample_rate_hz: RATE, center_freq_hz: 941e6, chunk_bytes: chunk, pipeline: { report_interval_s: 0.04 }, onEvent: (e) => events.push(e) });
  return { events, summary };
}

describe('real GSM recording (941.0 MHz, 500 kHz, 0.16 s)', () => {
  it('finds the carrier on ARFCN 30 (941.0 MHz) and reads it as a continuous BCCH carrier', async () => {
    const { events, summary } = await replayReal();
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    expect(summary.value.band).toBe('GSM900');
    expect(summary.value.arfcns_in_view).toEqual([30]);
    const scan = events.find((e) => e.type === 'band_scan');
    expect(scan?.type === 'band_scan' && scan.channels.map((c) => [c.arfcn, c.freq_hz, c.activity])).toEqual([[30, 941_000_000, 'continuous']]);
    // Carrier ~21 dB above the noise floor (the quiet bins beside the channel).
    const power = events.filter((e) => e.type === 'channel_power');
    const last = power[power.length - 2]!;
    expect(last.type === 'channel_power' && last.rssi_dbm - (last.noise_floor_dbm ?? 0)).toBeGreaterThan(15);
  });

  it('finds the FCCH bursts where the C/FFTW spectrogram reference finds them: 4 bursts, 10 TDMA frames apart', async () => {
    const { events } = await replayReal();
    const fcch = events.filter((e): e is TdmaSyncEvent => e.type === 'tdma_sync' && e.source === 'fcch');
    const reference = oracleFcch(buildChannelPowerOracle(), REAL_IQ, 'cf32', RATE, 0);
    expect(reference.length).toBe(4);
    expect(fcch.length).toBe(reference.length);
    const sps = samplesPerSymbol(RATE);
    const spf = samplesPerFrame(RATE);
    const centres = fcch.map((e) => e.sample + 74 * sps);
    centres.forEach((c, i) => {
      // The reference hops 8 samples (16 µs); ours places the burst to a fraction of a symbol.
      expect(Math.abs(c - reference[i]!.centre_sample)).toBeLessThan(16);
    });
    // FCCH repeats in frames 0, 10, 20, 30, 40 of the 51-multiframe: these four are 10 frames apart.
    const spacing = centres.slice(1).map((c, i) => (c - centres[i]!) / spf);
    spacing.forEach((s) => expect(Math.abs(s - 10)).toBeLessThan(0.01));
    // Tone: 67.708 kHz above a carrier the USRP saw 8.35 kHz high; the reference agrees within a bin.
    for (const e of fcch) {
      expect(e.freq_offset_hz).toBeGreaterThan(8_000);
      expect(e.freq_offset_hz).toBeLessThan(8_700);
    }
    reference.forEach((r, i) => expect(Math.abs(r.tone_hz - (FCCH_TONE_HZ + fcch[i]!.freq_offset_hz))).toBeLessThan(1_000));
  });

  it('decodes every SCH and numbers the frames as gr-gsm did on the same file (frame numbers via tshark)', async () => {
    const { events, summary } = await replayReal();
    expect(summary.ok && summary.value.sch_decoded).toBe(4);
    const sch = events.filter((e): e is TdmaSyncEvent => e.type === 'tdma_sync' && e.source === 'sch');
    expect(sch.map((e) => [e.bsic, e.fn])).toEqual([[32, 674996], [32, 675006], [32, 675016], [32, 675026]]);
    // SCH frames are 1, 11, 21, 31, 41 of the 51-multiframe.
    for (const e of sch) expect([1, 11, 21, 31, 41]).toContain(e.fn! % 51);
    // gr-gsm decoded CCCH blocks starting at these frames; with our SCH's numbering each must start at a
    // sample inside the recording, on timeslot 0, on a CCCH block boundary of the 51-multiframe.
    const rows = await tsharkFields(GRGSM_PCAP, ['gsmtap.frame_nr', 'gsmtap.ts']);
    const fns = rows.map((r) => Number(r['gsmtap.frame_nr']![0]));
    expect(fns).toEqual([675007, 675011, 675017, 675021]);
    const spf = samplesPerFrame(RATE);
    const ref = sch[0]!;
    for (const fn of fns) {
      const sample = ref.sample + (fn - ref.fn!) * spf;
      expect(sample).toBeGreaterThan(0);
      expect(sample).toBeLessThan(80_000);
      expect([2, 6, 12, 16, 22, 26, 32, 36, 42, 46]).toContain(fn % 51);
    }
  });

  it('finds the same FCCH, SCH and carrier with the pffft-wasm FFT backend', async () => {
    const events: IqEvent[] = [];
    const r = await replayIqFile(REAL_IQ, { sample_rate_hz: RATE, center_freq_hz: 941e6, pipeline: { report_interval_s: 0.04, fft_backend: 'pffft-wasm' }, onEvent: (e) => events.push(e) });
    expect(r.ok && [r.value.fcch_found, r.value.sch_decoded]).toEqual([4, 4]);
    const reference = (await replayReal()).events;
    const sync = (list: IqEvent[]) => list.filter((e) => e.type === 'tdma_sync').map((e) => e.type === 'tdma_sync' && [e.source, e.fn, e.bsic, Math.round(e.sample)]);
    expect(sync(events)).toEqual(sync(reference));
  });

  it('gives the same events whatever the read size', async () => {
    const a = await replayReal(4_096);
    const b = await replayReal(1 << 20);
    expect(a.events).toEqual(b.events);
  });
});

describe('pipeline bookkeeping', () => {
  it('drops the settle time after a retune and keeps absolute sample indices', () => {
    const events: IqEvent[] = [];
    const created = IqPipeline.create({ format: 'cu8', sample_rate_hz: 1e6, center_freq_hz: 941e6, band: 'GSM900', report_interval_s: 0.01 }, (e) => events.push(e));
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const p = created.value;
    p.push(new Uint8Array(2 * 10_000).fill(128));
    expect(p.sampleIndex).toBe(10_000);
    expect(p.retune(945e6, 5_000).ok).toBe(true);
    // 945.0 MHz ± 425 kHz usable: ARFCN 49–51 (944.8–945.2 MHz) fit whole.
    expect(p.channels.map((c) => c.arfcn)).toEqual([49, 50, 51]);
    p.push(new Uint8Array(2 * 20_000).fill(128));
    expect(p.sampleIndex).toBe(30_000);
    p.flush();
    // 10 000 + 15 000 samples were channelised (5 000 settling dropped), one frame per FFT.
    const n = defaultFftSize(1e6);
    expect(p.stats().frames).toBe(Math.floor(10_000 / n) + Math.floor(15_000 / n));
    expect(p.stats().retunes).toBe(1);
  });

  it('refuses a sample rate too low for one GSM channel and a centre with no channel in view', () => {
    expect(IqPipeline.create({ format: 'cu8', sample_rate_hz: 200_000, center_freq_hz: 941e6, band: 'GSM900' }, () => {})).toMatchObject({ ok: false, reason: 'sample_rate_too_low' });
    expect(IqPipeline.create({ format: 'cu8', sample_rate_hz: 1e6, center_freq_hz: 100e6, band: 'GSM900' }, () => {})).toMatchObject({ ok: false, reason: 'no_channels_in_view' });
    expect(IqPipeline.create({ format: 'cu8', sample_rate_hz: 1e6, center_freq_hz: 941e6, band: 'GSM900', fft_size: 48 }, () => {})).toMatchObject({ ok: false, reason: 'bad_fft_size' });
  });

  it('reads the whole real recording into frames of the default FFT size with no blips or dropped tasks', async () => {
    const { summary } = await replayReal();
    expect(summary.ok && summary.value).toMatchObject({ samples: 80_000, frames: 80_000 / defaultFftSize(RATE), blips: 0, tasks_dropped: 0, fcch_found: 4, fcch_rejected: 0 });
    expect(readFileSync(REAL_IQ).length).toBe(640_000);
  });
});
