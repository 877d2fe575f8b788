/**
 * Cell Selection Parameters (3GPP TS 44.018 §10.5.2.4, 2 octets, in SYSTEM INFORMATION TYPE 3 and 4):
 * reselection hysteresis, maximum MS power on the CCH, ACS, NECI and the minimum receive level for access.
 * NECI is what the RA → establishment cause mapping (table 9.1.8.1) depends on. Reads 2 octets; no
 * validation beyond the bits.
 */

export interface CellSelectionParameters {
  /** CELL-RESELECT-HYSTERESIS in dB (code × 2, 0..14). */
  cell_reselect_hysteresis_db: number;
  /** MS-TXPWR-MAX-CCH: power control level (0..31, TS 45.005; the dBm value depends on the band). */
  ms_txpwr_max_cch: number;
  /** ACS: additional reselect parameter indication (SI4: use SI7/8 rest octets). */
  acs: boolean;
  /** NECI: new establishment causes supported (half-rate causes of table 9.1.8.1). */
  neci: 0 | 1;
  /** RXLEV-ACCESS-MIN code (0..63, TS 45.008 RXLEV scale). */
  rxlev_access_min: number;
  /** Lower edge of the RXLEV-ACCESS-MIN band in dBm: code n means −111+n ≤ x < −110+n (n = 0: below −110). */
  rxlev_access_min_dbm: number;
}

export function cellSelectionParameters(buf: Uint8Array, at: number): CellSelectionParameters {
  const o1 = buf[at]!;
  const o2 = buf[at + 1]!;
  const rxlev = o2 & 0x3f;
  return {
    cell_reselect_hysteresis_db: (o1 >> 5) * 2,
    ms_txpwr_max_cch: o1 & 0x1f,
    acs: (o2 & 0x80) !== 0,
    neci: ((o2 >> 6) & 1) as 0 | 1,
    rxlev_access_min: rxlev,
    rxlev_access_min_dbm: -111 + rxlev,
  };
}
