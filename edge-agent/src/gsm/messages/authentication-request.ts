/**
 * AUTHENTICATION REQUEST (3GPP TS 24.008 §9.2.2), MM message type 0x12, network → MS on the SDCCH:
 * ciphering key sequence number (§10.5.1.2) + spare half octet, RAND (16 octets), optional AUTN (TLV,
 * IEI 0x20, UMTS authentication). The challenge values are not kept: the event marks when the network
 * asked, so the session tracker can time the SIM's answer.
 */
import { fail, ok } from '@simhound/protocol';
import type { AuthenticationRequestEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const RAND_OCTETS = 16;
const IEI_AUTN = 0x20;

export const authenticationRequest: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x12,
  name: 'authentication_request',
  clause: 'TS 24.008 §9.2.2',
  decode(buf, start, end, ctx) {
    if (end - start < 1 + RAND_OCTETS) return fail('too_short');
    const autnAt = start + 1 + RAND_OCTETS;
    let umts = false;
    if (autnAt < end && buf[autnAt] === IEI_AUTN) {
      if (autnAt + 1 >= end || autnAt + 2 + buf[autnAt + 1]! > end) return fail('bad_length');
      umts = true;
    }
    const event = makeEvent<AuthenticationRequestEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'authentication_request',
      cksn: buf[start]! & 0x07,
      umts_autn: umts,
    });
    return ok(event);
  },
};
