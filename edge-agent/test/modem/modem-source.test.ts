/**
 * The AT engine and the modem source against an emulated modem on a pty pair (socat): scripted
 * dialogues with echo, URCs arriving in the middle of a response, ERROR / +CME ERROR, a command that is
 * never answered, garbage bytes on the line, and the device unplugged (pty gone) then plugged back
 * (the source reopens by path and resumes). With SIMHOUND_TEST_SERIAL naming a modem, the same engine
 * and source run against the real device instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkBody, type NeighbourCellsObservation, type ServingCellObservation } from '@simhound/protocol';
import { ReconnectingSerialPort } from '@simhound/firmware-bridge';
import { createPtyPair, type PtyPair } from '@simhound/test-support/pty-pair';
import { realSerialDevice } from '@simhound/test-support/serial-devices';
import { AtEngine, ModemSource, parseCengResponse, parseQengResponse } from '../../src/modem/index.js';
import { EmulatedModem, QENG_POLLS, SIM800L_POLLS } from './emulated-modem.js';

const until = async (check: () => boolean, timeoutMs = 8000, what = 'condition') => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const realModem = realSerialDevice('modem');

if (realModem === null) {
  describe('AT engine and modem source on an emulated modem (pty)', () => {
    let pty: PtyPair;
    let modem: EmulatedModem;
    let link: ReconnectingSerialPort;
    const cleanup: Array<() => Promise<void> | void> = [];

    const setup = async (vendor: 'simcom' | 'quectel' | 'generic', echo = true) => {
      pty = await createPtyPair('modem');
      modem = new EmulatedModem({ path: pty.devicePath, vendor, echo });
      await modem.open();
      link = new ReconnectingSerialPort({ path: pty.hostPath, baudRate: 115200, min_backoff_ms: 50, max_backoff_ms: 200 });
      link.start();
      await link.waitOpen();
      cleanup.push(() => link.stop(), () => modem.close(), () => pty.close());
    };

    afterEach(async () => {
      while (cleanup.length > 0) await cleanup.pop()!();
    });

    it('runs a dialogue with echo on: response lines without the echo; ERROR and +CME ERROR are typed failures', async () => {
      await setup('simcom');
      const urcs: string[] = [];
      const at = new AtEngine(link, { onUrc: (l) => urcs.push(l) });
      cleanup.push(() => at.stop());
      expect(await at.send('AT')).toMatchObject({ ok: true, value: { lines: [] } });
      expect(await at.send('AT+CSQ')).toMatchObject({ ok: true, value: { command: 'AT+CSQ', lines: ['+CSQ: 18,0'] } });
      modem.overrides.set('AT+CPIN?', { lines: [], final: '+CME ERROR: 10' });
      expect(await at.send('AT+CPIN?')).toEqual({ ok: false, reason: 'cme_error', detail: '+CME ERROR: 10' });
      expect(await at.send('AT+NOPE')).toEqual({ ok: false, reason: 'error', detail: 'ERROR' });
      expect(at.stats()).toMatchObject({ commands: 4, ok: 2, echoes: 4, failures: { cme_error: 1, error: 1 } });
      expect(urcs).toEqual([]);
      expect(modem.received).toEqual(['AT', 'AT+CSQ', 'AT+CPIN?', 'AT+NOPE']);
    });

    it('routes URCs that arrive in the middle of a response, and queues commands one at a time', async () => {
      await setup('simcom');
      const urcs: string[] = [];
      const at = new AtEngine(link, { onUrc: (l) => urcs.push(l) });
      cleanup.push(() => at.stop());
      modem.interleave = ['RING', '+CMTI: "SM",3', '+CREG: 1,"00FD","5431"'];
      const [ceng, csq] = await Promise.all([at.send('AT+CENG?'), at.send('AT+CSQ')]);
      if (!ceng.ok || !csq.ok) throw new Error('command failed');
      expect(ceng.value.lines).toEqual(['+CENG: 1,1', ...SIM800L_POLLS[0]!]);
      expect(urcs).toEqual(['RING', '+CMTI: "SM",3', '+CREG: 1,"00FD","5431"']);
      expect(csq.value.lines).toEqual(['+CSQ: 18,0']);
      // Unsolicited lines with no command in flight go to onUrc too.
      modem.write('\r\nRING\r\n');
      await until(() => urcs.length === 4, 2000, 'idle URC');
      expect(urcs[3]).toBe('RING');
    });

    it('times out a command the modem never answers, counts the late answer, and carries on', async () => {
      await setup('simcom', false);
      const at = new AtEngine(link);
      cleanup.push(() => at.stop());
      modem.overrides.set('AT+SLOW', 'silent');
      const slow = await at.send('AT+SLOW', { timeout_ms: 200 });
      expect(slow).toMatchObject({ ok: false, reason: 'timeout' });
      modem.write('\r\n+SLOW: late\r\n');
      expect(await at.send('AT+CSQ')).toMatchObject({ ok: true, value: { lines: ['+CSQ: 18,0'] } });
      await until(() => at.stats().unexpected_lines === 1, 2000, 'late line counted');
      expect(at.stats().failures).toEqual({ timeout: 1 });
    });

    it('drops garbage bytes on the line as counted garbage lines; commands still succeed', async () => {
      await setup('simcom');
      const at = new AtEngine(link);
      cleanup.push(() => at.stop());
      const noise = Buffer.from([0x00, 0xff, 0x13, 0x7e, 0x80, 0x0d, 0x0a, 0xfe, 0x41, 0x54, 0x00, 0x0a, 0x1b, 0x5b, 0x32, 0x4a, 0x0d]);
      modem.write(noise);
      expect(await at.send('AT+CSQ')).toMatchObject({ ok: true, value: { lines: ['+CSQ: 18,0'] } });
      modem.write(Buffer.concat([noise, Buffer.from('\r\n')]));
      expect(await at.send('AT+CREG?')).toMatchObject({ ok: true, value: { lines: ['+CREG: 2,1,"0113","4E72"'] } });
      expect(at.stats().garbage_lines).toBeGreaterThanOrEqual(3);
      // A long run of noise without any line end is discarded once it passes the line cap.
      modem.write(Buffer.alloc(10_000, 0x55));
      const afterNoise = await at.send('AT');
      // The noise tail and the echo form one line the engine cannot tell from a response line; the
      // final OK still completes the command.
      expect(afterNoise).toMatchObject({ ok: true });
      expect(at.stats().line_overflows).toBeGreaterThanOrEqual(1);
      expect(await at.send('AT+CSQ')).toMatchObject({ ok: true, value: { lines: ['+CSQ: 18,0'] } });
    });

    it('SIMCom source: polls CENG and emits serving_cell / neighbour_cells that fit the contract, with registration', async () => {
      await setup('simcom');
      const serving: ServingCellObservation[] = [];
      const neighbours: NeighbourCellsObservation[] = [];
      const source = new ModemSource({ name: 'modem', vendor: 'auto', gps: 'none', poll_interval_s: 0.2, operator_scan_interval_s: 0, link, onServingCell: (o) => serving.push(o), onNeighbourCells: (o) => neighbours.push(o) });
      source.start();
      cleanup.push(() => source.stop());
      await until(() => serving.length >= 2, 8000, 'two polls');
      expect(source.detectedVendor).toBe('simcom');
      const expected = parseCengResponse(SIM800L_POLLS[0]!);
      if (!expected.ok) throw new Error('fixture');
      expect(serving[0]).toMatchObject({ type: 'serving_cell', source_name: 'modem', ...expected.value.serving });
      expect(neighbours[0]!.neighbours).toEqual(expected.value.neighbours);
      expect(checkBody('observation', { observations: [...serving, ...neighbours] }).ok).toBe(true);
      // Each poll asks CREG? then CGREG?; under load the check may land between the two answers.
      await until(() => source.registration?.domain === 'ps', 8000, 'the packet-domain registration');
      expect(source.registration).toMatchObject({ domain: 'ps', stat: 'home', lac: 0x113, ci: 0x4e72 });
      expect(source.health()).toMatchObject({ state: 'ok', rejected_total: 0 });
      expect(modem.received.slice(0, 7)).toEqual(['AT', 'AT+CMEE=1', 'AT+CGMI', 'AT+CENG=1,1', 'AT+CREG=2', 'AT+CGREG=2', 'AT+CENG?']);
    });

    it('Quectel source with GPS: QENG rows and QGPSLOC position', async () => {
      await setup('quectel');
      const serving: ServingCellObservation[] = [];
      const fixes: Array<{ ts_ms: number; position: { lat_deg: number } }> = [];
      const source = new ModemSource({ name: 'q', vendor: 'auto', gps: 'qgpsloc', poll_interval_s: 0.2, operator_scan_interval_s: 0, link, onServingCell: (o) => serving.push(o), onPosition: (f) => fixes.push(f) });
      source.start();
      cleanup.push(() => source.stop());
      await until(() => serving.length >= 1 && fixes.length >= 1, 8000, 'poll with fix');
      const expected = parseQengResponse(QENG_POLLS[0]!);
      if (!expected.ok) throw new Error('fixture');
      expect(serving[0]).toMatchObject(expected.value.serving!);
      expect(fixes[0]).toMatchObject({ position: { lat_deg: -29.31, lon_deg: 27.48, position_source: 'gps', accuracy_m: 4, alt_m: 1600 }, ts_ms: Date.UTC(2026, 11, 3, 6, 19, 51) });
    });

    it('generic 27.007 modem: serving cell from COPS? + CREG? + CSQ', async () => {
      await setup('generic');
      const serving: ServingCellObservation[] = [];
      const source = new ModemSource({ name: 'g', vendor: 'auto', gps: 'none', poll_interval_s: 0.2, operator_scan_interval_s: 0, link, onServingCell: (o) => serving.push(o) });
      source.start();
      cleanup.push(() => source.stop());
      await until(() => serving.length >= 1, 8000, 'generic poll');
      expect(serving[0]).toMatchObject({ rat: 'gsm', cell: { mcc: '310', mnc: '260', lac: 0x113, ci: 0x4e72 }, rssi_dbm: -77, rxlev: 34 });
    });

    it('runs the AT+COPS=? operator scan on its schedule with a long timeout', async () => {
      await setup('simcom');
      modem.overrides.set('AT+COPS=?', { lines: ['+COPS: (2,"T-Mobile","TMO","310260",0),(1,"AT&T","AT&T","310410",0),,(0,1,2,3,4),(0,1,2)'] });
      const source = new ModemSource({ name: 'modem', vendor: 'simcom', gps: 'none', poll_interval_s: 0.2, operator_scan_interval_s: 3600, link });
      source.start();
      cleanup.push(() => source.stop());
      await until(() => source.operators.length === 2, 8000, 'operator scan');
      expect(source.operators.map((o) => `${o.mcc}${o.mnc}:${o.stat}`)).toEqual(['310260:current', '310410:available']);
      await new Promise((r) => setTimeout(r, 600));
      expect(modem.received.filter((c) => c === 'AT+COPS=?')).toHaveLength(1); // once per interval, not per poll
    });

    it('survives unplug: in-flight command fails port_closed, health goes to error, and after replug the source reopens and polls again', async () => {
      await setup('simcom');
      const serving: ServingCellObservation[] = [];
      const source = new ModemSource({ name: 'modem', vendor: 'simcom', gps: 'none', poll_interval_s: 0.2, operator_scan_interval_s: 0, link, onServingCell: (o) => serving.push(o) });
      source.start();
      cleanup.push(() => source.stop());
      await until(() => serving.length >= 1, 8000, 'first poll');
      modem.overrides.set('AT+CSQ', 'silent');
      const inflight = source.engine.send('AT+CSQ', { timeout_ms: 5000 });
      await new Promise((r) => setTimeout(r, 100));
      await modem.close();
      await pty.unplug();
      expect(await inflight).toEqual({ ok: false, reason: 'port_closed' });
      await until(() => !link.isOpen(), 3000, 'link closed');
      expect(source.health().state).toBe('error');
      const before = serving.length;
      await new Promise((r) => setTimeout(r, 300)); // reopen attempts fail while unplugged
      expect(link.stats.open_failures).toBeGreaterThan(0);
      await pty.plug();
      modem = new EmulatedModem({ path: pty.devicePath, vendor: 'simcom' });
      await modem.open();
      await until(() => serving.length >= before + 2, 8000, 'polls after replug');
      expect(link.stats).toMatchObject({ opens: 2, disconnects: 1 });
      expect(modem.received[0]).toBe('AT'); // re-initialised on reopen
      expect(source.health().state).toBe('ok');
    });
  });
} else {
  describe(`AT engine and modem source on the real modem ${realModem}`, () => {
    it('answers AT, reports signal quality, and yields a serving cell that fits the contract', async () => {
      const link = new ReconnectingSerialPort({ path: realModem, baudRate: Number(process.env.SIMHOUND_TEST_SERIAL_BAUD ?? 115200) });
      link.start();
      await link.waitOpen();
      const serving: ServingCellObservation[] = [];
      const source = new ModemSource({ name: 'modem', vendor: 'auto', gps: 'none', poll_interval_s: 5, operator_scan_interval_s: 0, link, onServingCell: (o) => serving.push(o) });
      try {
        source.start();
        await until(() => serving.length >= 1, 60_000, 'serving cell from the real modem');
        expect(checkBody('observation', { observations: serving }).ok).toBe(true);
        expect(await source.engine.send('AT')).toMatchObject({ ok: true });
      } finally {
        source.stop();
        await link.stop();
      }
    }, 90_000);
  });
}
