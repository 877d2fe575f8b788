/**
 * Storage of alerts (one row per den, updated in place), their lifecycle events (the history an officer
 * and an auditor read: who acknowledged, dispatched, closed, when; every escalation and re-alert), their
 * deliveries (one row per notification × channel × recipient, with status and retry schedule), and the
 * tiering policy's versions (who changed it, when, what). Part of the collector's Store (Store.alerts) so
 * another backend brings its own implementation and passes the same suite (collector/test/alerts/).
 * Types only.
 */
import type { AlertEventInput, AlertEventRecord, AlertOutcome, AlertRecord, AlertState, AlertTier, DeliveryRecord } from './alert-types.js';

export interface AlertQuery {
  /** open = every state but closed. */
  state?: AlertState | 'open';
  since_ts_ms?: number;
  limit: number;
}

export interface PolicyVersionInput {
  ts_ms: number;
  changed_by: string;
  /** `file:<path>`, `api`, `default`. */
  source: string;
  sha256: string;
  yaml: string;
  comment: string | null;
}
export type PolicyVersionRecord = PolicyVersionInput & { version: number };

/** One closed alert cycle: a label for the evaluation (cli `simhound eval --outcomes`). */
export interface OutcomeLabel {
  alert_id: string;
  den_id: string;
  cycle: number;
  outcome: AlertOutcome;
  closed_ts_ms: number;
  closed_by: string;
  tier: AlertTier;
  score: number;
  /** `name@version` of every detector behind the den when it was closed. */
  detectors: string[];
}

export interface AlertStore {
  insertAlert(alert: AlertRecord): Promise<void>;
  /** Write the alert if its stored version is `alert.version`; the stored version becomes +1. False: someone else wrote first. */
  updateAlert(alert: AlertRecord): Promise<boolean>;
  getAlert(id: string): Promise<AlertRecord | null>;
  getAlertByDen(den_id: string): Promise<AlertRecord | null>;
  /** Most recently updated first. */
  listAlerts(query: AlertQuery): Promise<AlertRecord[]>;
  /** Open alerts whose escalation check is due at `now_ms`, or that have an update waiting for the rate limit. */
  listDue(now_ms: number, limit: number): Promise<AlertRecord[]>;
  addEvent(event: AlertEventInput): Promise<number>;
  /** Oldest first. */
  listEvents(alert_id: string): Promise<AlertEventRecord[]>;
  /** Every `closed` event (oldest first): the labels the evaluation scores detectors with. */
  listOutcomeLabels(): Promise<OutcomeLabel[]>;
  insertDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void>;
  updateDelivery(delivery: DeliveryRecord): Promise<void>;
  getDelivery(id: string): Promise<DeliveryRecord | null>;
  /** Oldest first. */
  listDeliveries(alert_id: string): Promise<DeliveryRecord[]>;
  /** Pending, retrying or held deliveries whose next attempt is due. */
  listDueDeliveries(now_ms: number, limit: number): Promise<DeliveryRecord[]>;
  /** Deliveries not yet done on one channel to one recipient (a web session opened: try them now). */
  listWaitingDeliveries(channel: string, recipient: string): Promise<DeliveryRecord[]>;
  deliveryCounts(): Promise<Record<string, Record<string, number>>>;
  addPolicyVersion(entry: PolicyVersionInput): Promise<number>;
  latestPolicyVersion(): Promise<PolicyVersionRecord | null>;
  /** Newest first. */
  listPolicyVersions(limit: number): Promise<PolicyVersionRecord[]>;
  /** The signed envelope (JSON text as stored at ingest) of a record a case file refers to; null when gone. */
  storedEnvelopeJson(table: 'detections' | 'windows' | 'observation_messages', id: string): Promise<string | null>;
}
