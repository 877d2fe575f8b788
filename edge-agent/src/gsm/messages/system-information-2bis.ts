/**
 * SYSTEM INFORMATION TYPE 2bis (3GPP TS 44.018 §9.1.33), RR message type 0x02, on the BCCH: the part of
 * the neighbour BA list SI2 did not carry (Neighbour Cell Description §10.5.2.22, EXT-IND/BA-IND) and RACH
 * Control Parameters (§10.5.2.29). Its rest octets (§10.5.2.33) are spare padding and are not read.
 * Emits a CellInfo event and records it in the cell state.
 */
import { fail, ok } from '@simhound/protocol';
import { FREQUENCY_LIST_IE_OCTETS, neighbourCellDescription, type NeighbourCellDescription } from '../ie/neighbour-cell-description.js';
import { rachControlParameters, type RachControlParameters } from '../ie/rach-control-parameters.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

export interface SystemInformation2bisInfo extends NeighbourCellDescription, RachControlParameters {}

export const systemInformation2bis: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x02,
  name: 'system_information_2bis',
  clause: 'TS 44.018 §9.1.33',
  decode(buf, start, end, ctx) {
    if (end - start < FREQUENCY_LIST_IE_OCTETS + 3) return fail('too_short');
    const neighbours = neighbourCellDescription(buf, start);
    if (!neighbours.ok) return fail('bad_ie', neighbours.detail);
    const n = neighbours.value;
    const rach = rachControlParameters(buf, start + FREQUENCY_LIST_IE_OCTETS);
    const info: SystemInformation2bisInfo = {
      neighbour_arfcns: n.neighbour_arfcns,
      neighbour_arfcns_format: n.neighbour_arfcns_format,
      ext_ind: n.ext_ind,
      ba_ind: n.ba_ind,
      max_retrans: rach.max_retrans,
      tx_integer_slots: rach.tx_integer_slots,
      cell_barred: rach.cell_barred,
      call_reestablishment_allowed: rach.call_reestablishment_allowed,
      access_classes_barred: rach.access_classes_barred,
      emergency_calls_barred: rach.emergency_calls_barred,
    };
    return ok(systemInformationEvent(ctx, 'system_information_2bis', info));
  },
};
