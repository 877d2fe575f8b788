/**
 * The tshark side of the dedicated-channel and SACCH message tests: compares one decoded event with the
 * PDML tshark made of the same frame and lists every disagreement (empty = they agree). Identities from
 * tshark are pseudonymised with the same keyed HMAC before comparison. tshark does not decode the NT/N
 * rest octets of Notification/NCH; for it only the message type is compared here (the tests check its
 * fields against the vectors' construction).
 */
import type { GsmEvent } from '../../src/gsm/events.js';
import { createSubRefHasher, tmsiToString, type SubRefHasher } from '../../src/privacy/sub-ref.js';
import { arfcnsFromShowname, type PdmlFrame } from '../vectors/si/tshark-pdml.js';

export const ORACLE_SUB_REF: SubRefHasher = createSubRefHasher(Buffer.from('simhound-dedicated-oracle-key-32', 'utf8'));

const CIPHER_ALGORITHMS = ['a5_1', 'a5_2', 'a5_3', 'a5_4', 'a5_5', 'a5_6', 'a5_7', 'reserved'];
const IDENTITY_TYPES: Record<number, string> = { 1: 'imsi', 2: 'imei', 3: 'imeisv', 4: 'tmsi', 5: 'p_tmsi_rai_ptmsi_sig' };

/** Numeric value of a PDML `show` (decimal or 0x-hex). */
function num(show: string): number {
  return show.startsWith('0x') ? parseInt(show.slice(2), 16) : Number(show);
}

class FrameView {
  constructor(readonly frame: PdmlFrame) {}

  /** The single numeric value of `name`, or null when tshark did not show it. */
  one(name: string): number | null {
    const f = this.frame.one(name);
    return f === undefined ? null : num(f.show);
  }

  /** The first occurrence (Classmark 3 repeats some Classmark 2 fields after it). */
  first(name: string): number | null {
    const f = this.frame.all(name)[0];
    return f === undefined ? null : num(f.show);
  }

  all(name: string): number[] {
    return this.frame.all(name).map((f) => num(f.show));
  }

  bool(name: string): boolean | null {
    const v = this.one(name);
    return v === null ? null : v === 1;
  }

  has(name: string): boolean {
    return this.frame.has(name);
  }

  /** sub_refs of every identity tshark shows, sorted. */
  subRefs(subRef: SubRefHasher): string[] {
    const refs: string[] = [];
    for (const f of this.frame.all('e212.imsi')) refs.push(subRef('imsi', f.show));
    for (const f of this.frame.all('gsm_a.imei')) refs.push(subRef('imei', f.show));
    for (const f of this.frame.all('gsm_a.imeisv')) refs.push(subRef('imeisv', f.show));
    for (const f of [...this.frame.all('3gpp.tmsi'), ...this.frame.all('gsm_a.tmsi')]) refs.push(subRef('tmsi', tmsiToString(num(f.show))));
    return refs.sort();
  }

  /** The PLMN of the frame's LAI as tshark shows it (numbers: tshark drops a leading MNC zero). */
  lai(): { mcc: number | null; mnc: number | null; lac: number | null } {
    return { mcc: this.one('e212.lai.mcc'), mnc: this.one('e212.lai.mnc'), lac: this.one('gsm_a.lac') };
  }
}

