/**
 * PAGING REQUEST TYPE 2 (3GPP TS 44.018 §9.1.23), RR message type 0x22, on the CCCH: page mode, channel
 * needed for identities 1 and 2, two TMSI/P-TMSIs (V, 4 octets each) and an optional Mobile Identity 3
 * (TLV, IEI 0x17; any identity type) inside the L2 pseudo length. P2 rest octets are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import { tmsiToString } from '../../privacy/sub-ref.js';
import type { PagingEvent, SubscriberRef } from '../events.js';
import { channelNeeded, pageMode } from '../ie/common.js';
import { decodeMobileIdentity } from '../ie/mobile-identity.js';
import { subscriberRef } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const IEI_MOBILE_IDENTITY = 0x17;

function readTmsi(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) >>> 0) + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
}

export const pagingRequest2: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x22,
  name: 'paging_request_2',
  clause: 'TS 44.018 §9.1.23',
  decode(buf, start, end, ctx) {
    if (end - start < 9) return fail('too_short');
    const o = buf[start]!;
    const subs: SubscriberRef[] = [
      { kind: 'tmsi', sub_ref: ctx.subRef('tmsi', tmsiToString(readTmsi(buf, start + 1))) },
      { kind: 'tmsi', sub_ref: ctx.subRef('tmsi', tmsiToString(readTmsi(buf, start + 5))) },
    ];
    const p = start + 9;
    if (p + 1 < ctx.l2PseudoEnd && buf[p] === IEI_MOBILE_IDENTITY) {
      const len3 = buf[p + 1]!;
      if (p + 2 + len3 > end) return fail('bad_length');
      const mi3 = decodeMobileIdentity(buf, p + 2, len3);
      if (mi3 === null) return fail('bad_ie');
      const ref3 = subscriberRef(mi3, ctx.subRef);
      if (ref3 !== null) subs.push(ref3);
    }
    const event = makeEvent<PagingEvent>(ctx.base, {
      type: 'Paging',
      message: 'paging_request_2',
      page_mode: pageMode(o),
      subs,
      channel_needed: [channelNeeded(o >> 4), channelNeeded(o >> 6)],    });
    return ok(event);
  },
};
