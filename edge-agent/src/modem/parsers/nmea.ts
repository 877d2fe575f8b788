/**
 * NMEA 0183 sentences from a GPS receiver on its own serial port: `GGA` (fix, HDOP, altitude) and
 * `RMC` (fix, speed, course, date) from any talker (GP, GN, GL, GA, BD). The `*hh` checksum (XOR of
 * the characters between `$` and `*`) is required and checked. A GGA carries no date, so its fix has
 * no `fix_ts_ms` (the source stamps host time).
 * Must not: talk to the port.
 */
import { fail, ok } from '@simhound/protocol';
import { decimal, real } from './fields.js';
import { HDOP_TO_ACCURACY_M, headingOf, nmeaCoordinate, speedFromKnots, utcFromDateTime, type GpsFix } from './gps-fix.js';
import type { ParseResult } from './parse-result.js';

/** NMEA sentences are at most 82 characters including `$` and CR LF. */
export const NMEA_MAX_LENGTH = 82;
const SENTENCE = /^\$([A-Z]{2})([A-Z]{3}),([\x20-\x7e]*)\*([0-9A-Fa-f]{2})$/;

export function nmeaChecksum(body: string): number {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x;
}

export function parseNmeaSentence(line: string): ParseResult<GpsFix> {
  const t = line.trim();
  if (t.length > NMEA_MAX_LENGTH) return fail('too_long');
  if (!t.startsWith('$')) return fail('not_this_report');
  const m = SENTENCE.exec(t);
  if (!m) return fail('bad_syntax', t);
  const body = t.slice(1, t.lastIndexOf('*'));
  if (nmeaChecksum(body) !== Number.parseInt(m[4]!, 16)) return fail('bad_checksum', t);
  const type = m[2]!;
  const f = m[3]!.split(',');
  if (type === 'GGA') {
    if (f.length < 14) return fail('bad_syntax', t);
    const quality = decimal(f[5]);
    if (quality === null || quality === 0) return fail('no_fix');
    const lat = nmeaCoordinate(f[1], f[2], 2);
    const lon = nmeaCoordinate(f[3], f[4], 3);
    if (lat === null || lon === null) return fail('bad_field', t);
    const fix: GpsFix = { position: { lat_deg: lat, lon_deg: lon, position_source: 'gps' } };
    const hdop = real(f[7]);
    if (hdop !== null && hdop > 0) fix.position.accuracy_m = hdop * HDOP_TO_ACCURACY_M;
    const alt = real(f[8]);
    const sep = real(f[10]);
    // GGA gives altitude above mean sea level plus the geoid separation: their sum is ellipsoidal height.
    if (alt !== null) fix.position.alt_m = alt + (sep ?? 0);
    return ok(fix);
  }
  if (type === 'RMC') {
    if (f.length < 9) return fail('bad_syntax', t);
    if (f[1] !== 'A') return fail('no_fix');
    const lat = nmeaCoordinate(f[2], f[3], 2);
    const lon = nmeaCoordinate(f[4], f[5], 3);
    if (lat === null || lon === null) return fail('bad_field', t);
    const fix: GpsFix = { position: { lat_deg: lat, lon_deg: lon, position_source: 'gps' } };
    const speed = speedFromKnots(f[6]);
    if (speed !== null) fix.speed_mps = speed;
    const heading = headingOf(f[7]);
    if (heading !== null) fix.heading_deg = heading;
    const ts = utcFromDateTime(f[8], f[0]);
    if (ts !== null) fix.fix_ts_ms = ts;
    return ok(fix);
  }
  return fail('not_this_report', type);
}
