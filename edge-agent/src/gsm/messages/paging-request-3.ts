/**
 * PAGING REQUEST TYPE 3 (3GPP TS 44.018 §9.1.24), RR message type 0x24, on the CCCH: page mode, channel
 * needed for identities 1 and 2, four TMSI/P-TMSIs (V, 4 octets each). The P3 rest octets (channel
 * needed for 3 and 4) are not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import { tmsiToString } from '../../privacy/sub-ref.js';
import type { PagingEvent, SubscriberRef } from '../events.js';
import { channelNeeded, pageMode } from '../ie/common.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const pagingRequest3: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x24,
  name: 'paging_request_3',
  clause: 'TS 44.018 §9.1.24',
  decode(buf, start, end, ctx) {
    if (end - start < 17) return fail('too_short');
    const o = buf[start]!;
    const subs: SubscriberRef[] = [];
    for (let i = 0; i < 4; i++) {
      const at = start + 1 + 4 * i;
      const tmsi = ((buf[at]! << 24) >>> 0) + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
      subs.push({ kind: 'tmsi', sub_ref: ctx.subRef('tmsi', tmsiToString(tmsi)) });
    }
    const event = makeEvent<PagingEvent>(ctx.base, {
      type: 'Paging',
      message: 'paging_request_3',
      page_mode: pageMode(o),
      subs,
      channel_needed: [channelNeeded(o >> 4), channelNeeded(o >> 6)],    });
    return ok(event);
  },
};
