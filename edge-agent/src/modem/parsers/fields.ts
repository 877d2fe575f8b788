/**
 * Small field readers shared by the AT response parsers: splitting a comma list with quoted strings,
 * strict decimal/hex integers, RXLEV → dBm. They return null for anything malformed and never throw.
 */

/** Split `a,"b,c",d` into [`a`, `b,c`, `d`]; quotes removed. Null on an unterminated quote. */
export function splitAtFields(text: string): string[] | null {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  if (quoted) return null;
  out.push(field.trim());
  return out;
}

/** A strict non-negative or negative decimal integer ("-", "" and anything else → null). */
export function decimal(text: string | undefined): number | null {
  if (text === undefined || !/^-?[0-9]{1,10}$/.test(text)) return null;
  return Number.parseInt(text, 10);
}

/** A strict hexadecimal integer without prefix (cell ids and LACs in AT reports). */
export function hex(text: string | undefined): number | null {
  if (text === undefined || !/^[0-9A-Fa-f]{1,8}$/.test(text)) return null;
  return Number.parseInt(text, 16);
}

/** A decimal number with an optional fraction. */
export function real(text: string | undefined): number | null {
  if (text === undefined || !/^-?[0-9]{1,12}(\.[0-9]{1,12})?$/.test(text)) return null;
  return Number.parseFloat(text);
}

export function inRange(value: number | null, min: number, max: number): number | null {
  return value !== null && value >= min && value <= max ? value : null;
}

/**
 * GSM RXLEV 0–63 → received level in dBm. TS 45.008 §8.1.4: RXLEV n (1–62) covers
 * [−111 + n, −110 + n) dBm, 0 is "below −110", 63 "above −48"; we report the middle of the band
 * (−110.5 + n), which puts 0 and 63 half a dB beyond their edges.
 */
export function rxlevToRssiDbm(rxlev: number): number {
  return -110.5 + rxlev;
}

/** dBm → the RXLEV band that contains it (TS 45.008 §8.1.4), clamped to 0–63. */
export function rssiDbmToRxlev(dbm: number): number {
  return Math.max(0, Math.min(63, Math.floor(dbm + 111)));
}

/** MCC must be three digits, MNC two or three; "000"/"" mean "unknown" in modem reports. */
export function plmn(mcc: string | undefined, mnc: string | undefined): { mcc: string; mnc: string } | null {
  if (mcc === undefined || mnc === undefined) return null;
  if (!/^[0-9]{3}$/.test(mcc) || !/^[0-9]{2,3}$/.test(mnc) || mcc === '000') return null;
  return { mcc, mnc };
}
