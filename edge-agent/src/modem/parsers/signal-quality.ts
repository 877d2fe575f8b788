/**
 * `AT+CSQ` (TS 27.007 §8.5): `+CSQ: <rssi>,<ber>`; rssi 0 = −113 dBm or less, 1 = −111, 2…30 =
 * −109…−53 in 2 dB steps, 31 = −51 or more, 99 = not known.
 * Must not: talk to the port.
 */
import { fail, ok } from '@simhound/protocol';
import { decimal, inRange } from './fields.js';
import { MAX_REPORT_LINE, type ParseResult } from './parse-result.js';

export interface SignalQuality {
  rssi_dbm: number | null;
  /** Bit error rate class 0–7, null when 99. */
  ber: number | null;
}

export function parseSignalQuality(line: string): ParseResult<SignalQuality> {
  if (line.length > MAX_REPORT_LINE) return fail('too_long');
  const m = /^\+CSQ:\s*([0-9]+)\s*,\s*([0-9]+)$/.exec(line.trim());
  if (!m) return line.trim().startsWith('+CSQ:') ? fail('bad_syntax', line) : fail('not_this_report');
  const rssi = decimal(m[1]);
  const ber = decimal(m[2]);
  if (rssi === null || ber === null || (rssi > 31 && rssi !== 99) || (ber > 7 && ber !== 99)) return fail('bad_field', line);
  return ok({ rssi_dbm: rssi === 99 ? null : -113 + 2 * rssi, ber: inRange(ber, 0, 7) });
}
