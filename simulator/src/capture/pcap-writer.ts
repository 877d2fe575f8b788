/**
 * The repository's one capture-file writer: GSMTAP datagrams (or any link-layer frame) as files tshark,
 * Wireshark and simhound's pcap source read — classic pcap (microsecond or nanosecond timestamps, either
 * byte order, one link type) or pcapng (one Section Header Block, one Interface Description Block per
 * interface with its link type and timestamp resolution, an Enhanced Packet Block per frame, or a Simple
 * Packet Block). `write` wraps a GSMTAP datagram in Ethernet/IPv4/UDP to port 4729 with valid checksums;
 * `writeFrame` stores a frame already framed for the interface's link type (reader tests use it for
 * Linux SLL, raw IP, BSD null …).
 *
 * Two front ends share one record encoder: a streaming file writer (fills 1 MiB chunks and honours
 * stream backpressure, so 10 M frames take flat memory) and an in-memory writer returning a Buffer.
 * Bad input (an oversized frame, a negative timestamp, an unknown interface) is counted and skipped,
 * never thrown. It must not know what is inside the datagram.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fail, ok, ReasonCounter, type Result } from '@simhound/protocol';
import { FRAME_OVERHEAD_OCTETS, MAX_UDP_PAYLOAD_OCTETS, parseIpv4, writeEthernetIpv4UdpFrame } from './udp-frame.js';

export type CaptureFormat = 'pcap' | 'pcapng';
export type TimestampResolution = 'us' | 'ns';

/** LINKTYPE_ETHERNET (tcpdump.org link-layer header types): what `write` produces. */
export const LINKTYPE_ETHERNET = 1;

export interface CaptureInterface {
  /** tcpdump.org LINKTYPE_* value of the frames on this interface. */
  readonly link_type: number;
  /** Default: the capture's `ts_resolution`. */
  readonly ts_resolution?: TimestampResolution;
}

export interface CaptureOptions {
  /** Default 'pcap'. */
  readonly format?: CaptureFormat;
  /** Default 127.0.0.1 → 127.0.0.1 (as a local gr-gsm capture). */
  readonly src_ip?: string;
  readonly dst_ip?: string;
  /** Default 4729 (GSMTAP) for both ports. */
  readonly src_port?: number;
  readonly dst_port?: number;
  /** Default 'little' (what capture tools on x86/ARM write). */
  readonly byte_order?: 'little' | 'big';
  /** Default 'us'. */
  readonly ts_resolution?: TimestampResolution;
  /** Default one Ethernet interface. Classic pcap has exactly one. */
  readonly interfaces?: readonly CaptureInterface[];
}

export interface FrameOptions {
  /** Interface index (pcapng), default 0. */
  readonly interface?: number;
  /** pcapng only: a Simple Packet Block (no interface id, no timestamp). */
  readonly simple?: boolean;
}

export type CaptureRejectReason = 'too_long' | 'bad_timestamp' | 'bad_interface' | 'not_ethernet';
export type CaptureOpenFailReason = 'bad_options' | 'io_error';

export interface CaptureStats {
  readonly frames: number;
  /** Octets written to the file so far, headers included. */
  readonly octets: number;
  /** Frames not written, by reason. */
  readonly rejected: Record<string, number>;
}

const SNAPLEN = 65535;
const PCAP_HEADER_OCTETS = 24;
const PCAP_RECORD_HEADER_OCTETS = 16;
const PCAPNG_EPB_OVERHEAD_OCTETS = 32;
const PCAPNG_SPB_OVERHEAD_OCTETS = 16;
const PCAPNG_SHB_OCTETS = 28;
const CHUNK_OCTETS = 1 << 20;
const OPT_IF_TSRESOL = 9;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Encodes file headers and records of one format; shared by the streaming and in-memory writers. */
class CaptureRecordEncoder {
  private ipId = 0;

