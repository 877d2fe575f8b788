/**
 * Frequency list decoding (TS 44.018 §10.5.2.13) against tshark: every format (bit map 0, range 1024,
 * 512, 256, 128, variable bit map) in every IE that carries one (SI1 Cell Channel Description, SI2 and
 * SI2bis Neighbour Cell Description, SI2ter Neighbour Cell Description 2), built two ways — encoded from
 * chosen ARFCN sets and as random raw W(i)/bitmap contents — written as a GSMTAP pcap and decoded by the
 * real tshark in the same run. Plus spec cases tshark cannot judge and a fixed-seed fuzz.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrequencyList, frequencyListFormat, rangeF, wBits, type FrequencyListFormat } from '../../src/gsm/frequency-list.js';
import { encodeFrequencyList } from '../../src/gsm/frequency-list-encode.js';
import { BitWriter } from '../vectors/si/bit-writer.js';
import { rrBlock, writeGsmtapPcap, type UmBlock } from '../vectors/si/gsmtap-pcap.js';
import { arfcnsFromShowname, tsharkPdmlFrames, tsharkVersionLine, type PdmlFrame } from '../vectors/si/tshark-pdml.js';
import { seededRandom as prng } from '@simhound/test-support/random';

const RANGE_FORMATS = ['range_1024', 'range_512', 'range_256', 'range_128'] as const;
const ALL_FORMATS: readonly FrequencyListFormat[] = ['bitmap_0', ...RANGE_FORMATS, 'variable_bitmap'];
/** Root W width and the span a set may cover (ORIG-ARFCN + span) per range format (§10.5.2.13.3–.6). */
const RANGE = {
  range_1024: { rootBits: 10, span: 1023, formatBits: 0x80, wStart: 6 },
  range_512: { rootBits: 9, span: 511, formatBits: 0x88, wStart: 17 },
  range_256: { rootBits: 8, span: 255, formatBits: 0x8a, wStart: 17 },
  range_128: { rootBits: 7, span: 127, formatBits: 0x8c, wStart: 17 },
} as const;

type Carrier = 'si1' | 'si2' | 'si2bis' | 'si2ter';

/** Wraps a 16-octet list IE in the message that carries it, with plausible other IEs. */
function carrierBlock(carrier: Carrier, ie: Uint8Array, random: () => number): Uint8Array {
  const list = Uint8Array.from(ie);
  const rach = [0xb9, 0x00, 0x00];
  switch (carrier) {
    case 'si1':
      return rrBlock(0x19, [...list, ...rach, 0x2b], 21);
    case 'si2':
      // EXT-IND and BA-IND share the format octet (bits 6, 5).
      list[0] = (list[0]! & ~0x30) | (random() < 0.5 ? 0x20 : 0) | (random() < 0.5 ? 0x10 : 0);
      return rrBlock(0x1a, [...list, 0xff, ...rach], 22);
    case 'si2bis':
      list[0] = (list[0]! & ~0x30) | 0x20 | (random() < 0.5 ? 0x10 : 0);
      return rrBlock(0x02, [...list, ...rach, 0x2b], 21);
    case 'si2ter':
      // MULTIBAND_REPORTING (bits 7, 6) and BA-IND (bit 5) share the format octet.
      list[0] = (list[0]! & ~0x70) | (Math.floor(random() * 4) << 5) | (random() < 0.5 ? 0x10 : 0);
      return rrBlock(0x03, [...list, 0x2b, 0x2b, 0x2b, 0x2b], 0);
  }
}

/** A random ARFCN set that `format` can hold in 16 octets. */
function randomSet(format: FrequencyListFormat, random: () => number): number[] {
  const set = new Set<number>();
  const pick = (n: number, gen: () => number) => {
    while (set.size < n) set.add(gen());
  };
  switch (format) {
    case 'bitmap_0':
      pick(1 + Math.floor(random() * 40), () => 1 + Math.floor(random() * 124));
      break;
    case 'variable_bitmap': {
      const orig = Math.floor(random() * (1024 - 112));
      set.add(orig);
      pick(1 + Math.floor(random() * 30), () => orig + 1 + Math.floor(random() * 111));
      break;
    }
    case 'range_1024':
      pick(Math.floor(random() * 17), () => 1 + Math.floor(random() * 1023));
      if (random() < 0.5) set.add(0);
      break;
    default: {
      const { span } = RANGE[format];
      const capacity = { range_512: 17, range_256: 21, range_128: 28 }[format];
      const orig = Math.floor(random() * 1024);
      set.add(orig);
      pick(1 + Math.floor(random() * capacity), () => (orig + 1 + Math.floor(random() * span)) % 1024);
    }
  }
  return [...set].sort((a, b) => a - b);
}

