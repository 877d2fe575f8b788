/**
 * LOCATION UPDATING REQUEST (3GPP TS 24.008 §9.2.15), MM message type 0x08: location updating type
 * (§10.5.3.5: normal, periodic, IMSI attach) + ciphering key sequence number, the old Location Area
 * Identification (5 octets), Mobile Station Classmark 1 (1 octet), Mobile Identity (LV). Fresh IMSI
 * attaches are how SIM rotation shows. Optional IEs are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { DedicatedRequestEvent, SubscriberRef } from '../events.js';
import { decodeMobileIdentity } from '../ie/mobile-identity.js';
import { subscriberRef } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const LU_TYPES: readonly NonNullable<DedicatedRequestEvent['lu_type']>[] = ['normal', 'periodic', 'imsi_attach', 'reserved'];

export const locationUpdatingRequest: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x08,
  name: 'location_updating_request',
  clause: 'TS 24.008 §9.2.15',
  decode(buf, start, end, ctx) {
    if (end - start < 8) return fail('too_short');
    const miLengthAt = start + 7;
    const miLength = buf[miLengthAt]!;
    if (miLengthAt + 1 + miLength > end) return fail('bad_length');
    const mi = decodeMobileIdentity(buf, miLengthAt + 1, miLength);
    if (mi === null) return fail('bad_ie');
    const ref = subscriberRef(mi, ctx.subRef);
    const subs: SubscriberRef[] = ref === null ? [] : [ref];
    const event = makeEvent<DedicatedRequestEvent>(ctx.base, {
      type: 'DedicatedRequest',
      message: 'location_updating_request',
      lu_type: LU_TYPES[buf[start]! & 0x03]!,
      subs,    });
    return ok(event);
  },
};
