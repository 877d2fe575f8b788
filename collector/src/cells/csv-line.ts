/**
 * Splits one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes) into fields. Cell database exports
 * are one record per line, so multi-line quoted fields are not supported; an unterminated quote is
 * reported, not guessed at. Must not interpret fields.
 */
import { fail, ok, type Result } from '@simhound/protocol';

export function splitCsvLine(line: string): Result<string[], 'unterminated_quote'> {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= n) return fail('unterminated_quote');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += line[i];
        i += 1;
      }
      fields.push(value);
      // skip anything between the closing quote and the next comma
      while (i < n && line[i] !== ',') i += 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      fields.push(line.slice(i, end));
      i = end;
    }
    if (i >= n) return ok(fields);
    i += 1; // the comma
    if (i === n) {
      fields.push('');
      return ok(fields);
    }
  }
}
