/**
 * uplink-multislot@1 on slot-occupancy reports: hand-made report sequences for each rule (a den, a
 * crowd, a walker, one phone's GPRS upload, a den that only just appeared, a probe that just started),
 * then the real SDR pipeline on simulated uplink IQ (a den of 6 modems beside a crowd of 4 phones), and
 * the engine fusing the indicator only at places near the probe.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IqScene } from '@simhound/simulator';
import { DetectionEngine } from '../../src/detect/engine.js';
import { buildSlotDetectors, defaultDetectorSettings, SLOT_DETECTORS } from '../../src/detect/registry.js';
import type { DetectionDraft, Indicator } from '../../src/detect/types.js';
import { equalPowerCluster, UplinkMultislotDetector, UPLINK_MULTISLOT_DEFAULTS, type UplinkMultislotConfig } from '../../src/detect/uplink-multislot.js';
import type { SlotOccupancyEvent } from '../../src/iq/events.js';
import { arfcnToFrequency } from '../../src/iq/gsm-bands.js';
import type { CellId, GsmEvent } from '../../src/gsm/events.js';
import { simulateIq } from '../iq/simulate-iq.js';
import { den, merge, people } from './traffic.js';

const T0 = Date.UTC(2026, 0, 5, 9);

/** One 10-s uplink report with the given per-slot (busy share, dBm); missing slots idle. */
function report(ts: number, slots: Array<[number, number] | null>, arfcn = 62, window_s = 10): SlotOccupancyEvent {
  return {
    type: 'slot_occupancy', ts_ms: ts, window_s, arfcn, link: 'uplink', alignment: 'fcch', frame_count: Math.round(window_s / 0.004615), burst_count: 0,
    slots: Array.from({ length: 8 }, (_, timeslot) => {
      const s = slots[timeslot] ?? null;
      return s === null ? { timeslot, busy_share: 0, burst_count: 0 } : { timeslot, busy_share: s[0], burst_count: Math.round(s[0] * 2000), rssi_dbm: s[1] };
    }),
    concurrent_slots_mean: 0, concurrent_slots_max: 0, concurrent_slots_histogram: new Array(9).fill(0), rssi_hist_start_dbm: -120, rssi_hist_step_db: 2, rssi_hist_counts: [],
  };
}

/** Feed `minutes` of 10-s reports made by `slotsAt(i)`; the detector's verdict at the end. */
function feed(slotsAt: (i: number) => Array<[number, number] | null>, minutes: number, config: UplinkMultislotConfig = UPLINK_MULTISLOT_DEFAULTS) {
  const d = new UplinkMultislotDetector(config);
  const n = minutes * 6;
  for (let i = 0; i < n; i++) d.add(report(T0 + (i + 1) * 10_000, slotsAt(i)));
  return d.evaluate(T0 + n * 10_000);
}

/** Deterministic jitter in ±amp. */
const jitter = (i: number, k: number, amp: number) => amp * Math.sin(i * 12.9898 + k * 78.233);

describe('equalPowerCluster', () => {
  it('finds the largest group of busy slots within equal_db, ignoring slots below the busy share', () => {
    const c = equalPowerCluster(report(T0, [[0.6, -50], [0.6, -51.5], [0.05, -50.5], [0.5, -60], [0.7, -52.8], [0.4, -49.9], null, [0.9, -75]]), 0.2, 3);
    expect(c.size).toBe(4);
    expect(c.busy_slots).toBe(6);
    expect(c.level_dbm).toBeCloseTo((-51.5 + -50) / 2, 6);
    expect(c.width_db).toBeCloseTo(2.9, 6);
  });

  it('is empty when nothing is busy', () => {
    expect(equalPowerCluster(report(T0, []), 0.2, 3)).toMatchObject({ size: 0, busy_slots: 0 });
  });
});

describe('uplink-multislot@1 on reports', () => {
  it('is strong for a 6-modem den held for 10 minutes (calls end and start: a slot or two idle at times)', () => {
    const ind = feed((i) => Array.from({ length: 8 }, (_, s) => (s >= 1 && s <= 6 && (i + s) % 9 !== 0 ? [0.5, -55 + jitter(i, s, 0.8)] : null)), 10);
    expect(ind).not.toBeNull();
    expect(ind!.level).toBe('strong');
    expect(ind!.facts.concurrent_equal_slots).toBeGreaterThanOrEqual(5);
    expect(ind!.facts.rssi_dbm).toBeCloseTo(-55, 0);
    expect(ind!.facts.arfcn).toBe(62);
    expect(ind!.reason).toMatch(/uplink timeslots on ARFCN 62/);
  });

  it('stays silent for a crowd: as many calls, powers spread over 25 dB and changing as people come and go', () => {
    expect(feed((i) => Array.from({ length: 8 }, (_, s) => [0.5, -50 - ((s * 7 + Math.floor(i / 12) * 3) % 25) + jitter(i, s, 1)] as [number, number]), 10)).toBeNull();
  });

  it('stays silent for walkers: equal-power groups whose level drifts 20 dB as they pass', () => {
    expect(feed((i) => Array.from({ length: 8 }, (_, s) => (s < 4 ? ([0.5, -45 - (i / 60) * 20 + jitter(i, s, 0.5)] as [number, number]) : null)), 10)).toBeNull();
  });

  it('is at most moderate for one phone uploading on 4 GPRS slots for the whole horizon', () => {
    const ind = feed((i) => Array.from({ length: 8 }, (_, s) => (s >= 2 && s <= 5 ? ([0.8, -48 + jitter(i, 0, 0.3)] as [number, number]) : null)), 10);
    expect(ind?.level ?? 'none').not.toBe('strong');
  });

  it('waits for the den to hold most of the horizon, and for the reports to cover it', () => {
    const denSlots = (i: number) => Array.from({ length: 8 }, (_, s) => (s < 6 ? ([0.5, -55 + jitter(i, s, 0.5)] as [number, number]) : null));
    // Den only in the last 3 of 10 minutes.
    expect(feed((i) => (i >= 42 ? denSlots(i) : []), 10)).toBeNull();
    // Probe started 4 minutes ago.
    expect(feed(denSlots, 4)).toBeNull();
  });

  it('ignores downlink reports and malformed ones, counting them', () => {
    const d = new UplinkMultislotDetector();
    d.add({ ...report(T0, []), link: 'downlink' });
    d.add({ ...report(T0, []), slots: [] });
    expect(d.ignored).toBe(2);
    expect(d.evaluate(T0)).toBeNull();
  });
});

