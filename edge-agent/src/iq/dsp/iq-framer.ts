/**
 * Cuts a byte stream of IQ samples (file or socket chunks of any length and alignment) into whole
 * channelizer hops. Chunks are used in place when they hold whole hops at a usable alignment; only the
 * bytes that straddle two chunks (or a misaligned 16/32-bit chunk) are copied. Memory is bounded by one
 * hop of carry plus one staging block, whatever the chunk sizes.
 *
 * It must not convert or correct samples (the channelizer does) or buffer more than one hop.
 */
import { BYTES_PER_SAMPLE, CS16_SCALE, byteLookup, type IqFormat } from '../sample-format.js';
import type { Channelizer } from './channelizer.js';

const STAGING_FRAMES = 256;

export class IqFramer {
  readonly bytesPerSample: number;
  private readonly hopBytes: number;
  private readonly carry: Uint8Array;
  private carryLength = 0;
  private staging: Uint8Array | null = null;
  private readonly lut: Float64Array | null;
  /** Bytes received, including any not yet processed. */
  bytesIn = 0;

  constructor(private readonly format: IqFormat, private readonly channelizer: Channelizer) {
    this.bytesPerSample = BYTES_PER_SAMPLE[format];
    this.hopBytes = channelizer.hop * this.bytesPerSample;
    this.carry = new Uint8Array(new ArrayBuffer(this.hopBytes));
    this.lut = format === 'cu8' || format === 'cs8' ? byteLookup(format) : null;
  }

  /** Feed one chunk. Processes every whole hop now available. */
  push(chunk: Uint8Array): void {
    this.bytesIn += chunk.length;
    let offset = 0;
    if (this.carryLength > 0) {
      const take = Math.min(this.hopBytes - this.carryLength, chunk.length);
      this.carry.set(chunk.subarray(0, take), this.carryLength);
      this.carryLength += take;
      offset = take;
      if (this.carryLength < this.hopBytes) return;
      this.process(this.carry, 0, 1);
      this.carryLength = 0;
    }
    const frames = Math.floor((chunk.length - offset) / this.hopBytes);
    if (frames > 0) this.process(chunk, offset, frames);
    const rest = chunk.length - offset - frames * this.hopBytes;
    if (rest > 0) {
      this.carry.set(chunk.subarray(chunk.length - rest), 0);
      this.carryLength = rest;
    }
  }

  /** Bytes held that do not yet make a whole hop (at end of stream: whole samples not processed + a partial sample). */
  get pendingBytes(): number {
    return this.carryLength;
  }

  /** Drop the partial hop (after a retune or reconnect: those samples belong to the old stream). */
  discardPending(): void {
    this.carryLength = 0;
  }

  private process(bytes: Uint8Array, offset: number, frames: number): void {
    if (this.lut !== null) {
      this.channelizer.processBytes(bytes, offset, frames, this.lut);
      return;
    }
    const align = this.format === 'cs16' ? 2 : 4;
    if ((bytes.byteOffset + offset) % align === 0) {
      this.processAligned(bytes.buffer as ArrayBuffer, bytes.byteOffset + offset, frames);
      return;
    }
    // Misaligned: copy through a staging block with an aligned start.
    this.staging ??= new Uint8Array(new ArrayBuffer(STAGING_FRAMES * this.hopBytes));
    for (let done = 0; done < frames; ) {
      const n = Math.min(STAGING_FRAMES, frames - done);
      const from = offset + done * this.hopBytes;
      this.staging.set(bytes.subarray(from, from + n * this.hopBytes), 0);
      this.processAligned(this.staging.buffer as ArrayBuffer, 0, n);
      done += n;
    }
  }

  private processAligned(buffer: ArrayBuffer, byteOffset: number, frames: number): void {
    const values = 2 * this.channelizer.hop * frames;
    if (this.format === 'cs16') this.channelizer.processInt16(new Int16Array(buffer, byteOffset, values), 0, frames, CS16_SCALE);
    else this.channelizer.processFloat32(new Float32Array(buffer, byteOffset, values), 0, frames);
  }
}
