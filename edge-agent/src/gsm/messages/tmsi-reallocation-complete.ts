/**
 * TMSI REALLOCATION COMPLETE (3GPP TS 24.008 §9.2.18), MM message type 0x1b, MS → network: no IEs.
 */
import { ok } from '@simhound/protocol';
import type { TmsiReallocationCompleteEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const tmsiReallocationComplete: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x1b,
  name: 'tmsi_reallocation_complete',
  clause: 'TS 24.008 §9.2.18',
  decode(_buf, _start, _end, ctx) {
    return ok(makeEvent<TmsiReallocationCompleteEvent>(ctx.base, { type: 'Dedicated', message: 'tmsi_reallocation_complete' }));
  },
};
