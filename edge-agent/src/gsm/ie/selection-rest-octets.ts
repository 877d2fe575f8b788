/**
 * Rest-octet parts shared by SI3 and SI4 (3GPP TS 44.018 §10.5.2.34 / §10.5.2.35): the Optional Selection
 * Parameters (CBQ, CELL_RESELECT_OFFSET, TEMPORARY_OFFSET, PENALTY_TIME — the C2 reselection inputs), the
 * Optional Power Offset and the GPRS Indicator (RA colour, where SI13 is sent). Each reads its own
 * `L | H …` group from the reader and returns nulls when the group is absent.
 */
import type { Csn1Reader } from './csn1-reader.js';

export interface OptionalSelectionParameters {
  selection_parameters: boolean;
  /** CBQ cell bar qualify bit. */
  cbq: number | null;
  /** CELL_RESELECT_OFFSET in dB (code × 2). */
  cell_reselect_offset_db: number | null;
  /** TEMPORARY_OFFSET in dB (code × 10); null also for code 7 = infinity (see `temporary_offset_infinite`). */
  temporary_offset_db: number | null;
  temporary_offset_infinite: boolean;
  /** PENALTY_TIME in s (20 + code × 20); null also for code 31 (reselect offset subtracted from C2). */
  penalty_time_s: number | null;
  penalty_time_code: number | null;
}

export function optionalSelectionParameters(reader: Csn1Reader): OptionalSelectionParameters {
  if (!reader.high()) {
    return {
      selection_parameters: false,
      cbq: null,
      cell_reselect_offset_db: null,
      temporary_offset_db: null,
      temporary_offset_infinite: false,
      penalty_time_s: null,
      penalty_time_code: null,
    };
  }
  const cbq = reader.bit();
  const reselectOffset = reader.bits(6);
  const temporaryOffset = reader.bits(3);
  const penalty = reader.bits(5);
  return {
    selection_parameters: true,
    cbq,
    cell_reselect_offset_db: reselectOffset * 2,
    temporary_offset_db: temporaryOffset === 7 ? null : temporaryOffset * 10,
    temporary_offset_infinite: temporaryOffset === 7,
    penalty_time_s: penalty === 31 ? null : 20 + penalty * 20,
    penalty_time_code: penalty,
  };
}

/**
 * Optional Power Offset: the POWER_OFFSET code (0..3), the extra power a DCS 1800 class 3 MS may add to
 * MS_TXPWR_MAX_CCH. Kept as the code: peers disagree on the dB value of code 3.
 */
export function optionalPowerOffset(reader: Csn1Reader): { power_offset: number | null } {
  if (!reader.high()) return { power_offset: null };
  return { power_offset: reader.bits(2) };
}

export interface GprsIndicator {
  /** GPRS is supported in the cell (SI13 is broadcast). */
  gprs_indicator: boolean;
  /** RA COLOUR (0..7). */
  gprs_ra_colour: number | null;
  /** Where SI13 is sent. */
  si13_position: 'bcch_norm' | 'bcch_ext' | null;
}

export function gprsIndicator(reader: Csn1Reader): GprsIndicator {
  if (!reader.high()) return { gprs_indicator: false, gprs_ra_colour: null, si13_position: null };
  const colour = reader.bits(3);
  const position = reader.bit();
  return { gprs_indicator: true, gprs_ra_colour: colour, si13_position: position === 0 ? 'bcch_norm' : 'bcch_ext' };
}
