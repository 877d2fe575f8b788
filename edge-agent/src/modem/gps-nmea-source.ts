/**
 * A GPS receiver on its own serial port speaking NMEA 0183: frames lines, parses GGA/RMC, and reports
 * `position` fixes (at most one per `min_interval_ms`, RMC preferred because it carries speed, course
 * and date). Bad sentences are counted by reason.
 * Must not: configure the receiver (no writes), or invent a fix when the receiver has none.
 */
import { ReasonCounter, silentLogger, type Logger } from '@simhound/protocol';
import { ReconnectingSerialPort, type ByteLink } from '@simhound/firmware-bridge';
import { BoundedLineParser } from './at-line-parser.js';
import type { GpsFix } from './parsers/gps-fix.js';
import { parseNmeaSentence } from './parsers/nmea.js';

export interface GpsNmeaSourceOptions {
  link: ByteLink;
  min_interval_ms?: number;
  onPosition: (fix: GpsFix & { ts_ms: number }) => void;
  log?: Logger;
  now?: () => number;
}

export class GpsNmeaSource {
  private readonly parser = new BoundedLineParser(512);
  private readonly rejects = new ReasonCounter<string>();
  private readonly now: () => number;
  private lastEmit = -Infinity;
  sentences = 0;
  fixes = 0;
  lastSentenceTs: number | null = null;
  private readonly onData = (chunk: Buffer) => this.parser.write(chunk);
  private readonly onOpen = () => this.parser.reset();

  constructor(private readonly options: GpsNmeaSourceOptions) {
    this.now = options.now ?? Date.now;
    this.parser.on('data', (line: string) => this.onLine(line));
  }

  static onSerialPort(options: Omit<GpsNmeaSourceOptions, 'link'> & { path: string; baud_rate: number; log?: Logger }): { source: GpsNmeaSource; port: ReconnectingSerialPort } {
    const port = new ReconnectingSerialPort({ path: options.path, baudRate: options.baud_rate, log: options.log ?? silentLogger });
    return { source: new GpsNmeaSource({ ...options, link: port }), port };
  }

  start(): void {
    this.options.link.on('data', this.onData);
    this.options.link.on('open', this.onOpen);
  }

  stop(): void {
    this.options.link.off('data', this.onData);
    this.options.link.off('open', this.onOpen);
  }

  rejected(): Record<string, number> {
    const r = this.rejects.toJSON();
    if (this.parser.overflows > 0) r.line_overflow = this.parser.overflows;
    return r;
  }

  private onLine(raw: string): void {
    const line = raw.trim();
    if (line === '') return;
    const r = parseNmeaSentence(line);
    this.sentences++;
    this.lastSentenceTs = this.now();
    if (!r.ok) {
      // Other sentence types ($GPGSV …) are fine and ignored; a line that is no sentence at all is noise.
      if (r.reason === 'not_this_report' && !line.startsWith('$')) this.rejects.add('garbage');
      else if (r.reason !== 'not_this_report' && r.reason !== 'no_fix') this.rejects.add(r.reason);
      return;
    }
    const now = this.now();
    const isRmc = /^\$..RMC/.test(line);
    if (!isRmc && now - this.lastEmit < (this.options.min_interval_ms ?? 1000)) return;
    if (isRmc || now - this.lastEmit >= (this.options.min_interval_ms ?? 1000)) {
      this.lastEmit = now;
      this.fixes++;
      this.options.onPosition({ ...r.value, ts_ms: r.value.fix_ts_ms ?? now });
    }
  }
}
