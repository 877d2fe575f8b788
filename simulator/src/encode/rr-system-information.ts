/**
 * SYSTEM INFORMATION TYPE 1, 2, 3, 4 and 13 (TS 44.018 §9.1.31, §9.1.32, §9.1.35, §9.1.36, §9.1.43a)
 * as complete 23-octet BCCH blocks, rest octets included (§10.5.2.32, §10.5.2.34, §10.5.2.35,
 * §10.5.2.37b): what a probe needs to learn a cell's identity (CI, LAI), its CCCH layout, NECI and
 * neighbour list.
 *
 * Rest-octet options the simulator has no use for are left out (they encode as L = absent).
 */
import { checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import {
  type CellOptions,
  type CellSelectionParameters,
  type ControlChannelDescription,
  type RachControlParameters,
  cellIdentityValue,
  cellOptionsValue,
  cellSelectionParametersValue,
  controlChannelDescriptionValue,
  rachControlParametersValue,
} from './cell-parameters.js';
import { type FrequencyListFormat, frequencyListValue } from './frequency-list.js';
import { type LocationAreaId, locationAreaIdValue } from './identity.js';
import { frameCcchBlock } from './l2-framing.js';
import { rrMessage } from './l3-header.js';
import { RR_MESSAGE_TYPE } from './message-types.js';
import { BitWriter } from './writers.js';


export interface SystemInformation1 {
  /** The cell allocation (ARFCNs the cell may use, incl. hopping frequencies). */
  readonly cell_allocation: readonly number[];
  readonly cell_allocation_format?: FrequencyListFormat;
  readonly rach_control?: RachControlParameters;
  /** NCH position code 0..31 (SI1 rest octets); omitted = no NCH. */
  readonly nch_position?: number;
  /** ARFCNs 512–810 are DCS 1800 (default) or PCS 1900. */
  readonly band_indicator?: '1800' | '1900';
}

export function encodeSystemInformation1(si: SystemInformation1): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_1)
      .bytes(frequencyListValue(si.cell_allocation, { format: si.cell_allocation_format }))
      .bytes(rachControlParametersValue(si.rach_control));
    const rest = new BitWriter();
    if (si.nch_position !== undefined) rest.lh(true).bitsOf(checkRange('nch_position', si.nch_position, 0, 31), 5);
    else rest.lh(false);
    rest.lh(si.band_indicator === '1900');
    return frameCcchBlock(l3.toBytes(), rest);
  });
}

export interface SystemInformation2 {
  /** BCCH ARFCNs of the neighbour cells (the BA list). */
  readonly neighbours: readonly number[];
  readonly neighbours_format?: FrequencyListFormat;
  readonly ext_ind?: boolean;
  readonly ba_ind?: boolean;
  /** NCC permitted bit map: bit n set = NCC n may be reported. Default 0xFF. */
  readonly ncc_permitted?: number;
  readonly rach_control?: RachControlParameters;
}

export function encodeSystemInformation2(si: SystemInformation2): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_2)
      .bytes(frequencyListValue(si.neighbours, { format: si.neighbours_format, ext_ind: si.ext_ind, ba_ind: si.ba_ind }))
      .u8(checkRange('ncc_permitted', si.ncc_permitted ?? 0xff, 0, 0xff))
      .bytes(rachControlParametersValue(si.rach_control));
    return frameCcchBlock(l3.toBytes());
  });
}

/** Optional Selection Parameters of the SI3/SI4 rest octets (C2 reselection). */
export interface SelectionParameters {
  readonly cbq: 0 | 1;
  readonly cell_reselect_offset: number;
  readonly temporary_offset: number;
  readonly penalty_time: number;
}

export interface GprsIndicator {
  readonly ra_colour: number;
  /** 0: SI13 on BCCH Norm, 1: on BCCH Ext. */
  readonly si13_position: 0 | 1;
}

export interface Si3RestOctets {
  readonly selection_parameters?: SelectionParameters;
  readonly power_offset?: number;
  readonly si2ter_indicator?: boolean;
  readonly early_classmark_sending?: boolean;
  /** WHERE (scheduling of BCCH messages), 0..7. */
  readonly scheduling_where?: number;
  readonly gprs_indicator?: GprsIndicator;
  readonly three_g_early_classmark_sending_restriction?: boolean;
  /** Present = SI2quater is sent; 0: on BCCH Norm, 1: on BCCH Ext. */
  readonly si2quater_position?: 0 | 1;
}

