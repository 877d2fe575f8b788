/**
 * LOCATION UPDATING REQUEST (3GPP TS 24.008 §9.2.15), MM message type 0x08: location updating type
 * (§10.5.3.5: normal, periodic, IMSI attach) + ciphering key sequence number, the old Location Area
 * Identification (5 octets), Mobile Station Classmark 1 (1 octet), Mobile Identity (LV). Fresh IMSI
 * attaches are how SIM rotation shows. Optional IEs are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { DedicatedRequestEvent } from '../events.js';
import { subscribersFromIdentityLv } from '../ie/subscriber.js';
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
    // Octets 1–7: LU type + CKSN, LAI (5), Classmark 1; then Mobile Identity (LV).
    const subs = subscribersFromIdentityLv(buf, start + 7, end, ctx.subRef);
    if (!subs.ok) return subs;
    const event = makeEvent<DedicatedRequestEvent>(ctx.base, {
      type: 'DedicatedRequest',
      message: 'location_updating_request',
      lu_type: LU_TYPES[buf[start]! & 0x03]!,
      subs: subs.value,
    });
    return ok(event);
  },
};
