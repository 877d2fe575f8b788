/**
 * Location Area Identification (3GPP TS 24.008 §10.5.1.3, 5 octets) as carried by SYSTEM INFORMATION
 * TYPE 3 and 4: MCC and MNC as BCD digits (MNC digit 3 = 0xF for a two-digit MNC), then the LAC.
 * MCC/MNC stay digit strings so "02" is not confused with "2". It reads exactly 5 octets at `at` (the
 * caller checks they exist) and rejects non-decimal digits instead of guessing.
 */
import { fail, ok, type Result } from '@simhound/protocol';

export interface LocationAreaIdentification {
  mcc: string;
  mnc: string;
  lac: number;
}

export function locationAreaIdentification(buf: Uint8Array, at: number): Result<LocationAreaIdentification, 'bad_value'> {
  const o1 = buf[at]!;
  const o2 = buf[at + 1]!;
  const o3 = buf[at + 2]!;
  const mcc = [o1 & 0x0f, o1 >> 4, o2 & 0x0f];
  const mnc = [o3 & 0x0f, o3 >> 4];
  const mncDigit3 = o2 >> 4;
  if (mcc.some((d) => d > 9) || mnc.some((d) => d > 9)) return fail('bad_value', 'LAI: MCC/MNC digit not decimal');
  if (mncDigit3 !== 0x0f) {
    if (mncDigit3 > 9) return fail('bad_value', 'LAI: MNC digit 3 not decimal');
    mnc.push(mncDigit3);
  }
  return ok({ mcc: mcc.join(''), mnc: mnc.join(''), lac: (buf[at + 3]! << 8) | buf[at + 4]! });
}
