/**
 * Why the collector could not start, as one line a person can act on: which file, port or key, what is
 * wrong with it, and what to do. startCollector throws these; the CLI prints the message and exits
 * non-zero. Must not print or exit (the CLI does).
 */
export type StartFailure =
  | 'storage' | 'cells_csv' | 'http_port' | 'mqtt_port' | 'broker_unreachable' | 'tls_files' | 'key_file'
  | 'prior_geojson' | 'basemap';

export class CollectorStartError extends Error {
  constructor(readonly failure: StartFailure, message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'CollectorStartError';
  }
}

/** A node/SQLite error in words, without the stack: "EACCES: permission denied" → "permission denied". */
export function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const message = (err?.message ?? String(e)).split('\n')[0]!;
  switch (err?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a path component is a file, not a directory';
    case 'EISDIR': return 'is a directory';
    case 'EADDRINUSE': return 'address already in use';
    case 'EADDRNOTAVAIL': return 'address not available on this machine';
    case 'SQLITE_NOTADB': return 'the file is not an SQLite database';
    case 'SQLITE_CANTOPEN': return 'cannot create or open the database file';
    case 'SQLITE_READONLY': return 'the database file is read-only';
    default: return message.replace(/^[A-Z_]+: /, '');
  }
}