/** A raw 16-octet IE with random contents valid for `format` (random W(i), random bitmaps). */
function randomRawIe(format: FrequencyListFormat, random: () => number): Uint8Array {
  const w = new BitWriter();
  if (format === 'bitmap_0') {
    w.bits(4, 0);
    for (let i = 0; i < 124; i++) w.bit(random() < 0.15);
    return w.toBytes(16);
  }
  if (format === 'variable_bitmap') {
    // ORIG-ARFCN low enough that ORIG+111 stays ≤ 1023: tshark does not wrap this format (see below).
    w.bits(7, 0x8e >> 1).bits(10, Math.floor(random() * (1024 - 112)));
    for (let i = 0; i < 111; i++) w.bit(random() < 0.2);
    return w.toBytes(16);
  }
  const { rootBits, formatBits } = RANGE[format];
  if (format === 'range_1024') w.bits(5, formatBits >> 3).bit(random() < 0.5); // format bits, F0
  else w.bits(7, formatBits >> 1).bits(10, Math.floor(random() * 1024)); // format bits, ORIG-ARFCN
  const stopAt = Math.floor(random() * 30);
  for (let index = 1; ; index++) {
    const width = wBits(rootBits, index);
    if (w.length + width > 128) break;
    const value = index > stopAt ? 0 : 1 + Math.floor(random() * (2 ** width - 1));
    w.bits(width, value);
  }
  return w.toBytes(16);
}

interface Vector {
  readonly label: string;
  readonly carrier: Carrier;
  readonly block: Uint8Array;
  /** The set the IE was encoded from (encoded vectors only). */
  readonly expected?: number[];
}

const FORMAT_NAMES: Record<string, FrequencyListFormat> = {
  'bit map 0': 'bitmap_0',
  '1024 range': 'range_1024',
  '512 range': 'range_512',
  '256 range': 'range_256',
  '128 range': 'range_128',
  'variable bit map': 'variable_bitmap',
};

/**
 * tshark's format from the Format Identifier showname ("… = Format Identifier: 512 range (0x44)"). tshark
 * labels bit map 0 identifiers with bit 2 set "Unknown" although it decodes them as bit map 0 (bits 8,7 =
 * 00 decide, table 10.5.2.13.1): for those the packed value (< 0x08) says so.
 */
function tsharkFormat(frame: PdmlFrame): FrequencyListFormat | undefined {
  const field = frame.one('gsm_a.rr.format_id') ?? frame.one('gsm_a.rr.format_id2');
  const text = field?.showname ?? '';
  for (const [name, format] of Object.entries(FORMAT_NAMES)) if (text.includes(`: ${name} (`)) return format;
  if (text.includes(': Unknown (') && parseInt(field!.show, 16) < 0x08) return 'bitmap_0';
  return undefined;
}

