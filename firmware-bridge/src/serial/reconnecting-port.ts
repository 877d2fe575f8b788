/**
 * A serial port that stays open: opens `path` (use `/dev/serial/by-id/…`, which survives renumbering),
 * and when the device goes away (unplug, pty closed, read error) or cannot be opened, retries with
 * exponential backoff until stopped. Consumers listen to `data`, and to `open`/`close` to reset their
 * framing and in-flight state. Counts opens, failed attempts and disconnects for probe status.
 * Must not: frame, parse or interpret bytes; and it never writes while closed (write returns false).
 */
import { EventEmitter } from 'node:events';
import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { silentLogger, type Logger } from '@simhound/protocol';

export interface ReconnectingPortOptions {
  path: string;
  baudRate: number;
  log?: Logger;
  min_backoff_ms?: number;
  max_backoff_ms?: number;
}

export interface ReconnectingPortStats {
  opens: number;
  open_failures: number;
  disconnects: number;
  bytes_in: number;
  bytes_out: number;
}

export interface ByteLink {
  write(bytes: Buffer | string): boolean;
  isOpen(): boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'open' | 'close', listener: () => void): this;
  off(event: 'data', listener: (chunk: Buffer) => void): this;
  off(event: 'open' | 'close', listener: () => void): this;
}

const BY_ID = '/dev/serial/by-id';

/**
 * For a kernel name like /dev/ttyUSB0 or /dev/ttyACM1: the /dev/serial/by-id link that points to it
 * (string), null when there is none, undefined when the path is not a bare kernel name.
 */
export function byIdAlias(path: string, byIdDir = BY_ID): string | null | undefined {
  if (!/^\/dev\/tty(USB|ACM|AMA|S)[0-9]+$/.test(path)) return undefined;
  try {
    for (const name of readdirSync(byIdDir)) {
      const link = join(byIdDir, name);
      if (realpathSync(link) === path) return link;
    }
  } catch {
    // no by-id directory (no udev, or no USB serial devices)
  }
  return null;
}

export class ReconnectingSerialPort extends EventEmitter implements ByteLink {
  private port: SerialPort | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private backoff: number;
  private readonly log: Logger;
  readonly stats: ReconnectingPortStats = { opens: 0, open_failures: 0, disconnects: 0, bytes_in: 0, bytes_out: 0 };

  constructor(private readonly options: ReconnectingPortOptions) {
    super();
    this.log = options.log ?? silentLogger;
    this.backoff = options.min_backoff_ms ?? 250;
  }

  get path(): string {
    return this.options.path;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const alias = byIdAlias(this.options.path);
    if (alias !== undefined) {
      this.log.warn('serial port configured by kernel name, which changes on replug; use the by-id path', { path: this.options.path, by_id: alias ?? 'none found' });
    }
    this.attempt();
  }

  isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  write(bytes: Buffer | string): boolean {
    if (!this.port?.isOpen) return false;
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    this.stats.bytes_out += b.length;
    this.port.write(b);
    return true;
  }

  /** Resolves once the port is open (or rejects after `timeout_ms`). */
  waitOpen(timeout_ms = 10_000): Promise<void> {
    if (this.isOpen()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.off('open', onOpen);
        reject(new Error(`${this.options.path} did not open within ${timeout_ms} ms`));
      }, timeout_ms);
      const onOpen = () => {
        clearTimeout(t);
        resolve();
      };
      this.once('open', onOpen);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private attempt(): void {
    this.timer = null;
    if (this.stopped) return;
    const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
    port.open((err) => {
      if (this.stopped) {
        if (!err) port.close();
        return;
      }
      if (err) {
        this.stats.open_failures++;
        this.log.debug('open failed, will retry', { path: this.options.path, error: err.message, retry_ms: this.backoff });
        this.schedule();
        return;
      }
      this.port = port;
      this.stats.opens++;
      this.backoff = this.options.min_backoff_ms ?? 250;
      this.log.info('port open', { path: this.options.path });
      port.on('data', (chunk: Buffer) => {
        this.stats.bytes_in += chunk.length;
        this.emit('data', chunk);
      });
      port.on('error', (e: Error) => this.log.warn('port error', { path: this.options.path, error: e.message }));
      port.on('close', () => {
        if (this.port !== port) return;
        this.port = null;
        this.stats.disconnects++;
        this.log.warn('port closed, reopening', { path: this.options.path });
        this.emit('close');
        this.schedule();
      });
      this.emit('open');
    });
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.max_backoff_ms ?? 10_000);
    this.timer = setTimeout(() => this.attempt(), delay);
  }
}
