/**
 * CIPHERING MODE COMMAND (3GPP TS 44.018 §9.1.9), RR message type 0x35, network → MS: Ciphering Mode
 * Setting (§10.5.2.9: SC = start ciphering, algorithm A5/1..A5/7) and Cipher Response (§10.5.2.10: CR =
 * IMEISV to be included in the answer), one octet. After it the channel is ciphered: this is the last
 * clear downlink message a passive probe decodes, and the usual end of the authentication round trip.
 */
import { fail, ok } from '@simhound/protocol';
import type { CipherAlgorithm, CipheringModeCommandEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { L3MessageDecoder } from './types.js';

const ALGORITHMS: readonly CipherAlgorithm[] = ['a5_1', 'a5_2', 'a5_3', 'a5_4', 'a5_5', 'a5_6', 'a5_7', 'reserved'];

export const cipheringModeCommand: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x35,
  name: 'ciphering_mode_command',
  clause: 'TS 44.018 §9.1.9',
  decode(buf, start, end, ctx) {
    if (end - start < 1) return fail('too_short');
    const o = buf[start]!;
    const start_ciphering = (o & 0x01) !== 0;
    const event = makeEvent<CipheringModeCommandEvent>(ctx.base, {
      type: 'Dedicated',
      message: 'ciphering_mode_command',
      start_ciphering,
      algorithm: start_ciphering ? ALGORITHMS[(o >> 1) & 0x07]! : null,
      imeisv_requested: (o & 0x10) !== 0,
    });
    return ok(event);
  },
};
