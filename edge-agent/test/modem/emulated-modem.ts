/**
 * A scripted modem on the device end of a pty pair: it reads AT commands (CR-terminated), echoes them
 * like a modem with ATE1, and answers from a table (real engineering-mode output for CENG/QENG). Tests
 * can hold a command unanswered, interleave URCs into a response, and spray garbage bytes. Test-only.
 */
import { readFileSync } from 'node:fs';
import { SerialPort } from 'serialport';

export type Answer = { lines: string[]; final?: string } | 'silent';

export interface EmulatedModemOptions {
  path: string;
  vendor: 'simcom' | 'quectel' | 'generic';
  echo?: boolean;
}

const polls = (name: string) =>
  readFileSync(new URL(`../vectors/modem/${name}`, import.meta.url), 'utf8')
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.split(/\r?\n/).filter((l) => l.trim() !== ''));

export const SIM800L_POLLS = polls('ceng-SIM800L.txt');
export const QENG_POLLS = polls('qeng-quectel.txt');

export class EmulatedModem {
  readonly received: string[] = [];
  private port: SerialPort | null = null;
  private buffer = '';
  private poll = 0;
  /** Per-command overrides, checked before the built-in table. */
  readonly overrides = new Map<string, Answer>();
  /** Lines written in the middle of the next response (after its first line). */
  interleave: string[] = [];

  constructor(private readonly options: EmulatedModemOptions) {}

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.options.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('data', (d: Buffer) => this.onData(d));
    port.on('error', () => {});
    this.port = port;
    this.buffer = '';
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((r) => p.close(() => r()));
  }

  write(text: string | Buffer): void {
    this.port?.write(text);
  }

  private answer(cmd: string): Answer {
    const o = this.overrides.get(cmd);
    if (o !== undefined) return o;
    const v = this.options.vendor;
    switch (cmd) {
      case 'AT': case 'AT+CMEE=1': case 'AT+CREG=2': case 'AT+CGREG=2': case 'AT+CENG=1,1': case 'AT+COPS=3,2': case 'AT+QGPS=1':
        return { lines: [] };
      case 'AT+CGMI':
        return { lines: [v === 'simcom' ? 'SIMCOM_Ltd' : v === 'quectel' ? 'Quectel' : 'Generic Modem Co'] };
      case 'AT+CSQ':
        return { lines: ['+CSQ: 18,0'] };
      case 'AT+CREG?':
        return { lines: ['+CREG: 2,1,"0113","4E72"'] };
      case 'AT+CGREG?':
        return { lines: ['+CGREG: 2,1,"0113","4E72"'] };
      case 'AT+COPS?':
        return { lines: ['+COPS: 0,2,"310260",0'] };
      case 'AT+CENG?':
        return v === 'simcom' ? { lines: ['+CENG: 1,1', ...SIM800L_POLLS[this.poll++ % SIM800L_POLLS.length]!] } : { lines: [], final: 'ERROR' };
      case 'AT+QENG="servingcell"':
        return v === 'quectel' ? { lines: [QENG_POLLS[0]![0]!] } : { lines: [], final: 'ERROR' };
      case 'AT+QENG="neighbourcell"':
        return v === 'quectel' ? { lines: QENG_POLLS[0]!.slice(1) } : { lines: [], final: 'ERROR' };
      case 'AT+CGPSINFO':
        return { lines: ['+CGPSINFO: 2918.900000,S,02729.160000,E,031226,101500.0,1600.0,0.0,0'] };
      case 'AT+CGPS=1':
        return { lines: [] };
      case 'AT+QGPSLOC=2':
        return { lines: ['+QGPSLOC: 061951.000,-29.31,27.48,0.8,1600.0,3,0.00,0.0,0.0,031226,09'] };
      default:
        return { lines: [], final: 'ERROR' };
    }
  }

  private onData(d: Buffer): void {
    this.buffer += d.toString('latin1');
    let i: number;
    while ((i = this.buffer.indexOf('\r')) >= 0) {
      const cmd = this.buffer.slice(0, i).replace(/^\n+/, '');
      this.buffer = this.buffer.slice(i + 1);
      if (cmd === '') continue;
      this.received.push(cmd);
      if (this.options.echo ?? true) this.write(`${cmd}\r`);
      const a = this.answer(cmd);
      if (a === 'silent') continue;
      const out: string[] = [];
      a.lines.forEach((line, n) => {
        out.push(`\r\n${line}\r\n`);
        if (n === 0 && this.interleave.length > 0) {
          for (const u of this.interleave) out.push(`\r\n${u}\r\n`);
          this.interleave = [];
        }
      });
      if (this.interleave.length > 0) {
        for (const u of this.interleave) out.push(`\r\n${u}\r\n`);
        this.interleave = [];
      }
      out.push(`\r\n${a.final ?? 'OK'}\r\n`);
      this.write(out.join(''));
    }
  }
}
