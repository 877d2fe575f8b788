/**
 * CHANNEL RELEASE (3GPP TS 44.018 §9.1.7), RR message type 0x0d, network → MS: RR Cause (§10.5.2.31,
 * one octet). Optional IEs (BA range, group channel, cell selection indicator …) are not decoded. It ends
 * a dedicated-channel session.
 */
import { fail, ok } from '@simhound/protocol';
import type { ChannelReleaseEvent } from '../events.js';
import { rrCause } from '../ie/causes.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const channelRelease: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x0d,
  name: 'channel_release',
  clause: 'TS 44.018 §9.1.7',
  decode(buf, start, end, ctx) {
    if (end - start < 1) return fail('too_short');
    const code = buf[start]!;
    const event = makeEvent<ChannelReleaseEvent>(ctx.base, { type: 'Dedicated', message: 'channel_release', rr_cause_code: code, rr_cause: rrCause(code) });
    return ok(event);
  },
};
