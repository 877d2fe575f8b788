/**
 * Traffic classes: what kind of subscriber activity an access on the air is, as far as the downlink
 * shows it. An Immediate Assignment names the establishment cause of the CHANNEL REQUEST it answers
 * (TS 44.018 §9.1.8, tables 9.1.8.1/9.1.8.2); which causes can be told apart depends on the cell's
 * NECI bit. A dedicated-channel session (when the probe follows the SDCCH) refines that with the first
 * layer-3 message (CM Service Request, Location Updating Request with its type, Paging Response).
 *
 * The classes are indices into count arrays (features/slot-ring.ts), so adding one means adding it at
 * the end. Must not count anything itself.
 */
import type { EstablishmentCause } from '@simhound/protocol';

/** Originating call (111xxxxx NECI 1, 0100/0101xxxx). */
export const C_MO_CALL = 0;
/** NECI 0 111xxxxx: originating call or an SDCCH procedure (SMS/SS), not separable. */
export const C_MO_MIXED = 1;
/** NECI 1 0001xxxx: SMS, SS, USSD, IMSI detach and answers to paging for an SDCCH (MT SMS). */
export const C_SDCCH = 2;
/** Answer to paging for a call (100xxxxx, 0010/0011xxxx). */
export const C_MT = 3;
/** Location updating (0000xxxx NECI 1, 000xxxxx NECI 0). */
export const C_LU = 4;
/** NECI 0 0001xxxx: location updating or answer to paging for an SDCCH. */
export const C_LU_OR_MT = 5;
export const C_EMERGENCY = 6;
export const C_REESTABLISH = 7;
/** Packet (GPRS) access: packet assignments and packet causes. */
export const C_PACKET = 8;
/** LMU, reserved codes, NECI not yet known. */
export const C_OTHER = 9;
// Refinements from dedicated-channel sessions (only when the probe follows the SDCCH).
/** Sessions whose first layer-3 message was seen. */
export const C_SESSION = 10;
/** Location Updating Request of type IMSI attach. */
export const C_SESSION_ATTACH = 11;
/** Location Updating Request of type normal (a change of location area, or a fresh SIM in a box). */
export const C_SESSION_LU_NORMAL = 12;
export const C_SESSION_LU_PERIODIC = 13;
/** The session's identity was not seen on this cell within the identity memory (after warm-up). */
export const C_SESSION_NEW_ID = 14;
/** The session's first message carried an IMSI (no valid TMSI: new or rotated SIM). */
export const C_SESSION_IMSI = 15;
/** The network reallocated the TMSI during the session. */
export const C_SESSION_TMSI_REALLOC = 16;
/** Paging Response: a mobile-terminated access confirmed on the SDCCH. */
export const C_SESSION_PAGING_RESPONSE = 17;
/** CM Service Request for a call or SMS: a mobile-originated access confirmed on the SDCCH. */
export const C_SESSION_MO = 18;
// Per-cell paging counters (kept on the cell's own ring, not on TA slots).
/** Paging requests for a call (Channel Needed TCH/F or TCH/H-or-F). */
export const C_PAGE_CALL = 19;
/** Paging requests for an SDCCH procedure (MT SMS). */
export const C_PAGE_SDCCH = 20;
/** Paging requests with "any channel". */
export const C_PAGE_ANY = 21;
/** Paged identities that were IMSIs (the network lost the TMSI: new SIM, VLR restart). */
export const C_PAGE_IMSI = 22;
/** Immediate Assignment Reject: the cell refused channel requests (overload). */
export const C_REJECT = 23;
/** Sessions with any SIM-turnover mark (IMSI attach, normal LU, IMSI identity, identity new to the cell). */
export const C_SESSION_TURNOVER = 24;
/**
 * Originating accesses that came less than CLOSE_PAIR_MS after the previous originating access at the
 * same place: one phone holds one RR connection at a time, so these need two or more devices.
 */
export const C_ORIG_CLOSE = 25;

export const TRAFFIC_CLASS_COUNT = 26;

/** An SDCCH procedure takes seconds (TS 44.018 timers, LAPDm set-up, release): closer requests are two devices. */
export const CLOSE_PAIR_MS = 2000;

export const TRAFFIC_CLASS_NAMES: readonly string[] = [
  'mo_call', 'mo_or_sdcch', 'sdcch', 'mt_call', 'lu', 'lu_or_mt', 'emergency', 'reestablish', 'packet', 'other',
  'session', 'session_attach', 'session_lu_normal', 'session_lu_periodic', 'session_new_id', 'session_imsi',
  'session_tmsi_realloc', 'session_paging_response', 'session_mo', 'page_call', 'page_sdcch', 'page_any',
  'page_imsi', 'reject', 'session_turnover', 'orig_close_pair',
];

/** Whether a traffic class is originating demand (calls and SDCCH procedures). */
export function isOriginatingClass(cls: number): boolean {
  return cls === C_MO_CALL || cls === C_MO_MIXED || cls === C_SDCCH;
}

/** The traffic class of an Immediate Assignment's establishment cause. */
export function classOfCause(cause: EstablishmentCause, packet: boolean): number {
  if (packet) return C_PACKET;
  switch (cause) {
    case 'originating_call':
    case 'originating_speech_tch_h':
    case 'originating_data_tch_h':
      return C_MO_CALL;
    case 'originating_call_or_sdcch':
      return C_MO_MIXED;
    case 'other_sdcch':
      return C_SDCCH;
    case 'answer_to_paging':
      return C_MT;
    case 'location_updating':
      return C_LU;
    case 'location_updating_or_answer_to_paging':
      return C_LU_OR_MT;
    case 'emergency_call':
      return C_EMERGENCY;
    case 'call_reestablishment':
      return C_REESTABLISH;
    case 'packet_one_phase':
    case 'packet_single_block':
      return C_PACKET;
    default:
      return C_OTHER;
  }
}

/** Subscriber-originated demand: calls and SDCCH procedures (what a SIM box generates). */
export function originating(c: ArrayLike<number>): number {
  return c[C_MO_CALL]! + c[C_MO_MIXED]! + c[C_SDCCH]!;
}

/** Mobile-terminated calls answered (the population proxy: people are called where they are). */
export function terminating(c: ArrayLike<number>): number {
  return c[C_MT]!;
}

/** Location updates (both NECI forms). */
export function locationUpdates(c: ArrayLike<number>): number {
  return c[C_LU]!;
}

/** Every subscriber access (not packet, not other). */
export function accesses(c: ArrayLike<number>): number {
  return c[C_MO_CALL]! + c[C_MO_MIXED]! + c[C_SDCCH]! + c[C_MT]! + c[C_LU]! + c[C_LU_OR_MT]! + c[C_EMERGENCY]! + c[C_REESTABLISH]!;
}
