/**
 * Mobile Identity IE value part (3GPP TS 24.008 §10.5.1.4): IMSI, IMEI, IMEISV as BCD digits, TMSI/P-TMSI
 * as 4 octets, or "No Identity". Returns the identity in the canonical string form the pseudonymiser
 * takes; callers must hash it at once — a raw identity must never be stored or emitted.
 */
import type { IdentityKind } from '../../privacy/sub-ref.js';
import { tmsiToString } from '../../privacy/sub-ref.js';

export type MobileIdentity =
  | { readonly kind: IdentityKind; readonly value: string }
  | { readonly kind: 'none' }
  /** TMGI and other types simhound does not track. */
  | { readonly kind: 'other'; readonly type: number };

export const NO_IDENTITY: MobileIdentity = { kind: 'none' };

const TYPE_NONE = 0;
const TYPE_IMSI = 1;
const TYPE_IMEI = 2;
const TYPE_IMEISV = 3;
const TYPE_TMSI = 4;

const DIGITS = '0123456789';

/**
 * Decode `len` value octets at `buf[start]` (the octets after the IE length). Returns null if the
 * contents are malformed (bad BCD digit, wrong TMSI length, empty value).
 */
export function decodeMobileIdentity(buf: Uint8Array, start: number, len: number): MobileIdentity | null {
  if (len < 1) return null;
  const first = buf[start]!;
  const type = first & 0x07;
  const odd = (first & 0x08) !== 0;
  switch (type) {
    case TYPE_NONE:
      return NO_IDENTITY;
    case TYPE_TMSI: {
      // Octet 3 carries filler 1111 in the digit position; the TMSI is the next 4 octets.
      if (len !== 5) return null;
      const v = ((buf[start + 1]! << 24) >>> 0) + ((buf[start + 2]! << 16) | (buf[start + 3]! << 8) | buf[start + 4]!);
      return { kind: 'tmsi', value: tmsiToString(v) };
    }
    case TYPE_IMSI:
    case TYPE_IMEI:
    case TYPE_IMEISV: {
      let digits = '';
      const d1 = first >> 4;
      if (d1 > 9) return null;
      digits += DIGITS[d1];
      for (let i = 1; i < len; i++) {
        const b = buf[start + i]!;
        const lo = b & 0x0f;
        const hi = b >> 4;
        if (lo > 9) return null;
        digits += DIGITS[lo];
        if (i === len - 1 && !odd) {
          // Even number of digits: the last high nibble is the 1111 filler.
          if (hi !== 0x0f) return null;
        } else {
          if (hi > 9) return null;
          digits += DIGITS[hi];
        }
      }
      const kind: IdentityKind = type === TYPE_IMSI ? 'imsi' : type === TYPE_IMEI ? 'imei' : 'imeisv';
      return { kind, value: digits };
    }
    default:
      return { kind: 'other', type };
  }
}
