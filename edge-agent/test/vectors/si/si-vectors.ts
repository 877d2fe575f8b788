/**
 * Hand-built System Information vectors (TS 44.018 §9.1.31–9.1.43a, IEs of §10.5.2 and TS 24.008
 * §10.5.1.3) for the branches the real capture does not reach: SI2bis, other frequency list formats,
 * SI2ter rest octets with UTRAN/3G parameters, SI3 without GPRS and with power offset/scheduling, SI4
 * with a CBCH and SI4 Rest Octets_S, SI13 with a GPRS mobile allocation / PBCCH / Rel-6 additions / no
 * contents, SI2quater with measurement sections, UTRAN neighbours and E-UTRAN neighbours.
 *
 * Each vector is a 23-octet L2 block plus the values the spec construction fixes (`expected`), so a test
 * can check both tshark agreement and the intended meaning. Test-only.
 */
import { encodeFrequencyList } from '../../../src/gsm/frequency-list-encode.js';
import type { FrequencyListFormat } from '../../../src/gsm/frequency-list.js';
import { BitWriter } from './bit-writer.js';
import { rrBlock } from './gsmtap-pcap.js';

export interface SiVector {
  readonly label: string;
  readonly messageType: number;
  readonly block: Uint8Array;
  /** Fields the construction fixes; the decoded `info` must contain them. */
  readonly expected: Readonly<Record<string, unknown>>;
}

function list(format: FrequencyListFormat, arfcns: number[]): Uint8Array {
  const encoded = encodeFrequencyList(format, arfcns);
  if (!encoded.ok) throw new Error(`vector list ${format}: ${encoded.detail}`);
  return encoded.value;
}

/** LAI octets (TS 24.008 §10.5.1.3) for digit strings. */
export function laiOctets(mcc: string, mnc: string, lac: number): number[] {
  const d = (s: string, i: number) => Number(s[i]);
  const mnc3 = mnc.length === 3 ? d(mnc, 2) : 0x0f;
  return [(d(mcc, 1) << 4) | d(mcc, 0), (mnc3 << 4) | d(mcc, 2), (d(mnc, 1) << 4) | d(mnc, 0), lac >> 8, lac & 0xff];
}

function si1(): SiVector {
  const cells = [1, 2, 3, 62, 100];
  const rest = new BitWriter().hl(false).hl(true).toBytes(1); // no NCH, band indicator 1900
  return {
    label: 'SI1 range 1024, PCS 1900 band indicator',
    messageType: 0x19,
    block: rrBlock(0x19, [...list('range_1024', cells), 0x79, 0x00, 0x00, ...rest], 21),
    expected: { cell_arfcns: cells, cell_arfcns_format: 'range_1024', nch_position: null, band_indicator: 'pcs1900', max_retrans: 2 },
  };
}

function si2(): SiVector {
  const ba = [600, 601, 650, 700];
  const ie = list('range_128', ba);
  ie[0]! |= 0x10; // BA-IND 1
  // Max retrans code 3 (7), Tx-integer 15 (50 slots), not barred, RE 0 (allowed), no classes barred.
  return {
    label: 'SI2 range 128, all NCCs permitted',
    messageType: 0x1a,
    block: rrBlock(0x1a, [...ie, 0xff, 0xfc, 0x00, 0x00], 22),
    expected: { neighbour_arfcns: ba, ext_ind: 0, ba_ind: 1, ncc_permitted: [0, 1, 2, 3, 4, 5, 6, 7], max_retrans: 7, tx_integer_slots: 50, call_reestablishment_allowed: true },
  };
}

function si2bis(): SiVector {
  const ba = [512, 530, 600, 700, 885];
  const ie = list('range_512', ba);
  ie[0]! |= 0x20; // EXT-IND 1
  // Cell barred; ACC octets: 0x04 = EC (class 10) in octet 2, 0x05 = classes 0 and 2 in octet 3.
  return {
    label: 'SI2bis range 512, barred cell, barred classes',
    messageType: 0x02,
    block: rrBlock(0x02, [...ie, 0x4a, 0x04, 0x05, 0x2b], 21),
    expected: { neighbour_arfcns: ba, ext_ind: 1, ba_ind: 0, cell_barred: true, access_classes_barred: [0, 2], emergency_calls_barred: true, max_retrans: 2, tx_integer_slots: 5 },
  };
}

