/**
 * What the network transmits on the downlink, before encoding: the world produces these in time
 * order (one per radio block), the probes' frame builders turn them into GSMTAP bytes, and the ground
 * truth labels each access with who made it.
 *
 * Plain data; it must not encode or decide anything.
 */
import type { EstablishmentCause } from '@simhound/protocol';
import type { ChannelRequestCause } from '../encode/index.js';

/** The cause a correct decoder reads from the RA the world chose (TS 44.018 tables 9.1.8.1/2). */
export type SimCause = EstablishmentCause;
export type { ChannelRequestCause };

/** What the mobile came on air for (finer than the cause, which several procedures share). */
export type SimProcedure =
  | 'mo_call'
  | 'mo_sms'
  | 'ussd'
  | 'emergency'
  | 'mt_call'
  | 'mt_sms'
  | 'lu_normal'
  | 'lu_periodic'
  | 'lu_imsi_attach'
  | 'imsi_detach'
  | 'gprs';

export const SIM_PROCEDURES: readonly SimProcedure[] = [
  'mo_call', 'mo_sms', 'ussd', 'emergency', 'mt_call', 'mt_sms', 'lu_normal', 'lu_periodic', 'lu_imsi_attach', 'imsi_detach', 'gprs',
];

export type SimChannelNeeded = 'any' | 'sdcch' | 'tch_f';

export type SimIdentity = { readonly type: 'tmsi'; readonly tmsi: number } | { readonly type: 'imsi'; readonly digits: string };

export interface PagedIdentity {
  readonly identity: SimIdentity;
  readonly channel_needed: SimChannelNeeded;
}

export type AssignedChannel =
  | { readonly type: 'sdcch8'; readonly timeslot: number; readonly subchannel: number }
  | { readonly type: 'pdch'; readonly timeslot: number; readonly tfi: number; readonly usf: number };

/** One answered CHANNEL REQUEST. */
export interface AssignmentEntry {
  readonly ta_steps: number;
  /** The RA byte echoed in the Request Reference. */
  readonly ra: number;
  /** Frame number (mod 2715648) the CHANNEL REQUEST arrived in. */
  readonly request_fn: number;
  readonly channel: AssignedChannel;
  readonly cause: SimCause;
  readonly procedure: SimProcedure;
  /** Ground truth: "human", "den:<id>" or "crowd:<id>". */
  readonly origin: string;
  /** Simulated subscriber number (index in the world's subscriber table). */
  readonly sub: number;
  /** Which CHANNEL REQUEST burst of the mobile's access this answers (1 = the first). */
  readonly attempt: number;
}

export interface RejectEntry {
  readonly ra: number;
  readonly request_fn: number;
  readonly wait_s: number;
  readonly cause: SimCause;
  readonly procedure: SimProcedure;
  readonly origin: string;
  readonly sub: number;
}

/** Downlink messages on a dedicated channel (SDCCH) as a downlink probe would decode them. */
export type DedicatedMessage =
  | {
      /** LAPDm UA echoing the mobile's initial L3 message (contention resolution, TS 44.006 §8.4.1.4). */
      readonly type: 'ua_initial';
      readonly initial:
        | { readonly kind: 'cm_service_request'; readonly service: 'mo_call' | 'sms' | 'ss_activation' | 'emergency_call'; readonly identity: SimIdentity }
        | { readonly kind: 'location_updating_request'; readonly lu_type: 'normal' | 'periodic' | 'imsi_attach'; readonly identity: SimIdentity; readonly previous_lai: { mcc: string; mnc: string; lac: number } }
        | { readonly kind: 'paging_response'; readonly identity: SimIdentity }
        | { readonly kind: 'imsi_detach_indication'; readonly identity: SimIdentity };
    }
  | { readonly type: 'authentication_request'; readonly cksn: number; readonly rand: Uint8Array }
  | { readonly type: 'ciphering_mode_command'; readonly algorithm: 'a5_1'; readonly imeisv_requested: boolean }
  | { readonly type: 'location_updating_accept'; readonly lai: { mcc: string; mnc: string; lac: number }; readonly tmsi: number | null }
  | { readonly type: 'cm_service_accept' }
  | { readonly type: 'tmsi_reallocation_command'; readonly lai: { mcc: string; mnc: string; lac: number }; readonly tmsi: number }
  | { readonly type: 'channel_release' };

export type SystemInformationType = 'si1' | 'si2' | 'si3' | 'si4' | 'si13';

/** System information a BTS sends on the SACCH of a busy dedicated channel (TS 44.018 §3.4.1.1). */
export type SacchSystemInformationType = 'si5' | 'si6';

export type AirEvent =
  | { readonly kind: 'bcch'; readonly ts_ms: number; readonly cell_index: number; readonly fn: number; readonly si: SystemInformationType }
  | { readonly kind: 'paging'; readonly ts_ms: number; readonly cell_index: number; readonly fn: number; readonly pages: readonly PagedIdentity[] }
  | {
      readonly kind: 'assignment';
      readonly ts_ms: number;
      readonly cell_index: number;
      readonly fn: number;
      /** One entry = Immediate Assignment; two = Immediate Assignment Extended. */
      readonly entries: readonly AssignmentEntry[];
      /** The BTS's repetition of an assignment it already sent. */
      readonly repeat: boolean;
    }
  | { readonly kind: 'assignment_reject'; readonly ts_ms: number; readonly cell_index: number; readonly fn: number; readonly entries: readonly RejectEntry[] }
  | {
      readonly kind: 'dedicated';
      readonly ts_ms: number;
      readonly cell_index: number;
      readonly fn: number;
      readonly timeslot: number;
      readonly subchannel: number;
      readonly message: DedicatedMessage;
      /**
       * LAPDm sequence numbers of an I frame (every message but the UA): N(S) counts the network's I frames
       * on this connection, N(R) the mobile's (TS 44.006 §5.5), both mod 8.
       */
      readonly ns: number;
      readonly nr: number;
      readonly origin: string;
    }
  | {
      /** One downlink SACCH block of a busy SDCCH, sent in clear (before ciphering starts, or never ciphered). */
      readonly kind: 'sacch';
      readonly ts_ms: number;
      readonly cell_index: number;
      readonly fn: number;
      readonly timeslot: number;
      readonly subchannel: number;
      readonly si: SacchSystemInformationType;
      /** L1 header: the timing advance and MS power level the BTS orders (TS 44.004 §7.2). */
      readonly ta_steps: number;
      readonly ms_power_level: number;
      readonly origin: string;
    }
  | {
      /** NOTIFICATION/NCH in the cell's NCH block (no group call is going on: NLN only). */
      readonly kind: 'nch';
      readonly ts_ms: number;
      readonly cell_index: number;
      readonly fn: number;
    };

/** The receiver of the world's air events (called in time order). */
export type AirSink = (event: AirEvent) => void;
