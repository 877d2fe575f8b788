/**
 * SQLite migrations of the den tables. Numbered from 10 (a block apart from the core store's, which other
 * work extends from 3 upward). Append; never edit one that shipped.
 */
import type { Migration } from '../store/sqlite-migrations.js';

export const DEN_MIGRATIONS: readonly Migration[] = [
  {
    version: 10,
    name: 'dens',
    sql: `
      CREATE TABLE dens (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        outcome TEXT,
        merged_into TEXT,
        created_ts_ms INTEGER NOT NULL,
        updated_ts_ms INTEGER NOT NULL,
        first_seen_ts_ms INTEGER NOT NULL,
        last_seen_ts_ms INTEGER NOT NULL,
        max_score REAL NOT NULL,
        max_severity TEXT NOT NULL,
        reactivations INTEGER NOT NULL DEFAULT 0,
        estimate_json TEXT
      );
      CREATE INDEX dens_last_seen ON dens (last_seen_ts_ms);
      CREATE TABLE den_places (
        den_id TEXT NOT NULL REFERENCES dens (id),
        place_key TEXT NOT NULL,
        mcc TEXT, mnc TEXT, lac INTEGER, ci INTEGER,
        arfcn INTEGER NOT NULL,
        ta_steps INTEGER NOT NULL,
        ta_span INTEGER NOT NULL,
        range_min_m REAL NOT NULL,
        range_max_m REAL NOT NULL,
        first_seen_ts_ms INTEGER NOT NULL,
        last_seen_ts_ms INTEGER NOT NULL,
        detections INTEGER NOT NULL,
        rate_per_min REAL NOT NULL,
        probes_json TEXT NOT NULL,
        detectors_json TEXT NOT NULL,
        PRIMARY KEY (den_id, place_key)
      );
      CREATE INDEX den_places_cell ON den_places (mcc, mnc, lac, ci, ta_steps);
      CREATE INDEX den_places_arfcn ON den_places (arfcn, ta_steps);
      CREATE TABLE den_evidence (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        den_id TEXT NOT NULL REFERENCES dens (id),
        ts_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        ref_table TEXT,
        ref_id TEXT,
        site TEXT,
        probe TEXT,
        detector TEXT,
        detector_version INTEGER,
        place_key TEXT,
        summary_json TEXT NOT NULL
      );
      CREATE INDEX den_evidence_den_ts ON den_evidence (den_id, ts_ms);
    `,
  },
];