function writeSelectionParameters(bits: BitWriter, p: SelectionParameters | undefined): void {
  if (!p) {
    bits.lh(false);
    return;
  }
  bits
    .lh(true)
    .bitsOf(checkRange('cbq', p.cbq, 0, 1), 1)
    .bitsOf(checkRange('cell_reselect_offset', p.cell_reselect_offset, 0, 63), 6)
    .bitsOf(checkRange('temporary_offset', p.temporary_offset, 0, 7), 3)
    .bitsOf(checkRange('penalty_time', p.penalty_time, 0, 31), 5);
}

function writeOptional(bits: BitWriter, value: number | undefined, width: number, name: string): void {
  if (value === undefined) bits.lh(false);
  else bits.lh(true).bitsOf(value, width, name);
}

function writeGprsIndicator(bits: BitWriter, g: GprsIndicator | undefined): void {
  if (!g) bits.lh(false);
  else bits.lh(true).bitsOf(checkRange('ra_colour', g.ra_colour, 0, 7), 3).bitsOf(g.si13_position, 1, 'si13_position');
}

function si3RestOctets(r: Si3RestOctets): BitWriter {
  const bits = new BitWriter();
  writeSelectionParameters(bits, r.selection_parameters);
  writeOptional(bits, r.power_offset, 2, 'power_offset');
  bits.lh(r.si2ter_indicator ?? false);
  bits.lh(r.early_classmark_sending ?? false);
  writeOptional(bits, r.scheduling_where, 3, 'scheduling_where');
  writeGprsIndicator(bits, r.gprs_indicator);
  bits.lh(r.three_g_early_classmark_sending_restriction ?? false);
  writeOptional(bits, r.si2quater_position, 1, 'si2quater_position');
  return bits;
}

export interface SystemInformation3 {
  /** Cell identity 0..65535. */
  readonly ci: number;
  readonly lai: LocationAreaId;
  readonly control_channel: ControlChannelDescription;
  readonly cell_options?: CellOptions;
  readonly cell_selection: CellSelectionParameters;
  readonly rach_control?: RachControlParameters;
  readonly rest_octets?: Si3RestOctets;
}

export function encodeSystemInformation3(si: SystemInformation3): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_3)
      .bytes(cellIdentityValue(si.ci))
      .bytes(locationAreaIdValue(si.lai))
      .bytes(controlChannelDescriptionValue(si.control_channel))
      .u8(cellOptionsValue(si.cell_options))
      .bytes(cellSelectionParametersValue(si.cell_selection))
      .bytes(rachControlParametersValue(si.rach_control));
    return frameCcchBlock(l3.toBytes(), si3RestOctets(si.rest_octets ?? {}));
  });
}

export interface Si4RestOctets {
  readonly selection_parameters?: SelectionParameters;
  readonly power_offset?: number;
  readonly gprs_indicator?: GprsIndicator;
}

export interface SystemInformation4 {
  readonly lai: LocationAreaId;
  readonly cell_selection: CellSelectionParameters;
  readonly rach_control?: RachControlParameters;
  readonly rest_octets?: Si4RestOctets;
}

export function encodeSystemInformation4(si: SystemInformation4): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_4)
      .bytes(locationAreaIdValue(si.lai))
      .bytes(cellSelectionParametersValue(si.cell_selection))
      .bytes(rachControlParametersValue(si.rach_control));
    // SI4 rest octets_O; the _S part and the break indicator stay L (absent).
    const rest = new BitWriter();
    const r = si.rest_octets ?? {};
    writeSelectionParameters(rest, r.selection_parameters);
    writeOptional(rest, r.power_offset, 2, 'power_offset');
    writeGprsIndicator(rest, r.gprs_indicator);
    return frameCcchBlock(l3.toBytes(), rest);
  });
}

