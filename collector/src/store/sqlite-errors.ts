/**
 * Sorts what better-sqlite3 throws into what ingest must do about it:
 * - `transient`: the database cannot write now (disk full, I/O error, locked, read-only file, closed
 *   connection): retry later and acknowledge nothing meanwhile;
 * - `constraint`: a uniqueness/primary-key clash — for a message, its record is already stored;
 * - `permanent`: this particular row can never be written (other constraint, value out of range, too
 *   big): record it as a dead letter once and acknowledge it, so it cannot block the queue.
 * Must not log or retry (callers do).
 */
export type SqliteFailureClass = 'transient' | 'constraint' | 'permanent';

const TRANSIENT_PREFIXES = [
  'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_CANTOPEN',
  'SQLITE_NOMEM', 'SQLITE_PROTOCOL', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_INTERRUPT', 'SQLITE_ABORT',
];

export function sqliteErrorCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

export function classifySqliteError(e: unknown): SqliteFailureClass {
  const code = sqliteErrorCode(e);
  if (code === null) {
    // better-sqlite3 throws a TypeError when the connection is closed: the store is going away, not the row.
    if (e instanceof TypeError && /database connection is not open/i.test(e.message)) return 'transient';
    return 'permanent';
  }
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'constraint';
  if (TRANSIENT_PREFIXES.some((p) => code === p || code.startsWith(`${p}_`))) return 'transient';
  return 'permanent';
}
