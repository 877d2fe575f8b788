/**
 * Local time for the world: scenario date-times are local ("2026-03-07T15:00:00") in the scenario's
 * fixed UTC offset; the profiles need the local hour and the day type (weekday, Saturday, Sunday).
 * Event timestamps stay UTC milliseconds since the epoch, like real captures.
 *
 * Pure functions; no time zone database (a fixed offset is what a scenario states).
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Parses "YYYY-MM-DD[THH:MM[:SS]]" as local time at `utc_offset_h`; null when it is not a real date. */
export function parseLocalDateTime(text: string, utc_offset_h: number): number | null {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCDate() !== d && h < 24) return null; // e.g. 2026-02-30
  return utc - utc_offset_h * HOUR_MS;
}

/** Local hour of day as a real number in [0, 24). */
export function localHour(ts_ms: number, utc_offset_h: number): number {
  const h = ((ts_ms + utc_offset_h * HOUR_MS) / HOUR_MS) % 24;
  return h < 0 ? h + 24 : h;
}

/** Local day number (days since 1970-01-01 local). */
export function localDay(ts_ms: number, utc_offset_h: number): number {
  return Math.floor((ts_ms + utc_offset_h * HOUR_MS) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, local. */
export function localWeekday(ts_ms: number, utc_offset_h: number): number {
  return (((localDay(ts_ms, utc_offset_h) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** UTC ms of local midnight starting local day `day`. */
export function localMidnight(day: number, utc_offset_h: number): number {
  return day * DAY_MS - utc_offset_h * HOUR_MS;
}

/** Local hour-of-week 0..167 with Monday 00:00 = 0. */
export function hourOfWeek(ts_ms: number, utc_offset_h: number): number {
  const wd = (localWeekday(ts_ms, utc_offset_h) + 6) % 7;
  return wd * 24 + Math.floor(localHour(ts_ms, utc_offset_h));
}

export function weekdayName(ts_ms: number, utc_offset_h: number): (typeof WEEKDAY_NAMES)[number] {
  return WEEKDAY_NAMES[localWeekday(ts_ms, utc_offset_h)]!;
}

/** Whether local hour h is inside [start, end) (end < start wraps past midnight; 0..24 is all day). */
export function hourInRange(h: number, start: number, end: number): boolean {
  if (end - start >= 24 || (start === 0 && end === 24)) return true;
  if (start === end) return false;
  return start < end ? h >= start && h < end : h >= start || h < end;
}
