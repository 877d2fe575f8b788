/**
 * SYSTEM INFORMATION TYPE 13 (3GPP TS 44.018 §9.1.43a), RR message type 0x00, on the BCCH: only SI 13
 * Rest Octets (§10.5.2.37b, CSN.1) — the GPRS configuration of the cell: BCCH change mark and SI change
 * field, RAC, SPGC_CCCH_SUP, PRIORITY_ACCESS_THR, NETWORK_CONTROL_ORDER, GPRS Cell Options and power
 * control parameters (TS 44.060 §12.24, §12.9a), or the PBCCH description, then Rel-99/4/6 additions.
 * A structure that does not fit in the message is a `bad_ie` rejection.
 * Emits a CellInfo event and records it in the cell state.
 */
import { fail, ok } from '@simhound/protocol';
import { Csn1Reader } from '../ie/csn1-reader.js';
import { gprsCellOptions, gprsPowerControlParameters, type GprsCellOptions, type GprsPowerControlParameters } from '../ie/gprs-cell-options.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

/** SI13 fields; the GPRS cell options and power control fields are null when the cell has a PBCCH. */
export type SystemInformation13Info = Si13RestOctets & Nullable<GprsCellOptions> & Nullable<GprsPowerControlParameters>;

type Nullable<T> = { [K in keyof T]: T[K] | null };

interface Si13RestOctets {
  si13_contents: boolean;
  bcch_change_mark: number | null;
  si_change_field: number | null;
  si13_change_mark: number | null;
  /** HSN of the GPRS Mobile Allocation that comes with SI13_CHANGE_MARK; null when absent. */
  gprs_ma_hsn: number | null;
  pbcch_present: boolean;
  psi1_repeat_period: number | null;
  rac: number | null;
  spgc_ccch_sup: boolean | null;
  priority_access_thr: number | null;
  network_control_order: number | null;
  sgsnr: boolean | null;
  si_status_ind: boolean | null;
  lb_ms_txpwr_max_cch: number | null;
  si2n_support: number | null;
}

/** GPRS Mobile Allocation (TS 44.018 §10.5.2.37b / TS 44.060 §12.10a): HSN, RFL list, MA bitmap or ARFCN indexes. */
function gprsMobileAllocationHsn(reader: Csn1Reader): number {
  const hsn = reader.bits(6);
  while (!reader.overrun && reader.flag()) reader.skip(4); // RFL_NUMBER list
  if (reader.flag()) {
    while (!reader.overrun && reader.flag()) reader.skip(6); // ARFCN_INDEX list
  } else {
    reader.skip(reader.bits(6) + 1); // MA_LENGTH + 1 bit MA_BITMAP
  }
  return hsn;
}

function skipPbcchDescription(reader: Csn1Reader): void {
  reader.skip(4 + 3 + 3); // Pb, TSC, TN
  if (reader.flag()) reader.skip(6); // MAIO
  else if (reader.flag()) reader.skip(10); // ARFCN (else: the BCCH carrier)
}

function si13Info(reader: Csn1Reader): SystemInformation13Info {
  let contents = false;
  let bcchChangeMark: number | null = null;
  let siChangeField: number | null = null;
  let si13ChangeMark: number | null = null;
  let hsn: number | null = null;
  let pbcch = false;
  let psi1RepeatPeriod: number | null = null;
  let rac: number | null = null;
  let spgc: boolean | null = null;
  let priorityAccessThr: number | null = null;
  let nco: number | null = null;
  let o: GprsCellOptions | null = null;
  let pc: GprsPowerControlParameters | null = null;
  let sgsnr: boolean | null = null;
  let siStatusInd: boolean | null = null;
  let lbTxpwr: number | null = null;
  let si2n: number | null = null;
  if (reader.high()) {
    contents = true;
    bcchChangeMark = reader.bits(3);
    siChangeField = reader.bits(4);
    if (reader.flag()) {
      si13ChangeMark = reader.bits(2);
      hsn = gprsMobileAllocationHsn(reader);
    }
    if (reader.flag()) {
      pbcch = true;
      psi1RepeatPeriod = reader.bits(4) + 1;
      skipPbcchDescription(reader);
    } else {
      rac = reader.bits(8);
      spgc = reader.flag();
      priorityAccessThr = reader.bits(3);
      nco = reader.bits(2);
      o = gprsCellOptions(reader);
      pc = gprsPowerControlParameters(reader);
    }
    // Release additions start with L|H bits; the message may end (padding) at each of them.
    if (!reader.overrun && reader.high()) {
      sgsnr = reader.flag();
      if (reader.high()) {
        siStatusInd = reader.flag();
        if (reader.high()) {
          lbTxpwr = reader.flag() ? reader.bits(5) : null;
          si2n = reader.bits(2);
        }
      }
    }
  }
  return {
    si13_contents: contents,
    bcch_change_mark: bcchChangeMark,
    si_change_field: siChangeField,
    si13_change_mark: si13ChangeMark,
    gprs_ma_hsn: hsn,
    pbcch_present: pbcch,
    psi1_repeat_period: psi1RepeatPeriod,
    rac,
    spgc_ccch_sup: spgc,
    priority_access_thr: priorityAccessThr,
    network_control_order: nco,
    nmo: o === null ? null : o.nmo,
    t3168_ms: o === null ? null : o.t3168_ms,
    t3192_ms: o === null ? null : o.t3192_ms,
    drx_timer_max_s: o === null ? null : o.drx_timer_max_s,
    access_burst_bits: o === null ? null : o.access_burst_bits,
    control_ack_type: o === null ? null : o.control_ack_type,
    bs_cv_max: o === null ? null : o.bs_cv_max,
    pan_dec: o === null ? null : o.pan_dec,
    pan_inc: o === null ? null : o.pan_inc,
    pan_max: o === null ? null : o.pan_max,
    extension_present: o === null ? null : o.extension_present,
    egprs_supported: o === null ? null : o.egprs_supported,
    egprs_packet_channel_request: o === null ? null : o.egprs_packet_channel_request,
    bep_period: o === null ? null : o.bep_period,
    pfc_feature_mode: o === null ? null : o.pfc_feature_mode,
    dtm_support: o === null ? null : o.dtm_support,
    bss_paging_coordination: o === null ? null : o.bss_paging_coordination,
    ccn_active: o === null ? null : o.ccn_active,
    nw_ext_utbf: o === null ? null : o.nw_ext_utbf,
    multiple_tbf_capability: o === null ? null : o.multiple_tbf_capability,
    ext_utbf_no_data: o === null ? null : o.ext_utbf_no_data,
    dtm_enhancements_capability: o === null ? null : o.dtm_enhancements_capability,
    alpha: pc === null ? null : pc.alpha,
    t_avg_w: pc === null ? null : pc.t_avg_w,
    t_avg_t: pc === null ? null : pc.t_avg_t,
    pc_meas_chan: pc === null ? null : pc.pc_meas_chan,
    n_avg_i: pc === null ? null : pc.n_avg_i,
    sgsnr,
    si_status_ind: siStatusInd,
    lb_ms_txpwr_max_cch: lbTxpwr,
    si2n_support: si2n,
  };
}

export const systemInformation13: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x00,
  name: 'system_information_13',
  clause: 'TS 44.018 §9.1.43a',
  decode(buf, start, end, ctx) {
    if (end - start < 1) return fail('too_short');
    const reader = new Csn1Reader(buf, start, end);
    const info = si13Info(reader);
    if (reader.overrun) return fail('bad_ie', 'SI13 rest octets run past the message');
    return ok(systemInformationEvent(ctx, 'system_information_13', info));
  },
};
