/**
 * The RA byte of a CHANNEL REQUEST (TS 44.018 §9.1.8), chosen the way a mobile chooses it: the
 * establishment-cause bits from table 9.1.8.1 (and table 9.1.8.2 for answers to paging), depending on
 * the serving cell's NECI bit, with the remaining "random reference" bits taken from the caller's
 * random number. The BTS echoes this byte in the Request Reference of the IMMEDIATE ASSIGNMENT, which
 * is how a passive probe learns why a mobile came on air.
 *
 * Table 9.1.8.1 as used here (x = random reference bit):
 *   101xxxxx  emergency call
 *   110xxxxx  call re-establishment; TCH/F was in use, or TCH/H was in use and NECI = 0
 *   011010xx  call re-establishment; TCH/H was in use and NECI = 1
 *   011011xx  call re-establishment; TCH/H + TCH/H was in use and NECI = 1
 *   100xxxxx, 0010xxxx, 0011xxxx, 0001xxxx  answer to paging (table 9.1.8.2)
 *   111xxxxx  originating call and TCH/F needed, or originating call and NECI = 0, or procedures that
 *             can be completed with an SDCCH and NECI = 0
 *   0100xxxx  originating speech call, dual-rate MS, TCH/H sufficient, NECI = 1
 *   0101xxxx  originating data call, dual-rate MS, TCH/H sufficient, NECI = 1
 *   000xxxxx  location updating and NECI = 0
 *   0000xxxx  location updating and NECI = 1
 *   0001xxxx  other procedures which can be completed with an SDCCH and NECI = 1
 *   011110xx, 01111x0x, 01111xx0  one phase packet access (single timeslot uplink)
 *   01110xxx  single block packet access
 *   01100111  LMU establishment
 * Table 9.1.8.2 (answer to paging), by the Channel Needed of the page and the MS capability:
 *   any channel → 100xxxxx; SDCCH → 0001xxxx;
 *   TCH/F → full-rate MS 100xxxxx, dual-rate MS 0010xxxx, SDCCH-only MS 0001xxxx;
 *   TCH/H or TCH/F → full-rate MS 100xxxxx, dual-rate MS 0011xxxx, SDCCH-only MS 0001xxxx.
 *
 * Note the overlaps the spec itself leaves: with NECI = 0, 0001xxxx is both "location updating" and
 * "answer to paging, SDCCH". This module encodes; resolving such overlaps is the decoder's problem.
 */
import { type EstablishmentCause, fail, ok, type Result } from '@simhound/protocol';
import type { ChannelNeeded } from './channel.js';
import type { EncodeFailReason } from './encode-result.js';

export const CHANNEL_REQUEST_CAUSES = [
  'emergency_call',
  'call_reestablishment_tch_f',
  'call_reestablishment_tch_h',
  'call_reestablishment_tch_h_tch_h',
  'answer_to_paging',
  'originating_call_tch_f',
  'originating_speech_call_tch_h',
  'originating_data_call_tch_h',
  'location_updating',
  /** SMS, supplementary services and other procedures an SDCCH completes. */
  'other_sdcch_procedure',
  'packet_one_phase',
  'packet_single_block',
  'lmu_establishment',
] as const;
export type ChannelRequestCause = (typeof CHANNEL_REQUEST_CAUSES)[number];

/** What kind of traffic channels the mobile supports (TS 44.018 table 9.1.8.2 rows). */
export type MsChannelCapability = 'full_rate_only' | 'dual_rate' | 'sdcch_only';

export interface ChannelRequest {
  readonly cause: ChannelRequestCause;
  /** NECI bit of the serving cell (SI3/SI4 cell selection parameters). */
  readonly neci: boolean;
  /** Any non-negative integer; its low bits become the random reference. */
  readonly random: number;
  /** For `answer_to_paging`: the Channel Needed of the page. Default 'any'. */
  readonly channel_needed?: ChannelNeeded;
  /** For `answer_to_paging`. Default 'dual_rate'. */
  readonly ms_capability?: MsChannelCapability;
}

/** A fixed prefix of `bits` bits followed by random bits. */
interface CausePattern {
  readonly prefix: number;
  readonly bits: number;
}

const p = (text: string): CausePattern => ({ prefix: parseInt(text, 2), bits: text.length });