function si2terUtran(): SiVector {
  const ba = [520, 540, 560, 700];
  const ie = list('range_256', ba);
  ie[0]! |= 2 << 5; // MULTIBAND_REPORTING 2
  const rest = new BitWriter()
    .hl(true).bit(1).bit(0).bits(3, 2).bits(3, 3) // MP_CHANGE_MARK, 3G_CHANGE_MARK, index 2, count 3
    .bit(1).bits(2, 0).bits(14, 10563).bit(0) // UTRAN FDD: FDD-ARFCN, no bandwidth
    .bit(0) // no UTRAN TDD
    .bit(0) // no 3G measurement parameters
    .hl(false) // no Rel-5 additions
    .toBytes(4);
  return {
    label: 'SI2ter range 256 + UTRAN FDD frequency',
    messageType: 0x03,
    block: rrBlock(0x03, [...ie, ...rest], 18),
    expected: { neighbour_arfcns: ba, multiband_reporting: 2, mp_change_mark: 1, change_mark_3g: 0, si2ter_index: 2, si2ter_count: 3, utran_fdd_uarfcn: 10563, utran_tdd_uarfcn: null },
  };
}

function si2ter3gMeasurement(): SiVector {
  const ba = [20, 21, 22, 30, 90];
  const ie = list('variable_bitmap', ba);
  ie[0]! |= 0x10; // BA-IND 1
  const rest = new BitWriter()
    .hl(true).bit(0).bit(1).bits(3, 0).bits(3, 0)
    .bit(0).bit(0) // no UTRAN FDD/TDD frequency
    .bit(1).bits(4, 7).bit(1).bits(4, 8).bits(3, 5).bit(0) // Qsearch_I 7, FDD_Qoffset 8, FDD_Qmin 5, no TDD
    .toBytes(4);
  return {
    label: 'SI2ter variable bit map + 3G measurement parameters',
    messageType: 0x03,
    block: rrBlock(0x03, [...ie, ...rest], 0),
    expected: { neighbour_arfcns: ba, neighbour_arfcns_format: 'variable_bitmap', ba_ind: 1, qsearch_i: 7, utran_fdd_uarfcn: null },
  };
}

function si3NoGprs(): SiVector {
  const rest = new BitWriter()
    .hl(false) // no selection parameters
    .hl(true).bits(2, 1) // power offset code 1
    .hl(false).hl(false) // no SI2ter, early classmark sending not allowed
    .hl(true).bits(3, 5) // scheduling WHERE 5
    .hl(false) // no GPRS indicator
    .hl(true) // 3G early classmark sending restriction
    .hl(true).bit(0) // SI2quater on BCCH Norm
    .bit(0) // SI13alt position (only without GPRS indicator)
    .hl(true).bit(1) // SI21 on BCCH Ext
    .toBytes(4);
  const body = [
    0xbe, 0xef, // CI
    ...laiOctets('310', '260', 0x1234),
    0x51, 0x03, 0x00, // CCD: MSCR 0, ATT 1, BS_AG_BLKS_RES 2, CCCH_CONF 1 (combined); CBQ3 0, BS_PA_MFRMS 5; T3212 0
    0xcf, // cell options: DN-IND 1, PWRC 1, DTX may use, RLT 64
    0xff, 0x7f, // cell selection: hysteresis 14 dB, txpwr 31, ACS 0, NECI 1, RXLEV-ACCESS-MIN 63
    0x20, 0x00, 0x00, // RACH: max retrans 1, tx-integer 11 slots
    ...rest,
  ];
  return {
    label: 'SI3 3-digit MNC, combined CCCH, no GPRS',
    messageType: 0x1b,
    block: rrBlock(0x1b, body, 18),
    expected: {
      ci: 0xbeef, mcc: '310', mnc: '260', lac: 0x1234, mscr: 0, att: true, bs_ag_blks_res: 2, ccch_conf: 1, ccch_combined: true, ccch_channels: 1,
      bs_pa_mfrms: 5, t3212_decihours: 0, dn_ind: 1, pwrc: true, uplink_dtx: 'may_use', radio_link_timeout_sacch_blocks: 64,
      cell_reselect_hysteresis_db: 14, ms_txpwr_max_cch: 31, neci: 1, rxlev_access_min: 63, rxlev_access_min_dbm: -48,
      max_retrans: 1, tx_integer_slots: 11, selection_parameters: false, power_offset: 1, si2ter_indicator: false, scheduling_where: 5,
      gprs_indicator: false, early_classmark_3g_restricted: true, si2quater_indicator: true, si2quater_position: 'bcch_norm', si21_indicator: true, si21_position: 'bcch_ext',
    },
  };
}

