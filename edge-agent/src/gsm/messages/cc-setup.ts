/**
 * SETUP (3GPP TS 24.008 §9.3.23), call control message type 0x05: a call is being set up — uplink from
 * the mobile (mobile originating, §9.3.23.2), downlink from the network (mobile terminating, §9.3.23.1).
 * Only the message type, the direction and the transaction identifier are taken: numbers, bearer
 * capabilities and every other IE are content and are never read.
 */
import { ok } from '@simhound/protocol';
import type { CallSetupEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const ccSetup: L3MessageDecoder = {
  protocol: 'cc',
  messageType: 0x05,
  name: 'cc_setup',
  clause: 'TS 24.008 §9.3.23',
  decode(buf, start, _end, ctx) {
    // The TI value sits in bits 7–5 of the octet holding the protocol discriminator, two octets back.
    const transactionId = (buf[start - 2]! >> 4) & 0x07;
    const event = makeEvent<CallSetupEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'cc_setup',
      call_direction: ctx.base.uplink ? 'mobile_originated' : 'mobile_terminated',
      transaction_id: transactionId,
    });
    return ok(event);
  },
};
