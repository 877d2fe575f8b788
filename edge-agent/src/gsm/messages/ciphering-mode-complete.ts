/**
 * CIPHERING MODE COMPLETE (3GPP TS 44.018 §9.1.10), RR message type 0x32, MS → network: an optional
 * Mobile Equipment Identity (TLV, IEI 0x17: the IMEISV when the command asked for it), pseudonymised at
 * once. In practice it is already ciphered on air; captures with the key (or the simulator) show it.
 */
import { ok } from '@simhound/protocol';
import type { CipheringModeCompleteEvent, SubscriberRef } from '../events.js';
import { subscribersFromIdentityLv } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const IEI_MOBILE_EQUIPMENT_IDENTITY = 0x17;

export const cipheringModeComplete: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x32,
  name: 'ciphering_mode_complete',
  clause: 'TS 44.018 §9.1.10',
  decode(buf, start, end, ctx) {
    let subs: SubscriberRef[] = [];
    if (start < end && buf[start] === IEI_MOBILE_EQUIPMENT_IDENTITY) {
      const identity = subscribersFromIdentityLv(buf, start + 1, end, ctx.subRef);
      if (!identity.ok) return identity;
      subs = identity.value;
    }
    const event = makeEvent<CipheringModeCompleteEvent>(ctx.base, { type: 'Dedicated', message: 'ciphering_mode_complete', subs });
    return ok(event);
  },
};
