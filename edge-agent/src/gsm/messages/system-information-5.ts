/**
 * SYSTEM INFORMATION TYPE 5 (3GPP TS 44.018 §9.1.37), RR message type 0x1d, on the SACCH of a dedicated
 * channel: the BA list of neighbour cells the mobile measures in dedicated mode (Neighbour Cell
 * Description §10.5.2.22, EXT-IND/BA-IND, any frequency list format). No rest octets. Emits a CellInfo
 * event and records it in the cell state.
 */
import { fail, ok } from '@simhound/protocol';
import { FREQUENCY_LIST_IE_OCTETS, neighbourCellDescription, type NeighbourCellDescription } from '../ie/neighbour-cell-description.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

export type SystemInformation5Info = NeighbourCellDescription;

export const systemInformation5: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x1d,
  name: 'system_information_5',
  clause: 'TS 44.018 §9.1.37',
  decode(buf, start, end, ctx) {
    if (end - start < FREQUENCY_LIST_IE_OCTETS) return fail('too_short');
    const neighbours = neighbourCellDescription(buf, start);
    if (!neighbours.ok) return fail('bad_ie', neighbours.detail);
    const n = neighbours.value;
    const info: SystemInformation5Info = {
      neighbour_arfcns: n.neighbour_arfcns,
      neighbour_arfcns_format: n.neighbour_arfcns_format,
      ext_ind: n.ext_ind,
      ba_ind: n.ba_ind,
    };
    return ok(systemInformationEvent(ctx, 'system_information_5', info));
  },
};
