/**
 * SYSTEM INFORMATION TYPE 2ter (3GPP TS 44.018 §9.1.34), RR message type 0x03, on the BCCH: the extended
 * (multiband) neighbour BA list (Neighbour Cell Description 2 §10.5.2.22a: MULTIBAND_REPORTING, BA-IND,
 * any frequency list format) and SI2ter Rest Octets (§10.5.2.33a: change marks, instance index/count,
 * one UTRAN FDD/TDD frequency, 3G measurement parameters). Its L2 pseudo length is not relied on: real
 * BTSs send 0 there. Emits a CellInfo event and records it in the cell state.
 */
import { fail, ok } from '@simhound/protocol';
import { Csn1Reader } from '../ie/csn1-reader.js';
import { FREQUENCY_LIST_IE_OCTETS, neighbourCellDescription2, type NeighbourCellDescription2 } from '../ie/neighbour-cell-description.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

/** SI2ter Rest Octets fields; all null when the rest octets are absent (L). */
export interface Si2terRestOctets {
  mp_change_mark: 0 | 1 | null;
  change_mark_3g: 0 | 1 | null;
  si2ter_index: number | null;
  si2ter_count: number | null;
  utran_fdd_uarfcn: number | null;
  utran_tdd_uarfcn: number | null;
  /** Qsearch_I code of the 3G Measurement Parameters (0..15); null when absent. */
  qsearch_i: number | null;
}

export interface SystemInformation2terInfo extends NeighbourCellDescription2, Si2terRestOctets {}

function si2terRestOctets(reader: Csn1Reader): Si2terRestOctets {
  const rest: Si2terRestOctets = {
    mp_change_mark: null,
    change_mark_3g: null,
    si2ter_index: null,
    si2ter_count: null,
    utran_fdd_uarfcn: null,
    utran_tdd_uarfcn: null,
    qsearch_i: null,
  };
  if (!reader.high()) return rest;
  rest.mp_change_mark = reader.bit() as 0 | 1;
  rest.change_mark_3g = reader.bit() as 0 | 1;
  rest.si2ter_index = reader.bits(3);
  rest.si2ter_count = reader.bits(3);
  if (reader.flag()) {
    reader.skip(2); // bits reserved by earlier versions
    rest.utran_fdd_uarfcn = reader.bits(14);
    if (reader.flag()) reader.skip(3); // Bandwidth_FDD
  }
  if (reader.flag()) {
    reader.skip(2);
    rest.utran_tdd_uarfcn = reader.bits(14);
    if (reader.flag()) reader.skip(3); // Bandwidth_TDD
  }
  if (reader.flag()) {
    rest.qsearch_i = reader.bits(4);
    if (reader.flag()) reader.skip(4 + 3); // FDD_Qoffset, FDD_Qmin
    if (reader.flag()) reader.skip(4); // TDD_Qoffset
  }
  // Rel-5 additions (FDD_Qmin_Offset, FDD_RSCPmin) are not kept.
  return rest;
}

export const systemInformation2ter: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x03,
  name: 'system_information_2ter',
  clause: 'TS 44.018 §9.1.34',
  decode(buf, start, end, ctx) {
    if (end - start < FREQUENCY_LIST_IE_OCTETS) return fail('too_short');
    const neighbours = neighbourCellDescription2(buf, start);
    if (!neighbours.ok) return fail('bad_ie', neighbours.detail);
    const reader = new Csn1Reader(buf, start + FREQUENCY_LIST_IE_OCTETS, end);
    const rest = si2terRestOctets(reader);
    if (reader.overrun) return fail('bad_ie', 'SI2ter rest octets run past the message');
    const n = neighbours.value;
    const info: SystemInformation2terInfo = {
      neighbour_arfcns: n.neighbour_arfcns,
      neighbour_arfcns_format: n.neighbour_arfcns_format,
      multiband_reporting: n.multiband_reporting,
      ba_ind: n.ba_ind,
      mp_change_mark: rest.mp_change_mark,
      change_mark_3g: rest.change_mark_3g,
      si2ter_index: rest.si2ter_index,
      si2ter_count: rest.si2ter_count,
      utran_fdd_uarfcn: rest.utran_fdd_uarfcn,
      utran_tdd_uarfcn: rest.utran_tdd_uarfcn,
      qsearch_i: rest.qsearch_i,
    };
    return ok(systemInformationEvent(ctx, 'system_information_2ter', info));
  },
};
