/**
 * Writes GSMTAP datagrams as capture files tshark, Wireshark and simhound's pcap source read:
 * classic pcap (microsecond timestamps, LINKTYPE_ETHERNET) or pcapng (one Section Header Block, one
 * Interface Description Block, one Enhanced Packet Block per frame), each datagram wrapped in
 * Ethernet/IPv4/UDP to port 4729 with valid checksums.
 *
 * Two front ends share one record encoder: a streaming file writer (fills 1 MiB chunks and honours
 * stream backpressure, so 10 M frames take flat memory) and an in-memory writer returning a Buffer.
 * Bad input (an oversized datagram, a negative timestamp) is counted and skipped, never thrown.
 * It must not know what is inside the datagram.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fail, ok, ReasonCounter, type Result } from '@simhound/protocol';
import { FRAME_OVERHEAD_OCTETS, MAX_UDP_PAYLOAD_OCTETS, parseIpv4, writeEthernetIpv4UdpFrame } from './udp-frame.js';

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureOptions {
  /** Default 'pcap'. */
  readonly format?: CaptureFormat;
  /** Default 127.0.0.1 → 127.0.0.1 (as a local gr-gsm capture). */
  readonly src_ip?: string;
  readonly dst_ip?: string;
  /** Default 4729 (GSMTAP) for both ports. */
  readonly src_port?: number;
  readonly dst_port?: number;
}

export type CaptureRejectReason = 'too_long' | 'bad_timestamp';
export type CaptureOpenFailReason = 'bad_options' | 'io_error';

export interface CaptureStats {
  readonly frames: number;
  /** Octets written to the file so far, headers included. */
  readonly octets: number;
  /** Datagrams not written, by reason. */
  readonly rejected: Record<string, number>;
}

const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 65535;
const PCAP_RECORD_HEADER_OCTETS = 16;
const PCAPNG_EPB_OVERHEAD_OCTETS = 32;
const CHUNK_OCTETS = 1 << 20;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Encodes file headers and records of one format; shared by the streaming and in-memory writers. */
class CaptureRecordEncoder {
  private readonly src: Uint8Array;
  private readonly dst: Uint8Array;
  private readonly srcPort: number;
  private readonly dstPort: number;
  private ipId = 0;
  readonly format: CaptureFormat;

  private constructor(format: CaptureFormat, src: Uint8Array, dst: Uint8Array, srcPort: number, dstPort: number) {
    this.format = format;
    this.src = src;
    this.dst = dst;
    this.srcPort = srcPort;
    this.dstPort = dstPort;
  }

  static create(options: CaptureOptions): Result<CaptureRecordEncoder, 'bad_options'> {
    const format = options.format ?? 'pcap';
    const src = parseIpv4(options.src_ip ?? '127.0.0.1');
    const dst = parseIpv4(options.dst_ip ?? '127.0.0.1');
    const srcPort = options.src_port ?? 4729;
    const dstPort = options.dst_port ?? 4729;
    const portOk = (p: number) => Number.isInteger(p) && p >= 0 && p <= 0xffff;
    if ((format !== 'pcap' && format !== 'pcapng') || !src || !dst || !portOk(srcPort) || !portOk(dstPort)) {
      return fail('bad_options', JSON.stringify(options));
    }
    return ok(new CaptureRecordEncoder(format, src, dst, srcPort, dstPort));
  }

  fileHeader(): Buffer {
    if (this.format === 'pcap') {
      const h = Buffer.alloc(24);
      h.writeUInt32LE(0xa1b2c3d4, 0); // microsecond-resolution magic
      h.writeUInt16LE(2, 4);
      h.writeUInt16LE(4, 6);
      h.writeInt32LE(0, 8); // thiszone
      h.writeUInt32LE(0, 12); // sigfigs
      h.writeUInt32LE(SNAPLEN, 16);
      h.writeUInt32LE(LINKTYPE_ETHERNET, 20);
      return h;
    }
    const shb = Buffer.alloc(28);
    shb.writeUInt32LE(0x0a0d0d0a, 0);
    shb.writeUInt32LE(28, 4);
    shb.writeUInt32LE(0x1a2b3c4d, 8); // byte-order magic
    shb.writeUInt16LE(1, 12);
    shb.writeUInt16LE(0, 14);
    shb.writeBigInt64LE(-1n, 16); // section length not specified
    shb.writeUInt32LE(28, 24);
    const idb = Buffer.alloc(20);
    idb.writeUInt32LE(0x00000001, 0);
    idb.writeUInt32LE(20, 4);
    idb.writeUInt16LE(LINKTYPE_ETHERNET, 8);
    idb.writeUInt16LE(0, 10);
    idb.writeUInt32LE(SNAPLEN, 12);
    idb.writeUInt32LE(20, 16); // no options: if_tsresol defaults to microseconds
    return Buffer.concat([shb, idb]);
  }

  /** Octets one record takes, or a reason it cannot be written. */
  recordOctets(datagram: Uint8Array, tsUs: number): number | CaptureRejectReason {
    if (datagram.length > MAX_UDP_PAYLOAD_OCTETS) return 'too_long';
    if (!Number.isSafeInteger(tsUs) || tsUs < 0) return 'bad_timestamp';
    if (this.format === 'pcap' && tsUs / 1e6 >= 2 ** 32) return 'bad_timestamp';
    const frame = FRAME_OVERHEAD_OCTETS + datagram.length;
    return this.format === 'pcap' ? PCAP_RECORD_HEADER_OCTETS + frame : PCAPNG_EPB_OVERHEAD_OCTETS + pad4(frame);
  }

