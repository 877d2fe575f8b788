/**
 * LOCATION UPDATING ACCEPT (3GPP TS 24.008 §9.2.13), MM message type 0x02, network → MS: LAI
 * (§10.5.1.3), then optional IEs — a Mobile Identity (TLV, IEI 0x17: the new TMSI, pseudonymised at once;
 * an IMSI here means "delete the TMSI"), Follow On Proceed (0xA1), CTS permission (0xA2) and TLV IEs
 * that are skipped (equivalent PLMNs, emergency numbers, T3212 …). A new TMSI here is a TMSI reallocation.
 */
import { fail, ok } from '@simhound/protocol';
import type { LocationUpdatingAcceptEvent, SubscriberRef } from '../events.js';
import { locationAreaIdentification } from '../ie/location-area-identification.js';
import { subscribersFromIdentityLv } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const LAI_OCTETS = 5;
const IEI_MOBILE_IDENTITY = 0x17;
const IEI_FOLLOW_ON_PROCEED = 0xa1;

export const locationUpdatingAccept: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x02,
  name: 'location_updating_accept',
  clause: 'TS 24.008 §9.2.13',
  decode(buf, start, end, ctx) {
    if (end - start < LAI_OCTETS) return fail('too_short');
    const lai = locationAreaIdentification(buf, start);
    if (!lai.ok) return lai;
    let subs: SubscriberRef[] = [];
    let followOn = false;
    let p = start + LAI_OCTETS;
    while (p < end) {
      const iei = buf[p]!;
      if (iei === IEI_MOBILE_IDENTITY) {
        const identity = subscribersFromIdentityLv(buf, p + 1, end, ctx.subRef);
        if (!identity.ok) return identity;
        subs = identity.value;
        p += 2 + buf[p + 1]!;
      } else if (iei >= 0x80) {
        // Type 1/2 IEs take one octet (TS 24.007 §11.2.1.1.1).
        if (iei === IEI_FOLLOW_ON_PROCEED) followOn = true;
        p += 1;
      } else {
        if (p + 1 >= end) return fail('bad_length');
        p += 2 + buf[p + 1]!;
        if (p > end) return fail('bad_length');
      }
    }
    const event = makeEvent<LocationUpdatingAcceptEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'location_updating_accept',
      lai: lai.value,
      subs,
      follow_on_proceed: followOn,
    });
    return ok(event);
  },
};
