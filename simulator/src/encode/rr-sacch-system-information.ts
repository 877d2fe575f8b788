/**
 * SYSTEM INFORMATION TYPE 5, 5bis, 5ter and 6 (TS 44.018 §9.1.37–§9.1.40), the system information a
 * BTS sends on the SACCH of every busy dedicated channel: the dedicated-mode neighbour lists and the
 * serving cell's identity (SI6: CI, LAI, Cell Options (SACCH) §10.5.2.3a, NCC Permitted, SI6 Rest Octets
 * §10.5.2.35a). Each returns the 19-octet information of a downlink B4 UI frame (L2 pseudo length +
 * message + rest octets); wrap it with `encodeSacchBlock` and the channel's L1 header.
 *
 * Rest-octet options the simulator has no use for are left out (L = absent).
 */
import { EncodeError, checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import { cellIdentityValue } from './cell-parameters.js';
import { type FrequencyListFormat, frequencyListValue } from './frequency-list.js';
import { type LocationAreaId, locationAreaIdValue } from './identity.js';
import { frameSacchSystemInformation } from './l2-framing.js';
import { rrMessage } from './l3-header.js';
import { RR_MESSAGE_TYPE } from './message-types.js';
import { BitWriter } from './writers.js';

export interface SacchNeighbourList {
  /** BCCH ARFCNs the mobile measures in dedicated mode. */
  readonly neighbours: readonly number[];
  readonly neighbours_format?: FrequencyListFormat;
  readonly ba_ind?: boolean;
}

export interface SystemInformation5 extends SacchNeighbourList {
  /** EXT-IND: SI5bis carries the rest of the list. */
  readonly ext_ind?: boolean;
}

export function encodeSystemInformation5(si: SystemInformation5): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_5).bytes(
      frequencyListValue(si.neighbours, { format: si.neighbours_format, ext_ind: si.ext_ind, ba_ind: si.ba_ind }),
    );
    return frameSacchSystemInformation(l3.toBytes());
  });
}

export type SystemInformation5bis = SystemInformation5;

export function encodeSystemInformation5bis(si: SystemInformation5bis): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_5bis).bytes(
      frequencyListValue(si.neighbours, { format: si.neighbours_format, ext_ind: si.ext_ind, ba_ind: si.ba_ind }),
    );
    return frameSacchSystemInformation(l3.toBytes());
  });
}

export interface SystemInformation5ter extends SacchNeighbourList {
  /** MULTIBAND_REPORTING 0..3: cells to report per non-serving band. */
  readonly multiband_reporting?: number;
}

export function encodeSystemInformation5ter(si: SystemInformation5ter): EncodeResult {
  return encodeSafely(() => {
    // Neighbour Cell Description 2 (§10.5.2.22a): the format uses bit 8 only; bits 7–6 are
    // MULTIBAND_REPORTING and bit 5 BA-IND, where the first list format has EXT-IND and BA-IND.
    const list = frequencyListValue(si.neighbours, { format: si.neighbours_format });
    const multiband = checkRange('multiband_reporting', si.multiband_reporting ?? 0, 0, 3);
    list[0] = ((list[0] as number) & 0x8f) | (multiband << 5) | ((si.ba_ind ?? false) ? 0x10 : 0);
    return frameSacchSystemInformation(rrMessage(RR_MESSAGE_TYPE.system_information_5ter).bytes(list).toBytes());
  });
}

/** Cell Options (SACCH), TS 44.018 §10.5.2.3a. */
export interface SacchCellOptions {
  readonly pwrc?: boolean;
  /** DTX (SACCH) code 0..7 (table 10.5.2.3a.2). Default 2 (MS shall not use uplink DTX). */
  readonly dtx_code?: number;
  /** RADIO-LINK-TIMEOUT in SACCH blocks, 4..64 in steps of 4. Default 16. */
  readonly radio_link_timeout_blocks?: number;
}