function si3FourCcch(): SiVector {
  const rest = new BitWriter()
    .hl(true).bit(0).bits(6, 12).bits(3, 7).bits(5, 4) // CBQ 0, reselect offset 24 dB, temporary offset ∞, penalty 100 s
    .hl(false).hl(true).hl(true).hl(false)
    .hl(true).bits(3, 2).bit(1) // GPRS: RA colour 2, SI13 on BCCH Ext
    .hl(false).hl(false).hl(false)
    .toBytes(4);
  const body = [0x00, 0x01, ...laiOctets('001', '01', 1), 0x76, 0x66, 0xff, 0x25, 0x42, 0x00, 0xe4, 0xff, 0xff, ...rest];
  return {
    label: 'SI3 four CCCH, T3212 255, all classes barred',
    messageType: 0x1b,
    block: rrBlock(0x1b, body, 18),
    expected: {
      ci: 1, mcc: '001', mnc: '01', lac: 1, mscr: 0, att: true, bs_ag_blks_res: 6, ccch_conf: 6, ccch_channels: 4, ccch_combined: false, cbq3: 3, bs_pa_mfrms: 8,
      t3212_decihours: 255, uplink_dtx: 'shall_not_use', cell_reselect_offset_db: 24, temporary_offset_db: null, temporary_offset_infinite: true, penalty_time_s: 100,
      gprs_indicator: true, gprs_ra_colour: 2, si13_position: 'bcch_ext', access_classes_barred: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15], emergency_calls_barred: true,
    },
  };
}

function si4Cbch(): SiVector {
  const rest = new BitWriter()
    .hl(false).hl(false) // no selection parameters, no power offset
    .hl(true).bits(3, 3).bit(1) // GPRS indicator: RA colour 3, SI13 on BCCH Ext
    .hl(true) // SI4 Rest Octets_S
    .hl(true).bits(3, 2).bits(3, 1).bit(0) // LSA parameters: PRIO_THR 2, LSA_OFFSET 1, no MCC/MNC
    .hl(true).bits(16, 0x1a2b) // cell identity
    .toBytes(5);
  const body = [
    ...laiOctets('262', '02', 318),
    0x60, 0x49, // cell selection: hysteresis 6 dB, NECI 1, RXLEV-ACCESS-MIN 9
    0xb9, 0x00, 0x00,
    0x64, 0x51, 0x62, 0xd5, // CBCH: SDCCH/8 sub-channel 2, TN 1, TSC 3, ARFCN 725
    ...rest,
  ];
  return {
    label: 'SI4 with CBCH and SI4 Rest Octets_S carrying a cell identity',
    messageType: 0x1c,
    block: rrBlock(0x1c, body, 16),
    expected: {
      mcc: '262', mnc: '02', lac: 318, neci: 1, cbch: { chan_type: 'sdcch8', subchannel: 2, timeslot: 1, tsc: 3, hopping: false, arfcn: 725, maio: null, hsn: null },
      cbch_mobile_allocation_present: false, gprs_indicator: true, gprs_ra_colour: 3, si13_position: 'bcch_ext', si4_rest_octets_s: true, lsa_parameters_present: true, rest_octets_ci: 0x1a2b,
    },
  };
}

