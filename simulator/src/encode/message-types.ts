/**
 * Protocol discriminators and message type codes of the L3 messages the simulator encodes
 * (TS 24.007 §11.2.3.1.1 for PDs; TS 44.018 table 10.4.1 for RR; TS 24.008 tables 10.2 (MM) and 10.3 (CC)).
 * Constants only.
 */

/** Skip indicator 0 + PD 0110 (radio resources management). */
export const RR_PROTOCOL_DISCRIMINATOR = 0x06;
/** Skip indicator 0 + PD 0101 (mobility management). */
export const MM_PROTOCOL_DISCRIMINATOR = 0x05;
/** PD 0011 (call control); the upper half octet is the transaction identifier. */
export const CC_PROTOCOL_DISCRIMINATOR = 0x03;

export const RR_MESSAGE_TYPE = {
  paging_request_1: 0x21,
  paging_request_2: 0x22,
  paging_request_3: 0x24,
  paging_response: 0x27,
  immediate_assignment: 0x3f,
  immediate_assignment_extended: 0x39,
  immediate_assignment_reject: 0x3a,
  system_information_1: 0x19,
  system_information_2: 0x1a,
  system_information_3: 0x1b,
  system_information_4: 0x1c,
  system_information_13: 0x00,
  system_information_5: 0x1d,
  system_information_5bis: 0x05,
  system_information_5ter: 0x06,
  system_information_6: 0x1e,
  notification_nch: 0x20,
  ciphering_mode_command: 0x35,
  ciphering_mode_complete: 0x32,
  channel_release: 0x0d,
  classmark_change: 0x16,
} as const;

/** MM message types without the N(SD) bits 8–7 (TS 24.007 §11.2.3.2.3 adds them for R99+ mobiles). */
export const MM_MESSAGE_TYPE = {
  location_updating_request: 0x08,
  identity_response: 0x19,
  cm_service_request: 0x24,
  imsi_detach_indication: 0x01,
  location_updating_accept: 0x02,
  location_updating_reject: 0x04,
  authentication_request: 0x12,
  authentication_response: 0x14,
  identity_request: 0x18,
  tmsi_reallocation_command: 0x1a,
  tmsi_reallocation_complete: 0x1b,
  cm_service_accept: 0x21,
  cm_service_reject: 0x22,
} as const;

/** CC message types without the N(SD) bits 8–7. */
export const CC_MESSAGE_TYPE = {
  setup: 0x05,
} as const;
