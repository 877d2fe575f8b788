/**
 * SYSTEM INFORMATION TYPE 4 (3GPP TS 44.018 §9.1.36), RR message type 0x1c, on the BCCH: LAI (TS 24.008
 * §10.5.1.3), Cell Selection Parameters (§10.5.2.4: NECI), RACH Control Parameters (§10.5.2.29), the
 * optional CBCH Channel Description (IEI 0x64, §10.5.2.5) and CBCH Mobile Allocation (IEI 0x72,
 * §10.5.2.21), then SI4 Rest Octets (§10.5.2.35: selection parameters, GPRS indicator, optionally a cell
 * identity in SI4 Rest Octets_S).
 *
 * Optional IEs are looked for only inside the L2 pseudo length (`ctx.l2PseudoEnd`): rest octets start
 * where it ends, and their first octet may look like an IEI. SI4 has no CI of its own (unless the rest
 * octets carry one): the cell state keeps the CI learnt from SI3.
 */
import { fail, ok } from '@simhound/protocol';
import type { ChannelDescription } from '../events.js';
import { cellSelectionParameters, type CellSelectionParameters } from '../ie/cell-selection-parameters.js';
import { channelDescription } from '../ie/channel-description.js';
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

export interface Si4RestOctets extends OptionalSelectionParameters, GprsIndicator {
  power_offset: number | null;
  /** SI4 Rest Octets_S present. */
  si4_rest_octets_s: boolean;
  /** Break Indicator (when Rest Octets_S is absent): H = more parameters are sent in SI7/SI8. */
  break_indicator: boolean | null;
  lsa_parameters_present: boolean;
  /** Cell identity from SI4 Rest Octets_S; null when not broadcast there. */
  rest_octets_ci: number | null;
}

export interface SystemInformation4Info extends LocationAreaIdentification, CellSelectionParameters, RachControlParameters, Si4RestOctets {
  /** CBCH channel (SDCCH/4 or SDCCH/8 sub-channel, ARFCN or hopping); null when the cell has no CBCH. */
  cbch: ChannelDescription | null;
  cbch_mobile_allocation_present: boolean;
}

/** LAI 5 + cell selection 2 + RACH 3. */
const MANDATORY_OCTETS = 10;
const IEI_CBCH_CHANNEL_DESCRIPTION = 0x64;
const IEI_CBCH_MOBILE_ALLOCATION = 0x72;

function si4RestOctets(reader: Csn1Reader): Si4RestOctets {
  const s = optionalSelectionParameters(reader);
  const power = optionalPowerOffset(reader);
  const gprs = gprsIndicator(reader);
  const restS = reader.high();
  let breakIndicator: boolean | null = null;
  let lsaParameters = false;
  let ci: number | null = null;
  if (restS) {
    // SI4 Rest Octets_S: LSA parameters, then an optional cell identity.
    lsaParameters = reader.high();
    if (lsaParameters) {
      reader.skip(3 + 3); // PRIO_THR, LSA_OFFSET
      if (reader.flag()) reader.skip(12 + 12); // MCC, MNC
    }
    if (reader.high()) ci = reader.bits(16);
  } else {
    breakIndicator = reader.high();
  }
  return {
    selection_parameters: s.selection_parameters,
    cbq: s.cbq,
    cell_reselect_offset_db: s.cell_reselect_offset_db,
    temporary_offset_db: s.temporary_offset_db,
    temporary_offset_infinite: s.temporary_offset_infinite,
    penalty_time_s: s.penalty_time_s,
    penalty_time_code: s.penalty_time_code,
    power_offset: power.power_offset,
    gprs_indicator: gprs.gprs_indicator,
    gprs_ra_colour: gprs.gprs_ra_colour,
    si13_position: gprs.si13_position,
    si4_rest_octets_s: restS,
    break_indicator: breakIndicator,
    lsa_parameters_present: lsaParameters,
    rest_octets_ci: ci,
  };
}

export const systemInformation4: L3MessageDecoder = {
  protocol: 'rr',
  messageType: 0x1c,
  name: 'system_information_4',
  clause: 'TS 44.018 §9.1.36',
  decode(buf, start, end, ctx) {
    if (end - start < MANDATORY_OCTETS) return fail('too_short');
    const laiResult = locationAreaIdentification(buf, start);
    if (!laiResult.ok) return fail('bad_value', laiResult.detail);
    const lai = laiResult.value;

    let at = start + MANDATORY_OCTETS;
    const ieEnd = Math.min(end, Math.max(at, ctx.l2PseudoEnd));
    let cbch: ChannelDescription | null = null;
    let cbchMobileAllocation = false;
    if (at + 4 <= ieEnd && buf[at] === IEI_CBCH_CHANNEL_DESCRIPTION) {
      cbch = channelDescription(buf, at + 1);
      at += 4;
    }
    if (at + 2 <= ieEnd && buf[at] === IEI_CBCH_MOBILE_ALLOCATION) {
      const length = buf[at + 1]!;
      if (at + 2 + length > ieEnd) return fail('bad_length', 'CBCH Mobile Allocation longer than the message');
      cbchMobileAllocation = true;
      at += 2 + length;
    }
    if (at < ieEnd) return fail('bad_ie', `unexpected IEI 0x${buf[at]!.toString(16)} in SI4`);

    const reader = new Csn1Reader(buf, ieEnd, end);
    const r = si4RestOctets(reader);
    if (reader.overrun) return fail('bad_ie', 'SI4 rest octets run past the message');
    const sel = cellSelectionParameters(buf, start + 5);
    const rach = rachControlParameters(buf, start + 7);
    // One object literal: building it from spreads/merges costs µs per frame in V8.
    const info: SystemInformation4Info = {
      mcc: lai.mcc,
      mnc: lai.mnc,
      lac: lai.lac,
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
      cbch,
      cbch_mobile_allocation_present: cbchMobileAllocation,
      selection_parameters: r.selection_parameters,
      cbq: r.cbq,
      cell_reselect_offset_db: r.cell_reselect_offset_db,
      temporary_offset_db: r.temporary_offset_db,
      temporary_offset_infinite: r.temporary_offset_infinite,
      penalty_time_s: r.penalty_time_s,
      penalty_time_code: r.penalty_time_code,
      power_offset: r.power_offset,
      gprs_indicator: r.gprs_indicator,
      gprs_ra_colour: r.gprs_ra_colour,
      si13_position: r.si13_position,
      si4_rest_octets_s: r.si4_rest_octets_s,
      break_indicator: r.break_indicator,
      lsa_parameters_present: r.lsa_parameters_present,
      rest_octets_ci: r.rest_octets_ci,
    };
    const identity = r.rest_octets_ci === null
      ? { lai, neci: sel.neci }
      : { lai, ci: r.rest_octets_ci, neci: sel.neci };
    return ok(systemInformationEvent(ctx, 'system_information_4', info, identity));
  },
};
