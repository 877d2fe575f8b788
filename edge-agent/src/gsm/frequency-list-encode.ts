/**
 * Encoding of ARFCN sets into the frequency list formats of 3GPP TS 44.018 §10.5.2.13 (bit map 0, range
 * 1024/512/256/128, variable bit map), for the simulator's System Information and for test vectors. The
 * range formats build the balanced W(i) tree of annex J: at each node the pivot is the value that leaves
 * ⌈(n−1)/2⌉ values in the half range below it, so that W(1..n) are all used in index order.
 *
 * Output is the IE value (first octet = format identifier) with the spare/EXT-IND/BA-IND/multiband bits
 * (bits 7..5 of octet 1 as applicable) left 0 for the caller to set. It never throws: sets that do not
 * fit the chosen format are typed rejections.
 */
import { fail, ok, type Result } from '@simhound/protocol';
import { wBits, type FrequencyListFormat } from './frequency-list.js';

export type FrequencyListEncodeRejection = 'out_of_range' | 'too_many' | 'bad_value';

const FORMAT_BITS: Record<FrequencyListFormat, number> = {
  bitmap_0: 0x00,
  range_1024: 0x80,
  range_512: 0x88,
  range_256: 0x8a,
  range_128: 0x8c,
  variable_bitmap: 0x8e,
};

const RANGE_ROOT = {
  range_1024: { modulus: 1023, rootBits: 10 },
  range_512: { modulus: 511, rootBits: 9 },
  range_256: { modulus: 255, rootBits: 8 },
  range_128: { modulus: 127, rootBits: 7 },
} as const;

function writeBits(out: Uint8Array, bitPos: number, width: number, value: number): void {
  for (let i = 0; i < width; i++) {
    const bit = Math.floor(value / 2 ** (width - 1 - i)) & 1;
    const p = bitPos + i;
    if (bit === 1) out[p >> 3]! |= 1 << (7 - (p & 7));
  }
}

function greatestPowerOfTwoAtMost(k: number): number {
  let j = 1;
  while (j * 2 <= k) j *= 2;
  return j;
}

/**
 * Fills `w[index]` for the subtree holding `values` (coordinates 1..modulus). Returns false when no
 * balanced pivot exists (does not happen for valid input; kept as a guard instead of an assertion).
 */
function encodeSubtree(w: number[], index: number, values: number[], modulus: number): boolean {
  if (values.length === 0) return true;
  if (values.length === 1) {
    w[index] = values[0]!;
    return true;
  }
  const half = (modulus - 1) / 2;
  const wantLeft = Math.ceil((values.length - 1) / 2);
  for (const pivot of values) {
    const left: number[] = [];
    const right: number[] = [];
    for (const v of values) {
      if (v === pivot) continue;
      const below = (((pivot - v) % modulus) + modulus) % modulus;
      // Left child coordinates count down from the pivot (half+1−d), right ones count up (d).
      if (below >= 1 && below <= half) left.push(half + 1 - below);
      else right.push((((v - pivot) % modulus) + modulus) % modulus);
    }
    if (left.length !== wantLeft) continue;
    w[index] = pivot;
    const step = greatestPowerOfTwoAtMost(index);
    return encodeSubtree(w, index + step, left, half) && encodeSubtree(w, index + 2 * step, right, half);
  }
  return false;
}

/** Encodes `arfcns` (0..1023, any order, duplicates ignored) in `format` into an IE value of `octets` octets. */
export function encodeFrequencyList(
  format: FrequencyListFormat,
  arfcns: readonly number[],
  octets = 16,
): Result<Uint8Array, FrequencyListEncodeRejection> {
  const set = [...new Set(arfcns)].sort((a, b) => a - b);
  if (set.some((a) => !Number.isInteger(a) || a < 0 || a > 1023)) return fail('bad_value', 'ARFCN outside 0..1023');
  const out = new Uint8Array(octets);
  out[0] = FORMAT_BITS[format];
  const endBit = octets * 8;

  if (format === 'bitmap_0') {
    if (octets !== 16) return fail('bad_value', 'bit map 0 is 16 octets');
    if (set.some((a) => a < 1 || a > 124)) return fail('out_of_range', 'bit map 0 covers ARFCN 1..124');
    for (const a of set) writeBits(out, 128 - a, 1, 1);
    return ok(out);
  }

  if (format === 'variable_bitmap') {
    if (set.length === 0) return fail('bad_value', 'variable bit map needs ORIG-ARFCN');
    const span = endBit - 17;
    // ORIG-ARFCN is the first value of the smallest cyclic window that holds them all.
    const orig = chooseOrigin(set, span);
    if (orig === null) return fail('out_of_range', `ARFCNs do not fit in ${span + 1} consecutive channels`);
    writeBits(out, 7, 10, orig);
    for (const a of set) {
      const offset = (a - orig + 1024) % 1024;
      if (offset > 0) writeBits(out, 17 + offset - 1, 1, 1);
    }
    return ok(out);
  }

  const { modulus, rootBits } = RANGE_ROOT[format];
  let values: number[];
  let wStart: number;
  if (format === 'range_1024') {
    if (set[0] === 0) out[0]! |= 0x04; // F0: ARFCN 0 is in the set
    values = set.filter((a) => a !== 0);
    wStart = 6;
  } else {
    if (set.length === 0) return fail('bad_value', 'range format needs ORIG-ARFCN');
    const orig = chooseOrigin(set, modulus);
    if (orig === null) return fail('out_of_range', `ARFCNs do not fit in a range of ${modulus + 1}`);
    writeBits(out, 7, 10, orig);
    values = set.filter((a) => a !== orig).map((a) => (a - orig + 1024) % 1024);
    wStart = 17;
  }
  // Capacity: how many W values fit in the octets.
  let capacity = 0;
  for (let bit = wStart, index = 1; ; index++) {
    const width = wBits(rootBits, index);
    if (width <= 0 || bit + width > endBit) break;
    bit += width;
    capacity = index;
  }
  if (values.length > capacity) return fail('too_many', `${values.length} ARFCNs, ${format} holds ${capacity} here`);
  const w: number[] = new Array<number>(capacity + 1).fill(0);
  if (!encodeSubtree(w, 1, values, modulus)) return fail('bad_value', 'no balanced W tree');
  for (let bit = wStart, index = 1; index <= capacity; index++) {
    const width = wBits(rootBits, index);
    writeBits(out, bit, width, w[index]!);
    bit += width;
  }
  return ok(out);
}

/** The element o of `sorted` such that every element is within o..o+span (mod 1024), or null. */
function chooseOrigin(sorted: readonly number[], span: number): number | null {
  for (const candidate of sorted) {
    if (sorted.every((a) => (a - candidate + 1024) % 1024 <= span)) return candidate;
  }
  return null;
}
