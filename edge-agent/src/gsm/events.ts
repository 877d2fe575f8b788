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
    | 'system_information_2quater' | 'system_information_3' | 'system_information_4' | 'system_information_13'
    | 'system_information_5' | 'system_information_5bis' | 'system_information_5ter' | 'system_information_6';
  /** Message-specific decoded fields (cell identity, LAI, control channel description, neighbours …). */
  info: Record<string, unknown>;
}

/**
 * A mobile's first message on its new dedicated channel (CM Service Request, Location Updating Request,
 * Paging Response, IMSI Detach Indication) or its Identity Response. Downlink captures see the first
 * message echoed by the network in the LAPDm UA frame.
 */
export interface DedicatedRequestEvent extends EventBase {
  type: 'DedicatedRequest';
  message: 'cm_service_request' | 'location_updating_request' | 'paging_response' | 'identity_response' | 'imsi_detach_indication';
  service_type?: 'mo_call' | 'emergency_call' | 'sms' | 'ss' | 'voice_group_call' | 'voice_broadcast_call' | 'location_services' | 'other';
  lu_type?: 'normal' | 'periodic' | 'imsi_attach' | 'reserved';
  subs: SubscriberRef[];
}

/** A VBS/VGCS group call announced on the NCH (TS 44.018 §10.5.2.22c, TS 24.008 §10.5.1.9). */
export interface GroupCallNotification {
  /** Binary code of the group or broadcast call reference (27 bits). */
  group_call_ref: number;
  /** SF bit: a voice group call (VGCS) or a voice broadcast call (VBS). */
  service: 'vgcs' | 'vbs';
  /** Call priority code (TS 24.008 §10.5.1.9: 0 = no priority applied, 1..5 = eMLPP levels 4..0, 6 = B, 7 = A). */
  priority: number;
  /** The group channel, when the notification carries its description. */
  channel_desc: ChannelDescription | null;
}

/** NOTIFICATION/NCH: group call notifications on the notification channel; no subscriber identity. */
export interface NotificationEvent extends EventBase {
  type: 'Notification';
  message: 'notification_nch';
  /** Notification list number NLN(NCH), 0..3, null when absent. */
  nln: number | null;
  group_calls: GroupCallNotification[];
}

/** Cipher algorithm of a Ciphering Mode Command (TS 44.018 §10.5.2.9). */
export type CipherAlgorithm = 'a5_1' | 'a5_2' | 'a5_3' | 'a5_4' | 'a5_5' | 'a5_6' | 'a5_7' | 'reserved';

/** Mobile Station Classmark 2 (TS 24.008 §10.5.1.6): what the handset says it can do; not an identity. */
export interface Classmark2 {
  /** 0 = phase 1, 1 = phase 2, 2 = R99 onwards, 3 = reserved. */
  revision_level: number;
  es_ind: boolean;
  a5_1: boolean;
  a5_2: boolean;
  a5_3: boolean;
  /** RF power capability code (band dependent power class). */
  rf_power_capability: number;
  ps_capability: boolean;
  ss_screening: number;
  sm_capability: boolean;
  vbs: boolean;
  vgcs: boolean;
  fc: boolean;
  cm3: boolean;
  lcsva_cap: boolean;
  ucs2: boolean;
  solsa: boolean;
  cmsp: boolean;
}

/** RR cause of a Channel Release (TS 44.018 §10.5.2.31). */
export type RrCause =
  | 'normal_event' | 'abnormal_unspecified' | 'abnormal_channel_unacceptable' | 'abnormal_timer_expired'
  | 'abnormal_no_activity' | 'preemptive_release' | 'utran_configuration_unknown' | 'handover_impossible_ta'
  | 'channel_mode_unacceptable' | 'frequency_not_implemented' | 'leaving_group_call_area'
  | 'lower_layer_failure' | 'call_already_cleared' | 'semantically_incorrect' | 'invalid_mandatory_information'
  | 'message_type_nonexistent' | 'message_type_not_compatible' | 'conditional_ie_error'
  | 'no_cell_allocation' | 'protocol_error' | 'other';

/** Reject cause of MM rejections (TS 24.008 §10.5.3.6). */
export type MmRejectCause =
  | 'imsi_unknown_in_hlr' | 'illegal_ms' | 'imsi_unknown_in_vlr' | 'imei_not_accepted' | 'illegal_me'
  | 'plmn_not_allowed' | 'location_area_not_allowed' | 'roaming_not_allowed' | 'no_suitable_cells'
  | 'network_failure' | 'mac_failure' | 'synch_failure' | 'congestion' | 'gsm_authentication_unacceptable'
  | 'csg_not_authorized' | 'service_option_not_supported' | 'service_option_not_subscribed'
  | 'service_option_out_of_order' | 'call_cannot_be_identified' | 'retry_in_new_cell'
  | 'semantically_incorrect' | 'invalid_mandatory_information' | 'message_type_nonexistent'
  | 'message_type_not_compatible' | 'ie_nonexistent' | 'conditional_ie_error' | 'message_not_compatible'
  | 'protocol_error' | 'other';

