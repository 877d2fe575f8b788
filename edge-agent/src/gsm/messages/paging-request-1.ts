/**
 * PAGING REQUEST TYPE 1 (3GPP TS 44.018 §9.1.22), RR message type 0x21, on the CCCH: page mode, channel
 * needed for identities 1 and 2, Mobile Identity 1 (LV; IMSI, TMSI/P-TMSI, IMEI, IMEISV or none) and an
 * optional Mobile Identity 2 (TLV, IEI 0x17) inside the L2 pseudo length. P1 rest octets are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { PagingEvent, SubscriberRef } from '../events.js';
import { channelNeeded, pageMode } from '../ie/common.js';
import { decodeMobileIdentity } from '../ie/mobile-identity.js';
import { subscriberRef } from '../ie/subscriber.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const IEI_MOBILE_IDENTITY = 0x17;

export const pagingRequest1: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x21,
  name: 'paging_request_1',
  clause: 'TS 44.018 §9.1.22',
  decode(buf, start, end, ctx) {
    if (end - start < 2) return fail('too_short');
    const o = buf[start]!;
    const len1 = buf[start + 1]!;
    const mi1At = start + 2;
    if (mi1At + len1 > end) return fail('bad_length');
    const mi1 = decodeMobileIdentity(buf, mi1At, len1);
    if (mi1 === null) return fail('bad_ie');
    const subs: SubscriberRef[] = [];
    const ref1 = subscriberRef(mi1, ctx.subRef);
    if (ref1 !== null) subs.push(ref1);
    let p = mi1At + len1;
    if (p + 1 < ctx.l2PseudoEnd && buf[p] === IEI_MOBILE_IDENTITY) {
      const len2 = buf[p + 1]!;
      if (p + 2 + len2 > end) return fail('bad_length');
      const mi2 = decodeMobileIdentity(buf, p + 2, len2);
      if (mi2 === null) return fail('bad_ie');
      const ref2 = subscriberRef(mi2, ctx.subRef);
      if (ref2 !== null) subs.push(ref2);
      p += 2 + len2;
    }
    const event = makeEvent<PagingEvent>(ctx.base, {
      type: 'Paging',
      message: 'paging_request_1',
      page_mode: pageMode(o),
      subs,
      channel_needed: [channelNeeded(o >> 4), channelNeeded(o >> 6)],    });
    return ok(event);
  },
};
