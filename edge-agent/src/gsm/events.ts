/**
 * Typed events the GSM decoders emit: the edge agent's view of the air. Field names follow the field
 * vocabulary (`<quantity>_<unit>`); identities appear only as `sub_ref` (keyed HMAC, see privacy/sub-ref).
 * Events are plain JSON-serialisable objects: `simhound replay --events` prints them one per line.
 */
import type { EstablishmentCause } from '@simhound/protocol';
import type { IdentityKind } from '../privacy/sub-ref.js';

/** Cell global identity as broadcast in SI3/SI4 (MCC/MNC kept as digit strings: "02" is not "2"). */
export interface CellId {
  mcc: string;
  mnc: string;
  lac: number;
  ci: number;
}

/** GSMTAP logical channel names (GSMTAP `sub_type` for Um frames). */
export type GsmChannel =
  | 'bcch' | 'ccch' | 'rach' | 'agch' | 'pch' | 'sdcch' | 'sdcch4' | 'sdcch8'
  | 'tch_f' | 'tch_h' | 'pacch' | 'cbch52' | 'pdch' | 'ptcch' | 'cbch51' | 'voice_f' | 'voice_h' | 'unknown';

/** Fields every event carries, taken from the GSMTAP header and the capture/receive time. */
export interface EventBase {
  ts_ms: number;
  /** GSM TDMA frame number from GSMTAP. */
  fn: number;
  arfcn: number;
  uplink: boolean;
  timeslot: number;
  sub_slot: number;
  channel: GsmChannel;
  /** True when the frame came on the slow associated control channel (GSMTAP ACCH flag). */
  acch: boolean;
  rssi_dbm: number | null;
  snr_db: number | null;
  /** The serving cell as known from the latest SI3/SI4 on this ARFCN; null until one was seen. */
  cell: CellId | null;
}

export interface SubscriberRef {
  kind: IdentityKind;
  sub_ref: string;
}

export type ChannelNeeded = 'any' | 'sdcch' | 'tch_f' | 'tch_h_or_f';

export interface PagingEvent extends EventBase {
  type: 'Paging';
  message: 'paging_request_1' | 'paging_request_2' | 'paging_request_3';
  page_mode: 'normal' | 'extended' | 'reorganisation' | 'same_as_before';
  /** Identities paged, in message order (empty for an empty page / "No Identity"). */
  subs: SubscriberRef[];
  /**
   * The Channel Needed IE's two CHANNEL fields, for identity positions 1 and 2, always both as broadcast
   * (also on an empty page). Positions 3/4 (type 2/3 rest octets) are not decoded.
   */
  channel_needed: ChannelNeeded[];
}

export interface ChannelDescription {
  /** `tch_f`, `tch_h`, `sdcch4`, `sdcch8`, `pdch` (packet channel description), or `unknown` for reserved codes. */
  chan_type: 'tch_f' | 'tch_h' | 'sdcch4' | 'sdcch8' | 'pdch' | 'unknown';
  /** Sub-channel within TCH/H, SDCCH/4 or SDCCH/8. */
  subchannel: number;
  timeslot: number;
  tsc: number;
  hopping: boolean;
  /** Single-frequency channel: its ARFCN; null when hopping. */
  arfcn: number | null;
  maio: number | null;
  hsn: number | null;
}

export interface RequestReference {
  /** RA byte of the CHANNEL REQUEST this answers. */
  ra: number;
  cause: EstablishmentCause;
  /** T1' (FN div 1326 mod 32), T2 (FN mod 26), T3 (FN mod 51). */
  t1p: number;
  t2: number;
  t3: number;
  /** Reduced frame number (T1'·1326 + ((T3 − T2) mod 26)·51 + T3) of the request, 0..42431. */
  request_rfn: number;
  /** Absolute TDMA frame number of the request: the latest FN ≤ the assigning frame's FN with that RFN. */
  request_fn: number;
}

export interface AssignmentEvent extends EventBase {
  type: 'Assignment';
  message: 'immediate_assignment' | 'immediate_assignment_extended';
  /** True for a packet (TBF) assignment. */
  packet: boolean;
  page_mode: PagingEvent['page_mode'];
  request: RequestReference;
  ta_steps: number;
  /** The cell's NECI at decode time (SI3/SI4), null if not yet known. */
  neci: 0 | 1 | null;
  channel_desc: ChannelDescription | null;
}

export interface AssignmentRejectEvent extends EventBase {
  type: 'AssignmentReject';
  message: 'immediate_assignment_reject';
  page_mode: PagingEvent['page_mode'];
  requests: Array<RequestReference & { wait_indication_s: number }>;
  neci: 0 | 1 | null;
}

export interface CellInfoEvent extends EventBase {
  type: 'CellInfo';
  message:
    | 'system_information_1' | 'system_information_2' | 'system_information_2bis' | 'system_information_2ter'
    | 'system_information_2quater' | 'system_information_3' | 'system_information_4' | 'system_information_13';
  /** Message-specific decoded fields (cell identity, LAI, control channel description, neighbours …). */
  info: Record<string, unknown>;
}

export interface DedicatedRequestEvent extends EventBase {
  type: 'DedicatedRequest';
  message: 'cm_service_request' | 'location_updating_request' | 'paging_response' | 'identity_response';
  service_type?: 'mo_call' | 'emergency_call' | 'sms' | 'ss' | 'voice_group_call' | 'voice_broadcast_call' | 'location_services' | 'other';
  lu_type?: 'normal' | 'periodic' | 'imsi_attach' | 'reserved';
  subs: SubscriberRef[];
}

export type GsmEvent = PagingEvent | AssignmentEvent | AssignmentRejectEvent | CellInfoEvent | DedicatedRequestEvent;
