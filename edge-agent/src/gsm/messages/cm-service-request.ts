/**
 * CM SERVICE REQUEST (3GPP TS 24.008 §9.2.9), MM message type 0x24, the mobile's first message on its
 * SDCCH for a call, SMS or supplementary service: CM service type (§10.5.3.3) + ciphering key sequence
 * number, Mobile Station Classmark 2 (LV), Mobile Identity (LV). Optional IEs (priority …) are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { DedicatedRequestEvent } from '../events.js';
import { afterLv, subscribersFromIdentityLv } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

type ServiceType = NonNullable<DedicatedRequestEvent['service_type']>;

/** §10.5.3.3 CM service type values. */
function serviceType(code: number): ServiceType {
  switch (code) {
    case 0b0001: return 'mo_call';
    case 0b0010: return 'emergency_call';
    case 0b0100: return 'sms';
    case 0b1000: return 'ss';
    case 0b1001: return 'voice_group_call';
    case 0b1010: return 'voice_broadcast_call';
    case 0b1011: return 'location_services';
    default: return 'other';
  }
}

export const cmServiceRequest: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x24,
  name: 'cm_service_request',
  clause: 'TS 24.008 §9.2.9',
  decode(buf, start, end, ctx) {
    if (end - start < 3) return fail('too_short');
    // Octet 1: service type + CKSN; then Mobile Station Classmark 2 (LV), Mobile Identity (LV).
    const subs = subscribersFromIdentityLv(buf, afterLv(buf, start + 1), end, ctx.subRef);
    if (!subs.ok) return subs;
    const event = makeEvent<DedicatedRequestEvent>(ctx.base, {
      type: 'DedicatedRequest',
      message: 'cm_service_request',
      service_type: serviceType(buf[start]! & 0x0f),
      subs: subs.value,
    });
    return ok(event);
  },
};
