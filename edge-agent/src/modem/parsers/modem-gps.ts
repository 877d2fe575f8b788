/**
 * GPS fixes a modem reports over AT:
 *   SIMCom `AT+CGPSINFO` → `+CGPSINFO: <lat ddmm.mmmm>,<N|S>,<lon dddmm.mmmm>,<E|W>,<ddmmyy>,<hhmmss.s>,<alt m>,<speed knots>,<course>`
 *     (all fields empty without a fix)
 *   Quectel `AT+QGPSLOC=<mode>` → `+QGPSLOC: <hhmmss.sss>,<lat>,<lon>,<hdop>,<alt>,<fix 2|3>,<cog>,<spkm>,<spkn>,<ddmmyy>,<nsat>`
 *     with lat/lon as `ddmm.mmmmN` (mode 0/1) or signed degrees (mode 2); `+CME ERROR: 516` = no fix.
 * Must not: talk to the port.
 */
import { fail, ok } from '@simhound/protocol';
import { real, splitAtFields } from './fields.js';
import { HDOP_TO_ACCURACY_M, headingOf, nmeaCoordinate, speedFromKnots, utcFromDateTime, type GpsFix } from './gps-fix.js';
import { MAX_REPORT_LINE, type ParseResult } from './parse-result.js';

function fixWith(lat: number, lon: number, extra: { alt?: number | null; speed?: number | null; heading?: number | null; ts?: number | null; accuracy?: number | null }): GpsFix {
  const fix: GpsFix = { position: { lat_deg: lat, lon_deg: lon, position_source: 'gps' } };
  if (extra.accuracy != null) fix.position.accuracy_m = extra.accuracy;
  if (extra.alt != null) fix.position.alt_m = extra.alt;
  if (extra.speed != null) fix.speed_mps = extra.speed;
  if (extra.heading != null) fix.heading_deg = extra.heading;
  if (extra.ts != null) fix.fix_ts_ms = extra.ts;
  return fix;
}

export function parseCgpsInfo(line: string): ParseResult<GpsFix> {
  if (line.length > MAX_REPORT_LINE) return fail('too_long');
  const m = /^\+CGPSINFO:\s*(.*)$/.exec(line.trim());
  if (!m) return fail('not_this_report');
  const f = splitAtFields(m[1]!);
  if (f === null || f.length < 9) return fail('bad_syntax', line);
  if (f.slice(0, 4).every((x) => x === '')) return fail('no_fix');
  const lat = nmeaCoordinate(f[0], f[1], 2);
  const lon = nmeaCoordinate(f[2], f[3], 3);
  if (lat === null || lon === null) return fail('bad_field', line);
  return ok(fixWith(lat, lon, { ts: utcFromDateTime(f[4], f[5]), alt: real(f[6]), speed: speedFromKnots(f[7]), heading: headingOf(f[8]) }));
}

function qCoordinate(text: string | undefined, degreeDigits: 2 | 3): number | null {
  if (text === undefined) return null;
  const h = /^([0-9.]+)([NSEW])$/.exec(text);
  if (h) return nmeaCoordinate(h[1], h[2], degreeDigits);
  const d = real(text);
  return d !== null && Math.abs(d) <= (degreeDigits === 2 ? 90 : 180) ? d : null;
}

export function parseQgpsLoc(line: string): ParseResult<GpsFix> {
  if (line.length > MAX_REPORT_LINE) return fail('too_long');
  const t = line.trim();
  if (/^\+CME ERROR:\s*516$/.test(t)) return fail('no_fix');
  const m = /^\+QGPSLOC:\s*(.*)$/.exec(t);
  if (!m) return fail('not_this_report');
  const f = splitAtFields(m[1]!);
  if (f === null || f.length < 10) return fail('bad_syntax', line);
  const lat = qCoordinate(f[1], 2);
  const lon = qCoordinate(f[2], 3);
  if (lat === null || lon === null) return fail('bad_field', line);
  const hdop = real(f[3]);
  const kmh = real(f[7]);
  return ok(fixWith(lat, lon, {
    ts: utcFromDateTime(f[9], f[0]),
    alt: real(f[4]),
    accuracy: hdop !== null && hdop > 0 ? hdop * HDOP_TO_ACCURACY_M : null,
    heading: headingOf(f[6]),
    speed: kmh !== null && kmh >= 0 ? kmh / 3.6 : null,
  }));
}
