/**
 * IMMEDIATE ASSIGNMENT (3GPP TS 44.018 §9.1.18), RR message type 0x3f, on the CCCH (AGCH): page mode,
 * dedicated mode or TBF (§10.5.2.25b), Channel Description (§10.5.2.5) or Packet Channel Description
 * (§10.5.2.25a), Request Reference (§10.5.2.30: RA → establishment cause, T1'/T3/T2 → frame of the
 * request), Timing Advance (§10.5.2.40), Mobile Allocation (LV). Starting time and IA rest octets are
 * not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { AssignmentEvent } from '../events.js';
import { channelDescription, packetChannelDescription } from '../ie/channel-description.js';
import { pageMode, requestReference, timingAdvance } from '../ie/common.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const immediateAssignment: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x3f,
  name: 'immediate_assignment',
  clause: 'TS 44.018 §9.1.18',
  opensDedicatedSession: true,
  decode(buf, start, end, ctx) {
    if (end - start < 9) return fail('too_short');
    const o = buf[start]!;
    // Dedicated mode or TBF, bit 1 of the upper half octet (T/D): 1 = a TBF is assigned.
    const packet = (o & 0x10) !== 0;
    const maLength = buf[start + 8]!;
    if (start + 9 + maLength > end) return fail('bad_length');
    const neci = ctx.cell.neci;
    const event = makeEvent<AssignmentEvent>(ctx.base, {
      type: 'Assignment',
      message: 'immediate_assignment',
      packet,
      page_mode: pageMode(o),
      request: requestReference(buf, start + 4, neci, ctx.base.fn),
      ta_steps: timingAdvance(buf[start + 7]!),
      neci,
      channel_desc: packet ? packetChannelDescription(buf, start + 1) : channelDescription(buf, start + 1),    });
    return ok(event);
  },
};
