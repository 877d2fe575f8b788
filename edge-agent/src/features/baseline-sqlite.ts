/**
 * Learned baselines kept in a SQLite file at the edge (better-sqlite3, WAL), so a probe that restarts —
 * or is moved back — does not re-learn its cells from nothing. One row per cell, the baseline state as
 * JSON. Writes are small and infrequent (every few hours and at shutdown); a power cut loses at most
 * the hours since the last save, never the file.
 * Must not hold anything but counts and shares (no identities ever reach the baselines).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BaselineStore, CellBaselineState } from './baseline.js';

export class SqliteBaselineStore implements BaselineStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], { state_json: string }>;
  private readonly putStmt: Database.Statement<[string, string, number]>;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS baselines (cell_key TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_ts_ms INTEGER NOT NULL)');
    this.getStmt = this.db.prepare('SELECT state_json FROM baselines WHERE cell_key = ?');
    this.putStmt = this.db.prepare(`INSERT INTO baselines (cell_key, state_json, updated_ts_ms) VALUES (?, ?, ?)
      ON CONFLICT (cell_key) DO UPDATE SET state_json = excluded.state_json, updated_ts_ms = excluded.updated_ts_ms`);
  }

  load(cellKey: string): CellBaselineState | null {
    const row = this.getStmt.get(cellKey);
    if (row === undefined) return null;
    try {
      const state = JSON.parse(row.state_json) as CellBaselineState;
      return state.v === 1 ? state : null;
    } catch {
      return null; // a damaged row re-learns rather than stopping the probe
    }
  }

  save(cellKey: string, state: CellBaselineState): void {
    this.putStmt.run(cellKey, JSON.stringify(state), Date.now());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
