/**
 * Decoding of the GSM frequency list encodings (3GPP TS 44.018 §10.5.2.13, used unchanged by the Cell
 * Channel Description §10.5.2.1b, the Neighbour Cell Description §10.5.2.22 and Neighbour Cell
 * Description 2 §10.5.2.22a): bit map 0, range 1024, range 512, range 256, range 128 and variable bit map.
 * The range formats carry a balanced binary tree of W(i) values decoded with the recursion of
 * §10.5.2.13.3–.6 (the F(K) procedure of annex J).
 *
 * Input is the IE value (the octet holding the format identifier first); output is the set of ARFCNs
 * sorted ascending without duplicates. It never throws: a reserved format identifier or an IE too short
 * for its format is a typed rejection. It does not interpret EXT-IND/BA-IND/multiband bits: the IE
 * decoders that own those bits do.
 */
import { fail, ok, type Result } from '@simhound/protocol';

export type FrequencyListFormat =
  | 'bitmap_0'
  | 'range_1024'
  | 'range_512'
  | 'range_256'
  | 'range_128'
  | 'variable_bitmap';

export interface FrequencyList {
  readonly format: FrequencyListFormat;
  /** ARFCNs, ascending, each once. */
  readonly arfcns: number[];
}

export type FrequencyListRejection = 'too_short' | 'bad_ie';

/**
 * Where the format identifier sits: `standard` = bits 8,7 and 4,3,2 of the first octet (§10.5.2.13,
 * §10.5.2.1b, §10.5.2.22); `neighbour_2` = Neighbour Cell Description 2 (§10.5.2.22a), whose bits 7,6 carry
 * MULTIBAND_REPORTING, so only bit 8 and bits 4,3,2 are format bits (bit 7 reads as 0).
 */
export type FrequencyListLayout = 'standard' | 'neighbour_2';

/** Table 10.5.2.13.1: format identifier bits 8 7 . . 4 3 2 of the first octet. */
export function frequencyListFormat(firstOctet: number, layout: FrequencyListLayout = 'standard'): FrequencyListFormat | null {
  const octet = layout === 'neighbour_2' ? firstOctet & 0xbf : firstOctet;
  if ((octet & 0xc0) === 0x00) return 'bitmap_0';
  if ((octet & 0xc0) !== 0x80) return null; // 01 and 11 are reserved
  if ((octet & 0x08) === 0x00) return 'range_1024';
  switch (octet & 0x0e) {
    case 0x08:
      return 'range_512';
    case 0x0a:
      return 'range_256';
    case 0x0c:
      return 'range_128';
    default:
      return 'variable_bitmap';
  }
}

/** Reads `n` bits MSB-first starting at absolute bit `bitPos` of `buf` (caller checks bounds). */
function readBits(buf: Uint8Array, bitPos: number, n: number): number {
  let value = 0;
  for (let i = 0; i < n; i++) {
    const p = bitPos + i;
    value = value * 2 + ((buf[p >> 3]! >> (7 - (p & 7))) & 1);
  }
  return value;
}

/** Largest power of two ≤ k (k ≥ 1). */
function greatestPowerOfTwoAtMost(k: number): number {
  let j = 1;
  while (j * 2 <= k) j *= 2;
  return j;
}

/**
 * Range sizes: the modulus of the root of the W tree and the width of W(1) (§10.5.2.13.3–.6). Each tree
 * level halves the range ((M − 1) / 2) and is one bit narrower.
 */
const RANGE_ROOT: Record<'range_1024' | 'range_512' | 'range_256' | 'range_128', { modulus: number; rootBits: number }> = {
  range_1024: { modulus: 1023, rootBits: 10 },
  range_512: { modulus: 511, rootBits: 9 },
  range_256: { modulus: 255, rootBits: 8 },
  range_128: { modulus: 127, rootBits: 7 },
};

/** Width of W(index) for a tree whose W(1) is `rootBits` wide. */
export function wBits(rootBits: number, index: number): number {
  return rootBits - Math.log2(greatestPowerOfTwoAtMost(index));
}

/**
 * F(K) of §10.5.2.13.3 (range 1024) generalised to every range: walk from node K up to the root, at each
 * step re-expressing N in the parent's coordinates. `w[1..]` are the W values; `modulus` is the root
 * modulus (1023, 511, 255 or 127). The result is in 1..modulus.
 */
