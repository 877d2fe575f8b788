/**
 * GSM terms that cross the wire (window rows, detection evidence). Decoders map raw fields onto these
 * names; the collector and dashboards display them. Spec references: 3GPP TS 44.018.
 */

/**
 * Establishment cause of a CHANNEL REQUEST, from the RA byte echoed in the Immediate Assignment's
 * Request Reference (TS 44.018 §9.1.8, table 9.1.8.1). Which causes can be told apart depends on the
 * cell's NECI bit (SI3/SI4 cell selection parameters).
 */
export const ESTABLISHMENT_CAUSES = [
  'emergency_call',
  'call_reestablishment',
  'answer_to_paging',
  /** 111xxxxx with NECI=1: originating call, TCH/F needed. */
  'originating_call',
  /** 0100xxxx, NECI=1: originating speech call, TCH/H sufficient. */
  'originating_speech_tch_h',
  /** 0101xxxx, NECI=1: originating data call, TCH/H sufficient. */
  'originating_data_tch_h',
  /** 111xxxxx with NECI=0: originating call, or an SDCCH procedure (SMS, SS) — not separable. */
  'originating_call_or_sdcch',
  'location_updating',
  /**
   * 0001xxxx with NECI=0: table 9.1.8.1 gives 000xxxxx to location updating and table 9.1.8.2 gives
   * 0001xxxx to an answer to paging for an SDCCH; the two cannot be told apart.
   */
  'location_updating_or_answer_to_paging',
  /** 0001xxxx, NECI=1: SDCCH procedures (SMS, SS, answer to paging for SDCCH). */
  'other_sdcch',
  'packet_one_phase',
  'packet_single_block',
  'lmu_establishment',
  'reserved',
  /** The code's meaning depends on NECI and the cell's NECI is not yet known. */
  'unknown_neci',
] as const;
export type EstablishmentCause = (typeof ESTABLISHMENT_CAUSES)[number];

/** Causes that are subscriber-originated calls or SMS: the traffic a SIM box generates. */
export const ORIGINATING_CAUSES: readonly EstablishmentCause[] = [
  'originating_call',
  'originating_speech_tch_h',
  'originating_data_tch_h',
  'originating_call_or_sdcch',
  'other_sdcch',
];

/** Timing Advance: one step is one bit period of round-trip delay, 553.5 m of one-way distance. */
export const TA_STEP_M = 553.5;
export const TA_MAX_STEPS = 63;
