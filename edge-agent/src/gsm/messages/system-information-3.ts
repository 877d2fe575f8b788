/**
 * SYSTEM INFORMATION TYPE 3 (3GPP TS 44.018 §9.1.35), RR message type 0x1b, on the BCCH: the cell's
 * identity (Cell Identity TS 24.008 §10.5.1.1 + LAI §10.5.1.3), Control Channel Description (§10.5.2.11:
 * CCCH configuration, BS_AG_BLKS_RES, BS_PA_MFRMS, T3212), Cell Options (§10.5.2.3), Cell Selection
 * Parameters (§10.5.2.4: NECI), RACH Control Parameters (§10.5.2.29) and SI3 Rest Octets (§10.5.2.34:
 * selection parameters, GPRS indicator, where SI2ter/SI2quater/SI13 are).
 * Sets the cell state's identity {mcc, mnc, lac, ci} and NECI, and emits a CellInfo event.
 */
import { fail, ok } from '@simhound/protocol';
import { cellOptionsBcch, type CellOptions } from '../ie/cell-options.js';
import { cellSelectionParameters, type CellSelectionParameters } from '../ie/cell-selection-parameters.js';
import { controlChannelDescription, type ControlChannelDescription } from '../ie/control-channel-description.js';
import { Csn1Reader } from '../ie/csn1-reader.js';
import { locationAreaIdentification, type LocationAreaIdentification } from '../ie/location-area-identification.js';
import { rachControlParameters, type RachControlParameters } from '../ie/rach-control-parameters.js';
import {
  gprsIndicator,
  optionalPowerOffset,
  optionalSelectionParameters,
  type GprsIndicator,
  type OptionalSelectionParameters,
} from '../ie/selection-rest-octets.js';
import { systemInformationEvent } from './system-information-event.js';
import type { L3MessageDecoder } from './types.js';

/** SI3 Rest Octets fields besides the shared selection / power offset / GPRS indicator groups. */
export interface Si3RestOctets extends OptionalSelectionParameters, GprsIndicator {
  power_offset: number | null;
  /** SI2ter is broadcast in this cell. */
  si2ter_indicator: boolean;
  /** Early classmark sending is allowed. */
  early_classmark_sending: boolean;
  /** WHERE: position of the SI scheduling information (0..7); null when absent. */
  scheduling_where: number | null;
  /** 3G Early Classmark Sending Restriction: UTRAN/CDMA2000 classmark must not be sent early. */
  early_classmark_3g_restricted: boolean;
  si2quater_indicator: boolean;
  si2quater_position: 'bcch_norm' | 'bcch_ext' | null;
  si21_indicator: boolean;
  si21_position: 'bcch_norm' | 'bcch_ext' | null;
}

export interface SystemInformation3Info
  extends LocationAreaIdentification, ControlChannelDescription, CellOptions, CellSelectionParameters, RachControlParameters, Si3RestOctets {
  /** Cell identity (CI), 0..65535. */
  ci: number;
}

/** CI 2 + LAI 5 + control channel description 3 + cell options 1 + cell selection 2 + RACH 3. */
const MANDATORY_OCTETS = 16;

function si3RestOctets(reader: Csn1Reader): Si3RestOctets {
  const s = optionalSelectionParameters(reader);
  const power = optionalPowerOffset(reader);
  const si2ter = reader.high();
  const earlyClassmark = reader.high();
  const where = reader.high() ? reader.bits(3) : null;
  const gprs = gprsIndicator(reader);
  const restriction3g = reader.high();
  const si2quater = reader.high();
  const si2quaterPosition = si2quater ? (reader.bit() === 1 ? 'bcch_ext' : 'bcch_norm') : null;
  // Without a GPRS indicator an Iu indicator bit (SI13alt position) precedes the SI21 indicator.
  if (!gprs.gprs_indicator) reader.skip(1);
  const si21 = reader.high();
  const si21Position = si21 ? (reader.bit() === 1 ? 'bcch_ext' : 'bcch_norm') : null;
  return {
    selection_parameters: s.selection_parameters,
    cbq: s.cbq,
    cell_reselect_offset_db: s.cell_reselect_offset_db,
    temporary_offset_db: s.temporary_offset_db,
    temporary_offset_infinite: s.temporary_offset_infinite,
    penalty_time_s: s.penalty_time_s,
    penalty_time_code: s.penalty_time_code,
    power_offset: power.power_offset,
    si2ter_indicator: si2ter,
    early_classmark_sending: earlyClassmark,
    scheduling_where: where,
    gprs_indicator: gprs.gprs_indicator,
    gprs_ra_colour: gprs.gprs_ra_colour,
    si13_position: gprs.si13_position,
    early_classmark_3g_restricted: restriction3g,
    si2quater_indicator: si2quater,
    si2quater_position: si2quaterPosition,
    si21_indicator: si21,
    si21_position: si21Position,
  };
}

