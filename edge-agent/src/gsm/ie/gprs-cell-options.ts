/**
 * GPRS Cell Options (3GPP TS 44.060 §12.24) and GPRS Power Control Parameters (TS 44.060 §12.9a / TS
 * 44.018 §10.5.2.37b), the CSN.1 structures SI13 carries when the cell has no PBCCH: network mode of
 * operation, TBF timers, access burst format, PAN counters, the length-delimited extension (EGPRS, DTM,
 * CCN …) and the uplink power control parameters. Fields of the extension beyond its announced length
 * are null, not guessed. Reads from a `Csn1Reader`; overrun is reported by the reader, not here.
 */
import type { Csn1Reader } from './csn1-reader.js';

export interface GprsCellOptions {
  /** Network mode of operation I, II or III; null for the reserved code. */
  nmo: 1 | 2 | 3 | null;
  t3168_ms: number;
  t3192_ms: number;
  drx_timer_max_s: number;
  /** Format of PACKET CHANNEL REQUEST access bursts: 8 or 11 bits. */
  access_burst_bits: 8 | 11;
  control_ack_type: 'four_access_bursts' | 'rlc_mac_control_block';
  bs_cv_max: number;
  pan_dec: number | null;
  pan_inc: number | null;
  /** Maximum value of counter N3102 (4..32); null when the PAN fields are absent. */
  pan_max: number | null;
  extension_present: boolean;
  egprs_supported: boolean | null;
  egprs_packet_channel_request: boolean | null;
  bep_period: number | null;
  pfc_feature_mode: boolean | null;
  dtm_support: boolean | null;
  bss_paging_coordination: boolean | null;
  ccn_active: boolean | null;
  nw_ext_utbf: boolean | null;
  multiple_tbf_capability: boolean | null;
  ext_utbf_no_data: boolean | null;
  dtm_enhancements_capability: boolean | null;
}

/** §12.24 T3192 code → ms. */
const T3192_MS = [500, 1000, 1500, 0, 80, 120, 160, 200];
/** §12.24 DRX_TIMER_MAX code → s (0, then powers of two). */
const DRX_TIMER_MAX_S = [0, 1, 2, 4, 8, 16, 32, 64];

export function gprsCellOptions(reader: Csn1Reader): GprsCellOptions {
  const nmoCode = reader.bits(2);
  const t3168 = reader.bits(3);
  const t3192 = reader.bits(3);
  const drx = reader.bits(3);
  const accessBurst = reader.bit();
  const controlAck = reader.bit();
  const bsCvMax = reader.bits(4);
  let panDec: number | null = null;
  let panInc: number | null = null;
  let panMax: number | null = null;
  if (reader.flag()) {
    panDec = reader.bits(3);
    panInc = reader.bits(3);
    panMax = (reader.bits(3) + 1) * 4;
  }
  const options: GprsCellOptions = {
    nmo: nmoCode === 3 ? null : ((nmoCode + 1) as 1 | 2 | 3),
    t3168_ms: (t3168 + 1) * 500,
    t3192_ms: T3192_MS[t3192]!,
    drx_timer_max_s: DRX_TIMER_MAX_S[drx]!,
    access_burst_bits: accessBurst === 1 ? 11 : 8,
    control_ack_type: controlAck === 1 ? 'rlc_mac_control_block' : 'four_access_bursts',
    bs_cv_max: bsCvMax,
    pan_dec: panDec,
    pan_inc: panInc,
    pan_max: panMax,
    extension_present: false,
    egprs_supported: null,
    egprs_packet_channel_request: null,
    bep_period: null,
    pfc_feature_mode: null,
    dtm_support: null,
    bss_paging_coordination: null,
    ccn_active: null,
    nw_ext_utbf: null,
    multiple_tbf_capability: null,
    ext_utbf_no_data: null,
    dtm_enhancements_capability: null,
  };
  if (reader.flag()) {
    options.extension_present = true;
    // Extension Length counts the extension bits minus one; unknown later fields are skipped by length.
    const length = reader.bits(6) + 1;
    const limit = reader.position + length;
    const fits = (width: number): boolean => reader.position + width <= limit;
    if (fits(1)) {
      options.egprs_supported = reader.flag();
      if (options.egprs_supported && fits(5)) {
        options.egprs_packet_channel_request = reader.flag();
        options.bep_period = reader.bits(4);
      }
    }
    if (fits(1)) options.pfc_feature_mode = reader.flag();
    if (fits(1)) options.dtm_support = reader.flag();
    if (fits(1)) options.bss_paging_coordination = reader.flag();
    if (fits(1)) options.ccn_active = reader.flag();
    if (fits(1)) options.nw_ext_utbf = reader.flag();
    if (fits(1)) options.multiple_tbf_capability = reader.flag();
    if (fits(1)) options.ext_utbf_no_data = reader.flag();
    if (fits(1)) options.dtm_enhancements_capability = reader.flag();
    reader.seek(limit);
  }
  return options;
}

export interface GprsPowerControlParameters {
  /** ALPHA: power control parameter α (0.0..1.0). */
  alpha: number;
  t_avg_w: number;
  t_avg_t: number;
  /** Where downlink power control measurements are made. */
  pc_meas_chan: 'bcch' | 'pdch';
  n_avg_i: number;
}

export function gprsPowerControlParameters(reader: Csn1Reader): GprsPowerControlParameters {
  const alphaCode = reader.bits(4);
  return {
    // Codes 0..10 are 0.0..1.0 in steps of 0.1; 11..15 also mean 1.0.
    alpha: Math.min(alphaCode, 10) / 10,
    t_avg_w: reader.bits(5),
    t_avg_t: reader.bits(5),
    pc_meas_chan: reader.bit() === 1 ? 'pdch' : 'bcch',
    n_avg_i: reader.bits(4),
  };
}
