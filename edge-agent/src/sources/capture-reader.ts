/**
 * Streaming reader for capture files: classic pcap (both byte orders, µs and ns timestamps) and pcapng
 * (sections in either byte order, several interfaces with their own link type and if_tsresol /
 * if_tsoffset, Enhanced, Simple and obsolete Packet Blocks). The file is read in fixed-size chunks, so
 * memory stays flat however large the capture is; a record straddling two chunks is carried over.
 *
 * The bytes come from a file path or from any readable stream (stdin: `simhound replay -`). Before
 * each chunk the reader awaits `pace()` if given — a consumer that writes to a slow pipe makes the
 * reader wait for it instead of buffering without bound — and stops early (counted as `aborted`)
 * once `signal` is aborted.
 *
 * Each packet is handed to a callback as a reused `CapturePacket` view into the chunk buffer: the
 * callback must copy what it wants to keep. Bad files give typed errors, never throws: a wrong magic
 * or unreadable file fails the whole read; a truncated or inconsistent record ends the read with the
 * error counted in the summary (nothing after it can be trusted to be aligned).
 *
 * It must not interpret packet contents (see link-layer.ts for that).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { fail, ok, type Result } from '@simhound/protocol';

export type CaptureFormat = 'pcap' | 'pcapng';

/** Fatal: nothing could be read. */
export type CaptureOpenError = 'io_error' | 'bad_magic' | 'truncated_header' | 'unsupported_version';

/** Errors that stop the read part-way; counted in the summary. */
export const CAPTURE_RECORD_ERRORS = [
  'truncated_record',
  'bad_block_length',
  'record_too_large',
  'unknown_interface',
  'bad_section_header',
  'io_error',
] as const;
export type CaptureRecordError = (typeof CAPTURE_RECORD_ERRORS)[number];

export interface CapturePacket {
  /** The chunk buffer; the packet is `buf[offset .. offset+length)`. Valid only during the callback. */
  buf: Buffer;
  offset: number;
  /** Captured length. */
  length: number;
  /** Length on the wire (may exceed `length` when the snap length cut it). */
  orig_length: number;
  /** pcap LINKTYPE_* of the packet's interface. */
  link_type: number;
  /** Capture timestamp, ms since the Unix epoch (fractional). Simple Packet Blocks repeat the last one. */
  ts_ms: number;
  /** pcapng interface id (0 for classic pcap). */
  interface_id: number;
  /** 1-based packet number in the file, as tshark numbers frames. */
  number: number;
}

export interface CaptureSummary {
  format: CaptureFormat;
  packets: number;
  bytes_read: number;
  /** True when `signal` stopped the read before the end of the capture. */
  aborted: boolean;
  /** Blocks skipped because simhound has no use for them (statistics, name resolution, custom …). */
  skipped_blocks: number;
  errors: Record<CaptureRecordError, number>;
}

export interface CaptureReadOptions {
  /** Bytes read per chunk (default 1 MiB). */
  chunkBytes?: number;
  /** Largest single record accepted (default 16 MiB). */
  maxRecordBytes?: number;
  /** Awaited before every chunk is read: back-pressure from whoever consumes the packets. */
  pace?: () => Promise<void> | void;
  /** Stop reading (the summary says `aborted`). */
  signal?: AbortSignal;
}

