import { describe, expect, it } from 'vitest';
import {
  type SystemInformation3,
  encodeSystemInformation1,
  encodeSystemInformation3,
  encodeSystemInformation4,
  encodeSystemInformation13,
  GSMTAP_CHANNEL,
} from '../../src/encode/index.js';
import type { PdmlPacket } from './tshark-pdml.js';
import { arfcnList, decodeWithTshark, mncDigits, show, showInt, shows, unwrap } from './tshark-roundtrip.js';

const BCCH = { channel: GSMTAP_CHANNEL.BCCH } as const;

/**
 * tshark 4.0 quirk: it stores BS-PA-MFRMS as the number of multiframes ((code & 7) + 2) in a field whose
 * display mask is 0x07, so it *shows* that number masked to 3 bits (8 → 0, 9 → 1).
 */
function tsharkBsPaMfrms(multiframes: number): string {
  return String(multiframes & 0x07);
}

describe('system information encoders (tshark round trip)', () => {

  it('SI3: cell identity, LAI with 2- and 3-digit MNC, control channel, cell options, selection, RACH, rest octets', async () => {
    const cases: SystemInformation3[] = [
      {
        ci: 11225,
        lai: { mcc: '262', mnc: '02', lac: 318 },
        control_channel: { bs_ag_blks_res: 1, ccch_conf: 0, bs_pa_mfrms: 3, t3212_decihours: 10 },
        cell_options: { pwrc: true, dtx: 1, radio_link_timeout_blocks: 24 },
        cell_selection: { neci: true, cell_reselect_hysteresis: 3, ms_txpwr_max_cch: 0, rxlev_access_min: 9 },
        rach_control: { max_retrans: 4, tx_integer: 14, reestablishment_allowed: false },
        rest_octets: {
          selection_parameters: { cbq: 1, cell_reselect_offset: 40, temporary_offset: 0, penalty_time: 31 },
          si2ter_indicator: true,
          early_classmark_sending: true,
          gprs_indicator: { ra_colour: 6, si13_position: 0 },
          si2quater_position: 1,
        },
      },
      {
        ci: 65535,
        lai: { mcc: '310', mnc: '260', lac: 65534 },
        control_channel: { bs_ag_blks_res: 7, ccch_conf: 1, bs_pa_mfrms: 9, t3212_decihours: 255, mscr: false, att: false },
        cell_selection: { neci: false },
        rach_control: { max_retrans: 7, tx_integer: 0, cell_barred: true, reestablishment_allowed: true, barred_access_classes: 0x0401 },
      },
      {
        ci: 0,
        lai: { mcc: '001', mnc: '001', lac: 1 },
        control_channel: { bs_ag_blks_res: 0, ccch_conf: 6, bs_pa_mfrms: 2, t3212_decihours: 0 },
        cell_selection: { neci: true, acs: true, cell_reselect_hysteresis: 7, ms_txpwr_max_cch: 31, rxlev_access_min: 63 },
        rest_octets: { power_offset: 2, scheduling_where: 5, three_g_early_classmark_sending_restriction: true },
      },
      {
        ci: 4660,
        lai: { mcc: '460', mnc: '00', lac: 0x1234 },
        control_channel: { bs_ag_blks_res: 2, ccch_conf: 2, bs_pa_mfrms: 8, t3212_decihours: 30 },
        cell_selection: { neci: false },
        rest_octets: { gprs_indicator: { ra_colour: 0, si13_position: 1 } },
      },
    ];
    const packets = await decodeWithTshark(cases.map((si) => ({ header: BCCH, block: encodeSystemInformation3(si) })));
    packets.forEach((p, i) => {
      const si = cases[i] as SystemInformation3;
      expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x1b');
      expect(showInt(p, 'gsm_a.rr.l2_pseudo_len')).toBe(18);
      expect(showInt(p, 'gsm_a.bssmap.cell_ci')).toBe(si.ci);
      expect(show(p, 'e212.lai.mcc')).toBe(String(Number(si.lai.mcc)));
      expect(mncDigits(p, 'e212.lai.mnc')).toEqual([si.lai.mnc]);
      expect(showInt(p, 'gsm_a.lac')).toBe(si.lai.lac);
      const cc = si.control_channel;
      expect(showInt(p, 'gsm_a.rr.mscr')).toBe((cc.mscr ?? true) ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.att')).toBe((cc.att ?? true) ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.bs_ag_blks_res')).toBe(cc.bs_ag_blks_res);
      expect(showInt(p, 'gsm_a.rr.ccch_conf')).toBe(cc.ccch_conf);
      expect(show(p, 'gsm_a.rr.bs_pa_mfrms')).toBe(tsharkBsPaMfrms(cc.bs_pa_mfrms));
      expect(showInt(p, 'gsm_a.rr.t3212')).toBe(cc.t3212_decihours);
      expect(showInt(p, 'gsm_a.rr.pwrc')).toBe(si.cell_options?.pwrc ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.dtx_bcch')).toBe(si.cell_options?.dtx ?? 2);
      expect(showInt(p, 'gsm_a.rr.radio_link_timeout')).toBe((si.cell_options?.radio_link_timeout_blocks ?? 16) / 4 - 1);
      const cs = si.cell_selection;
      expect(showInt(p, 'gsm_a.rr.neci')).toBe(cs.neci ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.acs')).toBe(cs.acs ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.cell_reselect_hyst')).toBe(cs.cell_reselect_hysteresis ?? 2);
      expect(showInt(p, 'gsm_a.rr.ms_txpwr_max_cch')).toBe(cs.ms_txpwr_max_cch ?? 5);
      expect(showInt(p, 'gsm_a.rr.rxlev_access_min')).toBe(cs.rxlev_access_min ?? 8);
      const rc = si.rach_control ?? {};
      expect(showInt(p, 'gsm_a.rr.max_retrans')).toBe({ 1: 0, 2: 1, 4: 2, 7: 3 }[rc.max_retrans ?? 4]);
      expect(showInt(p, 'gsm_a.rr.tx_integer')).toBe(rc.tx_integer ?? 14);
      expect(showInt(p, 'gsm_a.rr.cell_barr_access')).toBe(rc.cell_barred ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.re')).toBe(rc.reestablishment_allowed ? 0 : 1);
      expect(showInt(p, 'gsm_a.rr.acc')).toBe(rc.barred_access_classes ?? 0);
      const r = si.rest_octets ?? {};
      expect(showInt(p, 'gsm_a.rr.selection_parameters')).toBe(r.selection_parameters ? 1 : 0);
      if (r.selection_parameters) {
        expect(showInt(p, 'gsm_a.rr.cbq')).toBe(r.selection_parameters.cbq);
        expect(showInt(p, 'gsm_a.rr.cell_reselect_offset')).toBe(r.selection_parameters.cell_reselect_offset);
        expect(showInt(p, 'gsm_a.rr.temporary_offset')).toBe(r.selection_parameters.temporary_offset);
        expect(showInt(p, 'gsm_a.rr.penalty_time')).toBe(r.selection_parameters.penalty_time);
      }
      expect(showInt(p, 'gsm_a.rr.power_offset.present')).toBe(r.power_offset === undefined ? 0 : 1);
      expect(showInt(p, 'gsm_a.rr.system_information_type_2ter')).toBe(r.si2ter_indicator ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.early_classmark_sending')).toBe(r.early_classmark_sending ? 1 : 0);
      expect(showInt(p, 'gsm_a.rr.scheduling_if_and_where')).toBe(r.scheduling_where === undefined ? 0 : 1);
      expect(showInt(p, 'gsm_a.rr.gprs_indicator')).toBe(r.gprs_indicator ? 1 : 0);
      if (r.gprs_indicator) {
        expect(showInt(p, 'gsm_a.rr.gprs_ra_colour')).toBe(r.gprs_indicator.ra_colour);
        expect(showInt(p, 'gsm_a.rr.si13_position')).toBe(r.gprs_indicator.si13_position);
      }
      expect(showInt(p, 'gsm_a.rr.3g_early_classmark_sending_restriction')).toBe(
        r.three_g_early_classmark_sending_restriction ? 1 : 0,
      );
      expect(showInt(p, 'gsm_a.rr.si2quater_indicator')).toBe(r.si2quater_position === undefined ? 0 : 1);
      if (r.si2quater_position !== undefined) expect(showInt(p, 'gsm_a.rr.si2quater_position')).toBe(r.si2quater_position);
    });
  });

  it('SI4: LAI, cell selection (NECI) and RACH control, GPRS indicator in the rest octets', async () => {
    const packets = await decodeWithTshark([
      {
        header: BCCH,
        block: encodeSystemInformation4({
          lai: { mcc: '262', mnc: '02', lac: 318 },
          cell_selection: { neci: false, rxlev_access_min: 9, cell_reselect_hysteresis: 3, ms_txpwr_max_cch: 0 },
          rest_octets: {
            selection_parameters: { cbq: 1, cell_reselect_offset: 40, temporary_offset: 0, penalty_time: 31 },
            gprs_indicator: { ra_colour: 6, si13_position: 0 },
          },
        }),
      },
      {
        header: BCCH,
        block: encodeSystemInformation4({ lai: { mcc: '722', mnc: '310', lac: 9 }, cell_selection: { neci: true }, rach_control: { cell_barred: true } }),
      },
    ]);
    const [a, b] = packets as [PdmlPacket, PdmlPacket];
    expect(show(a, 'gsm_a.dtap.msg_rr_type')).toBe('0x1c');
    expect(show(a, 'e212.lai.mcc')).toBe('262');
    expect(mncDigits(a, 'e212.lai.mnc')).toEqual(['02']);
    expect(showInt(a, 'gsm_a.lac')).toBe(318);
    expect(show(a, 'gsm_a.rr.neci')).toBe('0');
    expect(show(a, 'gsm_a.rr.rxlev_access_min')).toBe('9');
    expect(show(a, 'gsm_a.rr.gprs_ra_colour')).toBe('6');
    expect(show(a, 'gsm_a.rr.penalty_time')).toBe('31');
    expect(show(b, 'e212.lai.mcc')).toBe('722');
    expect(mncDigits(b, 'e212.lai.mnc')).toEqual(['310']);
    expect(show(b, 'gsm_a.rr.neci')).toBe('1');
    expect(show(b, 'gsm_a.rr.cell_barr_access')).toBe('1');
    expect(show(b, 'gsm_a.rr.gprs_indicator')).toBe('0');
  });

  it('SI1: cell allocation, RACH control, NCH position and band indicator', async () => {
    const packets = await decodeWithTshark([
      { header: BCCH, block: encodeSystemInformation1({ cell_allocation: [1, 5, 10, 124], nch_position: 3 }) },
      { header: BCCH, block: encodeSystemInformation1({ cell_allocation: [512, 600, 610], band_indicator: '1900' }) },
    ]);
    const [gsm, pcs] = packets as [PdmlPacket, PdmlPacket];
    expect(show(gsm, 'gsm_a.dtap.msg_rr_type')).toBe('0x19');
    expect(arfcnList(gsm)).toEqual([1, 5, 10, 124]);
    expect(show(gsm, 'gsm_a.rr.nch_position')).toBe('3');
    expect(show(gsm, 'gsm_a.rr.band_indicator')).toBe('0');
    expect(arfcnList(pcs)).toEqual([512, 600, 610]);
    expect(show(pcs, 'gsm_a.rr.nch_position.present')).toBe('0');
    expect(show(pcs, 'gsm_a.rr.band_indicator')).toBe('1');
  });

  it('SI13: minimal valid rest octets (no PBCCH) with RAC, NMO and the R99/Rel-4 additions', async () => {
    const packets = await decodeWithTshark([
      { header: BCCH, block: encodeSystemInformation13({ rac: 1 }) },
      {
        header: BCCH,
        block: encodeSystemInformation13({
          rac: 255,
          bcch_change_mark: 4,
          nmo: 0,
          bs_cv_max: 15,
          pan: { dec: 1, inc: 2, max: 4 },
          alpha: 10,
          sgsnr: true,
          si_status_ind: true,
        }),
      },
    ]);
    const [minimal, full] = packets as [PdmlPacket, PdmlPacket];
    for (const p of packets) {
      expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x00');
      expect(show(p, 'gsm_a.rr.l2_pseudo_len')).toBe('0');
      expect(show(p, 'gsm_a.rr.si13_contents')).toBe('1');
      expect(show(p, 'gsm_a.rr.pbcch')).toBe('0');
    }
    expect(show(minimal, 'gsm_a.rr.rac')).toBe('1');
    expect(show(minimal, 'gsm_a.rr.nmo')).toBe('1');
    expect(show(minimal, 'gsm_a.rr.pan_bits_present')).toBe('0');
    expect(shows(minimal, 'gsm_a.rr.sgsnr')).toEqual([]);
    expect(show(full, 'gsm_a.rr.rac')).toBe('255');
    expect(show(full, 'gsm_a.rr.bcch_change_mark')).toBe('4');
    expect(show(full, 'gsm_a.rr.nmo')).toBe('0');
    expect(show(full, 'gsm_a.rr.bs_cv_max')).toBe('15');
    expect(show(full, 'gsm_a.rr.pan_max')).toBe('4');
    expect(show(full, 'gsm_a.rr.alpha')).toBe('10');
    expect(show(full, 'gsm_a.rr.sgsnr')).toBe('1');
    expect(show(full, 'gsm_a.rr.si_status_ind')).toBe('1');
  });

  it('rejects values outside the IE ranges', () => {
    const base: SystemInformation3 = {
      ci: 1,
      lai: { mcc: '262', mnc: '02', lac: 1 },
      control_channel: { bs_ag_blks_res: 1, ccch_conf: 0, bs_pa_mfrms: 2, t3212_decihours: 0 },
      cell_selection: { neci: true },
    };
    const bad: Partial<SystemInformation3>[] = [
      { ci: 65536 },
      { lai: { mcc: '26', mnc: '02', lac: 1 } },
      { lai: { mcc: '262', mnc: '2', lac: 1 } },
      { lai: { mcc: '262', mnc: '0212', lac: 1 } },
      { lai: { mcc: '262', mnc: '02', lac: 70000 } },
      { control_channel: { ...base.control_channel, bs_pa_mfrms: 10 } },
      { control_channel: { ...base.control_channel, bs_ag_blks_res: 8 } },
      { control_channel: { ...base.control_channel, ccch_conf: 3 as 0 } },
      { cell_selection: { neci: true, rxlev_access_min: 64 } },
      { cell_options: { radio_link_timeout_blocks: 10 } },
    ];
    for (const override of bad) {
      const result = encodeSystemInformation3({ ...base, ...override });
      expect(result.ok, JSON.stringify(override)).toBe(false);
    }
    expect(unwrap(encodeSystemInformation3(base)).length).toBe(23);
  });
});
