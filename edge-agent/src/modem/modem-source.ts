/**
 * The modem source: keeps a cellular modem in engineering mode and polls it. On every (re)open it
 * syncs (`AT`), asks for numeric errors, identifies the vendor (`AT+CGMI`) unless configured, enables
 * engineering mode and registration URCs with location; then every `poll_interval_s` it asks for the
 * cell report (SIMCom `AT+CENG?`, Quectel `AT+QENG`, or for other modems `AT+COPS?` + `AT+CREG?` +
 * `AT+CSQ`), and the GPS fix when configured, and emits `serving_cell`, `neighbour_cells` and
 * `position` observations. An optional `AT+COPS=?` scan runs every `operator_scan_interval_s`.
 * Every failure (AT timeout, ERROR, unparsable row) is counted by reason for probe status.
 * Must not: transmit anything on the air (no calls, no SMS, no attach changes), or block the caller.
 */
import { ReasonCounter, silentLogger, type Logger, type NeighbourCellsObservation, type ServingCellObservation } from '@simhound/protocol';
import { ReconnectingSerialPort, type ByteLink } from '@simhound/firmware-bridge';
import { AtEngine } from './at-engine.js';
import type { CellReport } from './parsers/cell-report.js';
import { rssiDbmToRxlev } from './parsers/fields.js';
import type { GpsFix } from './parsers/gps-fix.js';
import { parseCgpsInfo, parseQgpsLoc } from './parsers/modem-gps.js';
import { parseCurrentOperator, parseOperatorScan, type OperatorEntry } from './parsers/operators.js';
import type { ParseResult } from './parsers/parse-result.js';
import { parseQengResponse } from './parsers/quectel-qeng.js';
import { parseRegistration, type Registration } from './parsers/registration.js';
import { parseSignalQuality } from './parsers/signal-quality.js';
import { parseCengResponse } from './parsers/simcom-ceng.js';

export type ModemVendor = 'auto' | 'simcom' | 'quectel' | 'generic';
export type ModemGps = 'none' | 'cgpsinfo' | 'qgpsloc';

export interface ModemSourceOptions {
  name: string;
  vendor: ModemVendor;
  gps: ModemGps;
  poll_interval_s: number;
  operator_scan_interval_s: number;
  command_timeout_ms?: number;
  /** The port; a ReconnectingSerialPort in production, any ByteLink in tests. */
  link: ByteLink;
  onServingCell?: (o: ServingCellObservation) => void;
  onNeighbourCells?: (o: NeighbourCellsObservation) => void;
  onPosition?: (fix: GpsFix & { ts_ms: number }) => void;
  onRegistration?: (r: Registration) => void;
  log?: Logger;
  now?: () => number;
}

export interface ModemSourceHealth {
  state: 'ok' | 'idle' | 'error';
  frames_total: number;
  events_total: number;
  rejected_total: number;
  rejected_by_reason: Record<string, number>;
  last_frame_ts_ms: number | null;
}

export class ModemSource {
  readonly engine: AtEngine;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly rejects = new ReasonCounter<string>();
  private vendor: Exclude<ModemVendor, 'auto'> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private running = false;
  private initialised = false;
  private lastScan = 0;
  private responses = 0;
  private events = 0;
  private lastFrame: number | null = null;
  operators: OperatorEntry[] = [];
  registration: Registration | null = null;
  private readonly onOpen = () => {
    this.initialised = false;
    void this.poll();
  };

  constructor(private readonly options: ModemSourceOptions) {
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.engine = new AtEngine(options.link, { log: this.log, default_timeout_ms: options.command_timeout_ms ?? 5000, onUrc: (line) => this.onUrc(line) });
  }

  /** Opens (through the link) a real port by path with reconnect; the usual production wiring. */
  static onSerialPort(options: Omit<ModemSourceOptions, 'link'> & { path: string; baud_rate: number }): { source: ModemSource; port: ReconnectingSerialPort } {
    const port = new ReconnectingSerialPort({ path: options.path, baudRate: options.baud_rate, log: options.log });
    return { source: new ModemSource({ ...options, link: port }), port };
  }

  get detectedVendor(): ModemVendor | null {
    return this.vendor;
  }

