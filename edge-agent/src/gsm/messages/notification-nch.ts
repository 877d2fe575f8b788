/**
 * NOTIFICATION/NCH (3GPP TS 44.018 §9.1.21b), RR message type 0x20, on the NCH (part of the CCCH):
 * voice group and broadcast call (VGCS/VBS) notifications. Its only IE is the NT/N Rest Octets
 * (§10.5.2.22c, CSN.1): NLN(NCH), then a list of Group Call information — the group call reference
 * (TS 24.008 §10.5.1.9: 27-bit reference, SF, AF, call priority, ciphering information) and optionally
 * the group channel (Channel Description §10.5.2.5 plus a mobile allocation or frequency short list,
 * which are skipped). Release 6/7 additions are not decoded. The L2 pseudo length is not relied on
 * (real BTSs send 1). No subscriber identity is carried.
 */
import { fail, ok } from '@simhound/protocol';
import type { GroupCallNotification, NotificationEvent } from '../events.js';
import { channelDescription } from '../ie/channel-description.js';
import { Csn1Reader } from '../ie/csn1-reader.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

/** No more group calls than fit in 20 rest octets (each takes ≥ 38 bits). */
const MAX_GROUP_CALLS = 5;
const FREQUENCY_SHORT_LIST_BITS = 64;

function groupCall(reader: Csn1Reader): GroupCallNotification {
  const ref = reader.bits(27);
  const sf = reader.bit();
  reader.skip(1); // AF: acknowledgement required
  const priority = reader.bits(3);
  reader.skip(4); // ciphering information
  let channel: GroupCallNotification['channel_desc'] = null;
  if (reader.flag()) {
    const octets = Uint8Array.of(reader.bits(8), reader.bits(8), reader.bits(8));
    channel = channelDescription(octets, 0);
    if (reader.flag()) {
      if (reader.flag()) reader.skip(FREQUENCY_SHORT_LIST_BITS);
      else reader.skip(8 * reader.bits(8)); // Mobile Allocation as LV
    }
  }
  return { group_call_ref: ref, service: sf === 1 ? 'vgcs' : 'vbs', priority, channel_desc: channel };
}

export const notificationNch: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x20,
  name: 'notification_nch',
  clause: 'TS 44.018 §9.1.21b',
  decode(buf, start, end, ctx) {
    if (end - start < 1) return fail('too_short');
    const reader = new Csn1Reader(buf, start, end);
    const nln = reader.flag() ? reader.bits(2) : null;
    const groupCalls: GroupCallNotification[] = [];
    while (reader.flag()) {
      if (groupCalls.length === MAX_GROUP_CALLS) return fail('bad_ie', 'NT/N rest octets list more group calls than fit');
      groupCalls.push(groupCall(reader));
      if (reader.overrun) break;
    }
    if (reader.overrun) return fail('bad_ie', 'NT/N rest octets run past the message');
    const event = makeEvent<NotificationEvent>(ctx.base, { type: 'Notification', message: 'notification_nch', nln, group_calls: groupCalls });
    return ok(event);
  },
};