describe('frequency list formats vs tshark', () => {
  let dir: string;
  const vectors: Vector[] = [];
  let frames: PdmlFrame[] = [];

  beforeAll(async () => {
    await tsharkVersionLine();
    dir = mkdtempSync(join(tmpdir(), 'simhound-freqlist-'));
    const random = prng(0x5111);
    const carriers: Carrier[] = ['si1', 'si2', 'si2bis', 'si2ter'];
    for (const format of ALL_FORMATS) {
      for (const carrier of carriers) {
        for (let n = 0; n < 12; n++) {
          const set = randomSet(format, random);
          const encoded = encodeFrequencyList(format, set);
          if (!encoded.ok) throw new Error(`cannot encode ${format} ${set}: ${encoded.detail}`);
          vectors.push({ label: `${carrier} ${format} encoded ${set.join(' ')}`, carrier, block: carrierBlock(carrier, encoded.value, random), expected: set });
        }
        for (let n = 0; n < 40; n++) {
          const ie = randomRawIe(format, random);
          vectors.push({ label: `${carrier} ${format} raw`, carrier, block: carrierBlock(carrier, ie, random) });
        }
      }
    }
    const path = join(dir, 'frequency-lists.pcap');
    writeGsmtapPcap(path, vectors.map((v, i): UmBlock => ({ l2: v.block, fn: i })));
    frames = await tsharkPdmlFrames(path);
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('decodes every format in every carrier to the ARFCN set tshark shows', () => {
    expect(frames).toHaveLength(vectors.length);
    const seen = new Set<string>();
    vectors.forEach((vector, i) => {
      const frame = frames[i]!;
      const ie = vector.block.subarray(3, 19);
      const decoded = decodeFrequencyList(ie, 0, 16, vector.carrier === 'si2ter' ? 'neighbour_2' : 'standard');
      expect(decoded.ok, vector.label).toBe(true);
      if (!decoded.ok) return;
      const listField = frame.one('gsm_a.rr.arfcn_list');
      expect(listField, vector.label).toBeDefined();
      expect(decoded.value.arfcns, vector.label).toEqual(arfcnsFromShowname(listField!.showname));
      expect(decoded.value.format, vector.label).toBe(tsharkFormat(frame));
      if (vector.expected !== undefined) expect(decoded.value.arfcns, vector.label).toEqual(vector.expected);
      seen.add(`${vector.carrier}/${decoded.value.format}`);
    });
    // All six formats appeared in all four carriers.
    expect(seen.size).toBe(ALL_FORMATS.length * 4);
  });
});

describe('frequency list decoding, spec cases', () => {
  it('reads the format identifier of table 10.5.2.13.1 and rejects the reserved codes', () => {
    expect(frequencyListFormat(0x00)).toBe('bitmap_0');
    expect(frequencyListFormat(0x0f)).toBe('bitmap_0');
    expect(frequencyListFormat(0x80)).toBe('range_1024');
    expect(frequencyListFormat(0x84)).toBe('range_1024');
    expect(frequencyListFormat(0x88)).toBe('range_512');
    expect(frequencyListFormat(0x8a)).toBe('range_256');
    expect(frequencyListFormat(0x8c)).toBe('range_128');
    expect(frequencyListFormat(0x8e)).toBe('variable_bitmap');
    expect(frequencyListFormat(0x40)).toBeNull();
    expect(frequencyListFormat(0xc0)).toBeNull();
    // Neighbour Cell Description 2: bit 7 is MULTIBAND_REPORTING, not format.
    expect(frequencyListFormat(0x40, 'neighbour_2')).toBe('bitmap_0');
    expect(frequencyListFormat(0xc8, 'neighbour_2')).toBe('range_512');
    expect(decodeFrequencyList(Uint8Array.of(0x40, 0, 0), 0, 3)).toMatchObject({ ok: false, reason: 'bad_ie' });
    expect(decodeFrequencyList(new Uint8Array(0), 0, 0)).toMatchObject({ ok: false, reason: 'too_short' });
    expect(decodeFrequencyList(Uint8Array.of(0x88, 0), 0, 2)).toMatchObject({ ok: false, reason: 'too_short' });
  });

  it('range 1024: F0 adds ARFCN 0; W(1) alone is the ARFCN itself (§10.5.2.13.3)', () => {
    const ie = new BitWriter().bits(4, 0b1000).bit(0).bit(1).bits(10, 725).toBytes(16);
    ie.fill(0, 2); // W(2) (from bit 16) = 0 ends the list
    expect(decodeFrequencyList(ie, 0, 16)).toEqual({ ok: true, value: { format: 'range_1024', arfcns: [0, 725] } });
  });

  it('range 1024: F(2) and F(3) follow the left/right child formulas of §10.5.2.13.3', () => {
    // F(2) = (W(1) + W(2) − 512 − 1) mod 1023 + 1 and F(3) = (W(1) + W(3) − 1) mod 1023 + 1.
    const w = [0, 100, 300, 20];
    expect(rangeF(w, 1, 1023)).toBe(100);
    expect(rangeF(w, 2, 1023)).toBe(((100 + 300 - 512 - 1 + 1023 * 2) % 1023) + 1);
    expect(rangeF(w, 3, 1023)).toBe(((100 + 20 - 1) % 1023) + 1);
  });

  it('variable bit map wraps ARFCNs modulo 1024 (§10.5.2.13.7), unlike tshark', () => {
    // ORIG-ARFCN 1020; RRFCN bits 1 and 10 → ARFCN 1021 and (1030 mod 1024) = 6.
    const w = new BitWriter().bits(7, 0x8e >> 1).bits(10, 1020);
    for (let i = 1; i <= 111; i++) w.bit(i === 1 || i === 10);
    expect(decodeFrequencyList(w.toBytes(16), 0, 16)).toEqual({ ok: true, value: { format: 'variable_bitmap', arfcns: [6, 1020, 1021] } });
  });

  it('range 512/256/128 add ORIG-ARFCN modulo 1024 (§10.5.2.13.4–.6)', () => {
    for (const format of ['range_512', 'range_256', 'range_128'] as const) {
      const encoded = encodeFrequencyList(format, [1000, 1010, 3, 20]);
      expect(encoded.ok).toBe(true);
      if (encoded.ok) expect(decodeFrequencyList(encoded.value, 0, 16)).toEqual({ ok: true, value: { format, arfcns: [3, 20, 1000, 1010] } });
    }
  });

  it('the encoder rejects sets a format cannot hold', () => {
    expect(encodeFrequencyList('bitmap_0', [0])).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeFrequencyList('range_128', [0, 200])).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeFrequencyList('range_1024', Array.from({ length: 17 }, (_, i) => i + 1))).toMatchObject({ ok: false, reason: 'too_many' });
    expect(encodeFrequencyList('range_512', [1024])).toMatchObject({ ok: false, reason: 'bad_value' });
    expect(encodeFrequencyList('variable_bitmap', [])).toMatchObject({ ok: false, reason: 'bad_value' });
  });

  it('encode → decode is the identity for 6000 random sets (fixed seed)', () => {
    const random = prng(42);
    for (let n = 0; n < 1000; n++) {
      for (const format of ALL_FORMATS) {
        const set = randomSet(format, random);
        const encoded = encodeFrequencyList(format, set);
        expect(encoded.ok).toBe(true);
        if (!encoded.ok) continue;
        const decoded = decodeFrequencyList(encoded.value, 0, 16);
        expect(decoded).toEqual({ ok: true, value: { format, arfcns: set } });
      }
    }
  });
});