  start(): void {
    this.running = true;
    this.options.link.on('open', this.onOpen);
    this.timer = setInterval(() => void this.poll(), this.options.poll_interval_s * 1000);
    if (this.options.link.isOpen()) void this.poll();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.options.link.off('open', this.onOpen);
    this.engine.stop();
  }

  health(): ModemSourceHealth {
    const at = this.engine.stats();
    const rejected: Record<string, number> = { ...this.rejects.toJSON() };
    for (const [k, v] of Object.entries(at.failures)) if (k !== 'stopped') rejected[`at_${k}`] = v;
    if (at.garbage_lines > 0) rejected.garbage_line = at.garbage_lines;
    if (at.line_overflows > 0) rejected.line_overflow = at.line_overflows;
    if (at.unexpected_lines > 0) rejected.unexpected_line = at.unexpected_lines;
    const total = Object.values(rejected).reduce((a, b) => a + b, 0);
    const connected = this.options.link.isOpen();
    return {
      state: !connected ? 'error' : this.events > 0 ? 'ok' : 'idle',
      frames_total: this.responses,
      events_total: this.events,
      rejected_total: total,
      rejected_by_reason: rejected,
      last_frame_ts_ms: this.lastFrame,
    };
  }

  /** One poll cycle (also run on every reopen). Never throws; concurrent calls collapse into one. */
  async poll(): Promise<void> {
    if (this.polling || !this.running || !this.options.link.isOpen()) return;
    this.polling = true;
    try {
      if (!this.initialised) this.initialised = await this.initialise();
      if (!this.initialised) return;
      await this.pollCells();
      if (this.options.gps !== 'none') await this.pollGps();
      const scanEvery = this.options.operator_scan_interval_s * 1000;
      if (scanEvery > 0 && this.now() - this.lastScan >= scanEvery) {
        this.lastScan = this.now();
        await this.scanOperators();
      }
    } finally {
      this.polling = false;
    }
  }

  private async cmd(command: string, timeout_ms?: number): Promise<string[] | null> {
    const r = await this.engine.send(command, timeout_ms === undefined ? {} : { timeout_ms });
    if (!r.ok) {
      this.log.debug('AT command failed', { command, reason: r.reason, detail: r.detail });
      return null;
    }
    this.responses++;
    this.lastFrame = this.now();
    return r.value.lines;
  }

  private count<T>(what: string, r: ParseResult<T>): T | null {
    if (r.ok) return r.value;
    if (r.reason !== 'no_fix' && r.reason !== 'no_service') this.rejects.add(`${what}_${r.reason}`);
    return null;
  }

  private async initialise(): Promise<boolean> {
    // A modem just powered or replugged may need a few ATs to lock its autobaud.
    let synced = false;
    for (let i = 0; i < 3 && !synced; i++) synced = (await this.cmd('AT', 1000)) !== null;
    if (!synced) return false;
    await this.cmd('AT+CMEE=1');
    if (this.options.vendor === 'auto') {
      const id = (await this.cmd('AT+CGMI')) ?? [];
      const text = id.join(' ').toUpperCase();
      this.vendor = text.includes('SIMCOM') ? 'simcom' : text.includes('QUECTEL') ? 'quectel' : 'generic';
    } else this.vendor = this.options.vendor;
    if (this.vendor === 'simcom') await this.cmd('AT+CENG=1,1');
    await this.cmd('AT+CREG=2');
    await this.cmd('AT+CGREG=2');
    if (this.vendor === 'generic') await this.cmd('AT+COPS=3,2');
    if (this.options.gps === 'qgpsloc') await this.cmd('AT+QGPS=1');
    if (this.options.gps === 'cgpsinfo') await this.cmd('AT+CGPS=1');
    this.log.info('modem ready', { vendor: this.vendor });
    return true;
  }

  private emitReport(report: CellReport): void {
    const ts_ms = this.now();
    if (report.rejected_rows > 0) this.rejects.add('cell_row_rejected', report.rejected_rows);
    if (report.serving) {
      this.events++;
      this.options.onServingCell?.({ type: 'serving_cell', ts_ms, source_name: this.options.name, ...report.serving });
    }
    this.events++;
    this.options.onNeighbourCells?.({ type: 'neighbour_cells', ts_ms, source_name: this.options.name, rat: report.rat, neighbours: report.neighbours.slice(0, 64) });
  }

