/**
 * Cell configuration IEs broadcast in System Information (TS 44.018 §10.5.2): Control Channel
 * Description (§10.5.2.11), Cell Options (BCCH) (§10.5.2.3), Cell Selection Parameters (§10.5.2.4,
 * carries NECI), RACH Control Parameters (§10.5.2.29) and Cell Identity (TS 24.008 §10.5.1.1).
 *
 * Values are the spec's codes unless the name carries a unit or says otherwise; defaults are those
 * of an ordinary non-combined GSM cell. It must not decide a cell's configuration.
 */
import { EncodeError, checkRange } from './encode-result.js';

export interface ControlChannelDescription {
  /** MSC release 99 or later. Default true. */
  readonly mscr?: boolean;
  /** IMSI attach/detach required. Default true. */
  readonly att?: boolean;
  /** CCCH blocks reserved for AGCH, 0..7. */
  readonly bs_ag_blks_res: number;
  /**
   * CCCH_CONF code: 0 = 1 CCCH timeslot not combined, 1 = 1 CCCH combined with SDCCH/4, 2 = 2, 4 = 3,
   * 6 = 4 CCCH timeslots (not combined).
   */
  readonly ccch_conf: 0 | 1 | 2 | 4 | 6;
  /** Multiframes between paging blocks of one paging group, 2..9 (coded as value − 2). */
  readonly bs_pa_mfrms: number;
  /** Periodic location update timer T3212 in deci-hours (0 = no periodic updating). */
  readonly t3212_decihours: number;
  /** CBQ3 (Iu mode), 0..3. Default 0. */
  readonly cbq3?: number;
}

export function controlChannelDescriptionValue(ccd: ControlChannelDescription): Uint8Array {
  if (![0, 1, 2, 4, 6].includes(ccd.ccch_conf)) {
    throw new EncodeError('out_of_range', `ccch_conf=${ccd.ccch_conf} is a reserved code`);
  }
  const agBlocks = checkRange('bs_ag_blks_res', ccd.bs_ag_blks_res, 0, 7);
  const mfrms = checkRange('bs_pa_mfrms', ccd.bs_pa_mfrms, 2, 9);
  const cbq3 = checkRange('cbq3', ccd.cbq3 ?? 0, 0, 3);
  return Uint8Array.of(
    ((ccd.mscr ?? true) ? 0x80 : 0) | ((ccd.att ?? true) ? 0x40 : 0) | (agBlocks << 3) | ccd.ccch_conf,
    (cbq3 << 5) | (mfrms - 2),
    checkRange('t3212_decihours', ccd.t3212_decihours, 0, 255),
  );
}

export interface CellOptions {
  readonly pwrc?: boolean;
  /** DTX code 0..3 (1 = MS shall use uplink DTX). Default 2 (MS shall not use DTX). */
  readonly dtx?: number;
  /** RADIO-LINK-TIMEOUT in SACCH blocks, 4..64 in steps of 4. Default 16. */
  readonly radio_link_timeout_blocks?: number;
}

export function cellOptionsValue(options: CellOptions = {}): number {
  const timeout = checkRange('radio_link_timeout_blocks', options.radio_link_timeout_blocks ?? 16, 4, 64);
  if (timeout % 4 !== 0) throw new EncodeError('out_of_range', 'radio_link_timeout_blocks must be a multiple of 4');
  const dtx = checkRange('dtx', options.dtx ?? 2, 0, 3);
  return ((options.pwrc ?? false) ? 0x40 : 0) | (dtx << 4) | (timeout / 4 - 1);
}

export interface CellSelectionParameters {
  /** CELL-RESELECT-HYSTERESIS code 0..7 (×2 dB). Default 2. */
  readonly cell_reselect_hysteresis?: number;
  /** MS-TXPWR-MAX-CCH power control level 0..31. Default 5. */
  readonly ms_txpwr_max_cch?: number;
  /** ACS: additional reselect parameters in SI rest octets. Default false. */
  readonly acs?: boolean;
  /** New establishment causes supported (changes the meaning of RA codes, TS 44.018 table 9.1.8.1). */
  readonly neci: boolean;
  /** RXLEV-ACCESS-MIN code 0..63 (−110 dBm + code). Default 8. */
  readonly rxlev_access_min?: number;
}

export function cellSelectionParametersValue(p: CellSelectionParameters): Uint8Array {
  return Uint8Array.of(
    (checkRange('cell_reselect_hysteresis', p.cell_reselect_hysteresis ?? 2, 0, 7) << 5) |
      checkRange('ms_txpwr_max_cch', p.ms_txpwr_max_cch ?? 5, 0, 31),
    ((p.acs ?? false) ? 0x80 : 0) | (p.neci ? 0x40 : 0) | checkRange('rxlev_access_min', p.rxlev_access_min ?? 8, 0, 63),
  );
}

export interface RachControlParameters {
  /** Maximum retransmissions: 1, 2, 4 or 7. Default 4. */
  readonly max_retrans?: 1 | 2 | 4 | 7;
  /** Tx-integer code 0..15 (slots to spread transmission: 3..50). Default 14 (32 slots). */
  readonly tx_integer?: number;
  readonly cell_barred?: boolean;
  /** Call re-establishment allowed (the RE bit is the inverse). Default false. */
  readonly reestablishment_allowed?: boolean;
  /** Barred access classes as a 16-bit mask: bit n = access class n barred (bit 10 = emergency calls). */
  readonly barred_access_classes?: number;
}

const MAX_RETRANS_CODE: Record<number, number> = { 1: 0, 2: 1, 4: 2, 7: 3 };

export function rachControlParametersValue(p: RachControlParameters = {}): Uint8Array {
  const retrans = MAX_RETRANS_CODE[p.max_retrans ?? 4];
  if (retrans === undefined) throw new EncodeError('out_of_range', `max_retrans=${String(p.max_retrans)} is not 1, 2, 4 or 7`);
  const classes = checkRange('barred_access_classes', p.barred_access_classes ?? 0, 0, 0xffff);
  return Uint8Array.of(
    (retrans << 6) |
      (checkRange('tx_integer', p.tx_integer ?? 14, 0, 15) << 2) |
      ((p.cell_barred ?? false) ? 0x02 : 0) |
      ((p.reestablishment_allowed ?? false) ? 0 : 0x01),
    classes >> 8,
    classes & 0xff,
  );
}

/** Cell Identity value, 2 octets. */
export function cellIdentityValue(ci: number): Uint8Array {
  checkRange('ci', ci, 0, 0xffff);
  return Uint8Array.of(ci >> 8, ci & 0xff);
}
