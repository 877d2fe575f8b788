/**
 * SYSTEM INFORMATION TYPE 5ter (3GPP TS 44.018 §9.1.39), RR message type 0x06, on the SACCH: the extended
 * (multiband) dedicated-mode BA list (Neighbour Cell Description 2 §10.5.2.22a: MULTIBAND_REPORTING,
 * BA-IND, any frequency list format). No rest octets. Emits a CellInfo event and records it in the cell
 * state.
 */
import { fail, ok } from '@simhound/protocol';
import { FREQUENCY_LIST_IE_OCTETS, neighbourCellDescription2, type NeighbourCellDescription2 } from '../ie/neighbour-cell-description.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

export type SystemInformation5terInfo = NeighbourCellDescription2;

export const systemInformation5ter: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x06,
  name: 'system_information_5ter',
  clause: 'TS 44.018 §9.1.39',
  decode(buf, start, end, ctx) {
    if (end - start < FREQUENCY_LIST_IE_OCTETS) return fail('too_short');
    const neighbours = neighbourCellDescription2(buf, start);
    if (!neighbours.ok) return fail('bad_ie', neighbours.detail);
    const n = neighbours.value;
    const info: SystemInformation5terInfo = {
      neighbour_arfcns: n.neighbour_arfcns,
      neighbour_arfcns_format: n.neighbour_arfcns_format,
      multiband_reporting: n.multiband_reporting,
      ba_ind: n.ba_ind,
    };
    return ok(systemInformationEvent(ctx, 'system_information_5ter', info));
  },
};