/** The location area a TMSI or a location update belongs to (MCC/MNC digit strings). */
export interface LocationArea {
  mcc: string;
  mnc: string;
  lac: number;
}

interface DedicatedMessageBase extends EventBase {
  type: 'Dedicated';
}

/** AUTHENTICATION REQUEST (network → MS). RAND/AUTN values are not kept. */
export interface AuthenticationRequestEvent extends DedicatedMessageBase {
  message: 'authentication_request';
  /** Ciphering key sequence number assigned to the key this authentication makes (0..7). */
  cksn: number;
  /** True when an AUTN is present (UMTS authentication challenge). */
  umts_autn: boolean;
}

/** AUTHENTICATION RESPONSE (MS → network). SRES/RES values are not kept. */
export interface AuthenticationResponseEvent extends DedicatedMessageBase {
  message: 'authentication_response';
  /** True when an extended RES (UMTS authentication) is present. */
  extended_res: boolean;
}

/** CIPHERING MODE COMMAND (network → MS): from here on the channel is ciphered when `start_ciphering`. */
export interface CipheringModeCommandEvent extends DedicatedMessageBase {
  message: 'ciphering_mode_command';
  start_ciphering: boolean;
  /** The algorithm, null when ciphering is not started. */
  algorithm: CipherAlgorithm | null;
  /** Cipher Response: the MS must return its IMEISV in the Ciphering Mode Complete. */
  imeisv_requested: boolean;
}

/** CIPHERING MODE COMPLETE (MS → network), with the IMEISV as sub_ref when it was requested. */
export interface CipheringModeCompleteEvent extends DedicatedMessageBase {
  message: 'ciphering_mode_complete';
  subs: SubscriberRef[];
}

/** TMSI REALLOCATION COMMAND (network → MS): the new identity, pseudonymised at once. */
export interface TmsiReallocationCommandEvent extends DedicatedMessageBase {
  message: 'tmsi_reallocation_command';
  lai: LocationArea;
  subs: SubscriberRef[];
}

export interface TmsiReallocationCompleteEvent extends DedicatedMessageBase {
  message: 'tmsi_reallocation_complete';
}

/** CHANNEL RELEASE (network → MS): the end of a dedicated connection. */
export interface ChannelReleaseEvent extends DedicatedMessageBase {
  message: 'channel_release';
  /** RR cause code (TS 44.018 §10.5.2.31). */
  rr_cause_code: number;
  rr_cause: RrCause;
}

/** CLASSMARK CHANGE (MS → network): the handset's capabilities. */
export interface ClassmarkChangeEvent extends DedicatedMessageBase {
  message: 'classmark_change';
  classmark: Classmark2;
  /** A Classmark 3 IE follows (not decoded). */
  classmark3_present: boolean;
}

/** CC SETUP: a call is being set up. Message type and direction only, never numbers or other content. */
export interface CallSetupEvent extends DedicatedMessageBase {
  message: 'cc_setup';
  /** From the side that sent it: an uplink Setup is mobile-originated, a downlink one mobile-terminated. */
  call_direction: 'mobile_originated' | 'mobile_terminated';
  /** Transaction identifier value (0..7; 7 = extended TI). */
  transaction_id: number;
}

/** IDENTITY REQUEST (network → MS): which identity the network asks for. */
export interface IdentityRequestEvent extends DedicatedMessageBase {
  message: 'identity_request';
  identity_type: 'imsi' | 'imei' | 'imeisv' | 'tmsi' | 'p_tmsi_rai_ptmsi_sig' | 'other';
}

/** LOCATION UPDATING ACCEPT (network → MS), with the new identity (TMSI reallocated) as sub_ref if any. */
export interface LocationUpdatingAcceptEvent extends DedicatedMessageBase {
  message: 'location_updating_accept';
  lai: LocationArea;
  subs: SubscriberRef[];
  follow_on_proceed: boolean;
}

export interface LocationUpdatingRejectEvent extends DedicatedMessageBase {
  message: 'location_updating_reject';
  reject_cause_code: number;
  reject_cause: MmRejectCause;
}

export interface CmServiceAcceptEvent extends DedicatedMessageBase {
  message: 'cm_service_accept';
}

export interface CmServiceRejectEvent extends DedicatedMessageBase {
  message: 'cm_service_reject';
  reject_cause_code: number;
  reject_cause: MmRejectCause;
}