/** Where the bytes come from: a file or a stream, read into a caller's buffer. */
interface ByteSource {
  read(buf: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

function fileSource(fh: FileHandle): ByteSource {
  return {
    read: async (buf, offset, length) => (await fh.read(buf, offset, length, null)).bytesRead,
    close: () => fh.close(),
  };
}

function streamSource(stream: NodeJS.ReadableStream): ByteSource {
  const chunks = stream[Symbol.asyncIterator]();
  let pending: Buffer = Buffer.alloc(0);
  return {
    async read(buf, offset, length) {
      while (pending.length === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        const chunk: string | Buffer = next.value;
        pending = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      }
      const n = Math.min(length, pending.length);
      pending.copy(buf, offset, 0, n);
      pending = pending.subarray(n);
      return n;
    },
    async close() {
      await chunks.return?.();
    },
  };
}

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_IDB = 0x00000001;
const BLOCK_OPB = 0x00000002;
const BLOCK_SPB = 0x00000003;
const BLOCK_EPB = 0x00000006;
const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

/** Chunked file reader with carry-over of a partial record. */
class ChunkedFile {
  buf: Buffer;
  /** Valid bytes are buf[start .. end). */
  start = 0;
  end = 0;
  eof = false;
  aborted = false;
  bytesRead = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly chunkBytes: number,
    private readonly pace?: () => Promise<void> | void,
    private readonly signal?: AbortSignal,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  get available(): number {
    return this.end - this.start;
  }

  /** Make at least `n` bytes available from `start`. Returns false at end of file. */
  async ensure(n: number): Promise<boolean> {
    while (this.end - this.start < n) {
      if (this.eof) return false;
      if (this.start > 0) {
        this.buf.copy(this.buf, 0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      }
      if (n > this.buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
        this.buf.copy(bigger, 0, 0, this.end);
        this.buf = bigger;
      }
      if (this.pace !== undefined) await this.pace();
      if (this.signal?.aborted) {
        // Treated as the end of the file; the summary says it was aborted.
        this.aborted = true;
        this.eof = true;
        return false;
      }
      const want = Math.max(this.chunkBytes, n) - this.end;
      const room = this.buf.length - this.end;
      const bytesRead = await this.source.read(this.buf, this.end, Math.min(Math.max(want, 1), room));
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
      this.bytesRead += bytesRead;
    }
    return true;
  }
}

function emptyErrors(): Record<CaptureRecordError, number> {
  const e = {} as Record<CaptureRecordError, number>;
  for (const k of CAPTURE_RECORD_ERRORS) e[k] = 0;
  return e;
}

/**
 * Read every packet of the capture at `input` (a path, or a readable stream such as stdin), calling
 * `onPacket` for each. Resolves with a summary, or a fatal error when the input cannot be opened or is
 * not a capture.
 */
export async function readCapture(
  input: string | NodeJS.ReadableStream,
  onPacket: (packet: CapturePacket) => void,
  options: CaptureReadOptions = {},
): Promise<Result<CaptureSummary, CaptureOpenError>> {
  let source: ByteSource;
  if (typeof input === 'string') {
    try {
      source = fileSource(await open(input, 'r'));
    } catch (err) {
      return fail('io_error', (err as Error).message);
    }
  } else source = streamSource(input);
  try {
    const file = new ChunkedFile(source, options.chunkBytes ?? 1 << 20, options.pace, options.signal);
    const maxRecord = options.maxRecordBytes ?? 16 << 20;
    if (!(await file.ensure(4))) return fail('truncated_header');
    const b = file.buf;
    const magicBE = b.readUInt32BE(file.start);
    const magicLE = b.readUInt32LE(file.start);
    if (magicBE === PCAPNG_SHB) return await readPcapng(file, onPacket, maxRecord);
    if (magicBE === PCAP_MAGIC_US || magicBE === PCAP_MAGIC_NS) return await readPcap(file, onPacket, false, magicBE === PCAP_MAGIC_NS, maxRecord);
    if (magicLE === PCAP_MAGIC_US || magicLE === PCAP_MAGIC_NS) return await readPcap(file, onPacket, true, magicLE === PCAP_MAGIC_NS, maxRecord);
    return fail('bad_magic');
  } catch (err) {
    return fail('io_error', (err as Error).message);
  } finally {
    await source.close().catch(() => undefined);
  }
}

async function readPcap(
  file: ChunkedFile,
  onPacket: (p: CapturePacket) => void,
  littleEndian: boolean,
  nanoseconds: boolean,
  maxRecord: number,
): Promise<Result<CaptureSummary, CaptureOpenError>> {
  if (!(await file.ensure(24))) return fail('truncated_header');
  const u32 = (at: number) => (littleEndian ? file.buf.readUInt32LE(at) : file.buf.readUInt32BE(at));
  const u16 = (at: number) => (littleEndian ? file.buf.readUInt16LE(at) : file.buf.readUInt16BE(at));
  const major = u16(file.start + 4);
  if (major !== 2) return fail('unsupported_version', `pcap major version ${major}`);
  // Link type: low 16 bits (upper bits may carry FCS information).
  const linkType = u32(file.start + 20) & 0xffff;
  file.start += 24;
  const summary: CaptureSummary = { format: 'pcap', packets: 0, bytes_read: 0, aborted: false, skipped_blocks: 0, errors: emptyErrors() };
  const fracPerMs = nanoseconds ? 1e6 : 1e3;
  const packet: CapturePacket = { buf: file.buf, offset: 0, length: 0, orig_length: 0, link_type: linkType, ts_ms: 0, interface_id: 0, number: 0 };
  for (;;) {
    if (!(await file.ensure(16))) {
      if (file.available > 0 && !file.aborted) summary.errors.truncated_record++;
      break;
    }
    const h = file.start;
    const sec = u32(h);
    const frac = u32(h + 4);
    const capLen = u32(h + 8);
    const origLen = u32(h + 12);
    if (capLen > maxRecord) {
      summary.errors.record_too_large++;
      break;
    }
    if (!(await file.ensure(16 + capLen))) {
      if (!file.aborted) summary.errors.truncated_record++;
      break;
    }
    const at = file.start;
    packet.buf = file.buf;
    packet.offset = at + 16;
    packet.length = capLen;
    packet.orig_length = origLen;
    packet.ts_ms = sec * 1000 + frac / fracPerMs;
    packet.number = ++summary.packets;
    file.start = at + 16 + capLen;
    onPacket(packet);
  }
  summary.bytes_read = file.bytesRead;
  summary.aborted = file.aborted;
  return ok(summary);
}

interface PcapngInterface {
  linkType: number;
  snapLen: number;
  /** Timestamp units per millisecond. */
  unitsPerMs: number;
  offsetMs: number;
}

async function readPcapng(
  file: ChunkedFile,
  onPacket: (p: CapturePacket) => void,
  maxRecord: number,
): Promise<Result<CaptureSummary, CaptureOpenError>> {
  const summary: CaptureSummary = { format: 'pcapng', packets: 0, bytes_read: 0, aborted: false, skipped_blocks: 0, errors: emptyErrors() };
  let littleEndian = true;
  let interfaces: PcapngInterface[] = [];
  let lastTs = 0;
  let sawSection = false;
  const packet: CapturePacket = { buf: file.buf, offset: 0, length: 0, orig_length: 0, link_type: 0, ts_ms: 0, interface_id: 0, number: 0 };
  const u32 = (at: number) => (littleEndian ? file.buf.readUInt32LE(at) : file.buf.readUInt32BE(at));
  const u16 = (at: number) => (littleEndian ? file.buf.readUInt16LE(at) : file.buf.readUInt16BE(at));

  for (;;) {
    if (!(await file.ensure(12))) {
      if (file.available > 0 && !file.aborted) summary.errors.truncated_record++;
      break;
    }
    const typeBE = file.buf.readUInt32BE(file.start);
    if (typeBE === PCAPNG_SHB) {
      // New section: the byte-order magic decides how everything after it is read.
      const bom = file.buf.readUInt32LE(file.start + 8);
      if (bom === PCAPNG_BYTE_ORDER_MAGIC) littleEndian = true;
      else if (bom === 0x4d3c2b1a) littleEndian = false;
      else {
        if (!sawSection) return fail('bad_magic', 'pcapng byte-order magic');
        summary.errors.bad_section_header++;
        break;
      }
      sawSection = true;
      interfaces = [];
    }
    const blockType = u32(file.start);
    const blockLen = u32(file.start + 4);
    if (blockLen < 12 || blockLen % 4 !== 0) {
      summary.errors.bad_block_length++;
      break;
    }
    if (blockLen > maxRecord) {
      summary.errors.record_too_large++;
      break;
    }
    if (!(await file.ensure(blockLen))) {
      if (!file.aborted) summary.errors.truncated_record++;
      break;
    }
    const b = file.start;
    if (u32(b + blockLen - 4) !== blockLen) {
      summary.errors.bad_block_length++;
      break;
    }
    file.start = b + blockLen;
    const bodyEnd = b + blockLen - 4;
    switch (blockType) {
      case PCAPNG_SHB:
        break;
      case BLOCK_IDB: {
        if (b + 16 > bodyEnd) {
          summary.errors.bad_block_length++;
          return finish();
        }
        const iface: PcapngInterface = { linkType: u16(b + 8), snapLen: u32(b + 12), unitsPerMs: 1e3, offsetMs: 0 };
        parseIdbOptions(b + 16, bodyEnd, iface);
        interfaces.push(iface);
        break;
      }
      case BLOCK_EPB:
      case BLOCK_OPB: {
        if (b + 28 > bodyEnd) {
          summary.errors.bad_block_length++;
          return finish();
        }
        const ifId = blockType === BLOCK_EPB ? u32(b + 8) : u16(b + 8);
        const iface = interfaces[ifId];
        if (iface === undefined) {
          summary.errors.unknown_interface++;
          break;
        }
        const tsHigh = u32(b + 12);
        const tsLow = u32(b + 16);
        const capLen = u32(b + 20);
        const origLen = u32(b + 24);
        if (b + 28 + capLen > bodyEnd) {
          summary.errors.bad_block_length++;
          return finish();
        }
        lastTs = (tsHigh * 4294967296 + tsLow) / iface.unitsPerMs + iface.offsetMs;
        emit(iface, ifId, b + 28, capLen, origLen, lastTs);
        break;
      }
      case BLOCK_SPB: {
        const iface = interfaces[0];
        if (iface === undefined) {
          summary.errors.unknown_interface++;
          break;
        }
        const origLen = u32(b + 8);
        const room = bodyEnd - (b + 12);
        let capLen = Math.min(origLen, room);
        if (iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen);
        emit(iface, 0, b + 12, capLen, origLen, lastTs);
        break;
      }
      default:
        summary.skipped_blocks++;
    }
  }
  return finish();

  function emit(iface: PcapngInterface, ifId: number, at: number, capLen: number, origLen: number, ts: number): void {
    packet.buf = file.buf;
    packet.offset = at;
    packet.length = capLen;
    packet.orig_length = origLen;
    packet.link_type = iface.linkType;
    packet.ts_ms = ts;
    packet.interface_id = ifId;
    packet.number = ++summary.packets;
    onPacket(packet);
  }

  function finish(): Result<CaptureSummary, CaptureOpenError> {
    summary.bytes_read = file.bytesRead;
    summary.aborted = file.aborted;
    return ok(summary);
  }

  function parseIdbOptions(at: number, end: number, iface: PcapngInterface): void {
    while (at + 4 <= end) {
      const code = u16(at);
      const len = u16(at + 2);
      const v = at + 4;
      if (code === OPT_END || v + len > end) return;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        const r = file.buf[v]!;
        const exp = r & 0x7f;
        // MSB clear: 10^-exp seconds per unit; set: 2^-exp.
        const unitsPerSecond = (r & 0x80) === 0 ? 10 ** exp : 2 ** exp;
        iface.unitsPerMs = unitsPerSecond / 1000;
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        const hi = littleEndian ? file.buf.readInt32LE(v + 4) : file.buf.readInt32BE(v);
        const lo = littleEndian ? file.buf.readUInt32LE(v) : file.buf.readUInt32BE(v + 4);
        iface.offsetMs = (hi * 4294967296 + lo) * 1000;
      }
      at = v + ((len + 3) & ~3);
    }
  }
}
