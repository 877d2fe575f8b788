/**
 * CM SERVICE ACCEPT (3GPP TS 24.008 §9.2.5), MM message type 0x21, network → MS: no IEs.
 */
import { ok } from '@simhound/protocol';
import type { CmServiceAcceptEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

export const cmServiceAccept: L3MessageDecoder = {
  protocol: 'mm',
  messageType: 0x21,
  name: 'cm_service_accept',
  clause: 'TS 24.008 §9.2.5',
  decode(_buf, _start, _end, ctx) {
    return ok(makeEvent<CmServiceAcceptEvent>(ctx.base, { type: 'Dedicated', message: 'cm_service_accept' }));
  },
};
