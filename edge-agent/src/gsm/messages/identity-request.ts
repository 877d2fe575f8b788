/**
 * IDENTITY REQUEST (3GPP TS 24.008 §9.2.10), MM message type 0x18, network → MS: identity type
 * (§10.5.3.4) + spare half octet. A network asking a "known" subscriber for its IMSI is part of the
 * authentication round trip's timing.
 */
import { fail, ok } from '@simhound/protocol';
import type { IdentityRequestEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const IDENTITY_TYPES: Readonly<Record<number, IdentityRequestEvent['identity_type']>> = {
  1: 'imsi',
  2: 'imei',
  3: 'imeisv',
  4: 'tmsi',
  5: 'p_tmsi_rai_ptmsi_sig',
};

export const identityRequest: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x18,
  name: 'identity_request',
  clause: 'TS 24.008 §9.2.10',
  decode(buf, start, end, ctx) {
    if (end - start < 1) return fail('too_short');
    const event = makeEvent<IdentityRequestEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'identity_request',
      identity_type: IDENTITY_TYPES[buf[start]! & 0x07] ?? 'other',
    });
    return ok(event);
  },
};
