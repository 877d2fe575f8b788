/**
 * SI 2quater Rest Octets (3GPP TS 44.018 §10.5.2.33b), the CSN.1 body of SYSTEM INFORMATION TYPE 2quater:
 * BA/3G BA indicators, change mark, instance index/count, then optional GSM/GPRS measurement sections,
 * the 3G (UTRAN FDD/TDD) neighbour description and, from Rel-8, the priority and E-UTRAN parameters.
 *
 * What it keeps: the header, which sections are present, the UTRAN UARFCNs, the E-UTRAN EARFCNs and a
 * few scalar parameters. Everything else is walked over bit-exactly (every section must be parsed to
 * find the next one) but not kept. It stops after the Rel-8 3G CSG flag: later sections are not needed.
 * A structure that runs past the message is reported through the reader's `overrun` flag.
 */
import type { Csn1Reader } from './csn1-reader.js';

export interface Si2quaterRestOctets {
  ba_ind: 0 | 1;
  ba_ind_3g: 0 | 1;
  mp_change_mark: 0 | 1;
  si2quater_index: number;
  si2quater_count: number;
  measurement_parameters_present: boolean;
  gprs_rtd_present: boolean;
  gprs_bsic_present: boolean;
  gprs_report_priority_present: boolean;
  gprs_measurement_parameters_present: boolean;
  nc_measurement_parameters_present: boolean;
  network_control_order: number | null;
  extension_information_present: boolean;
  /** Number of cells in the CCN Support Description of the extension; null when absent. */
  ccn_support_cells: number | null;
  neighbour_cells_3g_present: boolean;
  /** UTRAN FDD carriers (UARFCN) in message order (their order defines the 3G neighbour indexes). */
  utran_fdd_uarfcns: number[];
  utran_tdd_uarfcns: number[];
  measurement_parameters_3g_present: boolean;
  gprs_measurement_parameters_3g_present: boolean;
  additions_rel5_present: boolean;
  additions_rel6_present: boolean;
  ccn_active_3g: boolean | null;
  additions_rel7_present: boolean;
  additions_rel8_present: boolean;
  priority_eutran_parameters_present: boolean;
  /** GERAN_PRIORITY of the serving cell (0..7); null when the serving cell priority section is absent. */
  geran_priority: number | null;
  priority_3g_present: boolean;
  eutran_parameters_present: boolean;
  eutran_ccn_active: boolean | null;
  /** E-UTRAN neighbour carriers (EARFCN, TS 36.101), ascending, each once. */
  eutran_earfcns: number[];
  csg_3g_present: boolean;
}

/** Table 9.1.54.1: bits of the FDD_CELL_INFORMATION field for NR_OF_FDD_CELLS = n. */
const FDD_CELL_INFO_BITS = [0, 10, 19, 28, 36, 44, 52, 60, 67, 74, 81, 88, 95, 102, 109, 116, 122];
/** Table 9.1.54.1: bits of the TDD_CELL_INFORMATION field for NR_OF_TDD_CELLS = n. */
const TDD_CELL_INFO_BITS = [0, 9, 17, 25, 32, 39, 46, 53, 59, 65, 71, 77, 83, 89, 95, 101, 106, 111, 116, 121, 126];

/** Repeated-structure guard: a `{1 …} ** 0` loop cannot run longer than the message has bits. */
function more(reader: Csn1Reader): boolean {
  return !reader.overrun && reader.flag();
}

function skipRtdStruct(reader: Csn1Reader, rtdBits: number): void {
  // < RTDn Struct > ::= { 0 < RTD : bit (n) > } ** 1
  while (!reader.overrun && reader.bit() === 0) reader.skip(rtdBits);
}

function skipGprsRealTimeDifference(reader: Csn1Reader): void {
  for (const rtdBits of [6, 12]) {
    if (!reader.flag()) continue;
    if (reader.flag()) reader.skip(5); // BA_Index_Start_RTD
    skipRtdStruct(reader, rtdBits);
    while (!reader.overrun && reader.bit() === 0) skipRtdStruct(reader, rtdBits);
  }
}

function skipGprsBsicDescription(reader: Csn1Reader): void {
  if (reader.flag()) reader.skip(5); // BA_Index_Start_BSIC
  reader.skip(6); // BSIC
  const remaining = reader.bits(7);
  reader.skip(remaining * 7); // Frequency_Scrolling + BSIC each
}

function skipGprsMeasurementParameters(reader: Csn1Reader): void {
  reader.skip(3); // REPORT_TYPE, REPORTING_RATE, INVALID_BSIC_REPORTING
  if (reader.flag()) reader.skip(2); // MULTIBAND_REPORTING
  if (reader.flag()) reader.skip(2); // SERVING_BAND_REPORTING
  reader.skip(2); // SCALE_ORD
  for (let band = 0; band < 5; band++) if (reader.flag()) reader.skip(6); // 900/1800/400/1900/850 offset+threshold
}

