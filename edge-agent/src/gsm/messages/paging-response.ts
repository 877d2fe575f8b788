/**
 * PAGING RESPONSE (3GPP TS 44.018 §9.1.25), RR message type 0x27, the mobile's first message on its new
 * dedicated channel (SDCCH; echoed by the network in the LAPDm UA): ciphering key sequence number,
 * Mobile Station Classmark 2 (LV), Mobile Identity (LV). Optional IEs after it are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { DedicatedRequestEvent } from '../events.js';
import { afterLv, subscribersFromIdentityLv } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const pagingResponse: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x27,
  name: 'paging_response',
  clause: 'TS 44.018 §9.1.25',
  decode(buf, start, end, ctx) {
    if (end - start < 3) return fail('too_short');
    // Octet 1: ciphering key sequence number; then Mobile Station Classmark 2 (LV), Mobile Identity (LV).
    const subs = subscribersFromIdentityLv(buf, afterLv(buf, start + 1), end, ctx.subRef);
    if (!subs.ok) return subs;
    const event = makeEvent<DedicatedRequestEvent>(ctx.base, { type: 'DedicatedRequest', message: 'paging_response', subs: subs.value });
    return ok(event);
  },
};
