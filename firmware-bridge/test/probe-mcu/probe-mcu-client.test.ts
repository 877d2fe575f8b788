/**
 * The host side against the REAL probe firmware running in simavr behind a pty, its ADC fed from a
 * trace of GSM uplink bursts on chosen slots: burst counts and levels in the reports match the trace;
 * commands are acknowledged (and refused with the right status); bytes corrupted on the line are
 * rejected by the CRC/COBS stages and counted, and the stream resynchronises; a firmware restart
 * mid-stream is noticed and the device reconfigured; the device unplugged and replaced at the same
 * path is reopened. With SIMHOUND_TEST_SERIAL naming an `mcu:` device, the hardware checks run on it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkBody, type UplinkActivityObservation } from '@simhound/protocol';
import { realSerialDevice } from '@simhound/test-support/serial-devices';
import {
  CMD, DETECTOR_PRESETS, ProbeMcuClient, ReconnectingSerialPort, adcToMillivolts, dbmToAdc, encodeFrame, millivoltsToDbm, type ReportFrame,
} from '../../src/index.js';
import { BURST_US, FRAME_US, startSimulatedProbe, type SimulatedProbe, type Trace } from '@simhound/test-support/simavr-probe';

const BAUD = 250_000;
const until = async (check: () => boolean, timeoutMs = 10_000, what = 'condition') => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const cal = DETECTOR_PRESETS.ad8313;
/** Three bursts per TDMA frame: two above the −55 dBm threshold (slots 1 and 2), one below (slot 5). */
const TRACE: Trace = {
  floor_mv: 250,
  noise_mv: 4,
  seed: 11,
  bursts: [
    { slot: 1, first_frame: 0, last_frame: 1_000_000, mv: 900 },
    { slot: 2, first_frame: 0, last_frame: 1_000_000, mv: 1000 },
    { slot: 5, first_frame: 0, last_frame: 1_000_000, mv: 500 },
  ],
};
const THRESHOLD_ADC = dbmToAdc(-55, cal, 5000);
const dbmOfMv = (mv: number) => millivoltsToDbm(mv, cal);

const realMcu = realSerialDevice('mcu');

