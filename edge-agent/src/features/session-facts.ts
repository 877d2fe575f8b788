/**
 * From a decoded dedicated-channel session (gsm/dedicated-session.ts) to what the detection engine counts
 * about it (features/traffic-tracker.ts SessionFacts): its place (cell, TA), its first message's kind,
 * the identity kind and reference of the first message, TMSI reallocation and the authentication round
 * trip. Counted at the assignment's time, when the access happened.
 */
import type { DedicatedSessionEvent } from '../gsm/events.js';
import type { SessionFacts } from './traffic-tracker.js';

export function sessionFacts(e: DedicatedSessionEvent): SessionFacts {
  const initial = e.initial;
  const first = e.subs[0] ?? null;
  let kind: SessionFacts['initial'] = null;
  let service: SessionFacts['service'] = null;
  if (initial !== null) {
    switch (initial.message) {
      case 'cm_service_request':
        kind = 'cm_service_request';
        service = initial.service_type === 'mo_call' || initial.service_type === 'emergency_call' ? 'call' : initial.service_type === 'sms' ? 'sms' : 'other';
        break;
      case 'location_updating_request':
        kind = 'location_updating_request';
        break;
      case 'paging_response':
        kind = 'paging_response';
        break;
      default:
        kind = 'other';
    }
  }
  const luType = initial?.lu_type;
  return {
    ts_ms: e.assignment_ts_ms,
    cell: e.cell,
    arfcn: e.arfcn,
    ta_steps: e.ta_steps,
    initial: kind,
    service,
    lu_type: luType === 'normal' || luType === 'periodic' || luType === 'imsi_attach' ? luType : null,
    identity_kind: first === null ? null : first.kind === 'imsi' ? 'imsi' : first.kind === 'tmsi' ? 'tmsi' : 'imei',
    sub_ref: first?.sub_ref ?? null,
    tmsi_reallocated: e.tmsi_reallocated,
    auth_round_trip_ms: e.auth_round_trip_ms,
  };
}
