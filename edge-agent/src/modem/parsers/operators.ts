/**
 * `AT+COPS=?` operator scan (TS 27.007 §7.3): `+COPS: (<stat>,"<long>","<short>","<numeric>"[,<AcT>]),…,,(modes),(formats)`.
 * The list of networks the modem can hear, with their PLMN — which operators cover this spot.
 * Must not: talk to the port (the scan takes up to minutes; the poller gives it a long timeout).
 */
import { fail, ok } from '@simhound/protocol';
import { MAX_REPORT_LINE, type ParseResult } from './parse-result.js';

export const OPERATOR_STATES = ['unknown', 'available', 'current', 'forbidden'] as const;

export interface OperatorEntry {
  stat: (typeof OPERATOR_STATES)[number];
  long_name: string;
  short_name: string;
  mcc: string;
  mnc: string;
  act: number | null;
}

const ENTRY = /\(([0-3]),"([^"]*)","([^"]*)","([0-9]{5,6})"(?:,([0-9]{1,2}))?\)/g;

export function parseOperatorScan(line: string): ParseResult<OperatorEntry[]> {
  if (line.length > MAX_REPORT_LINE * 8) return fail('too_long');
  const t = line.trim();
  if (!t.startsWith('+COPS:')) return fail('not_this_report');
  const body = t.slice(6).trim();
  if (!body.startsWith('(')) return fail('not_this_report'); // `+COPS: 0,0,"name"` is the read form
  const out: OperatorEntry[] = [];
  for (const m of body.matchAll(ENTRY)) {
    const numeric = m[4]!;
    out.push({
      stat: OPERATOR_STATES[Number(m[1])]!,
      long_name: m[2]!,
      short_name: m[3]!,
      mcc: numeric.slice(0, 3),
      mnc: numeric.slice(3),
      act: m[5] === undefined ? null : Number(m[5]),
    });
  }
  if (out.length === 0 && !/^\(\s*\)|^,/.test(body) && !body.startsWith('(0-')) return fail('bad_syntax', line);
  return ok(out);
}

export interface CurrentOperator {
  mode: number;
  mcc: string | null;
  mnc: string | null;
  act: number | null;
}

/** The read form `+COPS: <mode>[,<format>,"<oper>"[,<AcT>]]`; mcc/mnc when the format is numeric (2). */
export function parseCurrentOperator(line: string): ParseResult<CurrentOperator> {
  if (line.length > MAX_REPORT_LINE) return fail('too_long');
  const m = /^\+COPS:\s*([0-4])(?:,([0-2]),"([^"]*)"(?:,([0-9]{1,2}))?)?$/.exec(line.trim());
  if (!m) return line.trim().startsWith('+COPS:') ? fail('bad_syntax', line) : fail('not_this_report');
  const numeric = m[2] === '2' && /^[0-9]{5,6}$/.test(m[3] ?? '') ? m[3]! : null;
  return ok({ mode: Number(m[1]), mcc: numeric?.slice(0, 3) ?? null, mnc: numeric?.slice(3) ?? null, act: m[4] === undefined ? null : Number(m[4]) });
}
