import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/index.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-migrations.js';
import { tempDir } from '../fixtures.js';
import { runStoreSuite } from './store-suite.js';

runStoreSuite('SQLite (temp file)', async () => {
  const tmp = tempDir('store');
  const path = join(tmp.dir, 'sub', 'collector.sqlite');
  return {
    store: SqliteStore.open(path),
    reopen: async () => SqliteStore.open(path),
    cleanup: async () => tmp.remove(),
  };
});

describe('SqliteStore specifics', () => {
  it('uses WAL and records each migration once across reopenings', async () => {
    const tmp = tempDir('store-wal');
    const path = join(tmp.dir, 'c.sqlite');
    (await SqliteStore.open(path).close());
    const again = SqliteStore.open(path);
    await again.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(SQLITE_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    db.close();
    tmp.remove();
  });
});