function si4CbchMobileAllocation(): SiVector {
  const rest = new BitWriter().hl(false).hl(false).hl(false).hl(false).hl(true).toBytes(1); // … Break Indicator H
  const body = [
    ...laiOctets('262', '02', 318),
    0x60, 0x09, 0xb9, 0x00, 0x00,
    0x64, 0x21, 0x70, 0x45, // CBCH: SDCCH/4 sub-channel 0, TN 1, TSC 3, hopping MAIO 1, HSN 5
    0x72, 0x01, 0x05, // CBCH Mobile Allocation, 1 octet
    ...rest,
  ];
  return {
    label: 'SI4 with hopping CBCH and CBCH Mobile Allocation',
    messageType: 0x1c,
    block: rrBlock(0x1c, body, 19),
    expected: {
      cbch: { chan_type: 'sdcch4', subchannel: 0, timeslot: 1, tsc: 3, hopping: true, arfcn: null, maio: 1, hsn: 5 },
      cbch_mobile_allocation_present: true, gprs_indicator: false, si4_rest_octets_s: false, break_indicator: true, rest_octets_ci: null,
    },
  };
}

function si13MobileAllocation(): SiVector {
  const w = new BitWriter()
    .hl(true).bits(3, 7).bits(4, 2) // BCCH_CHANGE_MARK 7, SI_CHANGE_FIELD 2
    .bit(1).bits(2, 1) // SI13_CHANGE_MARK 1 + GPRS Mobile Allocation:
    .bits(6, 5).bit(1).bits(4, 3).bit(0) // HSN 5, RFL number list {3}
    .bit(0).bits(6, 3).bits(4, 0b1010) // MA_LENGTH 3 → 4-bit MA_BITMAP
    .bit(0) // no PBCCH
    .bits(8, 200).bit(1).bits(3, 3).bits(2, 1) // RAC 200, SPGC_CCCH_SUP, PRIORITY_ACCESS_THR 3, NC1
    // GPRS Cell Options: NMO I, T3168 2000 ms, T3192 500 ms, DRX_TIMER_MAX 2 s, 11-bit access bursts,
    // four access bursts ack, BS_CV_MAX 15, no PAN, extension of 15 bits: EGPRS (BEP_PERIOD 9), PFC, DTM,
    // CCN, multiple TBF, extended UTBF without data.
    .bits(2, 0).bits(3, 3).bits(3, 0).bits(3, 2).bit(1).bit(0).bits(4, 15).bit(0)
    .bit(1).bits(6, 14).bit(1).bit(1).bits(4, 9).bits(9, 0b110101100)
    // Power control: ALPHA 5, T_AVG_W 3, T_AVG_T 4, PC_MEAS_CHAN PDCH, N_AVG_I 6.
    .bits(4, 5).bits(5, 3).bits(5, 4).bit(1).bits(4, 6)
    .hl(true).bit(0) // R99: SGSNR 0
    .hl(true).bit(0) // Rel-4: SI_STATUS_IND 0
    .hl(true).bit(1).bits(5, 4).bits(2, 1).hl(false).bit(0).bit(0); // Rel-6: LB_MS_TXPWR 4, SI2n 1
  return {
    label: 'SI13 with GPRS mobile allocation, EGPRS extension, Rel-6 additions',
    messageType: 0x00,
    block: rrBlock(0x00, w.toBytes(20), 0),
    expected: {
      si13_contents: true, bcch_change_mark: 7, si_change_field: 2, si13_change_mark: 1, gprs_ma_hsn: 5, pbcch_present: false, rac: 200, spgc_ccch_sup: true,
      priority_access_thr: 3, network_control_order: 1, nmo: 1, t3168_ms: 2000, t3192_ms: 500, drx_timer_max_s: 2, access_burst_bits: 11,
      control_ack_type: 'four_access_bursts', bs_cv_max: 15, pan_max: null, egprs_supported: true, egprs_packet_channel_request: true, bep_period: 9,
      alpha: 0.5, t_avg_w: 3, t_avg_t: 4, pc_meas_chan: 'pdch', n_avg_i: 6, sgsnr: false, si_status_ind: false, lb_ms_txpwr_max_cch: 4, si2n_support: 1,
    },
  };
}

