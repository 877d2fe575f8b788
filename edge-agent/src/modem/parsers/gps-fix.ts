/**
 * A GPS fix in the contract's names, whichever report it came from (modem AT or NMEA), plus the
 * coordinate helpers they share: NMEA `ddmm.mmmm` + hemisphere → signed degrees, knots → m/s, and
 * `ddmmyy` + `hhmmss.ss` → Unix ms.
 */
import type { Position } from '@simhound/protocol';
import { real } from './fields.js';

export interface GpsFix {
  position: Position;
  speed_mps?: number;
  heading_deg?: number;
  /** The receiver's own UTC time of the fix, when it gave a date. */
  fix_ts_ms?: number;
}

export const KNOT_MPS = 1852 / 3600;
/** Rough 1-sigma horizontal error per unit of HDOP for a consumer receiver (user range error ≈ 5 m). */
export const HDOP_TO_ACCURACY_M = 5;

/** `4807.038` + `N` → 48.1173; null when malformed or out of range. */
export function nmeaCoordinate(value: string | undefined, hemisphere: string | undefined, degreeDigits: 2 | 3): number | null {
  if (value === undefined || hemisphere === undefined) return null;
  const m = new RegExp(`^([0-9]{${degreeDigits}})([0-9]{2}(?:\\.[0-9]{1,10})?)$`).exec(value);
  if (!m) return null;
  const minutes = Number.parseFloat(m[2]!);
  if (minutes >= 60) return null;
  const deg = Number.parseInt(m[1]!, 10) + minutes / 60;
  const signed = hemisphere === 'S' || hemisphere === 'W' ? -deg : hemisphere === 'N' || hemisphere === 'E' ? deg : null;
  if (signed === null) return null;
  const limit = degreeDigits === 2 ? 90 : 180;
  return Math.abs(signed) <= limit ? signed : null;
}

/** `ddmmyy` + `hhmmss(.s*)` → Unix ms, or null. Two-digit years are 2000–2099. */
export function utcFromDateTime(date: string | undefined, time: string | undefined): number | null {
  if (date === undefined || time === undefined) return null;
  const d = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(date);
  const t = /^([0-9]{2})([0-9]{2})([0-9]{2}(?:\.[0-9]{1,6})?)$/.exec(time);
  if (!d || !t) return null;
  const [day, month, year] = [Number(d[1]), Number(d[2]), 2000 + Number(d[3])];
  const [h, min, s] = [Number(t[1]), Number(t[2]), Number.parseFloat(t[3]!)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || min > 59 || s >= 61) return null;
  const ms = Date.UTC(year, month - 1, day, h, min, 0) + Math.round(s * 1000);
  return new Date(ms).getUTCDate() === day || s >= 60 ? ms : null;
}

export function speedFromKnots(text: string | undefined): number | null {
  const k = real(text);
  return k !== null && k >= 0 && k < 2000 ? k * KNOT_MPS : null;
}

export function headingOf(text: string | undefined): number | null {
  const h = real(text);
  return h !== null && h >= 0 && h <= 360 ? h % 360 : null;
}
