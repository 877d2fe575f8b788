import { describe, expect, it } from 'vitest';
import {
  type FrequencyListFormat,
  encodeSystemInformation1,
  encodeSystemInformation2,
  frequencyListValue,
  range1024W,
} from '../../src/encode/index.js';
import { arfcnList, decodeWithTshark, show, showInt } from './tshark-roundtrip.js';
import { seededRandom as prng } from '@simhound/test-support/random';

function randomSet(rand: () => number, size: number, pick: () => number): number[] {
  const set = new Set<number>();
  while (set.size < size) set.add(pick());
  return [...set].sort((a, b) => a - b);
}

/**
 * tshark's "Format Identifier" is octet 2 masked with bits 8,7,4,3,2 and shifted right once. For bit map 0
 * only bits 8,7 (00) identify the format (bits 4..2 are ARFCNs 124..122); range 1024 is 10 + bit 4 = 0
 * (bit 3 is F0); variable bit map is 10 + 111 (TS 44.018 §10.5.2.1b.1).
 */
const FORMAT_ID: Record<FrequencyListFormat, string[]> = {
  bitmap0: ['0x00', '0x01', '0x02', '0x03', '0x04', '0x05', '0x06', '0x07'],
  range1024: ['0x40', '0x41', '0x42', '0x43'],
  variable_bitmap: ['0x47'],
};

/**
 * The receiver's side of range 1024 as TS 44.018 Annex J gives it: F(K) from W(K) and its ancestors,
 * "x smod n" being ((x − 1) mod n) + 1. Used only to check the encoder on many more sets than tshark runs.
 */
function range1024Decode(w: readonly number[]): number[] {
  const out: number[] = [];
  const smod = (x: number, n: number) => ((((x - 1) % n) + n) % n) + 1;
  for (let k = 1; k <= w.length && w[k - 1] !== 0; k++) {
    let index = k;
    let j = 2 ** Math.floor(Math.log2(index));
    let n = w[index - 1] as number;
    while (index > 1) {
      if (2 * index < 3 * j) {
        index -= j / 2; // left child
        n = smod(n + (w[index - 1] as number) - 1024 / j, (2 * 1024) / j - 1);
      } else {
        index -= j; // right child
        n = smod(n + (w[index - 1] as number), (2 * 1024) / j - 1);
      }
      j /= 2;
    }
    out.push(n);
  }
  return out.sort((a, b) => a - b);
}

describe('range 1024 W coding against the Annex J decoding formula', () => {
  it('round-trips 20 000 random sets of 1..16 ARFCNs', () => {
    const rand = prng(44018);
    for (let i = 0; i < 20_000; i++) {
      const set = randomSet(rand, 1 + (i % 16), () => 1 + Math.floor(rand() * 1023));
      expect(range1024Decode(range1024W(set)), set.join(',')).toEqual(set);
    }
  });
});