function si13Pbcch(): SiVector {
  const w = new BitWriter()
    .hl(true).bits(3, 1).bits(4, 0)
    .bit(0) // no SI13_CHANGE_MARK
    .bit(1).bits(4, 4) // PBCCH present, PSI1_REPEAT_PERIOD 5
    .bits(4, 2).bits(3, 3).bits(3, 4).bit(0).bit(1).bits(10, 100) // Pb, TSC, TN, ARFCN 100
    .hl(false); // no R99 additions
  return {
    label: 'SI13 with PBCCH description',
    messageType: 0x00,
    block: rrBlock(0x00, w.toBytes(20), 0),
    expected: { si13_contents: true, bcch_change_mark: 1, pbcch_present: true, psi1_repeat_period: 5, rac: null, sgsnr: null },
  };
}

function si13Empty(): SiVector {
  return {
    label: 'SI13 without contents',
    messageType: 0x00,
    block: rrBlock(0x00, new BitWriter().hl(false).toBytes(20), 0),
    expected: { si13_contents: false, bcch_change_mark: null },
  };
}

function si2quaterUtranEutran(): SiVector {
  const w = new BitWriter()
    .bit(1).bit(1).bit(0).bits(4, 1).bits(4, 2) // BA_IND 1, 3G_BA_IND 1, MP_CHANGE_MARK 0, index 1, count 2
    .bit(0).bit(0).bit(0).bit(0).bit(0).bit(0).bit(0) // no GSM/GPRS measurement sections, NC, extension
    .bit(1) // 3G Neighbour Cell Description
    .bit(0).bit(0) // no Index_Start_3G, Absolute_Index_Start_EMR
    .bit(1).bit(0) // UTRAN FDD description, no bandwidth
    .bit(1).bit(0).bits(14, 10588).bit(0).bits(5, 1).bits(10, 300) // FDD-ARFCN 10588, one cell (p(1) = 10 bits)
    .bit(0) // end of repeated FDD cells
    .bit(0) // no UTRAN TDD
    .bit(0).bit(0) // no 3G measurement / GPRS 3G measurement parameters
    .hl(true).bit(0).bit(0) // Rel-5
    .hl(true).bit(1) // Rel-6: 3G_CCN_ACTIVE
    .hl(true).bit(0).bit(0) // Rel-7
    .hl(true).bit(1) // Rel-8: Priority and E-UTRAN Parameters Description
    .bit(1).bits(3, 4).bits(4, 9).bits(4, 3).bits(2, 1).bits(2, 2) // serving cell priority: GERAN_PRIORITY 4
    .bit(0) // no 3G priority parameters
    .bit(1).bit(1).bit(1).bit(1) // E-UTRAN parameters: CCN active, start, stop
    .bit(0).bit(0) // no E-UTRAN / GPRS E-UTRAN measurement parameters
    .bit(1) // repeated E-UTRAN neighbour cells:
    .bit(1).bits(16, 6300).bit(1).bits(3, 5) // EARFCN 6300, measurement bandwidth 100 RB
    .bit(1).bits(16, 1300).bit(0) // EARFCN 1300
    .bit(0).bit(1).bits(3, 6).bits(5, 10).bit(0).bit(0) // end of cells; priority 6, THRESH_high 10
    .bit(0) // no more neighbour groups
    .bit(0).bit(0) // no not-allowed cells, no PCID→TA mapping
    .bit(0).bit(0); // no 3G CSG, no E-UTRAN CSG description
  return {
    label: 'SI2quater with a UTRAN FDD and E-UTRAN neighbours',
    messageType: 0x07,
    block: rrBlock(0x07, w.toBytes(20), 1),
    expected: {
      ba_ind: 1, ba_ind_3g: 1, mp_change_mark: 0, si2quater_index: 1, si2quater_count: 2, neighbour_cells_3g_present: true, utran_fdd_uarfcns: [10588],
      additions_rel8_present: true, ccn_active_3g: true, priority_eutran_parameters_present: true, geran_priority: 4, eutran_parameters_present: true,
      eutran_ccn_active: true, eutran_earfcns: [1300, 6300], csg_3g_present: false,
    },
  };
}

