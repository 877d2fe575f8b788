/**
 * Cell Options (BCCH) (3GPP TS 44.018 §10.5.2.3, 1 octet, in SYSTEM INFORMATION TYPE 3): DN-IND, power
 * control indicator, uplink DTX rule and the radio link timeout; Cell Options (SACCH) (§10.5.2.3a, in
 * SYSTEM INFORMATION TYPE 6) likewise. Each reads one octet; no validation.
 */

export type UplinkDtx = 'may_use' | 'shall_use' | 'shall_not_use' | 'reserved';

export interface CellOptions {
  /** DN-IND: dynamic ARFCN mapping indicator (0/1). */
  dn_ind: 0 | 1;
  /** PWRC: power control indicator (BCCH excluded from downlink power measurements when set). */
  pwrc: boolean;
  /** DTX (BCCH), table 10.5.2.3.1: whether MSs may/shall/shall not use uplink DTX. */
  uplink_dtx: UplinkDtx;
  /** RADIO-LINK-TIMEOUT: value of the MS's radio link counter, 4..64 SACCH blocks. */
  radio_link_timeout_sacch_blocks: number;
}

const DTX: readonly UplinkDtx[] = ['may_use', 'shall_use', 'shall_not_use', 'reserved'];

export function cellOptionsBcch(octet: number): CellOptions {
  return {
    dn_ind: ((octet >> 7) & 1) as 0 | 1,
    pwrc: (octet & 0x40) !== 0,
    uplink_dtx: DTX[(octet >> 4) & 0x03]!,
    radio_link_timeout_sacch_blocks: ((octet & 0x0f) + 1) * 4,
  };
}

export interface CellOptionsSacch {
  pwrc: boolean;
  /** DTX (SACCH) code, table 10.5.2.3a.2 (bits 8, 6, 5): uplink DTX rules for TCH/F and TCH/H. */
  dtx_code: number;
  radio_link_timeout_sacch_blocks: number;
}

/** Cell Options (SACCH) (§10.5.2.3a, SI6): as BCCH but with a 3-bit DTX field split around PWRC. */
export function cellOptionsSacch(octet: number): CellOptionsSacch {
  return {
    pwrc: (octet & 0x40) !== 0,
    dtx_code: ((octet >> 5) & 0x04) | ((octet >> 4) & 0x03),
    radio_link_timeout_sacch_blocks: ((octet & 0x0f) + 1) * 4,
  };
}
