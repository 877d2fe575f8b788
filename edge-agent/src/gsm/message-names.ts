/**
 * Names for RR/MM message types that have no decoder here, so replay summaries say "notification_nch"
 * rather than a number. Values from 3GPP TS 44.018 §10.4 (RR) and TS 24.008 §10.4 (MM). Names only.
 */
const RR: Record<number, string> = {
  0x00: 'system_information_13',
  0x02: 'system_information_2bis',
  0x03: 'system_information_2ter',
  0x05: 'system_information_5bis',
  0x06: 'system_information_5ter',
  0x07: 'system_information_2quater',
  0x0d: 'channel_release',
  0x12: 'rr_status',
  0x15: 'measurement_report',
  0x16: 'classmark_change',
  0x19: 'system_information_1',
  0x1a: 'system_information_2',
  0x1b: 'system_information_3',
  0x1c: 'system_information_4',
  0x1d: 'system_information_5',
  0x1e: 'system_information_6',
  0x20: 'notification_nch',
  0x21: 'paging_request_1',
  0x22: 'paging_request_2',
  0x24: 'paging_request_3',
  0x27: 'paging_response',
  0x29: 'assignment_complete',
  0x2b: 'handover_command',
  0x2e: 'assignment_command',
  0x32: 'ciphering_mode_complete',
  0x35: 'ciphering_mode_command',
  0x39: 'immediate_assignment_extended',
  0x3a: 'immediate_assignment_reject',
  0x3f: 'immediate_assignment',
};

const MM: Record<number, string> = {
  0x01: 'imsi_detach_indication',
  0x02: 'location_updating_accept',
  0x04: 'location_updating_reject',
  0x08: 'location_updating_request',
  0x12: 'authentication_request',
  0x14: 'authentication_response',
  0x18: 'identity_request',
  0x19: 'identity_response',
  0x1a: 'tmsi_reallocation_command',
  0x21: 'cm_service_accept',
  0x22: 'cm_service_reject',
  0x24: 'cm_service_request',
  0x32: 'mm_information',
};

export function knownMessageName(protocol: 'rr' | 'mm', type: number): string {
  const name = protocol === 'rr' ? RR[type] : MM[type];
  return name ?? `${protocol}_0x${type.toString(16).padStart(2, '0')}`;
}
