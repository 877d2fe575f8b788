/**
 * The collector's storage interface: probes, detections, windows, status history, dead letters, the
 * audit log, seen envelope ids (dedupe) and the cell database. SQLite implements it today
 * (sqlite-store.ts); a PostgreSQL implementation must pass the same shared suite
 * (collector/test/store/store-suite.ts, CONVENTIONS #11). Every method is async so a networked
 * database fits without changing callers.
 *
 * This module holds types only. It must not contain storage logic or validation: callers pass
 * messages that ingest has already parsed, verified and checked.
 */
import type { DetectionBody, Observation, ParsedEnvelope, StatusBody, WindowBody } from '@simhound/protocol';
import type { DenStore } from '../dens/den-store.js';
import type { AlertStore } from '../alerts/alert-store.js';

/** What every stored message keeps from its envelope, plus when the collector received it. */
export interface EnvelopeMeta {
  id: string;
  site: string;
  probe: string;
  ts_ms: number;
  seq: number;
  received_ts_ms: number;
}

export type DetectionRecord = EnvelopeMeta & DetectionBody;
export type WindowRecord = EnvelopeMeta & WindowBody;
export type StatusRecord = EnvelopeMeta & StatusBody;

/** One observation item, with the message it came in (its envelope is kept for re-verification). */
export type ObservationRecord = Observation & {
  message_id: string;
  /** Position of the item within its message. */
  idx: number;
  site: string;
  probe: string;
  received_ts_ms: number;
};

export interface ObservationQuery {
  since_ts_ms?: number;
  until_ts_ms?: number;
  type?: string;
  site?: string;
  probe?: string;
  arfcn?: number;
  limit: number;
}

export interface ProbeRegistryEntry {
  site: string;
  probe: string;
  public_key: string;
}

export interface ProbeRecord {
  site: string;
  probe: string;
  /** null for a probe that is no longer in the registry but has history. */
  public_key: string | null;
  registered: boolean;
  /** When the collector last accepted any message from it. */
  last_seen_ts_ms: number | null;
  /**
   * The probe's current status: the newest by ts_ms, except that an offline status (a Last Will is signed
   * when the probe connects, so it is older than the statuses it follows) applies when it comes from the
   * same or a newer run of the agent (started_ts_ms); an older run's Last Will changes nothing.
   */
  status: StatusRecord | null;
  /** Seq accounting (null before the first stored message). */
  seq: { runs: number; missing: number; max_seq: number } | null;
}

export interface DeadLetterInput {
  received_ts_ms: number;
  topic: string;
  reason: string;
  detail: string | null;
  /** Raw payload; the store keeps at most DEAD_LETTER_PAYLOAD_MAX_BYTES of it. */
  payload: Uint8Array;
}

export const DEAD_LETTER_PAYLOAD_MAX_BYTES = 4096;

export interface DeadLetterRecord {
  id: number;
  received_ts_ms: number;
  topic: string;
  reason: string;
  detail: string | null;
  /** First DEAD_LETTER_PAYLOAD_MAX_BYTES of the payload. */
  payload: Buffer;
  payload_size_bytes: number;
}

export interface AuditEntry {
  ts_ms: number;
  /** null when the request carried no valid token. */
  user: string | null;
  role: string | null;
  method: string;
  path: string;
  status: number;
  remote_addr: string | null;
}

export type AuditRecord = AuditEntry & { id: number };

/** One row of the cell database (OpenCelliD-format import). */
export interface CellRecord {
  radio: string;
  mcc: string;
  mnc: string;
  lac: number;
  ci: number;
  lat_deg: number;
  lon_deg: number;
  range_m: number | null;
  samples: number | null;
  updated_ts_ms: number | null;
}

export interface CellKey {
  mcc: string;
  mnc: string;
  lac: number;
  ci: number;
}

/** A cell some probe reported (in a detection or a window), with its position when the cell DB has it. */
export interface ObservedCellRecord extends CellKey {
  arfcn: number | null;
  first_seen_ts_ms: number;
  last_seen_ts_ms: number;
  detections_total: number;
  position: { lat_deg: number; lon_deg: number; range_m: number | null; radio: string } | null;
}

export interface MessageQuery {
  since_ts_ms?: number;
  site?: string;
  probe?: string;
  limit: number;
}

export interface StoreCounts {
  probes: number;
  detections: number;
  windows: number;
  observations: number;
  statuses: number;
  dead_letters: number;
  audit_log: number;
  seen_ids: number;
  cells: number;
  observed_cells: number;
}

export type IngestOutcome = 'stored' | 'duplicate';