function readUtranDescription(reader: Csn1Reader, cellInfoBits: readonly number[], out: number[]): void {
  if (reader.flag()) reader.skip(3); // Bandwidth
  while (more(reader)) {
    reader.skip(1); // reserved bit of earlier versions
    out.push(reader.bits(14));
    reader.skip(1); // Indic0
    const cells = reader.bits(5);
    reader.skip(cellInfoBits[cells] ?? 0);
  }
}

function skipEutranReportingBlock(reader: Csn1Reader, firstFieldBits: number): void {
  reader.skip(firstFieldBits);
  if (reader.flag()) reader.skip(6); // REPORTING_THRESHOLD_2
  if (reader.flag()) reader.skip(3); // REPORTING_OFFSET
}

function skipEutranMeasurementParameters(reader: Csn1Reader): void {
  reader.skip(4 + 1 + 2); // Qsearch_C_E-UTRAN_Initial, REP_QUANT, MULTIRAT_REPORTING
  if (reader.flag()) {
    // Reporting by measurement report offsets, then REPORTING_GRANULARITY.
    if (reader.flag()) skipEutranReportingBlock(reader, 6);
    if (reader.flag()) skipEutranReportingBlock(reader, 6);
    reader.skip(1);
  } else {
    if (reader.flag()) skipEutranReportingBlock(reader, 3);
    if (reader.flag()) skipEutranReportingBlock(reader, 3);
  }
}

function skipPcidGroup(reader: Csn1Reader): void {
  while (more(reader)) reader.skip(9); // PCID
  if (reader.flag()) reader.skip(6); // PCID_BITMAP_GROUP
  while (more(reader)) {
    const length = reader.bits(3) + 1;
    reader.skip(length + 1); // PCID_Pattern, PCID_pattern_sense
  }
}

function readEutranParameters(reader: Csn1Reader, info: Si2quaterRestOctets): void {
  info.eutran_ccn_active = reader.flag();
  reader.skip(2); // E-UTRAN_Start, E-UTRAN_Stop
  if (reader.flag()) skipEutranMeasurementParameters(reader);
  if (reader.flag()) {
    // GPRS E-UTRAN Measurement Parameters Description.
    reader.skip(4 + 1 + 2);
    if (reader.flag()) skipEutranReportingBlock(reader, 3);
    if (reader.flag()) skipEutranReportingBlock(reader, 3);
  }
  const earfcns = new Set<number>();
  while (more(reader)) {
    // Repeated E-UTRAN Neighbour Cells.
    while (more(reader)) {
      earfcns.add(reader.bits(16));
      if (reader.flag()) reader.skip(3); // Measurement_Bandwidth
    }
    if (reader.flag()) reader.skip(3); // E-UTRAN_PRIORITY
    reader.skip(5); // THRESH_E-UTRAN_high
    if (reader.flag()) reader.skip(5); // THRESH_E-UTRAN_low
    if (reader.flag()) reader.skip(5); // E-UTRAN_QRXLEVMIN
  }
  while (more(reader)) {
    // Repeated E-UTRAN Not Allowed Cells.
    skipPcidGroup(reader);
    while (more(reader)) reader.skip(3); // E-UTRAN_FREQUENCY_INDEX
  }
  while (more(reader)) {
    // Repeated E-UTRAN PCID to TA mapping.
    while (more(reader)) skipPcidGroup(reader);
  }
  info.eutran_earfcns = [...earfcns].sort((a, b) => a - b);
}

function readPriorityAndEutran(reader: Csn1Reader, info: Si2quaterRestOctets): void {
  if (reader.flag()) {
    info.geran_priority = reader.bits(3);
    reader.skip(4 + 4 + 2 + 2); // THRESH_Priority_Search, THRESH_GSM_low, H_PRIO, T_Reselection
  }
  if (reader.flag()) {
    info.priority_3g_present = true;
    reader.skip(2); // UTRAN_Start, UTRAN_Stop
    if (reader.flag()) reader.skip(3 + 5 + 5); // default priority, threshold, QRXLEVMIN
    while (more(reader)) {
      while (more(reader)) reader.skip(5); // UTRAN_FREQUENCY_INDEX
      if (reader.flag()) reader.skip(3); // UTRAN_PRIORITY
      reader.skip(5); // THRESH_UTRAN_high
      if (reader.flag()) reader.skip(5); // THRESH_UTRAN_low
      if (reader.flag()) reader.skip(5); // UTRAN_QRXLEVMIN
    }
  }
  if (reader.flag()) {
    info.eutran_parameters_present = true;
    readEutranParameters(reader, info);
  }
}