describe('frequency list fuzz (fixed seed)', () => {
  it('20,000 random IEs of random length: no throw, typed outcomes, sorted unique ARFCNs in 0..1023', () => {
    const random = prng(7);
    const outcomes: Record<string, number> = {};
    const badLists: number[][] = [];
    const badReasons: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const length = Math.floor(random() * 20);
      const buf = new Uint8Array(length + 4);
      for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(random() * 256);
      const start = Math.floor(random() * 3);
      const end = Math.min(buf.length, start + length);
      const result = decodeFrequencyList(buf, start, end, random() < 0.5 ? 'standard' : 'neighbour_2');
      const key = result.ok ? `ok:${result.value.format}` : result.reason;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (result.ok) {
        const a = result.value.arfcns;
        const sortedInRange = a.every((v, i) => Number.isInteger(v) && v >= 0 && v <= 1023 && (i === 0 || v > a[i - 1]!));
        if (!sortedInRange) badLists.push(a);
      } else if (result.reason !== 'too_short' && result.reason !== 'bad_ie') {
        badReasons.push(result.reason);
      }
    }
    expect(badLists).toEqual([]);
    expect(badReasons).toEqual([]);
    // Every format and both rejections were exercised.
    for (const key of [...ALL_FORMATS.map((f) => `ok:${f}`), 'too_short', 'bad_ie']) expect(outcomes[key], key).toBeGreaterThan(0);
  });
});
