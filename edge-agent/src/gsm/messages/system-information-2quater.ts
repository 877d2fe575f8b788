/**
 * SYSTEM INFORMATION TYPE 2quater (3GPP TS 44.018 §9.1.34a), RR message type 0x07, on the BCCH: only SI
 * 2quater Rest Octets (§10.5.2.33b, CSN.1) — measurement parameters, the 3G neighbour list and E-UTRAN
 * neighbours, one instance of up to 16. Decoding is in `ie/si2quater-rest-octets.ts`; a structure that
 * does not fit in the message is a `bad_ie` rejection. Emits a CellInfo event and records it in the cell state.
 */
import { fail, ok } from '@simhound/protocol';
import { Csn1Reader } from '../ie/csn1-reader.js';
import { si2quaterRestOctets, type Si2quaterRestOctets } from '../ie/si2quater-rest-octets.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

export type SystemInformation2quaterInfo = Si2quaterRestOctets;

/** BA_IND … SI2quater_COUNT: 11 bits, i.e. two octets. */
const HEADER_OCTETS = 2;

export const systemInformation2quater: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x07,
  name: 'system_information_2quater',
  clause: 'TS 44.018 §9.1.34a',
  decode(buf, start, end, ctx) {
    if (end - start < HEADER_OCTETS) return fail('too_short');
    const reader = new Csn1Reader(buf, start, end);
    const info = si2quaterRestOctets(reader);
    if (reader.overrun) return fail('bad_ie', 'SI2quater rest octets run past the message');
    return ok(systemInformationEvent(ctx, 'system_information_2quater', info));
  },
};