function si2quaterFddList(): SiVector {
  const w = new BitWriter()
    .bit(0).bit(1).bit(1).bits(4, 15).bits(4, 15)
    .bit(0).bit(0).bit(0).bit(0).bit(0).bit(0).bit(0)
    .bit(1).bit(0).bit(0) // 3G Neighbour Cell Description
    .bit(1).bit(1).bits(3, 1) // UTRAN FDD description with Bandwidth_FDD 1
    .bit(1).bit(0).bits(14, 10563).bit(1).bits(5, 0) // no cells listed (Indic0 only)
    .bit(1).bit(0).bits(14, 10588).bit(0).bits(5, 1).bits(10, 17) // p(1) = 10 bits
    .bit(1).bit(0).bits(14, 2937).bit(0).bits(5, 2).bits(10, 100).bits(9, 7) // p(2) = 19 bits
    .bit(0).bit(0) // end of FDD cells, no UTRAN TDD
    .bit(1).bits(4, 5).bit(1).bit(1).bits(4, 2).bit(0).bits(2, 1).bits(3, 3).bit(0) // 3G measurement parameters
    .bit(0)
    .hl(false);
  return {
    label: 'SI2quater with three UTRAN FDD carriers (p(0), p(1), p(2) cell fields)',
    messageType: 0x07,
    block: rrBlock(0x07, w.toBytes(20), 1),
    expected: { ba_ind_3g: 1, si2quater_index: 15, si2quater_count: 15, utran_fdd_uarfcns: [10563, 10588, 2937], measurement_parameters_3g_present: true, additions_rel5_present: false },
  };
}

function si2quaterGprsSections(): SiVector {
  const w = new BitWriter()
    .bit(0).bit(0).bit(1).bits(4, 0).bits(4, 0)
    .bit(1).bit(1).bits(2, 1) // Measurement Parameters: REPORT_TYPE 1, SERVING_BAND_REPORTING 1
    .bit(1) // GPRS Real Time Difference: RTD6 with BA_Index_Start_RTD, two RTDs on one frequency
    .bit(1).bit(1).bits(5, 3).bit(0).bits(6, 10).bit(0).bits(6, 11).bit(1).bit(1)
    .bit(0) // no RTD12
    .bit(1).bit(0).bits(6, 17).bits(7, 1).bit(1).bits(6, 20) // GPRS BSIC: 1 + 1 BSICs
    .bit(1).bits(7, 3).bit(1).bit(0).bit(1) // GPRS report priority: 3 cells
    .bit(0) // no GPRS measurement parameters
    .bit(1).bits(2, 2).bit(0) // NC measurement parameters: NC2
    .bit(1).bits(8, 9).bit(1).bits(7, 2).bit(1).bit(1) // extension of 10 bits: CCN support for 2 cells
    .bit(1).bit(1).bits(7, 10).bit(0).bit(0).bit(1) // 3G neighbours: Index_Start_3G 10, UTRAN TDD only:
    .bit(0).bit(1).bit(0).bits(14, 9500).bit(0).bits(5, 1).bits(9, 55).bit(0) // TDD-ARFCN 9500, q(1) = 9 bits
    .bit(1).bits(4, 3).bit(0).bit(0).bit(0) // 3G measurement parameters: Qsearch_I 3
    .bit(0)
    .hl(false); // no Rel-5 additions
  return {
    label: 'SI2quater with GPRS RTD/BSIC/priority sections, NC, CCN extension, UTRAN TDD',
    messageType: 0x07,
    block: rrBlock(0x07, w.toBytes(20), 1),
    expected: {
      measurement_parameters_present: true, gprs_rtd_present: true, gprs_bsic_present: true, gprs_report_priority_present: true, network_control_order: 2,
      extension_information_present: true, ccn_support_cells: 2, utran_tdd_uarfcns: [9500], utran_fdd_uarfcns: [], measurement_parameters_3g_present: true,
      additions_rel5_present: false,
    },
  };
}

/** All hand-built vectors, in a fixed order. */
export function handBuiltSiVectors(): SiVector[] {
  return [
    si1(), si2(), si2bis(), si2terUtran(), si2ter3gMeasurement(), si3NoGprs(), si3FourCcch(), si4Cbch(), si4CbchMobileAllocation(),
    si13MobileAllocation(), si13Pbcch(), si13Empty(), si2quaterUtranEutran(), si2quaterFddList(), si2quaterGprsSections(),
  ];
}