export function si2quaterRestOctets(reader: Csn1Reader): Si2quaterRestOctets {
  const info: Si2quaterRestOctets = {
    ba_ind: reader.bit() as 0 | 1,
    ba_ind_3g: reader.bit() as 0 | 1,
    mp_change_mark: reader.bit() as 0 | 1,
    si2quater_index: reader.bits(4),
    si2quater_count: reader.bits(4),
    measurement_parameters_present: false,
    gprs_rtd_present: false,
    gprs_bsic_present: false,
    gprs_report_priority_present: false,
    gprs_measurement_parameters_present: false,
    nc_measurement_parameters_present: false,
    network_control_order: null,
    extension_information_present: false,
    ccn_support_cells: null,
    neighbour_cells_3g_present: false,
    utran_fdd_uarfcns: [],
    utran_tdd_uarfcns: [],
    measurement_parameters_3g_present: false,
    gprs_measurement_parameters_3g_present: false,
    additions_rel5_present: false,
    additions_rel6_present: false,
    ccn_active_3g: null,
    additions_rel7_present: false,
    additions_rel8_present: false,
    priority_eutran_parameters_present: false,
    geran_priority: null,
    priority_3g_present: false,
    eutran_parameters_present: false,
    eutran_ccn_active: null,
    eutran_earfcns: [],
    csg_3g_present: false,
  };

  if ((info.measurement_parameters_present = reader.flag())) reader.skip(3); // REPORT_TYPE, SERVING_BAND_REPORTING
  if ((info.gprs_rtd_present = reader.flag())) skipGprsRealTimeDifference(reader);
  if ((info.gprs_bsic_present = reader.flag())) skipGprsBsicDescription(reader);
  if ((info.gprs_report_priority_present = reader.flag())) reader.skip(reader.bits(7)); // Number_Cells × REP_PRIORITY
  if ((info.gprs_measurement_parameters_present = reader.flag())) skipGprsMeasurementParameters(reader);
  if ((info.nc_measurement_parameters_present = reader.flag())) {
    info.network_control_order = reader.bits(2);
    if (reader.flag()) reader.skip(9); // NC_NON_DRX_PERIOD, NC_REPORTING_PERIOD_I/T
  }
  if ((info.extension_information_present = reader.flag())) {
    // Length-delimited: anything after the known CCN Support Description is skipped by length.
    const length = reader.bits(8) + 1;
    const limit = reader.position + length;
    if (reader.position + 1 <= limit && reader.flag()) {
      const cells = reader.bits(7);
      info.ccn_support_cells = cells;
      reader.skip(cells);
    }
    reader.seek(limit);
  }
  if ((info.neighbour_cells_3g_present = reader.flag())) {
    if (reader.flag()) reader.skip(7); // Index_Start_3G
    if (reader.flag()) reader.skip(7); // Absolute_Index_Start_EMR
    if (reader.flag()) readUtranDescription(reader, FDD_CELL_INFO_BITS, info.utran_fdd_uarfcns);
    if (reader.flag()) readUtranDescription(reader, TDD_CELL_INFO_BITS, info.utran_tdd_uarfcns);
  }
  if ((info.measurement_parameters_3g_present = reader.flag())) {
    reader.skip(4 + 1); // Qsearch_I, Qsearch_C_Initial
    if (reader.flag()) reader.skip(4 + 1 + 2 + 3); // FDD_Qoffset, FDD_REP_QUANT, FDD_MULTIRAT_REPORTING, FDD_Qmin
    if (reader.flag()) reader.skip(4 + 2); // TDD_Qoffset, TDD_MULTIRAT_REPORTING
  }
  if ((info.gprs_measurement_parameters_3g_present = reader.flag())) {
    reader.skip(4 + 1); // Qsearch_P, 3G_SEARCH_PRIO
    if (reader.flag()) reader.skip(1 + 2); // FDD_REP_QUANT, FDD_MULTIRAT_REPORTING
    if (reader.flag()) reader.skip(3 + 3); // FDD_REPORTING_OFFSET, THRESHOLD
    if (reader.flag()) reader.skip(2); // TDD_MULTIRAT_REPORTING
    if (reader.flag()) reader.skip(3 + 3); // TDD_REPORTING_OFFSET, THRESHOLD
  }
  if (reader.overrun) return info;

  // Release additions: each starts with an L|H bit, and the message may end (padding) at any of them.
  if (!(info.additions_rel5_present = reader.high())) return info;
  if (reader.flag()) reader.skip(3 + 4); // 3G Additional Measurement Parameters: FDD_Qmin_Offset, FDD_RSCPmin
  if (reader.flag() && reader.flag()) reader.skip(6); // Description 2: FDD_REPORTING_THRESHOLD_2
  if (!(info.additions_rel6_present = reader.high())) return info;
  info.ccn_active_3g = reader.flag();
  if (!(info.additions_rel7_present = reader.high())) return info;
  if (reader.flag()) reader.skip(6); // 700 reporting offset + threshold
  if (reader.flag()) reader.skip(6); // 810 reporting offset + threshold
  if (!(info.additions_rel8_present = reader.high())) return info;
  if ((info.priority_eutran_parameters_present = reader.flag())) readPriorityAndEutran(reader, info);
  info.csg_3g_present = reader.flag();
  return info;
}