  private async pollCells(): Promise<void> {
    if (this.vendor === 'simcom') {
      const lines = await this.cmd('AT+CENG?');
      if (lines) {
        const r = this.count('ceng', parseCengResponse(lines));
        if (r) this.emitReport(r);
      }
    } else if (this.vendor === 'quectel') {
      const serving = await this.cmd('AT+QENG="servingcell"');
      const neighbours = await this.cmd('AT+QENG="neighbourcell"');
      if (serving || neighbours) {
        const r = this.count('qeng', parseQengResponse([...(serving ?? []), ...(neighbours ?? [])]));
        if (r) this.emitReport(r);
      }
    } else {
      await this.pollGeneric();
    }
    for (const command of ['AT+CREG?', 'AT+CGREG?']) {
      const lines = await this.cmd(command);
      for (const line of lines ?? []) {
        const r = this.count('registration', parseRegistration(line));
        if (r) this.noteRegistration(r);
      }
    }
  }

  /** Any 27.007 modem: PLMN from AT+COPS?, LAC/CI from AT+CREG?, level from AT+CSQ. */
  private async pollGeneric(): Promise<void> {
    const cops = await this.cmd('AT+COPS?');
    const op = cops?.map((l) => parseCurrentOperator(l)).find((r) => r.ok);
    const creg = await this.cmd('AT+CREG?');
    const reg = creg?.map((l) => parseRegistration(l)).find((r) => r.ok);
    const csq = await this.cmd('AT+CSQ');
    const q = csq?.map((l) => parseSignalQuality(l)).find((r) => r.ok);
    if (!op?.ok || !reg?.ok) {
      this.rejects.add('generic_incomplete');
      return;
    }
    const { mcc, mnc, act } = op.value;
    const { lac, ci } = reg.value;
    const rat: ServingCellObservation['rat'] = act === 7 ? 'lte' : act === 2 || (act !== null && act >= 4 && act <= 6) ? 'umts' : 'gsm';
    const cell = mcc && mnc && lac !== null && ci !== null && lac <= 0xffff && ci <= 0xfffffff ? { mcc, mnc, lac, ci } : null;
    const serving: ServingCellObservation = { type: 'serving_cell', ts_ms: this.now(), source_name: this.options.name, rat, cell };
    if (q?.ok && q.value.rssi_dbm !== null) {
      serving.rssi_dbm = q.value.rssi_dbm;
      if (rat === 'gsm') serving.rxlev = rssiDbmToRxlev(q.value.rssi_dbm);
    }
    this.events++;
    this.options.onServingCell?.(serving);
  }

  private async pollGps(): Promise<void> {
    const command = this.options.gps === 'qgpsloc' ? 'AT+QGPSLOC=2' : 'AT+CGPSINFO';
    const r = await this.engine.send(command, { timeout_ms: this.options.command_timeout_ms ?? 5000 });
    if (!r.ok) {
      // Quectel answers "+CME ERROR: 516" while it has no fix: not an error of the modem.
      if (!(r.reason === 'cme_error' && / 516$/.test(r.detail ?? ''))) {
        this.log.debug('GPS query failed', { reason: r.reason });
      }
      return;
    }
    this.responses++;
    for (const line of r.value.lines) {
      const fix = this.count('gps', this.options.gps === 'qgpsloc' ? parseQgpsLoc(line) : parseCgpsInfo(line));
      if (fix) {
        this.events++;
        this.options.onPosition?.({ ...fix, ts_ms: fix.fix_ts_ms ?? this.now() });
      }
    }
  }

  private async scanOperators(): Promise<void> {
    const lines = await this.cmd('AT+COPS=?', 180_000);
    for (const line of lines ?? []) {
      const r = this.count('cops', parseOperatorScan(line));
      if (r) {
        this.operators = r;
        this.log.info('operator scan', { operators: r.map((o) => `${o.mcc}${o.mnc}:${o.stat}`) });
      }
    }
  }

  private noteRegistration(r: Registration): void {
    this.registration = r;
    this.options.onRegistration?.(r);
  }

  private onUrc(line: string): void {
    const r = parseRegistration(line);
    if (r.ok) this.noteRegistration(r.value);
  }
}
