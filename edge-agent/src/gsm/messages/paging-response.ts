/**
 * PAGING RESPONSE (3GPP TS 44.018 §9.1.25), RR message type 0x27, the mobile's first message on its new
 * dedicated channel (SDCCH; echoed by the network in the LAPDm UA): ciphering key sequence number,
 * Mobile Station Classmark 2 (LV), Mobile Identity (LV). Optional IEs after it are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { DedicatedRequestEvent, SubscriberRef } from '../events.js';
import { decodeMobileIdentity } from '../ie/mobile-identity.js';
import { subscriberRef } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const pagingResponse: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x27,
  name: 'paging_response',
  clause: 'TS 44.018 §9.1.25',
  decode(buf, start, end, ctx) {
    if (end - start < 3) return fail('too_short');
    const classmarkLength = buf[start + 1]!;
    const miLengthAt = start + 2 + classmarkLength;
    if (miLengthAt >= end) return fail('bad_length');
    const miLength = buf[miLengthAt]!;
    if (miLengthAt + 1 + miLength > end) return fail('bad_length');
    const mi = decodeMobileIdentity(buf, miLengthAt + 1, miLength);
    if (mi === null) return fail('bad_ie');
    const ref = subscriberRef(mi, ctx.subRef);
    const subs: SubscriberRef[] = ref === null ? [] : [ref];
    const event = makeEvent<DedicatedRequestEvent>(ctx.base, { type: 'DedicatedRequest', message: 'paging_response', subs });
    return ok(event);
  },
};