function answerToPagingPattern(needed: ChannelNeeded, capability: MsChannelCapability): CausePattern {
  if (needed === 'any') return p('100');
  if (needed === 'sdcch' || capability === 'sdcch_only') return p('0001');
  if (capability === 'full_rate_only') return p('100');
  return needed === 'tch_f' ? p('0010') : p('0011');
}

function patternFor(request: ChannelRequest): CausePattern | 'packet_one_phase' {
  const neci = request.neci;
  switch (request.cause) {
    case 'emergency_call':
      return p('101');
    case 'call_reestablishment_tch_f':
      return p('110');
    case 'call_reestablishment_tch_h':
      return neci ? p('011010') : p('110');
    case 'call_reestablishment_tch_h_tch_h':
      return neci ? p('011011') : p('110');
    case 'answer_to_paging':
      return answerToPagingPattern(request.channel_needed ?? 'any', request.ms_capability ?? 'dual_rate');
    case 'originating_call_tch_f':
      return p('111');
    case 'originating_speech_call_tch_h':
      return neci ? p('0100') : p('111');
    case 'originating_data_call_tch_h':
      return neci ? p('0101') : p('111');
    case 'location_updating':
      return neci ? p('0000') : p('000');
    case 'other_sdcch_procedure':
      return neci ? p('0001') : p('111');
    case 'packet_one_phase':
      return 'packet_one_phase';
    case 'packet_single_block':
      return p('01110');
    case 'lmu_establishment':
      return p('01100111');
  }
}

/** 011110xx, 01111x0x, 01111xx0: 0x78..0x7E (0x7F is excluded by all three). */
const PACKET_ONE_PHASE_CODES = [0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e] as const;

/** The RA byte a mobile sends for this request. */
export function encodeChannelRequestRa(request: ChannelRequest): Result<number, EncodeFailReason> {
  if (!Number.isSafeInteger(request.random) || request.random < 0) {
    return fail('out_of_range', `random=${request.random} must be a non-negative safe integer`);
  }
  if (!(CHANNEL_REQUEST_CAUSES as readonly string[]).includes(request.cause)) {
    return fail('out_of_range', `unknown channel request cause ${String(request.cause)}`);
  }
  const pattern = patternFor(request);
  if (pattern === 'packet_one_phase') {
    return ok(PACKET_ONE_PHASE_CODES[request.random % PACKET_ONE_PHASE_CODES.length] as number);
  }
  const randomBits = 8 - pattern.bits;
  return ok((pattern.prefix << randomBits) | (request.random % 2 ** randomBits));
}

/**
 * The protocol vocabulary's cause a receiver can at best infer from this request's RA (what a correct
 * decoder reports), e.g. an SMS in a NECI = 0 cell can only be 'originating_call_or_sdcch'. Ground truth
 * for evaluation; the NECI = 0 overlap of location updating with "answer to paging, SDCCH" resolves to
 * 'location_updating' (the code's first meaning in table 9.1.8.1).
 */
export function inferableEstablishmentCause(request: ChannelRequest): EstablishmentCause {
  const neci = request.neci;
  switch (request.cause) {
    case 'emergency_call':
      return 'emergency_call';
    case 'call_reestablishment_tch_f':
    case 'call_reestablishment_tch_h':
    case 'call_reestablishment_tch_h_tch_h':
      return 'call_reestablishment';
    case 'answer_to_paging': {
      const pattern = answerToPagingPattern(request.channel_needed ?? 'any', request.ms_capability ?? 'dual_rate');
      if (pattern.bits === 4 && pattern.prefix === 0b0001) return neci ? 'other_sdcch' : 'location_updating';
      return 'answer_to_paging';
    }
    case 'originating_call_tch_f':
      return neci ? 'originating_call' : 'originating_call_or_sdcch';
    case 'originating_speech_call_tch_h':
      return neci ? 'originating_speech_tch_h' : 'originating_call_or_sdcch';
    case 'originating_data_call_tch_h':
      return neci ? 'originating_data_tch_h' : 'originating_call_or_sdcch';
    case 'location_updating':
      return 'location_updating';
    case 'other_sdcch_procedure':
      return neci ? 'other_sdcch' : 'originating_call_or_sdcch';
    case 'packet_one_phase':
      return 'packet_one_phase';
    case 'packet_single_block':
      return 'packet_single_block';
    case 'lmu_establishment':
      return 'lmu_establishment';
  }
}
