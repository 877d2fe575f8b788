/**
 * The AT command engine: one command in flight at a time (the others queue), each with a timeout;
 * the response is the lines between the command and its final result code (OK, ERROR, +CME ERROR,
 * +CMS ERROR, NO CARRIER, BUSY, NO ANSWER, NO DIALTONE); the command's echo is dropped; unsolicited
 * result codes (RING, +CREG:, +CMTI: …) are routed to `onUrc` even when they arrive in the middle of
 * a response; an extended command keeps only information lines with its own prefix (a late `+XYZ:`
 * answer to a timed-out command is counted, not mixed in); lines with control or non-ASCII bytes are
 * counted as garbage and dropped. When the port
 * closes, the command in flight and the queue fail with `port_closed`.
 * Must not: open ports (the ReconnectingSerialPort does) or know what any report means (parsers do).
 */
import { ReasonCounter, fail, ok, silentLogger, type Logger, type Result } from '@simhound/protocol';
import type { ByteLink } from '@simhound/firmware-bridge';
import { BoundedLineParser } from './at-line-parser.js';

export const AT_FAILURES = ['timeout', 'error', 'cme_error', 'cms_error', 'no_carrier', 'busy', 'no_answer', 'no_dialtone', 'port_closed', 'stopped', 'bad_command'] as const;
export type AtFailure = (typeof AT_FAILURES)[number];

export interface AtResponse {
  command: string;
  lines: string[];
  elapsed_ms: number;
}

export interface AtCommandOptions {
  timeout_ms?: number;
}

/** Prefixes that are always unsolicited, whatever command is in flight (TS 27.007 and vendors). */
export const DEFAULT_URC_PREFIXES = [
  'RING', '+CRING:', '+CLIP:', '+CMTI:', '+CMT:', '+CBM:', '+CDS:', '+CUSD:', '+CREG:', '+CGREG:', '+CEREG:',
  '+CGEV:', '+CPIN:', '+CFUN:', 'RDY', 'Call Ready', 'SMS Ready', '+QIND:', '+QUSIM:', '+CTZV:', '+PSUTTZ:', '*PSUTTZ:', 'UNDER-VOLTAGE', 'NORMAL POWER DOWN',
];

interface Pending {
  command: string;
  prefix: string | null;
  timeout_ms: number;
  resolve: (r: Result<AtResponse, AtFailure>) => void;
}

export interface AtEngineStats {
  commands: number;
  ok: number;
  failures: Record<string, number>;
  urcs: number;
  echoes: number;
  garbage_lines: number;
  unexpected_lines: number;
  line_overflows: number;
}