/** Signalling on a dedicated channel (SDCCH/FACCH) after the initial message. */
export type DedicatedEvent =
  | AuthenticationRequestEvent | AuthenticationResponseEvent | CipheringModeCommandEvent | CipheringModeCompleteEvent
  | TmsiReallocationCommandEvent | TmsiReallocationCompleteEvent | ChannelReleaseEvent | ClassmarkChangeEvent
  | CallSetupEvent | IdentityRequestEvent | LocationUpdatingAcceptEvent | LocationUpdatingRejectEvent
  | CmServiceAcceptEvent | CmServiceRejectEvent;

/** How a dedicated-channel session ended. */
export type SessionEnd =
  /** The network released the channel (Channel Release seen). */
  | 'channel_release'
  /** A new Immediate Assignment gave the same channel to another request. */
  | 'reassigned'
  /** Nothing was seen on the channel for the idle timeout. */
  | 'timeout'
  /** The session table was full; the session idle longest was closed to make room. */
  | 'evicted'
  /** The input ended (end of a capture, agent shutdown). */
  | 'flushed';

/** The initial message of a session (the mobile's first message on the channel). */
export interface SessionInitialMessage {
  message: DedicatedRequestEvent['message'];
  service_type: DedicatedRequestEvent['service_type'] | null;
  lu_type: DedicatedRequestEvent['lu_type'] | null;
  ts_ms: number;
  fn: number;
}

/**
 * One dedicated-channel connection, from the Immediate Assignment that opened it to its end: who came
 * (sub_refs), why (establishment cause, initial message), where (cell, TA) and the timing of its
 * signalling — `auth_round_trip_ms` is the gap between the network's Authentication Request and its next
 * message on the channel, long when the SIM answering the challenge is far away (SIM banks).
 * The EventBase fields describe the dedicated channel: `ts_ms`/`fn` when the session ended (so events
 * stay in time order), `arfcn` the GSMTAP ARFCN of the CCCH that carried the assignment, `timeslot`,
 * `sub_slot` and `channel` the assigned channel.
 */
export interface DedicatedSessionEvent extends EventBase {
  type: 'DedicatedSession';
  message: 'dedicated_session';
  ta_steps: number;
  cause: EstablishmentCause;
  ra: number;
  /** Absolute FN of the channel request the assignment answered. */
  request_fn: number;
  /** The channel as assigned (ARFCN or hopping parameters, TSC, type, sub-channel). */
  channel_desc: ChannelDescription;
  assignment_ts_ms: number;
  assignment_fn: number;
  /** The BTS repeats Immediate Assignments; repeats of this one seen on the CCCH. */
  assignment_repeats: number;
  initial: SessionInitialMessage | null;
  /** Every identity seen on the channel, first seen first (initial identity, identity responses, new TMSI …). */
  subs: SubscriberRef[];
  /** The new identity of a TMSI reallocation (TMSI Reallocation Command or Location Updating Accept). */
  reallocated_sub_ref: string | null;
  tmsi_reallocated: boolean;
  auth_request_ts_ms: number | null;
  auth_request_fn: number | null;
  /** Authentication Response seen (uplink captures only). */
  auth_response_ts_ms: number | null;
  ciphering_command_ts_ms: number | null;
  ciphering_command_fn: number | null;
  ciphered: boolean;
  cipher_algorithm: CipherAlgorithm | null;
  release_ts_ms: number | null;
  release_fn: number | null;
  rr_cause: RrCause | null;
  /**
   * The first Authentication Request → the network's next message on the channel other than a repeated
   * Authentication Request (normally the Ciphering Mode Command), downlink and not SACCH.
   */
  auth_round_trip_ms: number | null;
  /** The message that ended the authentication round trip (`ciphering_mode_command`, `identity_request` …). */
  auth_next_message: string | null;
  /** Authentication Request → Authentication Response (uplink captures only). */
  auth_response_ms: number | null;
  /** Initial message → Ciphering Mode Command. */
  initial_to_ciphering_ms: number | null;
  /** A CC Setup was seen, and in which direction. */
  call_setup: CallSetupEvent['call_direction'] | null;
  /** Message names seen on the channel in order (at most 32; types only, never content). */
  messages: string[];
  /** Events seen on the channel, including SACCH system information. */
  frames: number;
  last_ts_ms: number;
  end: SessionEnd;
  end_ts_ms: number;
  duration_ms: number;
}

export type GsmEvent =
  | PagingEvent | AssignmentEvent | AssignmentRejectEvent | CellInfoEvent | DedicatedRequestEvent
  | NotificationEvent | DedicatedEvent | DedicatedSessionEvent;
