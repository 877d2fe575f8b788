/**
 * The 16-octet frequency list shared by Cell Channel Description (TS 44.018 §10.5.2.1b, SI1) and
 * Neighbour Cell Description (§10.5.2.22, SI2): formats bit map 0, range 1024 and variable bit map.
 *
 * Range 1024 follows the tree coding of TS 44.018 §10.5.2.13.3 and Annex J: W(1) is a pivot
 * frequency; the frequencies "below" it (circularly, within half the range) go to the left sub-tree
 * (indices 2, 4, 6, …), those "above" it to the right (3, 5, 7, …), each coded relative to its parent
 * in a range half as large. The decoder side of that annex is F(K) computed from the W chain; this
 * file inverts it and must stay a pure function of the ARFCN set.
 */
import { EncodeError, checkRange } from './encode-result.js';
import { BitWriter } from './writers.js';

export type FrequencyListFormat = 'bitmap0' | 'range1024' | 'variable_bitmap';

export interface FrequencyListOptions {
  /** Default: bit map 0 when every ARFCN is in 1..124, else variable bit map if it fits, else range 1024. */
  readonly format?: FrequencyListFormat;
  /** Neighbour Cell Description only: EXT-IND (the list is continued in SI2bis/2ter). */
  readonly ext_ind?: boolean;
  /** Neighbour Cell Description only: BA-IND (which BA list this is). */
  readonly ba_ind?: boolean;
}

export const FREQUENCY_LIST_OCTETS = 16;
/** Range 1024 in 16 octets: 122 bits of W fields = W(1)..W(16) (10+2·9+4·8+8·7+6). */
const RANGE1024_MAX_W = 16;
const VARIABLE_BITMAP_SPAN = 111;

function uniqueSorted(arfcns: readonly number[]): number[] {
  for (const a of arfcns) checkRange('arfcn', a, 0, 1023);
  return [...new Set(arfcns)].sort((a, b) => a - b);
}

function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}

/** Number of filled tree indices (1..count) in the sub-tree rooted at `index` on level `level`. */
function subtreeSize(index: number, level: number, count: number): number {
  if (index > count) return 0;
  return 1 + subtreeSize(index + level, level * 2, count) + subtreeSize(index + 2 * level, level * 2, count);
}

/**
 * Encodes `values` (each in 1..2·half−1) into W[index] and its sub-tree. `half` is 512 at the root of
 * range 1024 (values 1..1023), halving per level.
 */
function encodeRangeNode(values: number[], index: number, level: number, half: number, count: number, w: number[]): void {
  if (values.length === 0) return;
  const range = 2 * half - 1;
  const wantLeft = subtreeSize(index + level, level * 2, count);
  for (const pivot of values) {
    const left: number[] = [];
    const right: number[] = [];
    for (const v of values) {
      if (v === pivot) continue;
      if (mod(pivot - v, range) <= half - 1) left.push(mod(v - pivot + half - 1, range) + 1);
      else right.push(mod(v - pivot - 1, range) + 1);
    }
    if (left.length !== wantLeft) continue;
    w[index] = pivot;
    encodeRangeNode(left, index + level, level * 2, half / 2, count, w);
    encodeRangeNode(right, index + 2 * level, level * 2, half / 2, count, w);
    return;
  }
  throw new EncodeError('not_encodable', `no range-1024 pivot for ${values.length} values at W(${index})`);
}

/** W(1)..W(n) of range 1024 for ARFCNs 1..1023 (ARFCN 0 travels in the F0 bit). */
export function range1024W(arfcnsWithoutZero: readonly number[]): number[] {
  const w: number[] = new Array(arfcnsWithoutZero.length + 1).fill(0);
  encodeRangeNode([...arfcnsWithoutZero], 1, 1, 512, arfcnsWithoutZero.length, w);
  return w.slice(1);
}

function range1024WBits(index: number): number {
  return 10 - Math.floor(Math.log2(index));
}

function writeBitmap0(bits: BitWriter, arfcns: number[]): void {
  if (arfcns.some((a) => a < 1 || a > 124)) {
    throw new EncodeError('not_encodable', 'bit map 0 carries only ARFCN 1..124');
  }
  const present = new Set(arfcns);
  for (let arfcn = 124; arfcn >= 1; arfcn--) bits.bit(present.has(arfcn));
}

function variableBitmapOrigin(arfcns: number[]): number | undefined {
  return arfcns.find((origin) => arfcns.every((a) => mod(a - origin, 1024) <= VARIABLE_BITMAP_SPAN));
}

function chooseFormat(arfcns: number[]): FrequencyListFormat {
  if (arfcns.every((a) => a >= 1 && a <= 124)) return 'bitmap0';
  if (variableBitmapOrigin(arfcns) !== undefined) return 'variable_bitmap';
  return 'range1024';
}

/** The 16-octet frequency list value (Cell Channel Description / Neighbour Cell Description body). */
export function frequencyListValue(arfcnList: readonly number[], options: FrequencyListOptions = {}): Uint8Array {
  const arfcns = uniqueSorted(arfcnList);
  const format = options.format ?? chooseFormat(arfcns);
  const bits = new BitWriter();
  const flags = (b: BitWriter): BitWriter => b.bit(options.ext_ind ?? false).bit(options.ba_ind ?? false);
  switch (format) {
    case 'bitmap0':
      flags(bits.bitsOf(0b00, 2));
      writeBitmap0(bits, arfcns);
      break;
    case 'variable_bitmap': {
      if (arfcns.length === 0) throw new EncodeError('not_encodable', 'variable bit map needs at least one ARFCN');
      const origin = variableBitmapOrigin(arfcns);
      if (origin === undefined) {
        throw new EncodeError('not_encodable', `ARFCNs span more than ${VARIABLE_BITMAP_SPAN} channels`);
      }
      flags(bits.bitsOf(0b10, 2)).bitsOf(0b111, 3).bitsOf(origin, 10);
      const present = new Set(arfcns.map((a) => mod(a - origin, 1024)));
      for (let rrfcn = 1; rrfcn <= VARIABLE_BITMAP_SPAN; rrfcn++) bits.bit(present.has(rrfcn));
      break;
    }
    case 'range1024': {
      const withoutZero = arfcns.filter((a) => a !== 0);
      if (withoutZero.length > RANGE1024_MAX_W) {
        throw new EncodeError('not_encodable', `range 1024 in 16 octets carries at most ${RANGE1024_MAX_W} + ARFCN 0`);
      }
      flags(bits.bitsOf(0b10, 2)).bit(0).bit(arfcns.includes(0));
      range1024W(withoutZero).forEach((w, i) => bits.bitsOf(w, range1024WBits(i + 1), `W(${i + 1})`));
      break;
    }
    default:
      throw new EncodeError('not_encodable', `unknown frequency list format ${String(format)}`);
  }
  return bits.toBytesZeroFilled(FREQUENCY_LIST_OCTETS, 'frequency list');
}