if (realMcu === null) {
  describe('probe MCU client against the real firmware in simavr', () => {
    const cleanup: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      while (cleanup.length > 0) await cleanup.pop()!();
    });

    const setup = async (trace: Trace = TRACE, frames_per_report = 10) => {
      const sim = await startSimulatedProbe(trace);
      cleanup.push(() => sim.stop());
      const link = new ReconnectingSerialPort({ path: sim.path, baudRate: BAUD, min_backoff_ms: 50, max_backoff_ms: 200 });
      const client = new ProbeMcuClient({ link, name: 'mcu', threshold_adc: THRESHOLD_ADC, frames_per_report, calibration: cal, ack_timeout_ms: 1000 });
      const reports: ReportFrame[] = [];
      const activity: UplinkActivityObservation[] = [];
      client.on('report', (r: ReportFrame) => reports.push(r));
      client.on('activity', (a: UplinkActivityObservation) => activity.push(a));
      client.start();
      link.start();
      cleanup.push(() => link.stop(), () => client.stop());
      return { sim, link, client, reports, activity };
    };

    it('says hello, takes its configuration, and reports burst counts and levels that match the trace', async () => {
      const { client, reports, activity } = await setup();
      await until(() => reports.length >= 12, 15_000, '12 reports');
      expect(client.device).toMatchObject({ proto_version: 1, firmware_version: '1.0.0', adc_bits: 10, vref_mv: 5000, slot_count: 8 });
      const steady = reports.slice(2);
      const activeWindows = new Set<number>();
      for (const r of steady) {
        expect(r.frame_count).toBe(10);
        // Two bursts above threshold per frame, whatever the alignment of the MCU's windows.
        expect(r.slots.reduce((a, s) => a + s.bursts, 0)).toBe(20);
        r.slots.forEach((s, i) => s.bursts > 0 && activeWindows.add(i));
      }
      // … always in the same two (adjacent) free-running windows.
      const windows = [...activeWindows].sort((a, b) => a - b);
      expect(windows).toHaveLength(2);
      expect((windows[1]! - windows[0]! + 8) % 8 === 1 || (windows[0]! - windows[1]! + 8) % 8 === 1).toBe(true);
      for (const r of steady) {
        // Energy: the mean over a frame period is the floor plus each burst's excess times its duty cycle,
        // independent of how the windows are aligned to the bursts.
        const meanMv = adcToMillivolts(r.slots.reduce((a, s) => a + s.mean_adc, 0) / 8, 5000);
        const expected = TRACE.floor_mv + TRACE.bursts.reduce((a, b) => a + (b.mv - TRACE.floor_mv), 0) * (BURST_US / FRAME_US);
        expect(Math.abs(meanMv - expected) / expected).toBeLessThan(0.02);
        // Peaks: the strongest window sees the 1000 mV burst, within noise and one ADC step.
        const peakMv = adcToMillivolts(Math.max(...r.slots.map((s) => s.peak_adc)), 5000);
        expect(Math.abs(peakMv - 1000)).toBeLessThan(4 + 10);
      }
      // The observation carries the same in dBm and fits the contract.
      const a = activity[activity.length - 1]!;
      expect(checkBody('observation', { observations: [a] }).ok).toBe(true);
      expect(a).toMatchObject({ type: 'uplink_activity', source_name: 'mcu', frame_count: 10, burst_count: 20 });
      expect(a.duration_ms).toBeCloseTo(46.154, 2);
      expect(Math.abs(a.peak_rssi_dbm - dbmOfMv(1000))).toBeLessThan(1);
      expect(Math.abs(a.threshold_dbm - -55)).toBeLessThan(0.5);
      // Windows no burst reaches sit at the floor.
      const idle = a.slots.filter((s) => s.peak_rssi_dbm < dbmOfMv(300));
      expect(idle.length).toBeGreaterThanOrEqual(2);
      for (const s of idle) expect(Math.abs(s.mean_rssi_dbm - dbmOfMv(250))).toBeLessThan(0.6);
      // The sub-threshold burst is visible as a peak but never counted.
      expect(a.slots.some((s) => s.burst_count === 0 && Math.abs(s.peak_rssi_dbm - dbmOfMv(500)) < 1)).toBe(true);
      expect(client.stats()).toMatchObject({ lost_frames: 0, rejected: {}, restarts: 0 });
    });

    it('acknowledges commands, refuses bad arguments and unknown commands, and stops/starts sampling', async () => {
      const { client, reports } = await setup();
      await until(() => reports.length >= 2, 10_000, 'reports');
      expect(await client.command(CMD.SET_THRESHOLD, Uint8Array.of(0, 0))).toEqual({ ok: false, reason: 'bad_argument' });
      expect(await client.command(CMD.SET_REPORT_RATE, Uint8Array.of(0xe9, 0x03))).toEqual({ ok: false, reason: 'bad_argument' }); // 1001
      expect(await client.command(0x7f)).toEqual({ ok: false, reason: 'unknown_command' });
      expect(await client.setReportRate(2)).toMatchObject({ ok: true, value: { type: 'ack', status: 'ok' } });
      const n = reports.length;
      await until(() => reports.length >= n + 5, 10_000, 'fast reports');
      expect(reports[reports.length - 1]!.frame_count).toBe(2);
      expect((await client.command(CMD.STOP)).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 150));
      const stopped = reports.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(reports.length).toBe(stopped);
      expect((await client.command(CMD.START)).ok).toBe(true);
      await until(() => reports.length >= stopped + 3, 10_000, 'reports after start');
      const errors = await client.readDeviceErrors();
      expect(errors).toMatchObject({ unknown_cmd: 1, rx_crc: 0, tx_dropped: 0 });
    });

    it('rejects corrupted bytes by CRC/COBS, counts them, and resynchronises; the firmware counts bad frames sent to it', async () => {
      const { sim, link, client, reports } = await setup();
      await until(() => reports.length >= 3, 10_000, 'reports');
      for (let i = 0; i < 3; i++) {
        await sim.corrupt();
        await new Promise((r) => setTimeout(r, 120));
      }
      const after = reports.length;
      await until(() => reports.length >= after + 5, 10_000, 'reports after corruption');
      const s = client.stats();
      const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
      expect(rejected).toBeGreaterThanOrEqual(1);
      expect(Object.keys(s.rejected).every((k) => ['bad_crc', 'bad_cobs', 'too_short', 'oversize', 'unknown_frame_type', 'bad_frame_length'].includes(k))).toBe(true);
      expect(s.lost_frames).toBeGreaterThanOrEqual(1);
      // Every report that got through is intact: consecutive report_seq except where frames were lost.
      for (const r of reports.slice(-5)) expect(r.frame_count).toBe(10);
      // Host → device: a frame with a broken CRC and line noise are counted by the firmware, not obeyed.
      const bad = encodeFrame(CMD.STOP, 99);
      bad[2] = bad[2]! ^ 0x40;
      link.write(bad);
      link.write(Buffer.from([0x13, 0x37, 0xff, 0x00]));
      const errors = await client.readDeviceErrors();
      expect(errors!.rx_crc + errors!.rx_cobs).toBeGreaterThanOrEqual(2);
      const n = reports.length;
      await until(() => reports.length >= n + 2, 5000, 'still sampling (the corrupted STOP was not obeyed)');
    });

    it('notices a firmware restart mid-stream and reconfigures it', async () => {
      const { sim, client, reports } = await setup(TRACE, 5);
      await until(() => reports.length >= 3 && client.stats().configured === 1, 10_000, 'configured');
      await sim.reset();
      await until(() => client.stats().restarts === 1 && client.stats().configured === 2, 10_000, 'reconfigured after restart');
      const n = reports.length;
      await until(() => reports.length >= n + 3, 10_000, 'reports after restart');
      // Without reconfiguration the firmware would report every 10 frames (its default).
      expect(reports[reports.length - 1]!.frame_count).toBe(5);
      expect(reports[reports.length - 1]!.report_seq).toBeLessThan(n);
    });

    it('reopens the device by path after it vanished and came back', async () => {
      const { sim, link, client, reports } = await setup();
      await until(() => reports.length >= 2, 10_000, 'reports');
      await sim.kill();
      await until(() => !link.isOpen(), 5000, 'link closed');
      await sim.restart();
      const n = reports.length;
      await until(() => reports.length >= n + 3, 15_000, 'reports after replug');
      expect(link.stats.opens).toBe(2);
      expect(client.stats().configured).toBe(2);
    });

    it('keeps up with one report per TDMA frame (≈217 frames/s) at 250000 baud without loss', async () => {
      const { client, reports } = await setup(TRACE, 1);
      await until(() => reports.length >= 400, 20_000, '400 reports');
      const tail = reports.slice(50);
      for (let i = 1; i < tail.length; i++) expect(tail[i]!.report_seq).toBe((tail[i - 1]!.report_seq + 1) & 0xffff);
      expect(tail.every((r) => r.frame_count === 1)).toBe(true);
      const errors = await client.readDeviceErrors();
      expect(errors).toMatchObject({ tx_dropped: 0, report_overrun: 0 });
      expect(client.stats().lost_frames).toBe(0);
    });
  });
} else {
  describe(`probe MCU client on the real device ${realMcu}`, () => {
    it('says hello, takes its configuration, and reports at the configured rate', async () => {
      const link = new ReconnectingSerialPort({ path: realMcu, baudRate: BAUD });
      const client = new ProbeMcuClient({ link, threshold_adc: THRESHOLD_ADC, frames_per_report: 10, calibration: cal });
      const reports: ReportFrame[] = [];
      client.on('report', (r: ReportFrame) => reports.push(r));
      client.start();
      link.start();
      try {
        await until(() => reports.length >= 5, 20_000, 'reports from the real MCU');
        expect(client.device?.proto_version).toBe(1);
        expect(reports.slice(1).every((r) => r.frame_count === 10)).toBe(true);
        expect(await client.command(0x7f)).toEqual({ ok: false, reason: 'unknown_command' });
      } finally {
        await client.stop();
        await link.stop();
      }
    }, 60_000);
  });
}
