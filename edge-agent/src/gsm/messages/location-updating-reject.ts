/**
 * LOCATION UPDATING REJECT (3GPP TS 24.008 §9.2.14), MM message type 0x04, network → MS: reject cause
 * (§10.5.3.6). Operators reject the SIMs they have blocked: a burst of rejects at one spot is how a
 * den's SIM rotation looks from the air.
 */
import { fail, ok } from '@simhound/protocol';
import type { LocationUpdatingRejectEvent } from '../events.js';
import { mmRejectCause } from '../ie/causes.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const locationUpdatingReject: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x04,
  name: 'location_updating_reject',
  clause: 'TS 24.008 §9.2.14',
  decode(buf, start, end, ctx) {
    if (end - start < 1) return fail('too_short');
    const code = buf[start]!;
    const event = makeEvent<LocationUpdatingRejectEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'location_updating_reject',
      reject_cause_code: code,
      reject_cause: mmRejectCause(code),
    });
    return ok(event);
  },
};
