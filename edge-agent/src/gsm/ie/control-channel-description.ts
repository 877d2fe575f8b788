/**
 * Control Channel Description (3GPP TS 44.018 §10.5.2.11, 3 octets, in SYSTEM INFORMATION TYPE 3): how
 * the BCCH/CCCH of the cell is organised (CCCH_CONF, BS_AG_BLKS_RES, BS_PA_MFRMS) plus ATT, MSCR, CBQ3 and
 * the periodic location update timer T3212. The paging/AGCH decoders need CCCH_CONF and BS_AG_BLKS_RES
 * to tell which CCCH blocks carry what. Reads exactly 3 octets at `at`; no validation beyond the bits.
 */

export interface ControlChannelDescription {
  /** MSCR: 0 = MSC is Release '98 or older, 1 = Release '99 onwards. */
  mscr: 0 | 1;
  /** ATT: MSs in the cell shall apply IMSI attach and detach. */
  att: boolean;
  /** Blocks of each 51-multiframe reserved for the AGCH (0..7). */
  bs_ag_blks_res: number;
  /** CCCH_CONF code (table 10.5.2.11.1). */
  ccch_conf: number;
  /** CCCH combined with SDCCH/4 on timeslot 0; null for a reserved code. */
  ccch_combined: boolean | null;
  /** Basic physical channels used for CCCH (1..4); null for a reserved code. */
  ccch_channels: number | null;
  /** CBQ3 (Iu mode cell barring qualifier, 0..3). */
  cbq3: number;
  /** BS_PA_MFRMS: 51-multiframes between paging of the same paging group (2..9). */
  bs_pa_mfrms: number;
  /** T3212 periodic location update timer in decihours (6 min); 0 = no periodic updating. */
  t3212_decihours: number;
}

/** Table 10.5.2.11.1: CCCH_CONF → (combined with SDCCH, number of CCCH physical channels). */
function ccchConfiguration(code: number): { combined: boolean | null; channels: number | null } {
  switch (code) {
    case 0b000:
      return { combined: false, channels: 1 };
    case 0b001:
      return { combined: true, channels: 1 };
    case 0b010:
      return { combined: false, channels: 2 };
    case 0b100:
      return { combined: false, channels: 3 };
    case 0b110:
      return { combined: false, channels: 4 };
    default:
      return { combined: null, channels: null };
  }
}

export function controlChannelDescription(buf: Uint8Array, at: number): ControlChannelDescription {
  const o1 = buf[at]!;
  const o2 = buf[at + 1]!;
  const ccch_conf = o1 & 0x07;
  const { combined, channels } = ccchConfiguration(ccch_conf);
  return {
    mscr: ((o1 >> 7) & 1) as 0 | 1,
    att: (o1 & 0x40) !== 0,
    bs_ag_blks_res: (o1 >> 3) & 0x07,
    ccch_conf,
    ccch_combined: combined,
    ccch_channels: channels,
    cbq3: (o2 >> 5) & 0x03,
    // Coded 0..7 for 2..9 multiframes.
    bs_pa_mfrms: (o2 & 0x07) + 2,
    t3212_decihours: buf[at + 2]!,
  };
}
