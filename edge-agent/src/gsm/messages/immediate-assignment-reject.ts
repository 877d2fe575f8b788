/**
 * IMMEDIATE ASSIGNMENT REJECT (3GPP TS 44.018 §9.1.20), RR message type 0x3a, on the CCCH: page mode,
 * then four Request Reference (§10.5.2.30) + Wait Indication (§10.5.2.43, T3122 in seconds) pairs.
 * The network fills unused positions by repeating a reference, so identical pairs are reported once.
 */
import { fail, ok } from '@simhound/protocol';
import type { AssignmentRejectEvent } from '../events.js';
import { pageMode, requestReference } from '../ie/common.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const immediateAssignmentReject: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x3a,
  name: 'immediate_assignment_reject',
  clause: 'TS 44.018 §9.1.20',
  decode(buf, start, end, ctx) {
    if (end - start < 17) return fail('too_short');
    const neci = ctx.cell.neci;
    const requests: AssignmentRejectEvent['requests'] = [];
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const at = start + 1 + 4 * i;
      // Four octets (RA, T1'/T3, T3/T2, wait indication) as one key to drop repeats.
      const key = ((buf[at]! << 24) >>> 0) + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
      if (seen.includes(key)) continue;
      seen.push(key);
      requests.push(Object.assign(requestReference(buf, at, neci, ctx.base.fn), { wait_indication_s: buf[at + 3]! }));
    }
    const event = makeEvent<AssignmentRejectEvent>(ctx.base, {
      type: 'AssignmentReject',
      message: 'immediate_assignment_reject',
      page_mode: pageMode(buf[start]!),
      requests,
      neci,    });
    return ok(event);
  },
};
