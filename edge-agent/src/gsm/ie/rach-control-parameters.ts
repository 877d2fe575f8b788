/**
 * RACH Control Parameters (3GPP TS 44.018 §10.5.2.29, 3 octets, in SYSTEM INFORMATION TYPE 1, 2, 2bis,
 * 3 and 4): how MSs may access the cell — retransmissions, spreading, barring, re-establishment and the
 * access control classes barred (TS 22.011). A cell barring access classes is worth noting; a den's SIMs
 * are ordinary classes 0..9. Reads 3 octets; no validation beyond the bits.
 */

export interface RachControlParameters {
  /** Max retrans: maximum number of retransmissions of a CHANNEL REQUEST (1, 2, 4 or 7). */
  max_retrans: number;
  /** Tx-integer: number of RACH slots used to spread transmissions (3..50). */
  tx_integer_slots: number;
  /** CELL_BAR_ACCESS: the cell is barred. */
  cell_barred: boolean;
  /** RE: call re-establishment allowed in the cell (the bit is 0 when allowed). */
  call_reestablishment_allowed: boolean;
  /** Access classes 0..9 and 11..15 whose access is barred, ascending. */
  access_classes_barred: number[];
  /** EC (the AC C10 bit): emergency calls barred except for classes 11..15. */
  emergency_calls_barred: boolean;
}

const MAX_RETRANS = [1, 2, 4, 7];
/** Table 10.5.2.29.1: Tx-integer code → slots. */
const TX_INTEGER_SLOTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 20, 25, 32, 50];

export function rachControlParameters(buf: Uint8Array, at: number): RachControlParameters {
  const o1 = buf[at]!;
  // Octet 2 bit 8 = class 15 … bit 1 = class 8; octet 3 bit 8 = class 7 … bit 1 = class 0.
  const classes = (buf[at + 1]! << 8) | buf[at + 2]!;
  const barred: number[] = [];
  for (let ac = 0; ac <= 15; ac++) if (ac !== 10 && ((classes >> ac) & 1) === 1) barred.push(ac);
  return {
    max_retrans: MAX_RETRANS[o1 >> 6]!,
    tx_integer_slots: TX_INTEGER_SLOTS[(o1 >> 2) & 0x0f]!,
    cell_barred: (o1 & 0x02) !== 0,
    call_reestablishment_allowed: (o1 & 0x01) === 0,
    access_classes_barred: barred,
    emergency_calls_barred: ((classes >> 10) & 1) === 1,
  };
}
