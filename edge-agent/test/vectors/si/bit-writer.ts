/**
 * Test-vector tool: writes MSB-first bit fields, plain and L/H (CSN.1 rest octets, TS 44.018 §10.5.2.x:
 * H/L are "not equal / equal" to the 0x2B spare padding bit at that position), then pads with 0x2B.
 * Used to hand-build System Information bodies from the spec. Test-only.
 */

const PADDING = 0x2b;

export class BitWriter {
  private readonly bytes: number[] = [];
  private bitCount = 0;

  /** Bits written so far. */
  get length(): number {
    return this.bitCount;
  }

  bit(value: number | boolean): this {
    const v = value === true || value === 1 ? 1 : 0;
    const index = this.bitCount >> 3;
    if (index >= this.bytes.length) this.bytes.push(0);
    if (v === 1) this.bytes[index]! |= 1 << (7 - (this.bitCount & 7));
    this.bitCount++;
    return this;
  }

  bits(width: number, value: number): this {
    for (let i = width - 1; i >= 0; i--) this.bit(Math.floor(value / 2 ** i) & 1);
    return this;
  }

  /** An L/H bit: H when `high`. */
  hl(high: boolean): this {
    const paddingBit = (PADDING >> (7 - (this.bitCount & 7))) & 1;
    return this.bit(high ? paddingBit ^ 1 : paddingBit);
  }

  octets(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.bits(8, values[i]!);
    return this;
  }

  /** The bits written, then spare padding up to `totalOctets` (default: the next octet boundary). */
  toBytes(totalOctets?: number): Uint8Array {
    const out: number[] = [...this.bytes];
    const used = this.bitCount & 7;
    if (used !== 0) {
      // Fill the rest of the last octet with the padding pattern's bits at those positions.
      const mask = 0xff >> used;
      out[out.length - 1] = (out[out.length - 1]! & ~mask) | (PADDING & mask);
    }
    const total = totalOctets ?? out.length;
    if (out.length > total) throw new Error(`vector is ${out.length} octets, more than ${total}`);
    while (out.length < total) out.push(PADDING);
    return Uint8Array.from(out);
  }
}
