/**
 * Replaying IQ recordings: every format the simulator writes gives the same bursts and powers, a
 * truncated recording is read up to its last whole sample and says so, wrong sample-rate metadata
 * shows up as "no TDMA sync" instead of silent nonsense, and random bytes of any format never crash
 * the pipeline (seeded fuzz).
 */
import { mkdtempSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IqSceneGenerator, writeSceneIq, type IqScene, type SimIqFormat } from '@simhound/simulator';
import { seededRandom } from '@simhound/test-support/random';
import type { IqEvent, SlotOccupancyEvent } from '../../../src/iq/events.js';
import { arfcnToFrequency } from '../../../src/iq/gsm-bands.js';
import { replayIqFile } from '../../../src/iq/sources/iq-file-source.js';

const dir = mkdtempSync(join(tmpdir(), 'simhound-iqfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const REAL_IQ = join(import.meta.dirname, '..', '..', 'vectors', 'iq', 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile');

const RATE = 1_000_000;
const CENTRE = arfcnToFrequency('GSM900', 20, 'downlink')! + 100_000;
const scene: IqScene = {
  sample_rate_hz: RATE, center_freq_hz: CENTRE, seed: 21, noise_dbfs: -42, fn0: 40_000,
  transmitters: [
    { id: 'c0', freq_hz: arfcnToFrequency('GSM900', 20, 'downlink')!, power_dbfs: -18, link: 'downlink', pattern: 'bcch', bsic: 9 },
    { id: 'trx', freq_hz: arfcnToFrequency('GSM900', 19, 'downlink')!, power_dbfs: -25, link: 'downlink', pattern: 'slots', slots: [1, 4] },
  ],
};

async function replay(path: string, extra: Parameters<typeof replayIqFile>[1] = {}) {
  const events: IqEvent[] = [];
  const r = await replayIqFile(path, { sample_rate_hz: RATE, center_freq_hz: CENTRE, pipeline: { report_interval_s: 0.25 }, onEvent: (e) => events.push(e), ...extra });
  return { r, events };
}

describe('IQ recordings of every format', () => {
  const paths: Partial<Record<SimIqFormat, string>> = {};
  beforeAll(() => {
    for (const format of ['cu8', 'cs8', 'cs16', 'cf32'] as const) {
      const path = join(dir, `scene.${format}`);
      writeSceneIq(new IqSceneGenerator(scene), path, format, Math.round(0.5 * RATE));
      paths[format] = path;
    }
  }, 60_000);

  it('gives the same sync, occupancy and powers (within quantisation) for cu8, cs8, cs16 and cf32', async () => {
    const results = [];
    for (const format of ['cu8', 'cs8', 'cs16', 'cf32'] as const) {
      const { r, events } = await replay(paths[format]!);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.value.format).toBe(format);
      const occ = events.filter((e): e is SlotOccupancyEvent => e.type === 'slot_occupancy' && e.arfcn === 19).at(-1)!;
      results.push({ sch: r.value.sch_decoded, slots: occ.slots.filter((s) => s.busy_share > 0.9).map((s) => s.timeslot), rssi: occ.slots[1]!.rssi_dbm! });
    }
    expect(results.map((x) => x.slots)).toEqual([[1, 4], [1, 4], [1, 4], [1, 4]]);
    expect(results.every((x) => x.sch === 5)).toBe(true); // five confirmations, then one every 2 s
    for (const x of results) expect(Math.abs(x.rssi - -25)).toBeLessThan(1);
  });

  it('reads a truncated recording up to its last whole sample and reports the cut', async () => {
    const path = join(dir, 'cut.cs16');
    writeSceneIq(new IqSceneGenerator(scene), path, 'cs16', 200_000);
    truncateSync(path, statSync(path).size - 3);
    const { r } = await replay(path);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.samples).toBe(199_999);
    expect(r.value.trailing_bytes).toBe(1);
    expect(r.value.problems).toEqual({ truncated_sample: 1 });
    expect(r.value.sch_decoded).toBeGreaterThan(0);
  });

  it('flags wrong sample-rate metadata: a BCCH carrier but no FCCH at its frequency', async () => {
    for (const wrong of [250_000, 1_000_000]) {
      const { r } = await replay(REAL_IQ, { sample_rate_hz: wrong, center_freq_hz: 941e6 });
      expect(r.ok && r.value.problems).toEqual({ no_tdma_sync: 1 });
      expect(r.ok && r.value.sch_decoded).toBe(0);
    }
    const right = await replay(REAL_IQ, { sample_rate_hz: 500_000, center_freq_hz: 941e6 });
    expect(right.r.ok && right.r.value.problems).toEqual({});
  });

  it('refuses a recording whose band holds no GSM channel', async () => {
    const path = join(dir, 'fm.cu8');
    writeFileSync(path, Buffer.alloc(20_000, 128));
    const { r } = await replay(path, { center_freq_hz: 100e6 });
    expect(r).toMatchObject({ ok: false, reason: 'no_band' });
  });

  it('never crashes on random bytes of any format (seeded fuzz) and accounts for every sample', async () => {
    const random = seededRandom(777);
    for (const format of ['cu8', 'cs8', 'cs16', 'cf32'] as const) {
      for (let i = 0; i < 3; i++) {
        const bytes = Buffer.alloc(50_000 + Math.floor(random() * 50_000));
        for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(random() * 256);
        // NaN and huge values in float recordings too.
        if (format === 'cf32') for (let k = 0; k + 8 <= bytes.length; k += 4096) bytes.writeFloatLE(k % 8192 === 0 ? Number.NaN : 1e30, k);
        const path = join(dir, `fuzz-${i}.${format}`);
        writeFileSync(path, bytes);
        const { r } = await replay(path, { chunk_bytes: 1 + Math.floor(random() * 9_000) });
        expect(r.ok).toBe(true);
        if (!r.ok) continue;
        const bps = { cu8: 2, cs8: 2, cs16: 4, cf32: 8 }[format];
        expect(r.value.samples).toBe(Math.floor(bytes.length / bps));
        expect(r.value.trailing_bytes).toBe(bytes.length % bps);
      }
    }
  });
});