export function compareDedicatedWithTshark(label: string, event: GsmEvent, frame: PdmlFrame, subRef: SubRefHasher = ORACLE_SUB_REF): string[] {
  const errs: string[] = [];
  const t = new FrameView(frame);
  const eq = (what: string, ours: unknown, theirs: unknown) => {
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) errs.push(`${label}: ${what}: decoder ${JSON.stringify(ours)} ≠ tshark ${JSON.stringify(theirs)}`);
  };
  const lai = (ours: { mcc: string; mnc: string; lac: number }) => {
    const theirs = t.lai();
    eq('LAI', [Number(ours.mcc), Number(ours.mnc), ours.lac], [theirs.mcc, theirs.mnc, theirs.lac]);
  };
  eq('frame number', event.fn, t.one('gsmtap.frame_nr'));
  eq('uplink', event.uplink, t.one('gsmtap.uplink') === 1);
  switch (event.message) {
    case 'notification_nch':
      eq('RR message type', 0x20, t.one('gsm_a.dtap.msg_rr_type'));
      break;
    case 'system_information_5':
    case 'system_information_5bis':
    case 'system_information_5ter': {
      if (event.type !== 'CellInfo') break;
      const info = event.info;
      eq('ARFCN list', info['neighbour_arfcns'], arfcnsFromShowname(frame.one('gsm_a.rr.arfcn_list')?.showname ?? ''));
      eq('BA-IND', info['ba_ind'], t.one('gsm_a.rr.ba_ind'));
      if (event.message === 'system_information_5ter') eq('MULTIBAND_REPORTING', info['multiband_reporting'], t.one('gsm_a.rr.multiband_reporting'));
      else eq('EXT-IND', info['ext_ind'], t.one('gsm_a.rr.ext_ind'));
      break;
    }
    case 'system_information_6': {
      if (event.type !== 'CellInfo') break;
      const i = event.info;
      eq('CI', i['ci'], t.one('gsm_a.bssmap.cell_ci'));
      lai({ mcc: i['mcc'] as string, mnc: i['mnc'] as string, lac: i['lac'] as number });
      eq('PWRC', i['pwrc'], t.bool('gsm_a.rr.pwrc'));
      eq('DTX (SACCH)', i['dtx_code'], t.one('gsm_a.rr.dtx_sacch'));
      eq('radio link timeout', i['radio_link_timeout_sacch_blocks'], ((t.one('gsm_a.rr.radio_link_timeout') ?? -1) + 1) * 4);
      const ncc = t.one('gsm_a.rr.ncc_permitted') ?? 0;
      eq('NCC permitted', i['ncc_permitted'], [0, 1, 2, 3, 4, 5, 6, 7].filter((n) => ((ncc >> n) & 1) === 1));
      eq('PCH and NCH info', i['pch_nch_info'], t.bool('gsm_a.rr.pch_and_nch_info'));
      eq('paging channel restructured', i['paging_channel_restructured'], t.bool('gsm_a.rr.paging_channel_restructuring'));
      eq('NLN (SACCH)', i['nln_sacch'], t.one('gsm_a.rr.nln_sacch'));
      eq('call priority', i['call_priority'], t.one('gsm_a.call_prio'));
      eq('NLN status (SACCH)', i['nln_status_sacch'], t.one('gsm_a.rr.nln_status_sacch'));
      eq('inband notifications', i['inband_notifications'], t.bool('gsm_a.rr.vbs_vgcs_inband_notifications'));
      eq('inband pagings', i['inband_pagings'], t.bool('gsm_a.rr.vbs_vgcs_inband_pagings'));
      eq('DTM', i['dtm_supported'], t.bool('gsm_a.rr.dtm'));
      eq('RAC', i['rac'], t.one('gsm_a.rr.rac'));
      eq('MAX_LAPDm', i['max_lapdm'], t.one('gsm_a.rr.max_lapdm'));
      eq('band indicator', i['band_indicator'], t.one('gsm_a.rr.band_indicator') === 1 ? '1900' : '1800');
      eq('GPRS_MS_TXPWR_MAX_CCH', i['gprs_ms_txpwr_max_cch'], t.one('gsm_a.rr.gprs_ms_txpwr_max_cch'));
      eq('dedicated mode MBMS notification', i['dedicated_mode_mbms_notification'], t.bool('gsm_a.rr.dedicated_mode_mbms_notification_support') ?? false);
      eq('MNCI support', i['mnci_support'], t.bool('gsm_a.rr.mnci_support') ?? false);
      eq('AMR config', i['amr_config'], t.one('gsm_a.rr.amr_config'));
      break;
    }
    case 'authentication_request':
      eq('CKSN', event.cksn, t.one('gsm_a.dtap.ciphering_key_sequence_number'));
      eq('AUTN present', event.umts_autn, t.has('gsm_a.dtap.autn'));
      break;
    case 'authentication_response':
      eq('extended RES present', event.extended_res, t.has('gsm_a.dtap.xres'));
      break;
    case 'ciphering_mode_command': {
      eq('SC', event.start_ciphering, t.bool('gsm_a.rr.SC'));
      const algorithm = t.one('gsm_a.rr.algorithm_identifier');
      eq('algorithm', event.algorithm, algorithm === null ? null : CIPHER_ALGORITHMS[algorithm]);
      eq('CR', event.imeisv_requested, t.bool('gsm_a.rr.CR'));
      break;
    }
    case 'ciphering_mode_complete':
    case 'imsi_detach_indication':
    case 'paging_response':
      eq('identities', event.subs.map((s) => s.sub_ref).sort(), t.subRefs(subRef));
      break;
    case 'tmsi_reallocation_command':
      lai(event.lai);
      eq('identities', event.subs.map((s) => s.sub_ref).sort(), t.subRefs(subRef));
      break;
    case 'location_updating_accept':
      lai(event.lai);
      eq('identities', event.subs.map((s) => s.sub_ref).sort(), t.subRefs(subRef));
      eq('follow-on proceed', event.follow_on_proceed, t.all('gsm_a.dtap.elem_id').includes(0xa1));
      break;
    case 'identity_request':
      eq('identity type', event.identity_type, IDENTITY_TYPES[t.one('gsm_a.dtap.type_of_identity') ?? -1] ?? 'other');
      break;
    case 'location_updating_reject':
    case 'cm_service_reject':
      eq('reject cause', event.reject_cause_code, t.one('gsm_a.dtap.rej_cause'));
      break;
    case 'cm_service_accept':
      eq('MM message type', 0x21, (t.one('gsm_a.dtap.msg_mm_type') ?? 0) & 0x3f);
      break;
    case 'tmsi_reallocation_complete':
      eq('MM message type', 0x1b, (t.one('gsm_a.dtap.msg_mm_type') ?? 0) & 0x3f);
      break;
    case 'channel_release':
      eq('RR cause', event.rr_cause_code, t.one('gsm_a.rr.RRcause'));
      break;
    case 'classmark_change': {
      const c = event.classmark;
      const fb = (name: string) => (t.first(name) === null ? null : t.first(name) === 1);
      eq('revision level', c.revision_level, t.first('gsm_a.MSC_rev'));
      eq('ES IND', c.es_ind, fb('gsm_a.ES_IND'));
      eq('A5/1 (bit 0 = available)', c.a5_1, t.first('gsm_a.A5_1_algorithm_sup') === 0);
      eq('A5/2', c.a5_2, fb('gsm_a.A5_2_algorithm_sup'));
      eq('A5/3', c.a5_3, fb('gsm_a.A5_3_algorithm_sup'));
      eq('RF power capability', c.rf_power_capability, t.first('gsm_a.RF_power_capability'));
      eq('PS capability', c.ps_capability, fb('gsm_a.ps_sup_cap'));
      eq('SS screening', c.ss_screening, t.first('gsm_a.SS_screening_indicator'));
      eq('SM capability', c.sm_capability, fb('gsm_a.SM_cap'));
      eq('VBS', c.vbs, fb('gsm_a.VBS_notification_rec'));
      eq('VGCS', c.vgcs, fb('gsm_a.VGCS_notification_rec'));
      eq('FC', c.fc, fb('gsm_a.FC_frequency_cap'));
      eq('CM3', c.cm3, fb('gsm_a.CM3'));
      eq('LCSVA', c.lcsva_cap, fb('gsm_a.LCS_VA_cap'));
      eq('UCS2', c.ucs2, fb('gsm_a.UCS2_treatment'));
      eq('SoLSA', c.solsa, fb('gsm_a.SoLSA'));
      eq('CMSP', c.cmsp, fb('gsm_a.CMSP'));
      eq('classmark 3 present', event.classmark3_present, t.all('gsm_a.common.elem_id').includes(0x20));
      break;
    }
    case 'cc_setup':
      eq('CC message type', 0x05, (t.one('gsm_a.dtap.msg_cc_type') ?? 0) & 0x3f);
      eq('TI flag (allocated by sender)', 0, t.one('gsm_a.dtap.ti_flag'));
      eq('TI value', event.transaction_id, t.one('gsm_a.dtap.tio'));
      eq('direction', event.call_direction, t.one('gsmtap.uplink') === 1 ? 'mobile_originated' : 'mobile_terminated');
      break;
    default:
      errs.push(`${label}: no tshark comparison for ${event.message}`);
  }
  return errs;
}
