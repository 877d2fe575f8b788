/**
 * RA → establishment cause, checked for all 256 RA values × NECI 0/1 against the rows of 3GPP TS 44.018
 * §9.1.8 table 9.1.8.1 (CHANNEL REQUEST message content) and table 9.1.8.2 (answer to paging), written
 * down here as the spec prints them (bit patterns with x) — independent of the decoder's bit logic.
 * Where tshark has no cause field, this table is the oracle.
 */
import { describe, expect, it } from 'vitest';
import { ESTABLISHMENT_CAUSES, type EstablishmentCause } from '@simhound/protocol';
import { establishmentCause } from '../../src/gsm/establishment-cause.js';

type Neci = 0 | 1;
interface SpecRow {
  patterns: string[];
  meaning: string;
  /** The NECI value the row is limited to ("…and the network sets NECI bit to 1"), or both. */
  neci: Neci[];
}

// TS 44.018 table 9.1.8.1 (Rel-17), row by row.
const SPEC_ROWS: SpecRow[] = [
  { patterns: ['101xxxxx'], meaning: 'emergency', neci: [0, 1] },
  // "Call re-establishment; TCH/F was in use, or TCH/H was in use but the network does not set NECI bit to 1"
  { patterns: ['110xxxxx'], meaning: 'reestablishment', neci: [0, 1] },
  { patterns: ['011010xx'], meaning: 'reestablishment', neci: [1] },
  { patterns: ['011011xx'], meaning: 'reestablishment', neci: [1] },
  // "Answer to paging — see table 9.1.8.2": 100xxxxx any channel, 0001xxxx SDCCH, 0010xxxx TCH/F (dual
  // rate MS), 0011xxxx TCH/H or TCH/F (dual rate MS); not limited by NECI.
  { patterns: ['100xxxxx', '0010xxxx', '0011xxxx', '0001xxxx'], meaning: 'paging', neci: [0, 1] },
  // "Originating call and TCH/F is needed, or originating call and the network does not set NECI bit
  // to 1, or procedures that can be completed with a SDCCH and the network does not set NECI bit to 1."
  { patterns: ['111xxxxx'], meaning: 'originating_tch_f', neci: [1] },
  { patterns: ['111xxxxx'], meaning: 'originating_or_sdcch', neci: [0] },
  { patterns: ['0100xxxx'], meaning: 'speech_tch_h', neci: [1] },
  { patterns: ['0101xxxx'], meaning: 'data_tch_h', neci: [1] },
  { patterns: ['000xxxxx'], meaning: 'location_updating', neci: [0] },
  { patterns: ['0000xxxx'], meaning: 'location_updating', neci: [1] },
  { patterns: ['0001xxxx'], meaning: 'other_sdcch', neci: [1] },
  { patterns: ['011110xx', '01111x0x', '01111xx0'], meaning: 'one_phase', neci: [0, 1] },
  { patterns: ['01110xxx'], meaning: 'single_block', neci: [0, 1] },
  { patterns: ['01100111'], meaning: 'lmu', neci: [0, 1] },
  { patterns: ['01100xx0', '01100x01', '01100011'], meaning: 'reserved', neci: [0, 1] },
  { patterns: ['01111111'], meaning: 'reserved', neci: [0, 1] },
];

function matches(pattern: string, ra: number): boolean {
  const bits = ra.toString(2).padStart(8, '0');
  return [...pattern].every((c, i) => c === 'x' || c === bits[i]);
}

/** What the set of spec rows matching one RA under one NECI value means as a simhound cause. */
const MEANING_TO_CAUSE: Record<string, EstablishmentCause> = {
  '': 'reserved',
  emergency: 'emergency_call',
  reestablishment: 'call_reestablishment',
  paging: 'answer_to_paging',
  'location_updating+paging': 'location_updating_or_answer_to_paging',
  'other_sdcch+paging': 'other_sdcch',
  originating_tch_f: 'originating_call',
  originating_or_sdcch: 'originating_call_or_sdcch',
  speech_tch_h: 'originating_speech_tch_h',
  data_tch_h: 'originating_data_tch_h',
  location_updating: 'location_updating',
  one_phase: 'packet_one_phase',
  single_block: 'packet_single_block',
  lmu: 'lmu_establishment',
  reserved: 'reserved',
};

function specCause(ra: number, neci: Neci): EstablishmentCause {
  const meanings = new Set<string>();
  for (const row of SPEC_ROWS) {
    if (row.neci.includes(neci) && row.patterns.some((p) => matches(p, ra))) meanings.add(row.meaning);
  }
  const key = [...meanings].sort().join('+');
  const cause = MEANING_TO_CAUSE[key];
  if (cause === undefined) throw new Error(`spec rows overlap unexpectedly for RA ${ra} NECI ${neci}: ${key}`);
  return cause;
}

describe('RA → establishment cause (TS 44.018 §9.1.8, tables 9.1.8.1 and 9.1.8.2)', () => {
  for (const neci of [0, 1] as const) {
    it(`matches the spec for all 256 RA values with NECI=${neci}`, () => {
      const mismatches: string[] = [];
      for (let ra = 0; ra < 256; ra++) {
        const want = specCause(ra, neci);
        const got = establishmentCause(ra, neci);
        if (got !== want) mismatches.push(`RA ${ra.toString(2).padStart(8, '0')}: ${got} ≠ spec ${want}`);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('answers unknown_neci exactly where NECI 0 and 1 disagree, and the common cause elsewhere', () => {
    let ambiguous = 0;
    for (let ra = 0; ra < 256; ra++) {
      const c0 = specCause(ra, 0);
      const c1 = specCause(ra, 1);
      const expected = c0 === c1 ? c0 : 'unknown_neci';
      if (c0 !== c1) ambiguous++;
      expect(establishmentCause(ra, null)).toBe(expected);
    }
    // 0001xxxx, 0100xxxx, 0101xxxx, 01101xxx, 111xxxxx: 16+16+16+8+32.
    expect(ambiguous).toBe(88);
  });

  it('uses only names from the shared vocabulary, and every vocabulary cause is reachable', () => {
    const seen = new Set<string>();
    for (let ra = 0; ra < 256; ra++) for (const n of [0, 1, null] as const) seen.add(establishmentCause(ra, n));
    for (const c of seen) expect(ESTABLISHMENT_CAUSES).toContain(c);
    expect([...seen].sort()).toEqual([...ESTABLISHMENT_CAUSES].sort());
  });

  it('spot checks from the table text', () => {
    expect(establishmentCause(0b1010_0011, 1)).toBe('emergency_call');
    expect(establishmentCause(0x26, 1)).toBe('answer_to_paging'); // the vf_call6 assignment (0010xxxx)
    expect(establishmentCause(0xe5, 1)).toBe('originating_call');
    expect(establishmentCause(0xe5, 0)).toBe('originating_call_or_sdcch');
    expect(establishmentCause(0x05, 0)).toBe('location_updating');
    expect(establishmentCause(0x15, 1)).toBe('other_sdcch');
    expect(establishmentCause(0x7c, 0)).toBe('packet_one_phase');
    expect(establishmentCause(0x73, 1)).toBe('packet_single_block');
    expect(establishmentCause(0x67, 0)).toBe('lmu_establishment');
    expect(establishmentCause(0x7f, 1)).toBe('reserved');
  });
});
