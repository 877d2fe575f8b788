/**
 * SQLite migrations of the alert tables, a block of their own from version 20 (the core store and other
 * blocks number theirs apart). Append; never edit one that shipped.
 * An alert is kept whole as JSON next to the columns its queries need.
 */
import type { Migration } from '../store/sqlite-migrations.js';

export const ALERT_MIGRATIONS: readonly Migration[] = [
  {
    version: 20,
    name: 'alerts',
    sql: `
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        den_id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        tier TEXT NOT NULL,
        cycle INTEGER NOT NULL,
        raised_ts_ms INTEGER NOT NULL,
        updated_ts_ms INTEGER NOT NULL,
        next_check_ts_ms INTEGER,
        update_pending INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL,
        record_json TEXT NOT NULL
      );
      CREATE INDEX alerts_updated ON alerts (updated_ts_ms);
      CREATE INDEX alerts_next_check ON alerts (next_check_ts_ms) WHERE next_check_ts_ms IS NOT NULL;
      CREATE TABLE alert_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT NOT NULL REFERENCES alerts (id),
        ts_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        cycle INTEGER NOT NULL,
        by_name TEXT NOT NULL,
        detail_json TEXT NOT NULL
      );
      CREATE INDEX alert_events_alert ON alert_events (alert_id, id);
      CREATE INDEX alert_events_kind ON alert_events (kind, id);
      CREATE TABLE alert_deliveries (
        id TEXT PRIMARY KEY,
        alert_id TEXT NOT NULL REFERENCES alerts (id),
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        status TEXT NOT NULL,
        created_ts_ms INTEGER NOT NULL,
        next_attempt_ts_ms INTEGER,
        record_json TEXT NOT NULL
      );
      CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id, created_ts_ms);
      CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_ts_ms) WHERE status IN ('pending', 'retrying', 'held');
      CREATE INDEX alert_deliveries_recipient ON alert_deliveries (channel, recipient, status);
      CREATE TABLE alert_policy_versions (
        version INTEGER PRIMARY KEY AUTOINCREMENT,
        ts_ms INTEGER NOT NULL,
        changed_by TEXT NOT NULL,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        yaml_text TEXT NOT NULL,
        comment TEXT
      );
    `,
  },
];