export interface SystemInformation13 {
  readonly bcch_change_mark?: number;
  readonly si_change_field?: number;
  /** Routing area code 0..255. */
  readonly rac: number;
  readonly spgc_ccch_sup?: boolean;
  /** PRIORITY_ACCESS_THR code 0..7. Default 6 (priority 1..4 allowed). */
  readonly priority_access_thr?: number;
  readonly network_control_order?: number;
  /** Network mode of operation code: 0 = I, 1 = II, 2 = III. Default 1. */
  readonly nmo?: number;
  readonly t3168?: number;
  readonly t3192?: number;
  readonly drx_timer_max?: number;
  readonly access_burst_11bit?: boolean;
  /** CONTROL_ACK_TYPE: true = RLC/MAC control block (default), false = four access bursts. */
  readonly control_ack_rlc_block?: boolean;
  readonly bs_cv_max?: number;
  readonly pan?: { readonly dec: number; readonly inc: number; readonly max: number };
  readonly alpha?: number;
  readonly t_avg_w?: number;
  readonly t_avg_t?: number;
  readonly pc_meas_chan?: 0 | 1;
  readonly n_avg_i?: number;
  /** Present = R99 additions with SGSNR (SGSN is R99 or later). */
  readonly sgsnr?: boolean;
  /** Present (needs `sgsnr`) = Rel-4 additions with SI_STATUS_IND. */
  readonly si_status_ind?: boolean;
}

function si13RestOctets(si: SystemInformation13): BitWriter {
  const bits = new BitWriter()
    .lh(true)
    .bitsOf(checkRange('bcch_change_mark', si.bcch_change_mark ?? 0, 0, 7), 3)
    .bitsOf(checkRange('si_change_field', si.si_change_field ?? 0, 0, 15), 4)
    .bit(0) // no SI13_CHANGE_MARK / GPRS Mobile Allocation
    .bit(0) // PBCCH not present in the cell
    .bitsOf(checkRange('rac', si.rac, 0, 255), 8)
    .bit(si.spgc_ccch_sup ?? false)
    .bitsOf(checkRange('priority_access_thr', si.priority_access_thr ?? 6, 0, 7), 3)
    .bitsOf(checkRange('network_control_order', si.network_control_order ?? 0, 0, 3), 2)
    // GPRS Cell Options (TS 44.060 §12.24)
    .bitsOf(checkRange('nmo', si.nmo ?? 1, 0, 2), 2)
    .bitsOf(checkRange('t3168', si.t3168 ?? 1, 0, 7), 3)
    .bitsOf(checkRange('t3192', si.t3192 ?? 0, 0, 7), 3)
    .bitsOf(checkRange('drx_timer_max', si.drx_timer_max ?? 0, 0, 7), 3)
    .bit(si.access_burst_11bit ?? false)
    .bit(si.control_ack_rlc_block ?? true)
    .bitsOf(checkRange('bs_cv_max', si.bs_cv_max ?? 6, 0, 15), 4);
  if (si.pan) {
    bits.bit(1).bitsOf(si.pan.dec, 3, 'pan_dec').bitsOf(si.pan.inc, 3, 'pan_inc').bitsOf(si.pan.max, 3, 'pan_max');
  } else {
    bits.bit(0);
  }
  bits
    .bit(0) // no GPRS Cell Options extension
    // GPRS Power Control Parameters
    .bitsOf(checkRange('alpha', si.alpha ?? 0, 0, 15), 4)
    .bitsOf(checkRange('t_avg_w', si.t_avg_w ?? 16, 0, 31), 5)
    .bitsOf(checkRange('t_avg_t', si.t_avg_t ?? 5, 0, 31), 5)
    .bitsOf(si.pc_meas_chan ?? 0, 1, 'pc_meas_chan')
    .bitsOf(checkRange('n_avg_i', si.n_avg_i ?? 4, 0, 15), 4);
  if (si.sgsnr === undefined) return bits.lh(false);
  bits.lh(true).bit(si.sgsnr);
  if (si.si_status_ind === undefined) return bits.lh(false);
  return bits.lh(true).bit(si.si_status_ind).lh(false); // no Rel-6 additions
}

export function encodeSystemInformation13(si: SystemInformation13): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_13).toBytes();
    // §9.1.43a: the L2 pseudo length of SI13 is 0 (everything after the message type is rest octets).
    return frameCcchBlock(l3, si13RestOctets(si), 0);
  });
}
