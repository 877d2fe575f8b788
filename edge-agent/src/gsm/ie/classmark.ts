/**
 * Mobile Station Classmark 2 value part (3GPP TS 24.008 §10.5.1.6, 3 octets): revision level, A5
 * algorithms, RF power capability and the feature bits. A handset capability, not an identity. Reads
 * exactly 3 octets at `at`; the caller checks they exist.
 */
import type { Classmark2 } from '../events.js';

export const CLASSMARK_2_OCTETS = 3;

export function classmark2(buf: Uint8Array, at: number): Classmark2 {
  const o1 = buf[at]!;
  const o2 = buf[at + 1]!;
  const o3 = buf[at + 2]!;
  return {
    revision_level: (o1 >> 5) & 0x03,
    es_ind: (o1 & 0x10) !== 0,
    // The A5/1 bit is inverted: 0 means "available".
    a5_1: (o1 & 0x08) === 0,
    a5_2: (o3 & 0x01) !== 0,
    a5_3: (o3 & 0x02) !== 0,
    rf_power_capability: o1 & 0x07,
    ps_capability: (o2 & 0x40) !== 0,
    ss_screening: (o2 >> 4) & 0x03,
    sm_capability: (o2 & 0x08) !== 0,
    vbs: (o2 & 0x04) !== 0,
    vgcs: (o2 & 0x02) !== 0,
    fc: (o2 & 0x01) !== 0,
    cm3: (o3 & 0x80) !== 0,
    lcsva_cap: (o3 & 0x20) !== 0,
    ucs2: (o3 & 0x10) !== 0,
    solsa: (o3 & 0x08) !== 0,
    cmsp: (o3 & 0x04) !== 0,
  };
}