  private constructor(
    readonly format: CaptureFormat,
    private readonly littleEndian: boolean,
    private readonly interfaces: readonly { link_type: number; ns: boolean }[],
    private readonly src: Uint8Array,
    private readonly dst: Uint8Array,
    private readonly srcPort: number,
    private readonly dstPort: number,
  ) {}

  static create(options: CaptureOptions): Result<CaptureRecordEncoder, 'bad_options'> {
    const format = options.format ?? 'pcap';
    const src = parseIpv4(options.src_ip ?? '127.0.0.1');
    const dst = parseIpv4(options.dst_ip ?? '127.0.0.1');
    const srcPort = options.src_port ?? 4729;
    const dstPort = options.dst_port ?? 4729;
    const resolution = options.ts_resolution ?? 'us';
    const interfaces = (options.interfaces ?? [{ link_type: LINKTYPE_ETHERNET }]).map((i) => ({
      link_type: i.link_type,
      ns: (i.ts_resolution ?? resolution) === 'ns',
    }));
    const portOk = (p: number) => Number.isInteger(p) && p >= 0 && p <= 0xffff;
    const linkOk = interfaces.every((i) => Number.isInteger(i.link_type) && i.link_type >= 0 && i.link_type <= 0xffff);
    const resolutionOk = [resolution, ...(options.interfaces ?? []).map((i) => i.ts_resolution ?? 'us')].every((r) => r === 'us' || r === 'ns');
    const orderOk = options.byte_order === undefined || options.byte_order === 'little' || options.byte_order === 'big';
    const countOk = interfaces.length >= 1 && (format === 'pcapng' || interfaces.length === 1);
    if ((format !== 'pcap' && format !== 'pcapng') || !src || !dst || !portOk(srcPort) || !portOk(dstPort) || !linkOk || !resolutionOk || !orderOk || !countOk) {
      return fail('bad_options', JSON.stringify(options));
    }
    return ok(new CaptureRecordEncoder(format, options.byte_order !== 'big', interfaces, src, dst, srcPort, dstPort));
  }

  private u32(out: Buffer, value: number, at: number): void {
    if (this.littleEndian) out.writeUInt32LE(value >>> 0, at);
    else out.writeUInt32BE(value >>> 0, at);
  }

  private u16(out: Buffer, value: number, at: number): void {
    if (this.littleEndian) out.writeUInt16LE(value, at);
    else out.writeUInt16BE(value, at);
  }

  fileHeader(): Buffer {
    if (this.format === 'pcap') {
      const h = Buffer.alloc(PCAP_HEADER_OCTETS);
      const iface = this.interfaces[0]!;
      this.u32(h, iface.ns ? 0xa1b23c4d : 0xa1b2c3d4, 0);
      this.u16(h, 2, 4);
      this.u16(h, 4, 6);
      this.u32(h, 0, 8); // thiszone
      this.u32(h, 0, 12); // sigfigs
      this.u32(h, SNAPLEN, 16);
      this.u32(h, iface.link_type, 20);
      return h;
    }
    const blocks: Buffer[] = [];
    const shb = Buffer.alloc(PCAPNG_SHB_OCTETS);
    this.u32(shb, 0x0a0d0d0a, 0);
    this.u32(shb, PCAPNG_SHB_OCTETS, 4);
    this.u32(shb, 0x1a2b3c4d, 8); // byte-order magic
    this.u16(shb, 1, 12);
    this.u16(shb, 0, 14);
    this.u32(shb, 0xffffffff, 16); // section length not specified (-1, 64 bits)
    this.u32(shb, 0xffffffff, 20);
    this.u32(shb, PCAPNG_SHB_OCTETS, 24);
    blocks.push(shb);
    for (const iface of this.interfaces) {
      // if_tsresol (10^-9) followed by opt_endofopt when nanoseconds; microseconds are the default.
      const length = iface.ns ? 32 : 20;
      const idb = Buffer.alloc(length);
      this.u32(idb, 0x00000001, 0);
      this.u32(idb, length, 4);
      this.u16(idb, iface.link_type, 8);
      this.u16(idb, 0, 10);
      this.u32(idb, SNAPLEN, 12);
      if (iface.ns) {
        this.u16(idb, OPT_IF_TSRESOL, 16);
        this.u16(idb, 1, 18);
        idb[20] = 9;
      }
      this.u32(idb, length, length - 4);
      blocks.push(idb);
    }
    return Buffer.concat(blocks);
  }

