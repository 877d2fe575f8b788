/**
 * IDENTITY RESPONSE (3GPP TS 24.008 §9.2.11), MM message type 0x19: the mobile's answer to an Identity
 * Request, one Mobile Identity (LV) — typically the IMSI or IMEI(SV). Optional GPRS IEs are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { DedicatedRequestEvent } from '../events.js';
import { subscribersFromIdentityLv } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const identityResponse: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x19,
  name: 'identity_response',
  clause: 'TS 24.008 §9.2.11',
  decode(buf, start, end, ctx) {
    if (end - start < 2) return fail('too_short');
    const subs = subscribersFromIdentityLv(buf, start, end, ctx.subRef);
    if (!subs.ok) return subs;
    const event = makeEvent<DedicatedRequestEvent>(ctx.base, { type: 'DedicatedRequest', message: 'identity_response', subs: subs.value });
    return ok(event);
  },
};