describe('uplink-multislot@1 on the SDR pipeline (simulated uplink IQ, 2.4 MS/s cu8, 4 s)', () => {
  const ul = (arfcn: number) => arfcnToFrequency('GSM900', arfcn, 'uplink')!;
  const DEN = 62;
  const CROWD = 58;
  // A 4-s horizon of 0.5-s reports (the test's scale; the default is 10 min of 10-s reports).
  const config: UplinkMultislotConfig = { ...UPLINK_MULTISLOT_DEFAULTS, horizon_s: 4, chance_run_s: 0.5, strong_evidence: 6 };
  let verdicts: Map<number, Indicator | null>;
  beforeAll(() => {
    const transmitters: IqScene['transmitters'][number][] = [];
    for (let s = 1; s <= 6; s++) transmitters.push({ id: `den-${s}`, freq_hz: ul(DEN), power_dbfs: -30, power_jitter_db: 0.5, link: 'uplink', pattern: 'slots', slots: [s], ta_steps: 6 });
    [-24, -29, -34, -40, -46].forEach((power, i) => transmitters.push({ id: `phone-${i}`, freq_hz: ul(CROWD), power_dbfs: power, power_jitter_db: 0.5, link: 'uplink', pattern: 'slots', slots: [i + 1], ta_steps: 2 + 7 * i }));
    const { events } = simulateIq({ sample_rate_hz: 2_400_000, center_freq_hz: ul(60), seed: 21, noise_dbfs: -45, transmitters }, 4, 0.5);
    verdicts = new Map();
    for (const arfcn of [DEN, CROWD]) {
      const d = new UplinkMultislotDetector(config);
      const reports = events.filter((e): e is SlotOccupancyEvent => e.type === 'slot_occupancy' && e.arfcn === arfcn);
      for (const r of reports) d.add(r);
      verdicts.set(arfcn, d.evaluate(reports.at(-1)!.ts_ms));
    }
  }, 120_000);

  it('finds the den: 6 equal-power slots, strong, at its power', () => {
    const ind = verdicts.get(DEN)!;
    expect(ind).not.toBeNull();
    expect(ind.level).toBe('strong');
    expect(ind.facts.concurrent_equal_slots).toBe(6);
    expect(ind.facts.cluster_width_db).toBeLessThan(2);
  });

  it('stays silent on the crowd of 5 phones at spread powers', () => {
    expect(verdicts.get(CROWD)).toBeNull();
  });
});

describe('the engine fuses the probe signature only near the probe', () => {
  const A: CellId = { mcc: '651', mnc: '01', lac: 100, ci: 1 };
  const signature: Indicator = {
    detector: 'uplink-multislot', detector_version: 1, horizon_s: 600, evidence: 12, level: 'strong',
    facts: { arfcn: 30, concurrent_equal_slots: 6 }, reason: 'test signature',
  };

  function run(events: GsmEvent[], probeTa: number | null): DetectionDraft[] {
    const out: DetectionDraft[] = [];
    const engine = new DetectionEngine({
      detectors: buildSlotDetectors(SLOT_DETECTORS.map((d) => d.id), defaultDetectorSettings()),
      onCandidate: (d) => out.push(d),
      probeTaSteps: () => probeTa,
    });
    let nextRefresh = 0;
    for (const e of events) {
      if (e.ts_ms >= nextRefresh) {
        engine.addProbeSignature('uplink-multislot', signature, e.ts_ms);
        nextRefresh = e.ts_ms + 60_000;
      }
      engine.add(e);
    }
    engine.flush();
    return out;
  }

  const denTraffic = () => merge(people(1, A, 30, T0, 60, 3), den(2, A, 30, 6, T0 + 10 * 60_000, 50, 16, 60));
  const uses = (out: DetectionDraft[]) => out.some((d) => (d.evidence.indicators ?? []).some((i) => i.detector === 'uplink-multislot'));

  it('adds it to a den candidate at the probe\'s TA step', () => {
    const out = run(denTraffic(), 6);
    expect(out.length).toBeGreaterThan(0);
    expect(uses(out)).toBe(true);
  });

  it('leaves it out when the probe is at another TA step', () => {
    const out = run(denTraffic(), 1);
    expect(out.length).toBeGreaterThan(0);
    expect(uses(out)).toBe(false);
  });

  it('raises nothing on people alone, even with the signature everywhere', () => {
    for (let seed = 10; seed < 14; seed++) expect(run(people(seed, A, 30, T0, 60, 4), null)).toEqual([]);
  });
});
