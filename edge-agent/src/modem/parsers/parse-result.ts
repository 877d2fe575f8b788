/**
 * The typed outcome every modem/GPS line parser returns: a value, or a reason from one closed set that
 * the sources count and expose in probe status. Parsers never throw on bad text.
 */
import type { Result } from '@simhound/protocol';

export const MODEM_PARSE_REASONS = [
  'not_this_report', // the line is some other response (the caller tries the next parser)
  'bad_syntax', // unterminated quote, missing fields
  'bad_field', // a required field is missing or out of range
  'bad_checksum', // NMEA checksum mismatch
  'no_fix', // GPS answered but has no position yet
  'too_long', // line longer than any real report
  'no_service', // the modem reports it is searching / has no serving cell
] as const;
export type ModemParseReason = (typeof MODEM_PARSE_REASONS)[number];
export type ParseResult<T> = Result<T, ModemParseReason>;

/** Longest line any parser accepts (a full QENG row is < 200 characters). */
export const MAX_REPORT_LINE = 512;
