/**
 * Network registration (3GPP TS 27.007 §7.2 `+CREG`, §10.1.20 `+CGREG`, `+CEREG`): the read response
 * `+CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]` and the unsolicited `+CREG: <stat>[,<lac>,<ci>[,<AcT>]]`;
 * lac and ci are quoted hex. The two forms differ in whether the second field is quoted.
 * Must not: talk to the port.
 */
import { fail, ok } from '@simhound/protocol';
import { decimal, hex, inRange, splitAtFields } from './fields.js';
import { MAX_REPORT_LINE, type ParseResult } from './parse-result.js';

export const REGISTRATION_STATES = ['not_registered', 'home', 'searching', 'denied', 'unknown', 'roaming'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number] | 'other';

export interface Registration {
  domain: 'cs' | 'ps' | 'eps';
  stat: RegistrationState;
  lac: number | null;
  ci: number | null;
  /** Access technology (TS 27.007 <AcT>: 0 GSM, 2 UTRAN, 3 GSM w/EGPRS, 7 E-UTRAN …) when reported. */
  act: number | null;
  /** True for the unsolicited form. */
  unsolicited: boolean;
}

const PREFIX = /^\+(CREG|CGREG|CEREG):\s*(.*)$/;
const DOMAIN = { CREG: 'cs', CGREG: 'ps', CEREG: 'eps' } as const;

export function parseRegistration(line: string): ParseResult<Registration> {
  if (line.length > MAX_REPORT_LINE) return fail('too_long');
  const m = PREFIX.exec(line.trim());
  if (!m) return fail('not_this_report');
  const raw = m[2]!;
  const fields = splitAtFields(raw);
  if (fields === null || fields.length === 0 || fields[0] === '') return fail('bad_syntax', line);
  const rawSecond = raw.split(',')[1]?.trim();
  // Read response: first two fields unquoted numbers (<n>,<stat>); URC: <stat> then quoted <lac>.
  const unsolicited = fields.length === 1 || (rawSecond !== undefined && rawSecond.startsWith('"'));
  const rest = unsolicited ? fields : fields.slice(1);
  const statN = inRange(decimal(rest[0]), 0, 11);
  if (statN === null) return fail('bad_field', line);
  const lac = rest[1] !== undefined && rest[1] !== '' ? hex(rest[1]) : null;
  const ci = rest[2] !== undefined && rest[2] !== '' ? hex(rest[2]) : null;
  if ((rest[1] !== undefined && rest[1] !== '' && lac === null) || (rest[2] !== undefined && rest[2] !== '' && ci === null)) return fail('bad_field', line);
  return ok({
    domain: DOMAIN[m[1] as keyof typeof DOMAIN],
    stat: REGISTRATION_STATES[statN] ?? 'other',
    lac,
    ci,
    act: decimal(rest[3]),
    unsolicited,
  });
}
