/**
 * Bench-only: the append-only-log design the disk outbox was weighed against (bench/outbox.ts). Not used
 * by the agent. It does what the log needs to be comparable on the hot path — append a checksummed put
 * record and fdatasync it, append an unsynced ack record on PUBACK, rebuild the index by scanning the
 * file at open (a torn last record is ignored) — and leaves out what a production log would still need
 * (segment rotation, compaction of acknowledged records, the drop policy, the seq counter), all of which
 * the SQLite outbox gets from the database.
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const PUT = 1;
const ACK = 2;

export class AppendLogOutbox {
  private readonly fd: number;
  private readonly index = new Map<string, string>();

  constructor(path: string, private readonly fsyncPuts = true) {
    this.scan(path);
    this.fd = openSync(path, 'a');
  }

  put(id: string, payload: string): void {
    this.append(PUT, JSON.stringify([id, payload]));
    if (this.fsyncPuts) fdatasyncSync(this.fd);
    this.index.set(id, payload);
  }

  remove(id: string): boolean {
    if (!this.index.delete(id)) return false;
    this.append(ACK, id);
    return true;
  }

  depth(): number {
    return this.index.size;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Record: u32 body length, u8 type, u32 crc32(body), body. */
  private append(type: number, body: string): void {
    const b = Buffer.from(body);
    const rec = Buffer.allocUnsafe(9 + b.length);
    rec.writeUInt32LE(b.length, 0);
    rec[4] = type;
    rec.writeUInt32LE(crc32(b), 5);
    b.copy(rec, 9);
    writeSync(this.fd, rec);
  }

  private scan(path: string): void {
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch {
      return;
    }
    let p = 0;
    while (p + 9 <= buf.length) {
      const len = buf.readUInt32LE(p);
      if (p + 9 + len > buf.length) break;
      const body = buf.subarray(p + 9, p + 9 + len);
      if (crc32(body) !== buf.readUInt32LE(p + 5)) break;
      if (buf[p + 4] === PUT) {
        const [id, payload] = JSON.parse(body.toString()) as [string, string];
        this.index.set(id, payload);
      } else this.index.delete(body.toString());
      p += 9 + len;
    }
  }
}
