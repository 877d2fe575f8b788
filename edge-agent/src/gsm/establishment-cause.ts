/**
 * RA byte (the CHANNEL REQUEST echoed in a Request Reference) → establishment cause, per 3GPP TS 44.018
 * §9.1.8, table 9.1.8.1 (and table 9.1.8.2 for the answer-to-paging codes). Which causes can be told
 * apart depends on the cell's NECI bit (SI3/SI4 cell selection parameters); when NECI is not known yet
 * and the code means different things under NECI 0 and 1, the answer is `unknown_neci`.
 *
 * Implemented as a precomputed 256-entry table per NECI value, so the hot path is one array read.
 * This module must not guess: a code the tables leave undefined is `reserved`.
 */
import type { EstablishmentCause } from '@simhound/protocol';

function causeFor(ra: number, neci: 0 | 1): EstablishmentCause {
  const top3 = ra >> 5;
  const top4 = ra >> 4;
  // 101xxxxx emergency call; 110xxxxx call re-establishment (TCH/F, or TCH/H when NECI=0).
  if (top3 === 0b101) return 'emergency_call';
  if (top3 === 0b110) return 'call_reestablishment';
  // 100xxxxx, 0010xxxx, 0011xxxx: answer to paging (table 9.1.8.2), whatever NECI.
  if (top3 === 0b100) return 'answer_to_paging';
  if (top4 === 0b0010 || top4 === 0b0011) return 'answer_to_paging';
  // 111xxxxx: TCH/F originating call when NECI=1; with NECI=0 also SDCCH procedures (SMS, SS).
  if (top3 === 0b111) return neci === 1 ? 'originating_call' : 'originating_call_or_sdcch';
  // 0000xxxx location updating (both: 000xxxxx under NECI=0 covers it).
  if (top4 === 0b0000) return 'location_updating';
  // 0001xxxx: NECI=1 other SDCCH procedures (and answer to paging for SDCCH, table 9.1.8.2);
  // NECI=0 inside 000xxxxx location updating, but also answer to paging for SDCCH.
  if (top4 === 0b0001) return neci === 1 ? 'other_sdcch' : 'location_updating_or_answer_to_paging';
  // 0100xxxx / 0101xxxx: dual-rate originating speech / data, TCH/H sufficient — only when NECI=1.
  if (top4 === 0b0100) return neci === 1 ? 'originating_speech_tch_h' : 'reserved';
  if (top4 === 0b0101) return neci === 1 ? 'originating_data_tch_h' : 'reserved';
  // 0110xxxx
  if (top4 === 0b0110) {
    // 011010xx TCH/H, 011011xx TCH/H+TCH/H call re-establishment — only when NECI=1.
    if ((ra & 0b1111_1000) === 0b0110_1000) return neci === 1 ? 'call_reestablishment' : 'reserved';
    // 01100111 LMU establishment; 01100xx0, 01100x01, 01100011 reserved for future use.
    if (ra === 0b0110_0111) return 'lmu_establishment';
    return 'reserved';
  }
  // 0111xxxx: GPRS on CCCH.
  // 01110xxx single block packet access (two-phase access or other RR signalling on a PDCH).
  if ((ra & 0b1111_1000) === 0b0111_0000) return 'packet_single_block';
  // 011110xx, 01111x0x, 01111xx0 one phase packet access; 01111111 reserved.
  if (ra === 0b0111_1111) return 'reserved';
  return 'packet_one_phase';
}

const TABLE_NECI0: readonly EstablishmentCause[] = Array.from({ length: 256 }, (_, ra) => causeFor(ra, 0));
const TABLE_NECI1: readonly EstablishmentCause[] = Array.from({ length: 256 }, (_, ra) => causeFor(ra, 1));
const TABLE_UNKNOWN: readonly EstablishmentCause[] = Array.from({ length: 256 }, (_, ra) =>
  TABLE_NECI0[ra] === TABLE_NECI1[ra] ? TABLE_NECI0[ra]! : 'unknown_neci',
);

/** Establishment cause of RA byte `ra` (0..255) in a cell with the given NECI (null = not yet known). */
export function establishmentCause(ra: number, neci: 0 | 1 | null): EstablishmentCause {
  const table = neci === 1 ? TABLE_NECI1 : neci === 0 ? TABLE_NECI0 : TABLE_UNKNOWN;
  return table[ra & 0xff]!;
}
