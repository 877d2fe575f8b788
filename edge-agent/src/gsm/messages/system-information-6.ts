/**
 * SYSTEM INFORMATION TYPE 6 (3GPP TS 44.018 §9.1.40), RR message type 0x1e, on the SACCH of a dedicated
 * channel: the serving cell's identity (Cell Identity TS 24.008 §10.5.1.1, LAI §10.5.1.3), Cell Options
 * (SACCH) §10.5.2.3a, NCC Permitted §10.5.2.27 and SI6 Rest Octets §10.5.2.35a (PCH/NCH info, VBS/VGCS
 * options, DTM support, band indicator, GPRS MS TXPWR MAX CCH, MBMS support, Rel-7 AMR config). A probe
 * following a dedicated channel learns the cell identity from here even without the BCCH.
 * Sets the cell state's identity and emits a CellInfo event.
 */
import { fail, ok } from '@simhound/protocol';
import { cellOptionsSacch, type CellOptionsSacch } from '../ie/cell-options.js';
import { Csn1Reader } from '../ie/csn1-reader.js';
import { locationAreaIdentification, type LocationAreaIdentification } from '../ie/location-area-identification.js';
import { nccPermitted } from '../ie/neighbour-cell-description.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

/** SI6 Rest Octets fields; null (or false for flags) where the rest octets leave them out. */
export interface Si6RestOctets {
  /** PCH and NCH info present. */
  pch_nch_info: boolean;
  paging_channel_restructured: boolean | null;
  nln_sacch: number | null;
  call_priority: number | null;
  nln_status_sacch: 0 | 1 | null;
  /** VBS/VGCS options: notifications / pagings for high-priority calls come on the FACCH. */
  inband_notifications: boolean | null;
  inband_pagings: boolean | null;
  dtm_supported: boolean;
  rac: number | null;
  max_lapdm: number | null;
  /** BAND_INDICATOR: whether ARFCNs 512..810 mean DCS 1800 or PCS 1900. */
  band_indicator: '1800' | '1900';
  gprs_ms_txpwr_max_cch: number | null;
  dedicated_mode_mbms_notification: boolean;
  mnci_support: boolean;
  amr_config: number | null;
}

export interface SystemInformation6Info extends LocationAreaIdentification, CellOptionsSacch, Si6RestOctets {
  ci: number;
  ncc_permitted: number[];
}

/** CI 2 + LAI 5 + cell options 1 + NCC permitted 1. */
const MANDATORY_OCTETS = 9;

function si6RestOctets(reader: Csn1Reader): Si6RestOctets {
  const rest: Si6RestOctets = {
    pch_nch_info: false,
    paging_channel_restructured: null,
    nln_sacch: null,
    call_priority: null,
    nln_status_sacch: null,
    inband_notifications: null,
    inband_pagings: null,
    dtm_supported: false,
    rac: null,
    max_lapdm: null,
    band_indicator: '1800',
    gprs_ms_txpwr_max_cch: null,
    dedicated_mode_mbms_notification: false,
    mnci_support: false,
    amr_config: null,
  };
  if (reader.high()) {
    rest.pch_nch_info = true;
    rest.paging_channel_restructured = reader.bit() === 1;
    rest.nln_sacch = reader.bits(2);
    rest.call_priority = reader.flag() ? reader.bits(3) : null;
    rest.nln_status_sacch = reader.bit() as 0 | 1;
  }
  if (reader.high()) {
    rest.inband_notifications = reader.bit() === 1;
    rest.inband_pagings = reader.bit() === 1;
  }
  if (reader.high()) {
    rest.dtm_supported = true;
    rest.rac = reader.bits(8);
    rest.max_lapdm = reader.bits(3);
  }
  rest.band_indicator = reader.high() ? '1900' : '1800';
  if (reader.high()) rest.gprs_ms_txpwr_max_cch = reader.bits(5);
  if (reader.high()) {
    rest.dedicated_mode_mbms_notification = reader.bit() === 1;
    rest.mnci_support = reader.bit() === 1;
  }
  if (reader.high() && reader.flag()) rest.amr_config = reader.bits(4);
  return rest;
}

export const systemInformation6: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x1e,
  name: 'system_information_6',
  clause: 'TS 44.018 §9.1.40',
  decode(buf, start, end, ctx) {
    if (end - start < MANDATORY_OCTETS) return fail('too_short');
    const lai = locationAreaIdentification(buf, start + 2);
    if (!lai.ok) return lai;
    const ci = (buf[start]! << 8) | buf[start + 1]!;
    const options = cellOptionsSacch(buf[start + 7]!);
    const restStart = Math.max(start + MANDATORY_OCTETS, ctx.l2PseudoEnd);
    const reader = new Csn1Reader(buf, restStart, end);
    const rest = si6RestOctets(reader);
    if (reader.overrun) return fail('bad_ie', 'SI6 rest octets run past the message');
    const info: SystemInformation6Info = {
      ci,
      mcc: lai.value.mcc,
      mnc: lai.value.mnc,
      lac: lai.value.lac,
      pwrc: options.pwrc,
      dtx_code: options.dtx_code,
      radio_link_timeout_sacch_blocks: options.radio_link_timeout_sacch_blocks,
      ncc_permitted: nccPermitted(buf[start + 8]!),
      pch_nch_info: rest.pch_nch_info,
      paging_channel_restructured: rest.paging_channel_restructured,
      nln_sacch: rest.nln_sacch,
      call_priority: rest.call_priority,
      nln_status_sacch: rest.nln_status_sacch,
      inband_notifications: rest.inband_notifications,
      inband_pagings: rest.inband_pagings,
      dtm_supported: rest.dtm_supported,
      rac: rest.rac,
      max_lapdm: rest.max_lapdm,
      band_indicator: rest.band_indicator,
      gprs_ms_txpwr_max_cch: rest.gprs_ms_txpwr_max_cch,
      dedicated_mode_mbms_notification: rest.dedicated_mode_mbms_notification,
      mnci_support: rest.mnci_support,
      amr_config: rest.amr_config,
    };
    return ok(systemInformationEvent(ctx, 'system_information_6', info, { lai: lai.value, ci }));
  },
};