export function sacchCellOptionsValue(options: SacchCellOptions = {}): number {
  const timeout = checkRange('radio_link_timeout_blocks', options.radio_link_timeout_blocks ?? 16, 4, 64);
  if (timeout % 4 !== 0) throw new EncodeError('out_of_range', 'radio_link_timeout_blocks must be a multiple of 4');
  const dtx = checkRange('dtx_code', options.dtx_code ?? 2, 0, 7);
  return ((dtx & 0x04) << 5) | ((options.pwrc ?? false) ? 0x40 : 0) | ((dtx & 0x03) << 4) | (timeout / 4 - 1);
}

/** SI6 Rest Octets (§10.5.2.35a) the simulator can set; every part omitted is L (absent). */
export interface Si6RestOctets {
  readonly pch_nch_info?: { readonly paging_channel_restructured: boolean; readonly nln_sacch: number; readonly call_priority?: number; readonly nln_status_sacch: 0 | 1 };
  readonly vbs_vgcs_options?: { readonly inband_notifications: boolean; readonly inband_pagings: boolean };
  readonly dtm?: { readonly rac: number; readonly max_lapdm: number };
  readonly band_indicator?: '1800' | '1900';
  readonly gprs_ms_txpwr_max_cch?: number;
  readonly mbms?: { readonly dedicated_mode_mbms_notification: boolean; readonly mnci_support: boolean };
  /** Release 7: AMR configuration 0..15. */
  readonly amr_config?: number;
}

function si6RestOctets(rest: Si6RestOctets): BitWriter {
  const bits = new BitWriter();
  const p = rest.pch_nch_info;
  if (p) {
    bits.lh(true).bit(p.paging_channel_restructured).bitsOf(checkRange('nln_sacch', p.nln_sacch, 0, 3), 2);
    if (p.call_priority !== undefined) bits.bit(1).bitsOf(checkRange('call_priority', p.call_priority, 0, 7), 3);
    else bits.bit(0);
    bits.bit(p.nln_status_sacch);
  } else bits.lh(false);
  const v = rest.vbs_vgcs_options;
  if (v) bits.lh(true).bit(v.inband_notifications).bit(v.inband_pagings);
  else bits.lh(false);
  if (rest.dtm) bits.lh(true).bitsOf(checkRange('rac', rest.dtm.rac, 0, 255), 8).bitsOf(checkRange('max_lapdm', rest.dtm.max_lapdm, 0, 7), 3);
  else bits.lh(false);
  bits.lh(rest.band_indicator === '1900');
  if (rest.gprs_ms_txpwr_max_cch !== undefined) bits.lh(true).bitsOf(checkRange('gprs_ms_txpwr_max_cch', rest.gprs_ms_txpwr_max_cch, 0, 31), 5);
  else bits.lh(false);
  if (rest.mbms) bits.lh(true).bit(rest.mbms.dedicated_mode_mbms_notification).bit(rest.mbms.mnci_support);
  else bits.lh(false);
  if (rest.amr_config !== undefined) bits.lh(true).bit(1).bitsOf(checkRange('amr_config', rest.amr_config, 0, 15), 4);
  return bits;
}

export interface SystemInformation6 {
  readonly ci: number;
  readonly lai: LocationAreaId;
  readonly cell_options?: SacchCellOptions;
  /** NCC permitted bit map: bit n set = NCC n may be reported. Default 0xFF. */
  readonly ncc_permitted?: number;
  readonly rest?: Si6RestOctets;
}

export function encodeSystemInformation6(si: SystemInformation6): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.system_information_6)
      .bytes(cellIdentityValue(si.ci))
      .bytes(locationAreaIdValue(si.lai))
      .u8(sacchCellOptionsValue(si.cell_options))
      .u8(checkRange('ncc_permitted', si.ncc_permitted ?? 0xff, 0, 0xff));
    return frameSacchSystemInformation(l3.toBytes(), si6RestOctets(si.rest ?? {}));
  });
}