  /** Octets one record takes, or a reason it cannot be written. */
  recordOctets(frameOctets: number, tsUs: number, frame: FrameOptions): number | CaptureRejectReason {
    if (frameOctets > SNAPLEN) return 'too_long';
    const iface = frame.interface ?? 0;
    if (!Number.isInteger(iface) || iface < 0 || iface >= this.interfaces.length) return 'bad_interface';
    if (frame.simple === true) {
      if (this.format !== 'pcapng' || iface !== 0) return 'bad_interface';
      return PCAPNG_SPB_OVERHEAD_OCTETS + pad4(frameOctets);
    }
    if (!Number.isFinite(tsUs) || tsUs < 0) return 'bad_timestamp';
    if (this.format === 'pcap' && tsUs / 1e6 >= 2 ** 32) return 'bad_timestamp';
    return this.format === 'pcap' ? PCAP_RECORD_HEADER_OCTETS + frameOctets : PCAPNG_EPB_OVERHEAD_OCTETS + pad4(frameOctets);
  }

  /** Writes the frame body: a GSMTAP datagram wrapped in Ethernet/IPv4/UDP, or a link-layer frame as is. */
  private writeBody(out: Buffer, at: number, bytes: Uint8Array, datagram: boolean): void {
    if (!datagram) {
      out.set(bytes, at);
      return;
    }
    writeEthernetIpv4UdpFrame(out, at, bytes, this.src, this.dst, this.srcPort, this.dstPort, this.ipId);
    this.ipId = (this.ipId + 1) & 0xffff;
  }

  canWriteDatagrams(): boolean {
    return this.interfaces[0]!.link_type === LINKTYPE_ETHERNET;
  }

