/**
 * Slot occupancy and per-burst power on simulated IQ with known truth (simulator/src/iq: GMSK bursts
 * on chosen ARFCNs and timeslots, known powers, timing advance, noise, written as rtl_sdr cu8):
 *  - a den of 6 modems on one ARFCN: 6 concurrently busy slots at equal power;
 *  - a crowd of 4 phones on another: 4 slots, powers spread over 20 dB;
 *  - RACH access bursts: classified as access bursts at their power;
 *  - every burst's power within 1 dB of truth; occupancy within a few percent;
 *  - on the downlink, slots numbered from the cell's own FCCH/SCH (absolute), and a TDMA clock set on
 *    the downlink carried across a retune so uplink bursts get frame numbers and timeslots.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IqSceneGenerator, quantizeIq, type IqScene, type TruthBurst } from '@simhound/simulator';
import type { IqEvent, SlotOccupancyEvent, UplinkBurstEvent } from '../../../src/iq/events.js';
import { IqPipeline } from '../../../src/iq/iq-pipeline.js';
import { arfcnToFrequency } from '../../../src/iq/gsm-bands.js';
import { samplesPerSymbol } from '../../../src/iq/dsp/gsm-timing.js';
import { simulateIq } from '../simulate-iq.js';

const RATE = 2_400_000;
const ul = (arfcn: number) => arfcnToFrequency('GSM900', arfcn, 'uplink')!;
const dl = (arfcn: number) => arfcnToFrequency('GSM900', arfcn, 'downlink')!;

const occupancy = (events: IqEvent[], arfcn: number) => events.filter((e): e is SlotOccupancyEvent => e.type === 'slot_occupancy' && e.arfcn === arfcn);

describe('uplink: a den, a crowd and RACH bursts (2.4 MS/s cu8, 1.5 s)', () => {
  const DEN = 62;
  const CROWD = 58;
  const RACH = 65;
  const crowd = [
    { slot: 0, power: -24 },
    { slot: 2, power: -31 },
    { slot: 4, power: -38 },
    { slot: 6, power: -44 },
  ];
  let run: ReturnType<typeof simulateIq>;
  beforeAll(() => {
    const transmitters: IqScene['transmitters'][number][] = [];
    for (let s = 1; s <= 6; s++) transmitters.push({ id: `den-${s}`, freq_hz: ul(DEN), power_dbfs: -30, link: 'uplink', pattern: 'slots', slots: [s], ta_steps: 6 });
    crowd.forEach((c, i) => transmitters.push({ id: `phone-${i}`, freq_hz: ul(CROWD), power_dbfs: c.power, link: 'uplink', pattern: 'slots', slots: [c.slot], ta_steps: 2 + 7 * i, freq_error_hz: 40 * i - 60 }));
    transmitters.push({ id: 'rach', freq_hz: ul(RACH), power_dbfs: -35, link: 'uplink', pattern: 'slots', slots: [0], burst: 'access', duty: 0.1, ta_steps: 0 });
    run = simulateIq({ sample_rate_hz: RATE, center_freq_hz: ul(62) - 100_000, seed: 11, noise_dbfs: -45, transmitters }, 1.5, 0.5);
  }, 120_000);

  it('shows the den as 6 timeslots busy in the same frames at equal power', () => {
    const [, second, third] = occupancy(run.events, DEN);
    for (const r of [second!, third!]) {
      const busy = r.slots.filter((s) => s.busy_share > 0.9);
      expect(busy).toHaveLength(6);
      expect(r.slots.filter((s) => s.busy_share <= 0.9).every((s) => s.busy_share < 0.03)).toBe(true);
      for (const s of busy) expect(Math.abs(s.rssi_dbm! - -30)).toBeLessThan(1);
      expect(r.concurrent_slots_max).toBe(6);
      expect(r.concurrent_slots_histogram[6]! / r.frame_count).toBeGreaterThan(0.9);
      expect(r.rssi_spread_db!).toBeLessThan(0.5);
      expect(r.alignment).toBe('bursts');
      // Six consecutive slots (relative numbering: some rotation of 1…6).
      const set = busy.map((s) => s.timeslot).sort();
      expect([0, 1, 2, 3, 4, 5, 6, 7].some((rot) => [1, 2, 3, 4, 5, 6].map((t) => (t + rot) % 8).sort().join() === set.join())).toBe(true);
    }
  });

  it('shows the crowd as 4 timeslots with spread powers, each within 1 dB of its phone', () => {
    const [, second] = occupancy(run.events, CROWD);
    const busy = second!.slots.filter((s) => s.busy_share > 0.9).sort((a, b) => b.rssi_dbm! - a.rssi_dbm!);
    expect(busy).toHaveLength(4);
    crowd.forEach((c, i) => expect(Math.abs(busy[i]!.rssi_dbm! - c.power)).toBeLessThan(1));
    expect(second!.rssi_spread_db!).toBeGreaterThan(5);
    expect(second!.rssi_iqr_db!).toBeGreaterThan(5);
  });

  it('recovers ≥ 97 % of the bursts, each within 1 dB of its true power', () => {
    const sps = samplesPerSymbol(RATE);
    const bursts = run.events.filter((e): e is UplinkBurstEvent => e.type === 'uplink_burst');
    const byArfcn = new Map<number, UplinkBurstEvent[]>();
    for (const b of bursts) byArfcn.set(b.arfcn, [...(byArfcn.get(b.arfcn) ?? []), b]);
    const arfcnOf = (t: TruthBurst) => (t.tx.startsWith('den') ? DEN : t.tx.startsWith('phone') ? CROWD : RACH);
    // Skip the first 50 ms (the noise floor estimate is not there yet).
    const truth = run.truth.filter((t) => t.start_sample > 0.05 * RATE && t.end_sample < 1.49 * RATE);
    let found = 0;
    const errors: number[] = [];
    for (const t of truth) {
      // Same ARFCN, start within 10 symbols (bursts of neighbouring slots are 156 symbols apart).
      const match = (byArfcn.get(arfcnOf(t)) ?? []).find((b) => Math.abs(b.sample - t.start_sample) < 10 * sps && (t.kind === 'access' ? b.burst_kind === 'access' : b.burst_kind === 'normal'));
      if (!match) continue;
      found++;
      errors.push(Math.abs(match.rssi_dbm - t.power_dbfs));
    }
    expect(found / truth.length).toBeGreaterThan(0.97);
    errors.sort((a, b) => a - b);
    expect(errors[Math.floor(0.99 * errors.length)]!).toBeLessThan(1);
    expect(run.clipped).toBe(0);
    expect(sps).toBeGreaterThan(8);
  });

  it('classifies RACH bursts as access bursts at their power', () => {
    const access = run.events.filter((e): e is UplinkBurstEvent => e.type === 'uplink_burst' && e.arfcn === RACH && e.sample > 0.05 * RATE);
    const truth = run.truth.filter((t) => t.kind === 'access' && t.start_sample > 0.05 * RATE);
    expect(access.length).toBeGreaterThanOrEqual(truth.length - 1);
    expect(access.length).toBeLessThanOrEqual(truth.length + 1);
    for (const b of access) {
      expect(b.burst_kind).toBe('access');
      expect(Math.abs(b.rssi_dbm - -35)).toBeLessThan(1);
    }
  });

  it('does not turn the den\'s leakage into bursts on the neighbouring ARFCNs', () => {
    for (const arfcn of [DEN - 1, DEN + 1]) {
      const neighbour = run.events.filter((e) => e.type === 'uplink_burst' && e.arfcn === arfcn).length;
      const den = run.events.filter((e) => e.type === 'uplink_burst' && e.arfcn === DEN).length;
      expect(neighbour / den).toBeLessThan(0.02);
    }
  });
});

describe('downlink slots numbered by the cell, and the clock carried to the uplink', () => {
  const C0 = 40;
  const TRX = 42;
  const BSIC = 27;
  const FN0 = 1_234_567 - 1;

  it('numbers a traffic carrier\'s timeslots from the BCCH carrier\'s FCCH/SCH and decodes BSIC and FN', () => {
    const scene: IqScene = {
      sample_rate_hz: RATE, center_freq_hz: dl(41), seed: 5, noise_dbfs: -45, fn0: FN0, frame0_sample: 777.3,
      transmitters: [
        { id: 'c0', freq_hz: dl(C0), power_dbfs: -20, link: 'downlink', pattern: 'bcch', bsic: BSIC, freq_error_hz: 900 },
        { id: 'trx', freq_hz: dl(TRX), power_dbfs: -26, link: 'downlink', pattern: 'slots', slots: [2, 3, 5], freq_error_hz: 900 },
      ],
    };
    const { events, truth } = simulateIq(scene, 0.6, 0.3);
    // The first five SCH after sync are all decoded (then one every 2 s); each matches the burst sent.
    const sch = events.filter((e): e is Extract<IqEvent, { type: 'tdma_sync' }> => e.type === 'tdma_sync' && e.source === 'sch');
    const truthSch = truth.filter((t) => t.kind === 'sch');
    expect(sch.length).toBe(Math.min(5, truthSch.length));
    for (const e of sch) {
      const sent = truthSch.find((t) => Math.abs(t.start_sample - e.sample) < 2 * samplesPerSymbol(RATE))!;
      expect([e.bsic, e.fn, e.arfcn]).toEqual([BSIC, sent.fn, C0]);
    }
    const last = occupancy(events, TRX).at(-1)!;
    expect(last.alignment).toBe('fcch');
    expect(last.slots.filter((s) => s.busy_share > 0.9).map((s) => s.timeslot)).toEqual([2, 3, 5]);
    expect(last.bsic).toBe(BSIC);
    const c0 = occupancy(events, C0).at(-1)!;
    expect(c0.slots.every((s) => s.busy_share > 0.95)).toBe(true);
  }, 60_000);

  it('times uplink bursts with the downlink clock after a retune: frame numbers and timeslots as sent', () => {
    const base: Omit<IqScene, 'center_freq_hz' | 'transmitters'> = { sample_rate_hz: RATE, seed: 9, noise_dbfs: -45, fn0: FN0, frame0_sample: 1_000 };
    const down = new IqSceneGenerator({ ...base, center_freq_hz: dl(C0) + 100_000, transmitters: [{ id: 'c0', freq_hz: dl(C0), power_dbfs: -20, link: 'downlink', pattern: 'bcch', bsic: BSIC }] });
    const up = new IqSceneGenerator({ ...base, center_freq_hz: ul(C0) + 100_000, transmitters: [
      { id: 'ms-3', freq_hz: ul(C0), power_dbfs: -33, link: 'uplink', pattern: 'slots', slots: [3], ta_steps: 4 },
      { id: 'ms-6', freq_hz: ul(C0 + 2), power_dbfs: -36, link: 'uplink', pattern: 'slots', slots: [6], ta_steps: 20, burst: 'access', duty: 0.3 },
    ] });
    const events: IqEvent[] = [];
    const created = IqPipeline.create({ format: 'cu8', sample_rate_hz: RATE, center_freq_hz: dl(C0) + 100_000, band: 'GSM900', report_interval_s: 0.2 }, (e) => events.push(e));
    if (!created.ok) throw new Error(created.detail);
    const p = created.value;
    const block = 48_000;
    const feed = (gen: IqSceneGenerator, samples: number) => {
      for (let done = 0; done < samples; done += block) {
        gen.position = p.sampleIndex;
        p.push(quantizeIq(gen.next(block), block, 'cu8').bytes);
      }
    };
    feed(down, 0.3 * RATE);
    expect(p.clock(C0)?.fnKnown).toBe(true);
    expect(p.retune(ul(C0) + 100_000, Math.round(0.01 * RATE)).ok).toBe(true);
    feed(up, 0.3 * RATE);
    p.flush();
    const bursts = events.filter((e): e is UplinkBurstEvent => e.type === 'uplink_burst');
    // ms-3: one burst a frame for 0.29 s (≈ 63); ms-6: access bursts in ~30 % of frames.
    expect(bursts.length).toBeGreaterThan(70);
    const sps = samplesPerSymbol(RATE);
    let matched = 0;
    for (const b of bursts) {
      const t = up.truth.find((x) => (x.tx === 'ms-3' ? C0 : C0 + 2) === b.arfcn && Math.abs(x.start_sample - b.sample) < 10 * sps);
      if (!t) continue;
      matched++;
      expect([b.fn, b.timeslot]).toEqual([t.fn, t.timeslot]);
    }
    expect(matched / bursts.length).toBeGreaterThan(0.95);
  }, 60_000);
});
