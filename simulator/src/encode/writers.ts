/**
 * Byte and bit writers for building GSM air-interface messages.
 *
 * `OctetWriter` appends whole octets (standard L3 IEs). `BitWriter` appends bit fields MSB first, the
 * order TS 44.018 uses for CSN.1 rest octets and frequency lists, and knows the L/H convention of
 * rest octets (TS 44.018 §10.5.2.0 / TS 24.007 §11.3.1.3: 'L' is the value the spare padding pattern
 * 0x2B has at that bit position, 'H' its complement). Neither writer knows any message layout.
 */
import { EncodeError, checkRange } from './encode-result.js';

/** The spare padding octet of GSM L2 blocks and rest octets (TS 44.006 §5.2, TS 44.018 §10.5.2.0). */
export const GSM_PADDING_OCTET = 0x2b;

export class OctetWriter {
  private buffer = new Uint8Array(32);
  private used = 0;

  get length(): number {
    return this.used;
  }

  u8(value: number, name = 'octet'): this {
    checkRange(name, value, 0, 0xff);
    if (this.used === this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.used++] = value;
    return this;
  }

  u16(value: number, name = 'u16'): this {
    checkRange(name, value, 0, 0xffff);
    return this.u8(value >> 8).u8(value & 0xff);
  }

  bytes(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.u8(values[i] as number);
    return this;
  }

  /** Overwrites an octet already written (used for length octets known only afterwards). */
  patch(index: number, value: number): this {
    if (index >= this.used) throw new EncodeError('out_of_range', `patch index ${index} past end ${this.used}`);
    checkRange('octet', value, 0, 0xff);
    this.buffer[index] = value;
    return this;
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.used);
  }
}

export class BitWriter {
  private readonly bits: number[] = [];

  get bitLength(): number {
    return this.bits.length;
  }

  /** Appends `width` bits of `value`, most significant first. */
  bitsOf(value: number, width: number, name = 'field'): this {
    checkRange(name, value, 0, 2 ** width - 1);
    for (let i = width - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) % 2);
    return this;
  }

  bit(value: boolean | 0 | 1): this {
    this.bits.push(value ? 1 : 0);
    return this;
  }

  /** Appends an L (false) or H (true) bit: the padding bit at this position, or its complement. */
  lh(high: boolean): this {
    const position = this.bits.length % 8;
    const paddingBit = (GSM_PADDING_OCTET >> (7 - position)) & 1;
    this.bits.push(high ? paddingBit ^ 1 : paddingBit);
    return this;
  }

  /**
   * Fills up to `octets` octets with the spare padding pattern (bit-aligned: each padding bit takes the
   * value 0x2B has at its position), as rest octets require. Fails when more bits were written.
   */
  toBytesPadded(octets: number, what: string): Uint8Array {
    if (this.bits.length > octets * 8) {
      throw new EncodeError('too_long', `${what} needs ${this.bits.length} bits, only ${octets * 8} available`);
    }
    const out = new Uint8Array(octets);
    for (let i = 0; i < octets * 8; i++) {
      const bit = i < this.bits.length ? (this.bits[i] as number) : (GSM_PADDING_OCTET >> (7 - (i % 8))) & 1;
      if (bit) out[i >> 3] = (out[i >> 3] as number) | (0x80 >> (i % 8));
    }
    return out;
  }

  /** Returns exactly `octets` octets, filling unused trailing bits with 0 (for fixed-size IEs). */
  toBytesZeroFilled(octets: number, what: string): Uint8Array {
    if (this.bits.length > octets * 8) {
      throw new EncodeError('too_long', `${what} needs ${this.bits.length} bits, only ${octets * 8} available`);
    }
    const out = new Uint8Array(octets);
    this.bits.forEach((bit, i) => {
      if (bit) out[i >> 3] = (out[i >> 3] as number) | (0x80 >> (i % 8));
    });
    return out;
  }
}
