/**
 * The agent's iq source end to end, its observations checked against the contract (checkBody):
 *  - a recording (the real one, calibrated into dBm);
 *  - rtl_tcp on the emulator with a schedule: the BCCH downlink for the TDMA clock, then its uplink,
 *    where a simulated den's bursts come out with the frame numbers and timeslots they were sent in;
 *  - rtl_tcp band scan over simulated carriers spread across GSM-900 downlink: one band_scan per sweep
 *    with exactly those ARFCNs at their powers;
 *  - the watchdog: a stalled server ends the source through onFatal.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBody, type Observation } from '@simhound/protocol';
import type { IqScene } from '@simhound/simulator';
import { RtlTcpEmulator } from '@simhound/test-support/rtl-tcp-server';
import { startEmulatorProcess } from '@simhound/test-support/rtl-tcp-emulator-process';
import { Value } from '@sinclair/typebox/value';
import { IqSourceSchema, type IqSourceConfig } from '../../src/iq/iq-source-config.js';
import { startIqSource, type RunningIqSource } from '../../src/iq/iq-source.js';
import { arfcnToFrequency } from '../../src/iq/gsm-bands.js';
import type { IqEvent } from '../../src/iq/events.js';

const REAL_IQ = join(import.meta.dirname, '..', 'vectors', 'iq', 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile');
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

function config(partial: Record<string, unknown>): IqSourceConfig {
  const c = Value.Default(IqSourceSchema, structuredClone({ kind: 'iq', ...partial }));
  if (!Value.Check(IqSourceSchema, c)) throw new Error(`bad test config: ${[...Value.Errors(IqSourceSchema, c)].map((e) => `${e.path} ${e.message}`).join('; ')}`);
  return c as IqSourceConfig;
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectValid(observations: Observation[]): void {
  for (const o of observations) {
    const check = checkBody('observation', { observations: [o] });
    expect(check.ok, `${o.type}: ${check.ok ? '' : check.detail}`).toBe(true);
  }
}

describe('iq source', () => {
  it('replays a recording into contract-valid observations (calibrated to dBm)', async () => {
    const observed: Observation[] = [];
    const started = await startIqSource(config({ path: REAL_IQ, sample_rate_hz: 500_000, center_freq_hz: 941e6, calibration_db: -120, report_interval_s: 0.1 }), {
      observe: (o) => observed.push(o),
      position: () => ({ lat_deg: -29.31, lon_deg: 27.48, position_source: 'config' }),
    });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    await started.value.done;
    expect(started.value.health()).toMatchObject({ state: 'finished', frames_total: 2_500, rejected_total: 0 });
    // 0.16 s in 0.1 s intervals: two channel_power and two slot_occupancy reports, then the band scan.
    expect(observed.map((o) => o.type)).toEqual(['channel_power', 'slot_occupancy', 'channel_power', 'slot_occupancy', 'band_scan']);
    expectValid(observed);
    const power = observed.find((o) => o.type === 'channel_power')!;
    expect(power).toMatchObject({ arfcn: 30, link: 'downlink', freq_hz: 941_000_000, position: { lat_deg: -29.31 } });
  });

  it('refuses a config with both or neither of path and rtl_tcp, and scan mode on a recording', async () => {
    expect(await startIqSource(config({}), { observe: () => {} })).toMatchObject({ ok: false, reason: 'bad_config' });
    expect(await startIqSource(config({ path: REAL_IQ, rtl_tcp: {} }), { observe: () => {} })).toMatchObject({ ok: false, reason: 'bad_config' });
    expect(await startIqSource(config({ path: REAL_IQ, mode: 'scan', sample_rate_hz: 500_000, center_freq_hz: 941e6 }), { observe: () => {} })).toMatchObject({ ok: false, reason: 'bad_config' });
    expect(await startIqSource(config({ path: `${REAL_IQ}.missing` }), { observe: () => {} })).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('rtl_tcp schedule: syncs on the BCCH downlink, then numbers the den\'s uplink bursts by frame and timeslot', async () => {
    const C0 = 33;
    const rate = 1_000_000;
    const dlCentre = arfcnToFrequency('GSM900', C0, 'downlink')! + 100_000;
    const ulCentre = arfcnToFrequency('GSM900', C0, 'uplink')! + 100_000;
    const scene: Omit<IqScene, 'center_freq_hz' | 'sample_rate_hz'> = {
      seed: 4, noise_dbfs: -45, fn0: 2_000_000, frame0_sample: 321,
      transmitters: [
        { id: 'c0', freq_hz: arfcnToFrequency('GSM900', C0, 'downlink')!, power_dbfs: -22, link: 'downlink', pattern: 'bcch', bsic: 50 },
        ...[2, 3, 4, 5].map((slot) => ({ id: `den-${slot}`, freq_hz: arfcnToFrequency('GSM900', C0, 'uplink')!, power_dbfs: -31, link: 'uplink' as const, pattern: 'slots' as const, slots: [slot], ta_steps: 7 })),
      ],
    };
    // Its own process, paced like a dongle (real time), like rtl_tcp beside the agent.
    const emulator = await startEmulatorProcess({ scene });
    const port = emulator.port;
    stops.push(() => emulator.stop());
    const observed: Observation[] = [];
    const events: IqEvent[] = [];
    const started = await startIqSource(
      config({
        rtl_tcp: { port, settle_s: 0.05 }, sample_rate_hz: rate, report_interval_s: 0.25,
        schedule: [{ center_freq_hz: dlCentre, dwell_s: 0.3 }, { center_freq_hz: ulCentre, dwell_s: 0.6 }],
        uplink_bursts: { emit: 'all', max_per_s: 10_000 },
      }),
      { observe: (o) => observed.push(o), onEvent: (e) => events.push(e) },
    );
    if (!started.ok) throw new Error(started.detail);
    stops.push(() => started.value.stop());
    await until('uplink slot occupancy', () => observed.some((o) => o.type === 'slot_occupancy' && o.link === 'uplink' && o.burst_count > 200));
    expect(emulator.commands.filter((c) => c.code === 0x01).map((c) => c.param).slice(0, 2)).toEqual([dlCentre, ulCentre]);
    expect(events.filter((e) => e.type === 'tdma_sync').map((e) => e.type === 'tdma_sync' && [e.source, e.bsic])).toContainEqual(['sch', 50]);
    const bursts = observed.filter((o) => o.type === 'uplink_burst');
    expect(bursts.length).toBeGreaterThan(200);
    // Every den burst carries its frame number and one of the den's timeslots; powers within 1 dB (a
    // burst cut by a retune may read lower).
    const errors: number[] = [];
    for (const b of bursts) {
      if (b.type !== 'uplink_burst') continue;
      expect(b.fn).toBeGreaterThan(2_000_000);
      expect([2, 3, 4, 5]).toContain(b.timeslot);
      errors.push(Math.abs(b.rssi_dbm - -31));
    }
    expect(errors.filter((e) => e < 1).length / errors.length).toBeGreaterThan(0.98);
    const occ = observed.filter((o) => o.type === 'slot_occupancy' && o.link === 'uplink' && o.burst_count > 200).at(-1)!;
    expect(occ.type === 'slot_occupancy' && [occ.alignment, occ.slots.filter((s) => s.busy_share > 0.9).map((s) => s.timeslot), occ.concurrent_slots_max]).toEqual(['fcch', [2, 3, 4, 5], 4]);
    expectValid(observed);
  }, 60_000);

  it('rtl_tcp band scan: one band_scan per sweep of the GSM-900 downlink listing the simulated carriers', async () => {
    const carriers = [{ arfcn: 7, power: -25 }, { arfcn: 61, power: -33 }, { arfcn: 118, power: -29 }];
    const scene: Omit<IqScene, 'center_freq_hz' | 'sample_rate_hz'> = {
      seed: 8, noise_dbfs: -40,
      transmitters: carriers.map((c) => ({ id: `c0-${c.arfcn}`, freq_hz: arfcnToFrequency('GSM900', c.arfcn, 'downlink')!, power_dbfs: c.power, link: 'downlink' as const, pattern: 'bcch' as const, bsic: c.arfcn % 64 })),
    };
    const emulator = await startEmulatorProcess({ scene });
    const port = emulator.port;
    stops.push(() => emulator.stop());
    const observed: Observation[] = [];
    const started = await startIqSource(config({ rtl_tcp: { port, settle_s: 0.02 }, mode: 'scan', sample_rate_hz: 1_000_000, scan: { dwell_s: 0.06 }, report_interval_s: 1 }), { observe: (o) => observed.push(o) });
    if (!started.ok) throw new Error(started.detail);
    stops.push(() => started.value.stop());
    await until('a band scan', () => observed.some((o) => o.type === 'band_scan'), 45_000);
    const scan = observed.find((o) => o.type === 'band_scan')!;
    if (scan.type !== 'band_scan') return;
    expect(scan.band).toBe('GSM900');
    expect(scan.scanned_count).toBe(174);
    expect(scan.channels.map((c) => [c.arfcn, c.activity])).toEqual(carriers.map((c) => [c.arfcn, 'continuous']));
    scan.channels.forEach((c, i) => expect(Math.abs(c.rssi_dbm - carriers[i]!.power)).toBeLessThan(1));
    expectValid(observed);
  }, 90_000);

  it('ends through onFatal when the rtl_tcp server stalls', async () => {
    const emulator = new RtlTcpEmulator({ samples: (_s, n) => new Uint8Array(2 * n).fill(128), speed: 2 });
    const port = await emulator.start();
    stops.push(() => emulator.stop());
    const fatal: Error[] = [];
    const started = await startIqSource(config({ rtl_tcp: { port }, center_freq_hz: 947e6, watchdog: { stall_timeout_s: 0.3 } }), { observe: () => {}, onFatal: (e) => fatal.push(e) });
    if (!started.ok) throw new Error(started.detail);
    const source: RunningIqSource = started.value;
    stops.push(() => source.stop());
    await until('streaming', () => (source.client?.stats.samples ?? 0) > 50_000);
    expect(source.health().state).toBe('ok');
    emulator.stall();
    await until('fatal', () => fatal.length > 0, 5_000);
    expect(fatal[0]!.message).toMatch(/rtl_tcp stall: no samples for/);
    expect(source.health()).toMatchObject({ state: 'error', rejected_by_reason: { stall: 1 } });
  });
});