  /** Writes one record of `recordOctets` octets into `out` at `offset` (validated by the caller). */
  writeRecord(out: Buffer, offset: number, datagram: Uint8Array, tsUs: number, recordOctets: number): void {
    const frame = FRAME_OVERHEAD_OCTETS + datagram.length;
    const id = this.ipId;
    this.ipId = (this.ipId + 1) & 0xffff;
    if (this.format === 'pcap') {
      out.writeUInt32LE(Math.floor(tsUs / 1e6), offset);
      out.writeUInt32LE(tsUs % 1e6, offset + 4);
      out.writeUInt32LE(frame, offset + 8);
      out.writeUInt32LE(frame, offset + 12);
      writeEthernetIpv4UdpFrame(out, offset + 16, datagram, this.src, this.dst, this.srcPort, this.dstPort, id);
      return;
    }
    out.writeUInt32LE(0x00000006, offset);
    out.writeUInt32LE(recordOctets, offset + 4);
    out.writeUInt32LE(0, offset + 8); // interface 0
    out.writeUInt32LE(Math.floor(tsUs / 2 ** 32), offset + 12);
    out.writeUInt32LE(tsUs % 2 ** 32, offset + 16);
    out.writeUInt32LE(frame, offset + 20);
    out.writeUInt32LE(frame, offset + 24);
    writeEthernetIpv4UdpFrame(out, offset + 28, datagram, this.src, this.dst, this.srcPort, this.dstPort, id);
    out.fill(0, offset + 28 + frame, offset + 28 + pad4(frame));
    out.writeUInt32LE(recordOctets, offset + recordOctets - 4);
  }
}

/** Streams a capture to a file. `write` is synchronous until a 1 MiB chunk is full. */
export class GsmtapCaptureFileWriter {
  private chunk = Buffer.allocUnsafe(CHUNK_OCTETS);
  private used = 0;
  private frameCount = 0;
  private octetCount = 0;
  private ioError: Error | undefined;
  private readonly rejected = new ReasonCounter<CaptureRejectReason>();

  private constructor(
    private readonly stream: WriteStream,
    private readonly encoder: CaptureRecordEncoder,
  ) {
    stream.on('error', (error) => {
      this.ioError ??= error;
    });
  }

  /** Creates (truncates) `path` and writes the file header. */
  static async open(path: string, options: CaptureOptions = {}): Promise<Result<GsmtapCaptureFileWriter, CaptureOpenFailReason>> {
    const encoder = CaptureRecordEncoder.create(options);
    if (!encoder.ok) return encoder;
    const stream = createWriteStream(path);
    try {
      await once(stream, 'open');
    } catch (error) {
      return fail('io_error', (error as Error).message);
    }
    const writer = new GsmtapCaptureFileWriter(stream, encoder.value);
    writer.append(encoder.value.fileHeader());
    return ok(writer);
  }

  get stats(): CaptureStats {
    return { frames: this.frameCount, octets: this.octetCount, rejected: this.rejected.toJSON() };
  }

  private append(bytes: Buffer): void {
    if (this.used + bytes.length > this.chunk.length) void this.flushChunk();
    bytes.copy(this.chunk, this.used);
    this.used += bytes.length;
    this.octetCount += bytes.length;
  }

  /** Hands the current chunk to the stream; resolves when the stream can take more. */
  private flushChunk(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK_OCTETS);
    this.used = 0;
    if (this.ioError) return undefined;
    if (this.stream.write(full)) return undefined;
    return once(this.stream, 'drain').then(
      () => undefined,
      () => undefined, // the 'error' listener recorded it
    );
  }

  /**
   * Appends one GSMTAP datagram received at `ts_us` (µs since the Unix epoch). Returns a promise only
   * when a chunk was flushed and the stream asks to wait (await it to keep memory flat).
   */
  write(datagram: Uint8Array, ts_us: number): Promise<void> | undefined {
    const size = this.encoder.recordOctets(datagram, ts_us);
    if (typeof size === 'string') {
      this.rejected.add(size);
      return undefined;
    }
    let pending: Promise<void> | undefined;
    if (this.used + size > this.chunk.length) pending = this.flushChunk();
    this.encoder.writeRecord(this.chunk, this.used, datagram, ts_us, size);
    this.used += size;
    this.frameCount++;
    this.octetCount += size;
    return pending;
  }

  /** Flushes and closes the file; fails with 'io_error' if any write failed. */
  async close(): Promise<Result<CaptureStats, 'io_error'>> {
    await this.flushChunk();
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.ioError) return fail('io_error', this.ioError.message);
    return ok(this.stats);
  }
}

/** Builds a capture in memory (tests, small fixtures). */
export class GsmtapCaptureBuffer {
  private readonly parts: Buffer[] = [];
  private frameCount = 0;
  private readonly rejected = new ReasonCounter<CaptureRejectReason>();

  private constructor(private readonly encoder: CaptureRecordEncoder) {
    this.parts.push(encoder.fileHeader());
  }

  static create(options: CaptureOptions = {}): Result<GsmtapCaptureBuffer, 'bad_options'> {
    const encoder = CaptureRecordEncoder.create(options);
    return encoder.ok ? ok(new GsmtapCaptureBuffer(encoder.value)) : encoder;
  }

  /** Appends one datagram; returns false (and counts the reason) if it cannot be stored. */
  write(datagram: Uint8Array, ts_us: number): boolean {
    const size = this.encoder.recordOctets(datagram, ts_us);
    if (typeof size === 'string') {
      this.rejected.add(size);
      return false;
    }
    const record = Buffer.allocUnsafe(size);
    this.encoder.writeRecord(record, 0, datagram, ts_us, size);
    this.parts.push(record);
    this.frameCount++;
    return true;
  }

  get stats(): CaptureStats {
    const octets = this.parts.reduce((n, p) => n + p.length, 0);
    return { frames: this.frameCount, octets, rejected: this.rejected.toJSON() };
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
