/**
 * Bit reader for CSN.1-coded rest octets (3GPP TS 44.018 §8.1.1 / §10.5.2.x "Rest Octets" IEs, notation
 * of TS 24.007 annex B). Rest octets are read MSB first; optional parts are flagged either by plain `0|1`
 * bits or by `L|H` bits, where L/H mean "equal to / different from" the spare padding pattern 0x2B at
 * that bit position in its octet (TS 44.018 §10.5.2.x, "L and H bits").
 *
 * Reading past the end never throws. A plain bit read past the end returns 0 and sets `overrun`, so the
 * caller can reject a structure that did not fit. An L/H read past the end returns L without setting
 * `overrun`: the spec lets rest octets be truncated at these points, the missing bits count as padding.
 * It knows nothing about any particular message.
 */

/** Spare padding octet of GSM rest octets (TS 44.018 §10.5.2.x: "spare padding" = 0x2B repeated). */
export const SPARE_PADDING_OCTET = 0x2b;

export class Csn1Reader {
  /** Absolute bit position in `buf` (octet × 8 + bit, MSB = bit 0). */
  private pos: number;
  private readonly endBit: number;
  /** Set once a plain bit was read beyond `end`. */
  overrun = false;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    end: number,
  ) {
    this.pos = start * 8;
    this.endBit = Math.max(start, end) * 8;
  }

  /** Bits left before `end` (0 when at or past it). */
  get remaining(): number {
    return Math.max(0, this.endBit - this.pos);
  }

  /** Current absolute bit position (for length-delimited CSN.1 containers). */
  get position(): number {
    return this.pos;
  }

  /** One plain bit. */
  bit(): number {
    if (this.pos >= this.endBit) {
      this.overrun = true;
      this.pos++;
      return 0;
    }
    const value = (this.buf[this.pos >> 3]! >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return value;
  }

  /** `n` plain bits (n ≤ 31) as an unsigned number, MSB first. */
  bits(n: number): number {
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 2 + this.bit();
    return value;
  }

  /** A plain `0|1` presence flag. */
  flag(): boolean {
    return this.bit() === 1;
  }

  /** An `L|H` bit: true for H. Past the end it reads as padding, i.e. L. */
  high(): boolean {
    if (this.pos >= this.endBit) {
      this.pos++;
      return false;
    }
    const bitInOctet = 7 - (this.pos & 7);
    const value = (this.buf[this.pos >> 3]! >> bitInOctet) & 1;
    const padding = (SPARE_PADDING_OCTET >> bitInOctet) & 1;
    this.pos++;
    return value !== padding;
  }

  /** Skip `n` bits (a plain read: skipping past the end is an overrun). */
  skip(n: number): void {
    if (n <= 0) return;
    this.pos += n;
    if (this.pos > this.endBit) this.overrun = true;
  }

  /** Move to an absolute bit position (used after a length-delimited container). */
  seek(absoluteBit: number): void {
    this.pos = absoluteBit;
    if (this.pos > this.endBit) this.overrun = true;
  }
}