/** `AT+CREG?` → `+CREG:`; `AT+QENG="servingcell"` → `+QENG:`; `ATI` → null. */
export function responsePrefixOf(command: string): string | null {
  const m = /^AT([+*$#%^][A-Za-z0-9]+)/i.exec(command);
  return m ? `${m[1]!.toUpperCase()}:` : null;
}

const FINAL_OK = 'OK';
const FINAL_FAIL: ReadonlyArray<[RegExp, AtFailure]> = [
  [/^ERROR$/, 'error'],
  [/^\+CME ERROR:/, 'cme_error'],
  [/^\+CMS ERROR:/, 'cms_error'],
  [/^NO CARRIER$/, 'no_carrier'],
  [/^BUSY$/, 'busy'],
  [/^NO ANSWER$/, 'no_answer'],
  [/^NO DIALTONE$/, 'no_dialtone'],
];
const PRINTABLE = /^[\x20-\x7e]*$/;

export class AtEngine {
  private readonly parser: BoundedLineParser;
  private readonly queue: Pending[] = [];
  private current: (Pending & { lines: string[]; started: number; timer: NodeJS.Timeout }) | null = null;
  private stopped = false;
  private readonly failures = new ReasonCounter<AtFailure>();
  private counts = { commands: 0, ok: 0, urcs: 0, echoes: 0, garbage_lines: 0, unexpected_lines: 0 };
  private readonly urcPrefixes: string[];
  private readonly log: Logger;
  private readonly onData = (chunk: Buffer) => this.parser.write(chunk);
  private readonly onClose = () => this.failAll('port_closed');
  private readonly onOpen = () => this.parser.reset();

  constructor(
    private readonly link: ByteLink,
    private readonly options: { onUrc?: (line: string) => void; log?: Logger; urc_prefixes?: string[]; default_timeout_ms?: number } = {},
  ) {
    this.log = options.log ?? silentLogger;
    this.urcPrefixes = options.urc_prefixes ?? DEFAULT_URC_PREFIXES;
    this.parser = new BoundedLineParser();
    this.parser.on('data', (line: string) => this.onLine(line));
    link.on('data', this.onData);
    link.on('close', this.onClose);
    link.on('open', this.onOpen);
  }

  stats(): AtEngineStats {
    return { ...this.counts, failures: this.failures.toJSON(), line_overflows: this.parser.overflows };
  }

  /** Queue a command; resolves with its response lines or a typed failure. Never rejects. */
  send(command: string, options: AtCommandOptions = {}): Promise<Result<AtResponse, AtFailure>> {
    if (!/^AT[\x20-\x7e]*$/i.test(command) || command.length > 512) return Promise.resolve(fail('bad_command', command));
    if (this.stopped) return Promise.resolve(fail('stopped'));
    return new Promise((resolve) => {
      this.queue.push({ command, prefix: responsePrefixOf(command), timeout_ms: options.timeout_ms ?? this.options.default_timeout_ms ?? 5000, resolve });
      this.next();
    });
  }

  stop(): void {
    this.stopped = true;
    this.failAll('stopped');
    this.link.off('data', this.onData);
    this.link.off('close', this.onClose);
    this.link.off('open', this.onOpen);
  }

  private next(): void {
    if (this.current || this.queue.length === 0) return;
    const p = this.queue.shift()!;
    if (!this.link.isOpen()) {
      this.finish(p, fail('port_closed'));
      this.next();
      return;
    }
    this.counts.commands++;
    const timer = setTimeout(() => {
      if (this.current?.timer !== timer) return;
      const c = this.current;
      this.current = null;
      this.finish(c, fail('timeout', `${c.command} after ${c.timeout_ms} ms`));
      this.next();
    }, p.timeout_ms);
    this.current = { ...p, lines: [], started: Date.now(), timer };
    this.link.write(`${p.command}\r`);
  }

  private finish(p: Pending, r: Result<AtResponse, AtFailure>): void {
    if (r.ok) this.counts.ok++;
    else this.failures.add(r.reason);
    p.resolve(r);
  }

  private complete(r: Result<AtResponse, AtFailure>): void {
    const c = this.current!;
    clearTimeout(c.timer);
    this.current = null;
    this.finish(c, r);
    this.next();
  }

  private failAll(reason: AtFailure): void {
    if (this.current) {
      clearTimeout(this.current.timer);
      const c = this.current;
      this.current = null;
      this.finish(c, fail(reason));
    }
    while (this.queue.length > 0) this.finish(this.queue.shift()!, fail(reason));
  }

  private isUrc(line: string): boolean {
    return this.urcPrefixes.some((p) => line.startsWith(p));
  }

  private onLine(raw: string): void {
    const line = raw.trim();
    if (line === '') return;
    if (!PRINTABLE.test(line)) {
      this.counts.garbage_lines++;
      this.log.debug('garbage line dropped', { length: line.length });
      return;
    }
    const c = this.current;
    if (c === null) {
      if (this.isUrc(line)) this.urc(line);
      else {
        // A late answer to a command that already timed out, or a URC we do not know: counted, kept out.
        this.counts.unexpected_lines++;
        this.log.debug('unexpected line', { line });
      }
      return;
    }
    if (line === c.command || line.toUpperCase() === c.command.toUpperCase()) {
      this.counts.echoes++;
      return;
    }
    if (line === FINAL_OK) {
      this.complete(ok({ command: c.command, lines: c.lines, elapsed_ms: Date.now() - c.started }));
      return;
    }
    for (const [re, reason] of FINAL_FAIL) {
      if (re.test(line)) {
        this.complete(fail(reason, line));
        return;
      }
    }
    const ownPrefix = c.prefix !== null && line.startsWith(c.prefix);
    if (this.isUrc(line) && !ownPrefix) {
      this.urc(line);
      return;
    }
    if (c.prefix !== null && !ownPrefix && /^[+*$#%^][A-Za-z0-9]+:/.test(line)) {
      // Another command's information response (a late answer after a timeout): not ours.
      this.counts.unexpected_lines++;
      this.log.debug('foreign response line', { command: c.command, line });
      return;
    }
    c.lines.push(line);
  }

  private urc(line: string): void {
    this.counts.urcs++;
    this.options.onUrc?.(line);
  }
}