describe('frequency lists (cell channel description / neighbour cell description)', () => {

  it('encodes random ARFCN sets in bit map 0, variable bit map and range 1024 exactly as tshark lists them', async () => {
    const rand = prng(20261125);
    const cases: { format: FrequencyListFormat; arfcns: number[] }[] = [];
    for (let i = 0; i < 40; i++) {
      cases.push({ format: 'bitmap0', arfcns: randomSet(rand, 1 + Math.floor(rand() * 30), () => 1 + Math.floor(rand() * 124)) });
    }
    for (let i = 0; i < 40; i++) {
      const origin = Math.floor(rand() * 1024);
      cases.push({
        format: 'variable_bitmap',
        arfcns: [origin, ...randomSet(rand, Math.floor(rand() * 20), () => (origin + 1 + Math.floor(rand() * 111)) % 1024)],
      });
    }
    for (let i = 0; i < 120; i++) {
      const size = 1 + (i % 16);
      const set = randomSet(rand, size, () => 1 + Math.floor(rand() * 1023));
      cases.push({ format: 'range1024', arfcns: i % 3 === 0 ? [0, ...set] : set });
    }
    // Edges: both ends of the band, a dense cluster, the full 16 + ARFCN 0, and a single ARFCN 0.
    cases.push({ format: 'range1024', arfcns: [1, 1023] });
    cases.push({ format: 'range1024', arfcns: [0] });
    cases.push({ format: 'range1024', arfcns: [0, ...Array.from({ length: 16 }, (_, k) => 500 + k)] });
    cases.push({ format: 'range1024', arfcns: Array.from({ length: 16 }, (_, k) => 1 + k * 63) });
    // Every other GSM900 channel (a longer list overflows tshark's 240-character label, see below).
    cases.push({ format: 'bitmap0', arfcns: Array.from({ length: 62 }, (_, k) => 2 * (k + 1)) });
    cases.push({ format: 'variable_bitmap', arfcns: [1000, 1023, 0, 87] }); // wraps past 1023

    const packets = await decodeWithTshark(
      cases.map((c) => ({ block: encodeSystemInformation1({ cell_allocation: c.arfcns, cell_allocation_format: c.format }) })),
    );
    packets.forEach((p, i) => {
      const c = cases[i] as (typeof cases)[0];
      expect(FORMAT_ID[c.format], `case ${i} ${c.format} ${c.arfcns.join(',')}`).toContain(show(p, 'gsm_a.rr.format_id'));
      expect(arfcnList(p), `case ${i} ${c.format}`).toEqual([...new Set(c.arfcns)].sort((a, b) => a - b));
    });
  });

  it('bit map 0 with all 124 ARFCNs sets every bit after the format bits', () => {
    const all = frequencyListValue(Array.from({ length: 124 }, (_, k) => k + 1), { format: 'bitmap0' });
    expect([...all]).toEqual([0x0f, ...new Array(15).fill(0xff)]);
  });

  it('picks bit map 0 for GSM900 lists, variable bit map for a compact DCS list, range 1024 otherwise', () => {
    const octet2 = (arfcns: number[]): number => frequencyListValue(arfcns)[0] as number;
    expect(octet2([1, 60, 124]) & 0xc0).toBe(0x00);
    expect(octet2([725, 730, 800]) & 0xce).toBe(0x8e);
    expect(octet2([1, 512, 885]) & 0xc8).toBe(0x80);
  });

  it('neighbour cell description carries EXT-IND and BA-IND next to the list', async () => {
    const packets = await decodeWithTshark([
      { block: encodeSystemInformation2({ neighbours: [725, 730, 733, 734, 741, 746], ncc_permitted: 0x78 }) },
      { block: encodeSystemInformation2({ neighbours: [3, 17, 99], ext_ind: true, ba_ind: true, ncc_permitted: 0xff }) },
      { block: encodeSystemInformation2({ neighbours: [10, 600, 1020], neighbours_format: 'range1024' }) },
    ]);
    const [dcs, gsm, wide] = packets as [(typeof packets)[0], (typeof packets)[0], (typeof packets)[0]];
    expect(arfcnList(dcs)).toEqual([725, 730, 733, 734, 741, 746]);
    expect(showInt(dcs, 'gsm_a.rr.ncc_permitted')).toBe(0x78);
    expect(show(dcs, 'gsm_a.rr.ext_ind')).toBe('0');
    expect(show(dcs, 'gsm_a.rr.ba_ind')).toBe('0');
    expect(arfcnList(gsm)).toEqual([3, 17, 99]);
    expect(show(gsm, 'gsm_a.rr.ext_ind')).toBe('1');
    expect(show(gsm, 'gsm_a.rr.ba_ind')).toBe('1');
    expect(arfcnList(wide)).toEqual([10, 600, 1020]);
  });

  it('refuses lists a format cannot carry', () => {
    const si1 = (arfcns: number[], format: FrequencyListFormat) => encodeSystemInformation1({ cell_allocation: arfcns, cell_allocation_format: format });
    expect(si1([0, 5], 'bitmap0')).toMatchObject({ ok: false, reason: 'not_encodable' });
    expect(si1([125], 'bitmap0')).toMatchObject({ ok: false, reason: 'not_encodable' });
    expect(si1([1, 200], 'variable_bitmap')).toMatchObject({ ok: false, reason: 'not_encodable' });
    expect(si1(Array.from({ length: 17 }, (_, k) => k + 1), 'range1024')).toMatchObject({ ok: false, reason: 'not_encodable' });
    expect(si1([1024], 'range1024')).toMatchObject({ ok: false, reason: 'out_of_range' });
  });
});
