/**
 * CM SERVICE REJECT (3GPP TS 24.008 §9.2.6), MM message type 0x22, network → MS: reject cause
 * (§10.5.3.6); an optional T3246 value is not decoded.
 */
import { fail, ok } from '@simhound/protocol';
import type { CmServiceRejectEvent } from '../events.js';
import { mmRejectCause } from '../ie/causes.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const cmServiceReject: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x22,
  name: 'cm_service_reject',
  clause: 'TS 24.008 §9.2.6',
  decode(buf, start, end, ctx) {
    if (end - start < 1) return fail('too_short');
    const code = buf[start]!;
    const event = makeEvent<CmServiceRejectEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'cm_service_reject',
      reject_cause_code: code,
      reject_cause: mmRejectCause(code),
    });
    return ok(event);
  },
};
