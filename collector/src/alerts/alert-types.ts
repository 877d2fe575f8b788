/**
 * Alert vocabulary: tiers, lifecycle states, outcomes, the alert record kept per den, its lifecycle
 * events and its deliveries. One alert per den, updated in place; a den that reactivates after its
 * alert was closed starts a new cycle of the same alert.
 * Types and constants only.
 */
import { ALERT_EVENTS, ALERT_OUTCOMES, ALERT_STATES, type AlertTier } from '@simhound/protocol';

export { ALERT_TIERS, type AlertTier } from '@simhound/protocol';
export { ALERT_STATES, ALERT_OUTCOMES };

/** Rank of a tier (higher = more urgent). */
export const TIER_RANK: Readonly<Record<AlertTier, number>> = { low: 0, medium: 1, high: 2 };

export type AlertState = (typeof ALERT_STATES)[number];

/** The same outcomes as a den's (collector/src/dens): what the officers found. */
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

export interface LatLon {
  lat_deg: number;
  lon_deg: number;
}

/** The tiering verdict on a den at one moment, with every reason (for the officer and the audit). */
export interface TierAssessment {
  /** null: below the lowest tier (no alert). */
  tier: AlertTier | null;
  score: number;
  /** Corroboration, 0–1 (policy.ts says how it is counted). */
  confidence: number;
  active: boolean;
  rate_per_min: number | null;
  ports_estimate: number | null;
  reasons: string[];
  /** Which policy version judged it. */
  policy_version: number;
}

export interface AlertRecipient {
  officer: string;
  roster: string;
  level: number;
}

export interface AlertRecord {
  id: string;
  den_id: string;
  /** Starts at 1; +1 each time the den reactivates after the alert was closed. */
  cycle: number;
  tier: AlertTier;
  state: AlertState;
  assessment: TierAssessment;
  /** What the alert last showed about its den (den-view.ts AlertDen, trimmed). */
  den: AlertDenSummary;
  raised_ts_ms: number;
  updated_ts_ms: number;
  delivered_ts_ms: number | null;
  acknowledged_ts_ms: number | null;
  acknowledged_by: string | null;
  dispatched_ts_ms: number | null;
  dispatched_by: string | null;
  outcome: AlertOutcome | null;
  outcome_ts_ms: number | null;
  outcome_by: string | null;
  outcome_note: string | null;
  ack_deadline_ts_ms: number;
  outcome_deadline_ts_ms: number;
  escalation_level: number;
  last_escalation_ts_ms: number | null;
  /** When the escalation check is next due (null: nothing to escalate). */
  next_check_ts_ms: number | null;
  recipients: AlertRecipient[];
  last_notified_ts_ms: number | null;
  /** An update waits for the rate limit: pushed at last_notified + min interval. */
  update_pending: boolean;
  /** How many reactivations of the den this alert has taken in. */
  den_reactivations: number;
  /** Row version (optimistic concurrency for in-place updates). */
  version: number;
}

/** What an alert keeps of its den (a snapshot; the den itself lives in its source). */
export interface AlertDenSummary {
  state: string;
  first_seen_ts_ms: number;
  last_seen_ts_ms: number;
  places: Array<{ key: string; cell: { mcc: string; mnc: string; lac: number; ci: number } | null; arfcn: number; ta_steps: number; range_min_m: number; range_max_m: number; cell_position: LatLon | null }>;
  probes: string[];
  detectors: string[];
  location: DenLocation | null;
}

export interface DenLocation {
  point: LatLon;
  /** 95 % confidence ellipse when the den has a location estimate. */
  ellipse_95: { semi_major_m: number; semi_minor_m: number; orientation_deg: number; centre?: LatLon } | null;
  /** estimate: the den's location estimate; serving_cell: only its serving cell is known (within accuracy_m). */
  source: 'estimate' | 'serving_cell';
  accuracy_m: number | null;
}

export const ALERT_EVENT_KINDS = [
  'raised', 'updated', 'tier_raised', 'delivered', 'acknowledged', 'dispatched', 'closed', 'escalated', 'reactivated', 'policy_changed',
] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

export interface AlertEventInput {
  alert_id: string;
  ts_ms: number;
  kind: AlertEventKind;
  cycle: number;
  /** User name, `system`, or `den` (a change made on the den itself). */
  by: string;
  detail: Record<string, unknown>;
}
export type AlertEventRecord = AlertEventInput & { id: number };

export const CHANNEL_NAMES = ['web', 'webhook', 'email', 'mqtt', 'ntfy'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const DELIVERY_STATUSES = ['pending', 'held', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Why a notification is sent. */
export const NOTIFICATION_KINDS = ALERT_EVENTS;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface DeliveryInput {
  id: string;
  alert_id: string;
  cycle: number;
  notification: NotificationKind;
  channel: ChannelName;
  /** Officer name for personal channels; endpoint name for broadcast ones. */
  recipient: string;
  /** Address: e-mail address, URL, topic, user name. */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  created_ts_ms: number;
  next_attempt_ts_ms: number | null;
  last_attempt_ts_ms: number | null;
  delivered_ts_ms: number | null;
  last_error: string | null;
  /** Why it is held (quiet hours) — shown in the UI. */
  held_reason: string | null;
  /** The message as built when the notification was made (the body a webhook signs, the MQTT alert body). */
  payload: AlertMessage;
}
export type DeliveryRecord = DeliveryInput;

/**
 * The message every channel carries (webhook JSON body, MQTT envelope body, the base of e-mail and
 * push texts). Its schema is protocol's AlertBodySchema (a test keeps the two the same).
 */
export interface AlertMessage {
  alert_id: string;
  den_id: string;
  event: NotificationKind;
  cycle: number;
  tier: AlertTier;
  state: AlertState;
  score: number;
  confidence: number;
  active: boolean;
  reasons: string[];
  raised_ts_ms: number;
  ack_deadline_ts_ms: number;
  outcome_deadline_ts_ms: number;
  escalation_level: number;
  recipients: string[];
  outcome: AlertOutcome | null;
  location: { lat_deg: number; lon_deg: number; accuracy_m: number | null; position_source: 'estimate' | 'serving_cell' } | null;
  places: Array<{ cell_key: string; ta_steps: number; range_min_m: number; range_max_m: number }>;
  detectors: string[];
  case_url: string | null;
  ts_ms: number;
}
