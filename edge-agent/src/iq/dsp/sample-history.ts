/**
 * The last few milliseconds of raw IQ bytes, kept in a fixed ring so that the FCCH refiner and the
 * SCH decoder can look back at the samples of a burst the channelizer flagged. Memory is the ring,
 * whatever the stream length; reading samples that already left the ring returns null.
 * It must not correct or filter: it converts to full scale only.
 */
import { BYTES_PER_SAMPLE, CS16_SCALE, byteLookup, type IqFormat } from '../sample-format.js';

export class SampleHistory {
  private readonly ring: Uint8Array;
  private readonly view: DataView;
  private readonly bytesPerSample: number;
  private readonly lut: Float64Array | null;
  /** Bytes ever appended (absolute position of the ring's write head). */
  private written = 0;

  constructor(private readonly format: IqFormat, capacitySamples: number) {
    this.bytesPerSample = BYTES_PER_SAMPLE[format];
    this.ring = new Uint8Array(Math.max(1, Math.ceil(capacitySamples)) * this.bytesPerSample);
    this.view = new DataView(this.ring.buffer);
    this.lut = format === 'cu8' || format === 'cs8' ? byteLookup(format) : null;
  }

  append(chunk: Uint8Array): void {
    const cap = this.ring.length;
    let data = chunk;
    if (data.length >= cap) {
      // Only the newest `cap` bytes can be kept; keep the ring's alignment to absolute positions.
      this.written += data.length - cap;
      data = data.subarray(data.length - cap);
    }
    const at = this.written % cap;
    const first = Math.min(data.length, cap - at);
    this.ring.set(data.subarray(0, first), at);
    if (first < data.length) this.ring.set(data.subarray(first), 0);
    this.written += data.length;
  }

  /** Absolute index of the first sample not yet complete. */
  get endSample(): number {
    return Math.floor(this.written / this.bytesPerSample);
  }

  /** Absolute index of the oldest sample still held. */
  get startSample(): number {
    return Math.ceil(Math.max(0, this.written - this.ring.length) / this.bytesPerSample);
  }

  /** Forget everything (a discontinuity: retune, reconnect). Sample indices continue from `at`. */
  resetTo(sampleIndex: number): void {
    this.written = sampleIndex * this.bytesPerSample;
  }

  /** Samples [from, from + count) as interleaved full-scale I/Q, or null when not all are held. */
  read(from: number, count: number): Float64Array | null {
    if (from < this.startSample || from + count > this.endSample || count < 0) return null;
    const out = new Float64Array(2 * count);
    const cap = this.ring.length;
    const bps = this.bytesPerSample;
    // The ring holds whole samples (its size is a multiple of the sample size), so no sample wraps.
    for (let k = 0; k < count; k++) {
      const pos = ((from + k) * bps) % cap;
      switch (this.format) {
        case 'cu8':
        case 'cs8':
          out[2 * k] = this.lut![this.ring[pos]!]!;
          out[2 * k + 1] = this.lut![this.ring[pos + 1]!]!;
          break;
        case 'cs16':
          out[2 * k] = this.view.getInt16(pos, true) * CS16_SCALE;
          out[2 * k + 1] = this.view.getInt16(pos + 2, true) * CS16_SCALE;
          break;
        default:
          out[2 * k] = this.view.getFloat32(pos, true);
          out[2 * k + 1] = this.view.getFloat32(pos + 4, true);
      }
    }
    return out;
  }
}