/** One unit of work for `Store.ingestBatch`: a checked message to store, or a rejection to record. */
export type BatchItem =
  | {
    type: 'message';
    envelope: ParsedEnvelope;
    received_ts_ms: number;
    /** Written (in the same transaction) when the message turns out to be a duplicate. */
    duplicate_dead_letter?: DeadLetterInput;
    /** The envelope exactly as received (the signed bytes as text); stored instead of re-serialising it. */
    envelope_json?: string;
  }
  | { type: 'dead_letter'; entry: DeadLetterInput };

export type BatchItemOutcome =
  | { outcome: 'stored' }
  | { outcome: 'duplicate' }
  | { outcome: 'dead_lettered' }
  /** A message this store can never accept (e.g. a value out of the column's range): dead-lettered in the same transaction. */
  | { outcome: 'store_rejected'; detail: string };

/**
 * The store cannot commit right now (disk full, I/O error, database locked or closed). Nothing of the
 * batch was written; the same batch may succeed later, so callers must not acknowledge it.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Seq accounting of one probe: which seq numbers its stored messages cover (see docs/delivery.md, "Seq gaps"). */
export interface ProbeSeqReport {
  site: string;
  probe: string;
  /** Runs of the probe's agent seen so far (a restart starts a new run; seq is dense within a run). */
  runs: number;
  /** Seq numbers inside the runs that no stored message carries: lost or still on their way. */
  missing: number;
  /** The highest seq stored. */
  max_seq: number;
}

/** How long the collector keeps what it accumulates (0 keeps forever). */
export interface RetentionPolicy {
  dead_letters_before_ts_ms: number | null;
  audit_before_ts_ms: number | null;
  status_history_before_ts_ms: number | null;
}

export interface RetentionReport {
  dead_letters: number;
  audit_log: number;
  statuses: number;
  seen_ids: number;
}

export interface Store {
  readonly backend: string;
  /** Dens, their places and evidence timelines (collector/src/dens/). */
  readonly dens: DenStore;
  /** Alerts, their lifecycle events, deliveries and policy versions (collector/src/alerts/). */
  readonly alerts: AlertStore;
  /** Mark exactly these probes as registered (others keep their history but become unregistered). */
  registerProbes(probes: ProbeRegistryEntry[]): Promise<void>;
  /**
   * Atomically: remember the envelope id, and store the message only if the id was new.
   * Returns 'duplicate' (and changes nothing) when the id was seen before, across restarts.
   * Throws StoreUnavailableError when nothing could be written (try again later).
   */
  ingest(envelope: ParsedEnvelope, received_ts_ms: number): Promise<IngestOutcome>;
  /**
   * Write a batch in one transaction, in order: messages (deduplicated by id as `ingest` does) and dead
   * letters. A message already stored is a 'duplicate' even when only its record (not its seen id) is
   * left; a message the store can never accept becomes a 'store_rejected' dead letter. Either the whole
   * batch is committed, or StoreUnavailableError is thrown and nothing is.
   */
  ingestBatch(items: readonly BatchItem[]): Promise<BatchItemOutcome[]>;
  /**
   * Forget seen ids of envelopes dated before `before_ts_ms` (the stale check rejects those anyway),
   * except ids whose record is still stored and ids of offline statuses (a retained Last Will may come
   * back at any age).
   */
  pruneSeenIds(before_ts_ms: number): Promise<number>;
  /** Delete dead letters, audit entries and status history older than the policy says (a probe's current status stays). */
  applyRetention(policy: RetentionPolicy): Promise<RetentionReport>;
  /** Seq accounting per probe. */
  seqReports(): Promise<ProbeSeqReport[]>;
  addDeadLetter(entry: DeadLetterInput): Promise<void>;
  listDeadLetters(query: { since_ts_ms?: number; reason?: string; limit: number }): Promise<DeadLetterRecord[]>;
  /** Newest first (by ts_ms, then id). */
  listDetections(query: MessageQuery): Promise<DetectionRecord[]>;
  listWindows(query: MessageQuery): Promise<WindowRecord[]>;
  listStatuses(query: MessageQuery): Promise<StatusRecord[]>;
  /** Observation items, oldest first (by ts_ms), filtered. */
  listObservations(query: ObservationQuery): Promise<ObservationRecord[]>;
  listProbes(): Promise<ProbeRecord[]>;
  addAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query: { since_ts_ms?: number; limit: number }): Promise<AuditRecord[]>;
  /** Insert or replace cell DB rows; returns how many were written. */
  upsertCells(cells: CellRecord[]): Promise<number>;
  /** Position of a cell from the cell DB (GSM rows preferred), or null. */
  findCell(key: CellKey): Promise<CellRecord | null>;
  listObservedCells(): Promise<ObservedCellRecord[]>;
  counts(): Promise<StoreCounts>;
  close(): Promise<void>;
}
