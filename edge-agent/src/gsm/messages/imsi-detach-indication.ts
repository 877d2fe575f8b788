/**
 * IMSI DETACH INDICATION (3GPP TS 24.008 §9.2.12), MM message type 0x01, MS → network as the first
 * message on its SDCCH: Mobile Station Classmark 1 (1 octet), Mobile Identity (LV). SIM boxes swapping
 * SIMs detach the old ones.
 */
import { fail, ok } from '@simhound/protocol';
import type { DedicatedRequestEvent } from '../events.js';
import { subscribersFromIdentityLv } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const imsiDetachIndication: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x01,
  name: 'imsi_detach_indication',
  clause: 'TS 24.008 §9.2.12',
  decode(buf, start, end, ctx) {
    if (end - start < 3) return fail('too_short');
    const subs = subscribersFromIdentityLv(buf, start + 1, end, ctx.subRef);
    if (!subs.ok) return subs;
    const event = makeEvent<DedicatedRequestEvent>(ctx.base, { type: 'DedicatedRequest', message: 'imsi_detach_indication', subs: subs.value });
    return ok(event);
  },
};
