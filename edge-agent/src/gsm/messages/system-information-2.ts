/**
 * SYSTEM INFORMATION TYPE 2 (3GPP TS 44.018 §9.1.32), RR message type 0x1a, on the BCCH: the BCCH
 * allocation of neighbour cells (Neighbour Cell Description §10.5.2.22 with EXT-IND/BA-IND, any frequency
 * list format), NCC Permitted (§10.5.2.27) and RACH Control Parameters (§10.5.2.29). No rest octets.
 * Emits a CellInfo event and records it in the cell state.
 */
import { fail, ok } from '@simhound/protocol';
import { FREQUENCY_LIST_IE_OCTETS, nccPermitted, neighbourCellDescription, type NeighbourCellDescription } from '../ie/neighbour-cell-description.js';
import { rachControlParameters, type RachControlParameters } from '../ie/rach-control-parameters.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

export interface SystemInformation2Info extends NeighbourCellDescription, RachControlParameters {
  /** NCCs whose cells the MS may report, ascending. */
  ncc_permitted: number[];
}

export const systemInformation2: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x1a,
  name: 'system_information_2',
  clause: 'TS 44.018 §9.1.32',
  decode(buf, start, end, ctx) {
    if (end - start < FREQUENCY_LIST_IE_OCTETS + 4) return fail('too_short');
    const neighbours = neighbourCellDescription(buf, start);
    if (!neighbours.ok) return fail('bad_ie', neighbours.detail);
    const n = neighbours.value;
    const rach = rachControlParameters(buf, start + FREQUENCY_LIST_IE_OCTETS + 1);
    const info: SystemInformation2Info = {
      neighbour_arfcns: n.neighbour_arfcns,
      neighbour_arfcns_format: n.neighbour_arfcns_format,
      ext_ind: n.ext_ind,
      ba_ind: n.ba_ind,
      ncc_permitted: nccPermitted(buf[start + FREQUENCY_LIST_IE_OCTETS]!),
      max_retrans: rach.max_retrans,
      tx_integer_slots: rach.tx_integer_slots,
      cell_barred: rach.cell_barred,
      call_reestablishment_allowed: rach.call_reestablishment_allowed,
      access_classes_barred: rach.access_classes_barred,
      emergency_calls_barred: rach.emergency_calls_barred,
    };
    return ok(systemInformationEvent(ctx, 'system_information_2', info));
  },
};
