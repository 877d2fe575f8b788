/**
 * Schema migrations of the SQLite store, applied in order and recorded in `schema_migrations` so each
 * runs once. Append new migrations; never edit one that has shipped (existing databases ran it).
 * Column names follow the field vocabulary; the full signed envelope is kept next to the columns so
 * any stored message can be re-verified later (chain of custody for a case file).
 * The den tables are a block of their own from version 10 (dens/den-migrations.ts).
 */
import { DEN_MIGRATIONS } from '../dens/den-migrations.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE probes (
        site TEXT NOT NULL,
        probe TEXT NOT NULL,
        public_key TEXT,
        registered INTEGER NOT NULL DEFAULT 0,
        last_seen_ts_ms INTEGER,
        last_status_id TEXT,
        PRIMARY KEY (site, probe)
      );
      CREATE TABLE seen_ids (
        id TEXT PRIMARY KEY,
        ts_ms INTEGER NOT NULL,
        received_ts_ms INTEGER NOT NULL
      );
      CREATE INDEX seen_ids_ts ON seen_ids (ts_ms);
      CREATE TABLE detections (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        probe TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        received_ts_ms INTEGER NOT NULL,
        detector TEXT NOT NULL,
        detector_version INTEGER NOT NULL,
        mcc TEXT, mnc TEXT, lac INTEGER, ci INTEGER,
        arfcn INTEGER NOT NULL,
        ta_steps INTEGER NOT NULL,
        score REAL NOT NULL,
        severity TEXT NOT NULL,
        body_json TEXT NOT NULL,
        envelope_json TEXT NOT NULL
      );
      CREATE INDEX detections_ts ON detections (ts_ms);
      CREATE INDEX detections_probe_ts ON detections (site, probe, ts_ms);
      CREATE TABLE windows (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        probe TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        received_ts_ms INTEGER NOT NULL,
        start_ts_ms INTEGER NOT NULL,
        end_ts_ms INTEGER NOT NULL,
        body_json TEXT NOT NULL,
        envelope_json TEXT NOT NULL
      );
      CREATE INDEX windows_ts ON windows (ts_ms);
      CREATE INDEX windows_probe_ts ON windows (site, probe, ts_ms);
      CREATE TABLE probe_status (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        probe TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        received_ts_ms INTEGER NOT NULL,
        state TEXT NOT NULL,
        body_json TEXT NOT NULL,
        envelope_json TEXT NOT NULL
      );
      CREATE INDEX probe_status_probe_ts ON probe_status (site, probe, ts_ms);
      CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_ts_ms INTEGER NOT NULL,
        topic TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT,
        payload BLOB NOT NULL,
        payload_size_bytes INTEGER NOT NULL
      );
      CREATE INDEX dead_letters_ts ON dead_letters (received_ts_ms);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts_ms INTEGER NOT NULL,
        user_name TEXT,
        role TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        remote_addr TEXT
      );
      CREATE INDEX audit_log_ts ON audit_log (ts_ms);
      CREATE TABLE cells (
        radio TEXT NOT NULL,
        mcc INTEGER NOT NULL,
        mnc INTEGER NOT NULL,
        lac INTEGER NOT NULL,
        ci INTEGER NOT NULL,
        lat_deg REAL NOT NULL,
        lon_deg REAL NOT NULL,
        range_m REAL,
        samples INTEGER,
        updated_ts_ms INTEGER,
        PRIMARY KEY (mcc, mnc, lac, ci, radio)
      );
      CREATE TABLE observed_cells (
        mcc TEXT NOT NULL,
        mnc TEXT NOT NULL,
        lac INTEGER NOT NULL,
        ci INTEGER NOT NULL,
        arfcn INTEGER,
        first_seen_ts_ms INTEGER NOT NULL,
        last_seen_ts_ms INTEGER NOT NULL,
        detections_total INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (mcc, mnc, lac, ci)
      );
    `,
  },
  {
    version: 2,
    name: 'observations',
    sql: `
      CREATE TABLE observation_messages (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        probe TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        received_ts_ms INTEGER NOT NULL,
        observation_count INTEGER NOT NULL,
        envelope_json TEXT NOT NULL
      );
      CREATE INDEX observation_messages_probe_ts ON observation_messages (site, probe, ts_ms);
      CREATE TABLE observations (
        message_id TEXT NOT NULL REFERENCES observation_messages (id),
        idx INTEGER NOT NULL,
        site TEXT NOT NULL,
        probe TEXT NOT NULL,
        type TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        arfcn INTEGER,
        body_json TEXT NOT NULL,
        PRIMARY KEY (message_id, idx)
      );
      CREATE INDEX observations_type_ts ON observations (type, ts_ms);
      CREATE INDEX observations_probe_ts ON observations (site, probe, ts_ms);
    `,
  },
  {
    version: 3,
    name: 'delivery',
    // seen_ids learns which table holds each id, so pruning can keep every id whose record still exists
    // (and the ids of offline statuses, which a broker may re-deliver as a retained Last Will forever).
    // probe_seq_runs: the seq numbers each probe's stored messages cover, per run of its agent, for gap
    // reports. probe_status: the probe's applied status (a late, older Last Will must not override it).
    sql: `
      ALTER TABLE seen_ids ADD COLUMN kind TEXT;
      ALTER TABLE seen_ids ADD COLUMN keep INTEGER NOT NULL DEFAULT 0;
      UPDATE seen_ids SET kind = 'detection' WHERE id IN (SELECT id FROM detections);
      UPDATE seen_ids SET kind = 'window' WHERE id IN (SELECT id FROM windows);
      UPDATE seen_ids SET kind = 'observation' WHERE id IN (SELECT id FROM observation_messages);
      UPDATE seen_ids SET kind = 'status' WHERE id IN (SELECT id FROM probe_status);
      UPDATE seen_ids SET keep = 1 WHERE id IN (SELECT id FROM probe_status WHERE state = 'offline');
      CREATE TABLE probe_seq_runs (
        site TEXT NOT NULL,
        probe TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        max_seq INTEGER NOT NULL,
        received INTEGER NOT NULL,
        PRIMARY KEY (site, probe, first_seq)
      );
      CREATE INDEX dead_letters_reason ON dead_letters (reason, received_ts_ms);
      CREATE INDEX probe_status_received ON probe_status (received_ts_ms);
    `,
  },
  ...DEN_MIGRATIONS,
];