  /**
   * Writes one record of `recordOctets` octets into `out` at `offset` (validated by the caller): `bytes`
   * is a GSMTAP datagram to wrap when `datagram`, else the frame itself; `frameOctets` its framed length.
   */
  writeRecord(out: Buffer, offset: number, bytes: Uint8Array, datagram: boolean, frameOctets: number, tsUs: number, recordOctets: number, frame: FrameOptions): void {
    const ifaceIndex = frame.interface ?? 0;
    const ns = this.interfaces[ifaceIndex]!.ns;
    let seconds = Math.floor(tsUs / 1e6);
    let fraction = Math.round((tsUs - seconds * 1e6) * (ns ? 1000 : 1));
    if (fraction >= (ns ? 1e9 : 1e6)) {
      seconds++;
      fraction = 0;
    }
    if (this.format === 'pcap') {
      this.u32(out, seconds, offset);
      this.u32(out, fraction, offset + 4);
      this.u32(out, frameOctets, offset + 8);
      this.u32(out, frameOctets, offset + 12);
      this.writeBody(out, offset + 16, bytes, datagram);
      return;
    }
    if (frame.simple === true) {
      this.u32(out, 0x00000003, offset);
      this.u32(out, recordOctets, offset + 4);
      this.u32(out, frameOctets, offset + 8);
      this.writeBody(out, offset + 12, bytes, datagram);
      out.fill(0, offset + 12 + frameOctets, offset + 12 + pad4(frameOctets));
      this.u32(out, recordOctets, offset + recordOctets - 4);
      return;
    }
    const units = BigInt(seconds) * (ns ? 1_000_000_000n : 1_000_000n) + BigInt(fraction);
    this.u32(out, 0x00000006, offset);
    this.u32(out, recordOctets, offset + 4);
    this.u32(out, ifaceIndex, offset + 8);
    this.u32(out, Number(units >> 32n), offset + 12);
    this.u32(out, Number(units & 0xffffffffn), offset + 16);
    this.u32(out, frameOctets, offset + 20);
    this.u32(out, frameOctets, offset + 24);
    this.writeBody(out, offset + 28, bytes, datagram);
    out.fill(0, offset + 28 + frameOctets, offset + 28 + pad4(frameOctets));
    this.u32(out, recordOctets, offset + recordOctets - 4);
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

  private record(bytes: Uint8Array, datagram: boolean, tsUs: number, frame: FrameOptions): Promise<void> | undefined {
    const frameOctets = datagram ? FRAME_OVERHEAD_OCTETS + bytes.length : bytes.length;
    const size = this.encoder.recordOctets(frameOctets, tsUs, frame);
    if (typeof size === 'string') {
      this.rejected.add(size);
      return undefined;
    }
    let pending: Promise<void> | undefined;
    if (this.used + size > this.chunk.length) pending = this.flushChunk();
    this.encoder.writeRecord(this.chunk, this.used, bytes, datagram, frameOctets, tsUs, size, frame);
    this.used += size;
    this.frameCount++;
    this.octetCount += size;
    return pending;
  }

  /**
   * Appends one GSMTAP datagram received at `ts_us` (µs since the Unix epoch) as an Ethernet/IPv4/UDP
   * frame. Returns a promise only when a chunk was flushed and the stream asks to wait (await it to keep
   * memory flat).
   */
  write(datagram: Uint8Array, ts_us: number): Promise<void> | undefined {
    if (datagram.length > MAX_UDP_PAYLOAD_OCTETS) {
      this.rejected.add('too_long');
      return undefined;
    }
    if (!this.encoder.canWriteDatagrams()) {
      this.rejected.add('not_ethernet');
      return undefined;
    }
    return this.record(datagram, true, ts_us, {});
  }

  /** Appends a frame already framed for its interface's link type. */
  writeFrame(frame: Uint8Array, ts_us: number, options: FrameOptions = {}): Promise<void> | undefined {
    return this.record(frame, false, ts_us, options);
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

  private record(bytes: Uint8Array, datagram: boolean, tsUs: number, frame: FrameOptions): boolean {
    const frameOctets = datagram ? FRAME_OVERHEAD_OCTETS + bytes.length : bytes.length;
    const size = this.encoder.recordOctets(frameOctets, tsUs, frame);
    if (typeof size === 'string') {
      this.rejected.add(size);
      return false;
    }
    const record = Buffer.allocUnsafe(size);
    this.encoder.writeRecord(record, 0, bytes, datagram, frameOctets, tsUs, size, frame);
    this.parts.push(record);
    this.frameCount++;
    return true;
  }

  /** Appends one GSMTAP datagram as an Ethernet/IPv4/UDP frame; false (reason counted) if it cannot. */
  write(datagram: Uint8Array, ts_us: number): boolean {
    if (datagram.length > MAX_UDP_PAYLOAD_OCTETS) {
      this.rejected.add('too_long');
      return false;
    }
    if (!this.encoder.canWriteDatagrams()) {
      this.rejected.add('not_ethernet');
      return false;
    }
    return this.record(datagram, true, ts_us, {});
  }

  /** Appends a frame already framed for its interface's link type; false (reason counted) if it cannot. */
  writeFrame(frame: Uint8Array, ts_us: number, options: FrameOptions = {}): boolean {
    return this.record(frame, false, ts_us, options);
  }

  get stats(): CaptureStats {
    const octets = this.parts.reduce((n, p) => n + p.length, 0);
    return { frames: this.frameCount, octets, rejected: this.rejected.toJSON() };
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
