/**
 * TMSI REALLOCATION COMMAND (3GPP TS 24.008 §9.2.17), MM message type 0x1a, network → MS: the LAI the
 * new identity belongs to (§10.5.1.3) and the new Mobile Identity (LV, normally a TMSI), which becomes a
 * sub_ref here and is never kept in clear. Ciphered on air in practice.
 */
import { fail, ok } from '@simhound/protocol';
import type { TmsiReallocationCommandEvent } from '../events.js';
import { locationAreaIdentification } from '../ie/location-area-identification.js';
import { subscribersFromIdentityLv } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const LAI_OCTETS = 5;

export const tmsiReallocationCommand: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x1a,
  name: 'tmsi_reallocation_command',
  clause: 'TS 24.008 §9.2.17',
  decode(buf, start, end, ctx) {
    if (end - start < LAI_OCTETS + 2) return fail('too_short');
    const lai = locationAreaIdentification(buf, start);
    if (!lai.ok) return lai;
    const subs = subscribersFromIdentityLv(buf, start + LAI_OCTETS, end, ctx.subRef);
    if (!subs.ok) return subs;
    const event = makeEvent<TmsiReallocationCommandEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'tmsi_reallocation_command',
      lai: lai.value,
      subs: subs.value,
    });
    return ok(event);
  },
};