export const systemInformation3: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x1b,
  name: 'system_information_3',
  clause: 'TS 44.018 §9.1.35',
  decode(buf, start, end, ctx) {
    if (end - start < MANDATORY_OCTETS) return fail('too_short');
    const ci = (buf[start]! << 8) | buf[start + 1]!;
    const laiResult = locationAreaIdentification(buf, start + 2);
    if (!laiResult.ok) return fail('bad_value', laiResult.detail);
    const lai = laiResult.value;
    const reader = new Csn1Reader(buf, start + MANDATORY_OCTETS, end);
    const r = si3RestOctets(reader);
    if (reader.overrun) return fail('bad_ie', 'SI3 rest octets run past the message');
    const ccd = controlChannelDescription(buf, start + 7);
    const options = cellOptionsBcch(buf[start + 10]!);
    const sel = cellSelectionParameters(buf, start + 11);
    const rach = rachControlParameters(buf, start + 13);
    // One object literal: building it from spreads/merges costs µs per frame in V8.
    const info: SystemInformation3Info = {
      ci,
      mcc: lai.mcc,
      mnc: lai.mnc,
      lac: lai.lac,
      mscr: ccd.mscr,
      att: ccd.att,
      bs_ag_blks_res: ccd.bs_ag_blks_res,
      ccch_conf: ccd.ccch_conf,
      ccch_combined: ccd.ccch_combined,
      ccch_channels: ccd.ccch_channels,
      cbq3: ccd.cbq3,
      bs_pa_mfrms: ccd.bs_pa_mfrms,
      t3212_decihours: ccd.t3212_decihours,
      dn_ind: options.dn_ind,
      pwrc: options.pwrc,
      uplink_dtx: options.uplink_dtx,
      radio_link_timeout_sacch_blocks: options.radio_link_timeout_sacch_blocks,
      cell_reselect_hysteresis_db: sel.cell_reselect_hysteresis_db,
      ms_txpwr_max_cch: sel.ms_txpwr_max_cch,
      acs: sel.acs,
      neci: sel.neci,
      rxlev_access_min: sel.rxlev_access_min,
      rxlev_access_min_dbm: sel.rxlev_access_min_dbm,
      max_retrans: rach.max_retrans,
      tx_integer_slots: rach.tx_integer_slots,
      cell_barred: rach.cell_barred,
      call_reestablishment_allowed: rach.call_reestablishment_allowed,
      access_classes_barred: rach.access_classes_barred,
      emergency_calls_barred: rach.emergency_calls_barred,
      selection_parameters: r.selection_parameters,
      cbq: r.cbq,
      cell_reselect_offset_db: r.cell_reselect_offset_db,
      temporary_offset_db: r.temporary_offset_db,
      temporary_offset_infinite: r.temporary_offset_infinite,
      penalty_time_s: r.penalty_time_s,
      penalty_time_code: r.penalty_time_code,
      power_offset: r.power_offset,
      si2ter_indicator: r.si2ter_indicator,
      early_classmark_sending: r.early_classmark_sending,
      scheduling_where: r.scheduling_where,
      gprs_indicator: r.gprs_indicator,
      gprs_ra_colour: r.gprs_ra_colour,
      si13_position: r.si13_position,
      early_classmark_3g_restricted: r.early_classmark_3g_restricted,
      si2quater_indicator: r.si2quater_indicator,
      si2quater_position: r.si2quater_position,
      si21_indicator: r.si21_indicator,
      si21_position: r.si21_position,
    };
    return ok(systemInformationEvent(ctx, 'system_information_3', info, { lai, ci, neci: sel.neci }));
  },
};
