/**
 * CLASSMARK CHANGE (3GPP TS 44.018 §9.1.11), RR message type 0x16, MS → network: Mobile Station
 * Classmark 2 (LV, TS 24.008 §10.5.1.6) and an optional Classmark 3 (TLV, IEI 0x20, noted, not decoded).
 * Identical classmarks across many "subscribers" at one spot is what a modem bank looks like.
 */
import { fail, ok } from '@simhound/protocol';
import type { ClassmarkChangeEvent } from '../events.js';
import { CLASSMARK_2_OCTETS, classmark2 } from '../ie/classmark.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const IEI_CLASSMARK_3 = 0x20;

export const classmarkChange: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x16,
  name: 'classmark_change',
  clause: 'TS 44.018 §9.1.11',
  decode(buf, start, end, ctx) {
    if (end - start < 1 + CLASSMARK_2_OCTETS) return fail('too_short');
    const length = buf[start]!;
    if (length < CLASSMARK_2_OCTETS) return fail('bad_ie', 'classmark 2 shorter than 3 octets');
    const after = start + 1 + length;
    if (after > end) return fail('bad_length');
    let cm3 = false;
    if (after < end && buf[after] === IEI_CLASSMARK_3) {
      if (after + 1 >= end || after + 2 + buf[after + 1]! > end) return fail('bad_length');
      cm3 = true;
    }
    const event = makeEvent<ClassmarkChangeEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'classmark_change',
      classmark: classmark2(buf, start + 1),
      classmark3_present: cm3,
    });
    return ok(event);
  },
};
