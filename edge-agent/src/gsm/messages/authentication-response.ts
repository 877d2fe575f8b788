/**
 * AUTHENTICATION RESPONSE (3GPP TS 24.008 §9.2.3), MM message type 0x14, MS → network: SRES (4 octets),
 * optional extended RES (TLV, IEI 0x21). Values are not kept; uplink captures time the SIM's answer.
 */
import { fail, ok } from '@simhound/protocol';
import type { AuthenticationResponseEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const SRES_OCTETS = 4;
const IEI_EXTENDED_RES = 0x21;

export const authenticationResponse: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x14,
  name: 'authentication_response',
  clause: 'TS 24.008 §9.2.3',
  decode(buf, start, end, ctx) {
    if (end - start < SRES_OCTETS) return fail('too_short');
    const extAt = start + SRES_OCTETS;
    let extended = false;
    if (extAt < end && buf[extAt] === IEI_EXTENDED_RES) {
      if (extAt + 1 >= end || extAt + 2 + buf[extAt + 1]! > end) return fail('bad_length');
      extended = true;
    }
    const event = makeEvent<AuthenticationResponseEvent>(ctx.base, { type: 'Dedicated', message: 'authentication_response', extended_res: extended });
    return ok(event);
  },
};
