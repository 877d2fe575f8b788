/**
 * Subscriber and location identities as they appear inside L3 messages:
 *  - Mobile Identity (TS 24.008 §10.5.1.4): IMSI, IMEI, IMEISV (BCD digits), TMSI/P-TMSI (4 octets),
 *    "no identity";
 *  - Location Area Identification (TS 24.008 §10.5.1.3) with 2- or 3-digit MNC;
 *  - Mobile Station Classmark 1 and 2 (TS 24.008 §10.5.1.5, §10.5.1.6).
 *
 * Values only (the caller adds IEI/length framing). It must not invent identities: the simulator's
 * population decides them.
 */
import { EncodeError, checkRange } from './encode-result.js';

export type MobileIdentity =
  | { readonly type: 'imsi'; readonly digits: string }
  | { readonly type: 'imei'; readonly digits: string }
  | { readonly type: 'imeisv'; readonly digits: string }
  | { readonly type: 'tmsi'; readonly tmsi: number }
  | { readonly type: 'none' };

/** Type-of-identity codes, TS 24.008 table 10.5.4. */
const IDENTITY_TYPE_CODE = { none: 0, imsi: 1, imei: 2, imeisv: 3, tmsi: 4 } as const;

const DIGIT_COUNT: Record<'imsi' | 'imei' | 'imeisv', [number, number]> = {
  imsi: [6, 15],
  imei: [15, 15],
  imeisv: [16, 16],
};

function digitsOf(text: string, what: string, min: number, max: number): number[] {
  if (!/^[0-9]*$/.test(text) || text.length < min || text.length > max) {
    throw new EncodeError('bad_digits', `${what} '${text}' must be ${min}..${max} decimal digits`);
  }
  return [...text].map((c) => c.charCodeAt(0) - 48);
}

/** The Mobile Identity value part (without IEI and length octet). */
export function mobileIdentityValue(identity: MobileIdentity): Uint8Array {
  switch (identity.type) {
    case 'none':
      // Identity digit 1 field all ones, even, type "no identity": a one-octet value (as BTSs send it).
      return Uint8Array.of(0xf0 | IDENTITY_TYPE_CODE.none);
    case 'tmsi': {
      const tmsi = checkRange('tmsi', identity.tmsi, 0, 0xffffffff);
      return Uint8Array.of(0xf0 | IDENTITY_TYPE_CODE.tmsi, tmsi >>> 24, (tmsi >>> 16) & 0xff, (tmsi >>> 8) & 0xff, tmsi & 0xff);
    }
    default: {
      const [min, max] = DIGIT_COUNT[identity.type];
      const digits = digitsOf(identity.digits, identity.type, min, max);
      const odd = digits.length % 2 === 1;
      const out = new Uint8Array(1 + Math.floor(digits.length / 2));
      out[0] = ((digits[0] as number) << 4) | (odd ? 0x08 : 0) | IDENTITY_TYPE_CODE[identity.type];
      for (let i = 1; i < digits.length; i += 2) {
        const low = digits[i] as number;
        const high = i + 1 < digits.length ? (digits[i + 1] as number) : 0xf; // filler for an even count
        out[(i + 1) / 2] = (high << 4) | low;
      }
      return out;
    }
  }
}

/** Mobile Identity as LV (length octet + value), the form used in most messages. */
export function mobileIdentityLv(identity: MobileIdentity): Uint8Array {
  const value = mobileIdentityValue(identity);
  const out = new Uint8Array(1 + value.length);
  out[0] = value.length;
  out.set(value, 1);
  return out;
}

export interface LocationAreaId {
  /** Mobile country code, 3 digits. */
  readonly mcc: string;
  /** Mobile network code, 2 or 3 digits ("02" and "002" are different networks). */
  readonly mnc: string;
  /** Location area code 0..65535 (0x0000 and 0xFFFE are reserved by TS 23.003 but encodable). */
  readonly lac: number;
}

/** The 5-octet LAI value (TS 24.008 figure 10.5.3). */
export function locationAreaIdValue(lai: LocationAreaId): Uint8Array {
  const mcc = digitsOf(lai.mcc, 'mcc', 3, 3);
  const mnc = digitsOf(lai.mnc, 'mnc', 2, 3);
  const lac = checkRange('lac', lai.lac, 0, 0xffff);
  const mncDigit3 = mnc.length === 3 ? (mnc[2] as number) : 0xf;
  return Uint8Array.of(
    ((mcc[1] as number) << 4) | (mcc[0] as number),
    (mncDigit3 << 4) | (mcc[2] as number),
    ((mnc[1] as number) << 4) | (mnc[0] as number),
    lac >> 8,
    lac & 0xff,
  );
}

/** Revision level, TS 24.008 §10.5.1.5: 0 phase 1, 1 phase 2, 2 R99 onwards. */
export type RevisionLevel = 0 | 1 | 2;

export interface MobileClassmark {
  /** Default 2 (R99 onwards). */
  readonly revision_level?: RevisionLevel;
  /** RF power capability code (GSM900 class 4 = 3; DCS1800 class 1 = 0). Default 3. */
  readonly rf_power_capability?: number;
  /** Controlled early classmark sending implemented. Default true. */
  readonly es_ind?: boolean;
  /** Default true. Note the wire bit is inverted: 0 means "A5/1 available". */
  readonly a5_1?: boolean;
  readonly a5_2?: boolean;
  readonly a5_3?: boolean;
  /** Classmark 3 available (CM3 bit). Default false. */
  readonly cm3?: boolean;
  /** LCS value-added location request notification capability. Default false. */
  readonly lcsva_cap?: boolean;
  readonly sms_capability?: boolean;
}

/** Mobile Station Classmark 1 value, 1 octet (TS 24.008 §10.5.1.5). */
export function classmark1Value(cm: MobileClassmark = {}): Uint8Array {
  const rev = checkRange('revision_level', cm.revision_level ?? 2, 0, 3);
  const rf = checkRange('rf_power_capability', cm.rf_power_capability ?? 3, 0, 7);
  return Uint8Array.of((rev << 5) | ((cm.es_ind ?? true) ? 0x10 : 0) | ((cm.a5_1 ?? true) ? 0 : 0x08) | rf);
}

/** Mobile Station Classmark 2 value, 3 octets (TS 24.008 §10.5.1.6). */
export function classmark2Value(cm: MobileClassmark = {}): Uint8Array {
  const octet3 = classmark1Value(cm)[0] as number;
  // Octet 4: spare(0) PS capability(0) SS screening indicator(01: phase 2) SM capability, VBS, VGCS, FC.
  const octet4 = (0b01 << 4) | ((cm.sms_capability ?? true) ? 0x08 : 0);
  // Octet 5: CM3, spare, LCSVA CAP, UCS2 treatment (0: default alphabet preferred), SoLSA, CMSP, A5/3, A5/2.
  const octet5 =
    ((cm.cm3 ?? false) ? 0x80 : 0) | ((cm.lcsva_cap ?? false) ? 0x20 : 0) | ((cm.a5_3 ?? false) ? 0x02 : 0) | ((cm.a5_2 ?? false) ? 0x01 : 0);
  return Uint8Array.of(octet3, octet4, octet5);
}
