/**
 * SYSTEM INFORMATION TYPE 5bis (3GPP TS 44.018 §9.1.38), RR message type 0x05, on the SACCH: the part of
 * the dedicated-mode BA list SI5 did not carry (Neighbour Cell Description §10.5.2.22 with EXT-IND/BA-IND).
 * No rest octets. Emits a CellInfo event and records it in the cell state.
 */
import { fail, ok } from '@simhound/protocol';
import { FREQUENCY_LIST_IE_OCTETS, neighbourCellDescription, type NeighbourCellDescription } from '../ie/neighbour-cell-description.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

export type SystemInformation5bisInfo = NeighbourCellDescription;

export const systemInformation5bis: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x05,
  name: 'system_information_5bis',
  clause: 'TS 44.018 §9.1.38',
  decode(buf, start, end, ctx) {
    if (end - start < FREQUENCY_LIST_IE_OCTETS) return fail('too_short');
    const neighbours = neighbourCellDescription(buf, start);
    if (!neighbours.ok) return fail('bad_ie', neighbours.detail);
    const n = neighbours.value;
    const info: SystemInformation5bisInfo = {
      neighbour_arfcns: n.neighbour_arfcns,
      neighbour_arfcns_format: n.neighbour_arfcns_format,
      ext_ind: n.ext_ind,
      ba_ind: n.ba_ind,
    };
    return ok(systemInformationEvent(ctx, 'system_information_5bis', info));
  },
};