export function rangeF(w: readonly number[], k: number, modulus: number): number {
  let index = k;
  let j = greatestPowerOfTwoAtMost(index);
  let n = w[index]!;
  while (index > 1) {
    // The parent of a node at level j has modulus (modulus + 1) * 2 / j - 1 (1023, 511, … for range 1024).
    const parentModulus = ((modulus + 1) * 2) / j - 1;
    const halfPlusOne = (parentModulus + 1) / 2;
    if (2 * index < 3 * j) {
      // Left child: its values lie in the half range below the parent's value.
      index -= j / 2;
      n = ((((n + w[index]! - halfPlusOne - 1) % parentModulus) + parentModulus) % parentModulus) + 1;
    } else {
      // Right child: in the half range above the parent's value.
      index -= j;
      n = ((((n + w[index]! - 1) % parentModulus) + parentModulus) % parentModulus) + 1;
    }
    j /= 2;
  }
  return n;
}

/** Reads W(1), W(2), … until a W is 0 or the next one does not fit before `endBit`. w[0] is unused. */
function readWList(buf: Uint8Array, bitPos: number, endBit: number, rootBits: number): number[] {
  const w: number[] = [0];
  for (let index = 1; ; index++) {
    const width = wBits(rootBits, index);
    if (width <= 0 || bitPos + width > endBit) break;
    const value = readBits(buf, bitPos, width);
    bitPos += width;
    if (value === 0) break;
    w.push(value);
  }
  return w;
}

function sortedUnique(values: number[]): number[] {
  values.sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of values) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return out;
}

/**
 * Decodes the frequency list whose first octet (format identifier) is `buf[start]`, `end` exclusive.
 * For the 16-octet V forms of SI1/SI2/SI2bis/SI2ter pass exactly those 16 octets.
 */
export function decodeFrequencyList(
  buf: Uint8Array,
  start: number,
  end: number,
  layout: FrequencyListLayout = 'standard',
): Result<FrequencyList, FrequencyListRejection> {
  if (end - start < 1 || end > buf.length) return fail('too_short');
  const format = frequencyListFormat(buf[start]!, layout);
  if (format === null) return fail('bad_ie', `reserved frequency list format identifier 0x${buf[start]!.toString(16)}`);
  const startBit = start * 8;
  const endBit = end * 8;
  const arfcns: number[] = [];

  if (format === 'bitmap_0') {
    // §10.5.2.1b.2: bit 4 of the first octet is ARFCN 124, …, bit 1 of octet 16 is ARFCN 1.
    for (let arfcn = 124; arfcn >= 1; arfcn--) {
      const p = startBit + 128 - arfcn;
      if (p >= endBit) break;
      if (((buf[p >> 3]! >> (7 - (p & 7))) & 1) === 1) arfcns.push(arfcn);
    }
    return ok({ format, arfcns: sortedUnique(arfcns) });
  }

  if (format === 'variable_bitmap') {
    // §10.5.2.13.7: ORIG-ARFCN (10 bits from bit 1 of the first octet), then RRFCN bit i = ORIG + i.
    if (end - start < 3) return fail('too_short');
    const orig = readBits(buf, startBit + 7, 10);
    arfcns.push(orig);
    for (let p = startBit + 17, i = 1; p < endBit; p++, i++) {
      if (((buf[p >> 3]! >> (7 - (p & 7))) & 1) === 1) arfcns.push((orig + i) % 1024);
    }
    return ok({ format, arfcns: sortedUnique(arfcns) });
  }

  const { modulus, rootBits } = RANGE_ROOT[format];
  if (format === 'range_1024') {
    // §10.5.2.13.3: F0 (bit 3 of the first octet) = ARFCN 0 present; W(1) starts at bit 2.
    if ((buf[start]! & 0x04) !== 0) arfcns.push(0);
    const w = readWList(buf, startBit + 6, endBit, rootBits);
    for (let k = 1; k < w.length; k++) arfcns.push(rangeF(w, k, modulus));
    return ok({ format, arfcns: sortedUnique(arfcns) });
  }

  // §10.5.2.13.4–.6: ORIG-ARFCN is in the list; the others are ORIG-ARFCN + F(K) mod 1024.
  if (end - start < 3) return fail('too_short');
  const orig = readBits(buf, startBit + 7, 10);
  arfcns.push(orig);
  const w = readWList(buf, startBit + 17, endBit, rootBits);
  for (let k = 1; k < w.length; k++) arfcns.push((orig + rangeF(w, k, modulus)) % 1024);
  return ok({ format, arfcns: sortedUnique(arfcns) });
}
