/**
 * Encodes the synchronisation channel (SCH) the way a BTS does, for simulated downlink IQ:
 * 25 information bits (BSIC, reduced frame number T1/T2/T3', TS 44.018 §9.1.30 bit layout) →
 * 10 parity bits (g(D) = D¹⁰+D⁸+D⁶+D⁵+D⁴+D²+1, inverted; TS 45.003 §4.7) → 4 tail bits →
 * rate-1/2 convolutional code (G0 = 1+D³+D⁴, G1 = 1+D+D³+D⁴) → 78 bits, placed around the 64-bit
 * extended training sequence in the 148-bit SCH burst (TS 45.002 §5.2.5).
 * The edge agent's SCH decoder is written separately; the real recording checks both against gr-gsm.
 */

/** The SCH extended training sequence, burst bits 42–105 (TS 45.002 §5.2.5). */
export const SCH_SYNC_BITS: readonly number[] = [
  1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
  0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1,
];

export interface SchInfo {
  /** Base station identity code, 0–63 (NCC·8 + BCC). */
  bsic: number;
  fn: number;
}

const bit = (v: number, i: number) => (v >> i) & 1;

/** The 25 information bits in transmission order. */
export function schInfoBits({ bsic, fn }: SchInfo): number[] {
  const t1 = Math.floor(fn / (26 * 51));
  const t2 = fn % 26;
  const t3 = fn % 51;
  const t3p = (t3 - 1) / 10;
  if (!Number.isInteger(t3p) || t3p < 0) throw new RangeError(`FN ${fn} does not carry an SCH (FN mod 51 must be 1, 11, 21, 31 or 41)`);
  return [
    bit(t1, 9), bit(t1, 10),
    ...[0, 1, 2, 3, 4, 5].map((i) => bit(bsic, i)),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => bit(t1, i)),
    bit(t3p, 1), bit(t3p, 2),
    ...[0, 1, 2, 3, 4].map((i) => bit(t2, i)),
    bit(t1, 0),
    bit(t3p, 0),
  ];
}

/** The 10 parity bits for `data` (first bit = highest power), inverted as TS 45.003 §4.7 asks. */
export function schParity(data: readonly number[]): number[] {
  let reg = 0;
  for (const b of data) {
    const feedback = ((reg >> 9) & 1) ^ b;
    reg = (reg << 1) & 0x3ff;
    if (feedback) reg ^= 0x175;
  }
  return Array.from({ length: 10 }, (_, i) => ((reg >> (9 - i)) & 1) ^ 1);
}

/** Rate-1/2, K=5 convolutional code of TS 45.003 §4.7 (also used by RACH). */
export function convolve(u: readonly number[]): number[] {
  const at = (k: number) => (k >= 0 ? u[k]! : 0);
  const out: number[] = [];
  for (let k = 0; k < u.length; k++) {
    out.push(at(k) ^ at(k - 3) ^ at(k - 4));
    out.push(at(k) ^ at(k - 1) ^ at(k - 3) ^ at(k - 4));
  }
  return out;
}

/** The 148 bits of the SCH burst carrying `info`. */
export function schBurstBits(info: SchInfo): number[] {
  const d = schInfoBits(info);
  const coded = convolve([...d, ...schParity(d), 0, 0, 0, 0]);
  return [0, 0, 0, ...coded.slice(0, 39), ...SCH_SYNC_BITS, ...coded.slice(39), 0, 0, 0];
}
