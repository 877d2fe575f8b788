/**
 * Cause codes of dedicated-channel messages → names: RR Cause (3GPP TS 44.018 §10.5.2.31, Channel
 * Release) and MM Reject Cause (TS 24.008 §10.5.3.6, Location Updating Reject, CM Service Reject).
 * Codes the tables do not name map to `other` (the code itself is kept in the event). Lookups only.
 */
import type { MmRejectCause, RrCause } from '../events.js';

const RR_CAUSES: Readonly<Record<number, RrCause>> = {
  0x00: 'normal_event',
  0x01: 'abnormal_unspecified',
  0x02: 'abnormal_channel_unacceptable',
  0x03: 'abnormal_timer_expired',
  0x04: 'abnormal_no_activity',
  0x05: 'preemptive_release',
  0x06: 'utran_configuration_unknown',
  0x08: 'handover_impossible_ta',
  0x09: 'channel_mode_unacceptable',
  0x0a: 'frequency_not_implemented',
  0x0b: 'leaving_group_call_area',
  0x0c: 'lower_layer_failure',
  0x41: 'call_already_cleared',
  0x5f: 'semantically_incorrect',
  0x60: 'invalid_mandatory_information',
  0x61: 'message_type_nonexistent',
  0x62: 'message_type_not_compatible',
  0x64: 'conditional_ie_error',
  0x65: 'no_cell_allocation',
  0x6f: 'protocol_error',
};

const MM_REJECT_CAUSES: Readonly<Record<number, MmRejectCause>> = {
  2: 'imsi_unknown_in_hlr',
  3: 'illegal_ms',
  4: 'imsi_unknown_in_vlr',
  5: 'imei_not_accepted',
  6: 'illegal_me',
  11: 'plmn_not_allowed',
  12: 'location_area_not_allowed',
  13: 'roaming_not_allowed',
  15: 'no_suitable_cells',
  17: 'network_failure',
  20: 'mac_failure',
  21: 'synch_failure',
  22: 'congestion',
  23: 'gsm_authentication_unacceptable',
  25: 'csg_not_authorized',
  32: 'service_option_not_supported',
  33: 'service_option_not_subscribed',
  34: 'service_option_out_of_order',
  38: 'call_cannot_be_identified',
  95: 'semantically_incorrect',
  96: 'invalid_mandatory_information',
  97: 'message_type_nonexistent',
  98: 'message_type_not_compatible',
  99: 'ie_nonexistent',
  100: 'conditional_ie_error',
  101: 'message_not_compatible',
  111: 'protocol_error',
};

export function rrCause(code: number): RrCause {
  return RR_CAUSES[code] ?? 'other';
}

export function mmRejectCause(code: number): MmRejectCause {
  // 48..63: "retry upon entry into a new cell".
  if (code >= 48 && code <= 63) return 'retry_in_new_cell';
  return MM_REJECT_CAUSES[code] ?? 'other';
}
