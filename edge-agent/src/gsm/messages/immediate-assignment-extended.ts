/**
 * IMMEDIATE ASSIGNMENT EXTENDED (3GPP TS 44.018 §9.1.19), RR message type 0x39, on the CCCH: one message
 * assigning dedicated channels to two mobiles — page mode, then for each: Channel Description
 * (§10.5.2.5), Request Reference (§10.5.2.30), Timing Advance (§10.5.2.40); then Mobile Allocation (LV).
 * Produces two Assignment events, in message order.
 */
import { fail, ok } from '@simhound/protocol';
import type { AssignmentEvent } from '../events.js';
import { channelDescription } from '../ie/channel-description.js';
import { pageMode, requestReference, timingAdvance } from '../ie/common.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const immediateAssignmentExtended: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x39,
  name: 'immediate_assignment_extended',
  clause: 'TS 44.018 §9.1.19',
  opensDedicatedSession: true,
  decode(buf, start, end, ctx) {
    if (end - start < 16) return fail('too_short');
    const maLength = buf[start + 15]!;
    if (start + 16 + maLength > end) return fail('bad_length');
    const o = buf[start]!;
    const neci = ctx.cell.neci;
    const events: AssignmentEvent[] = [];
    for (let i = 0; i < 2; i++) {
      const at = start + 1 + 7 * i;
      events.push(
        makeEvent<AssignmentEvent>(ctx.base, {
          type: 'Assignment',
          message: 'immediate_assignment_extended',
          packet: false,
          page_mode: pageMode(o),
          request: requestReference(buf, at + 3, neci, ctx.base.fn),
          ta_steps: timingAdvance(buf[at + 6]!),
          neci,
          channel_desc: channelDescription(buf, at),
        }),
      );
    }
    return ok(events);
  },
};
