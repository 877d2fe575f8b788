/**
 * The alert lifecycle as pure functions of (alert, event, now): raised → delivered → acknowledged →
 * dispatched → closed with an outcome; deadlines per tier; when escalation is due; a closed alert
 * reopening as a new cycle when its den reactivates; a tier going up (never down within a cycle: an
 * officer's deadline does not move away because the den went quiet).
 *
 * Escalation: while unacknowledged, the acknowledgement deadline; once acknowledged, the outcome
 * deadline. Each escalation moves one level up the on-call chain and gives that person the tier's
 * acknowledgement time before the next one (next check = max(deadline, last escalation + ack_s)). At the
 * top of the chain nothing escalates further (the alert stays overdue in the UI).
 *
 * Must not do I/O, read the clock or know about channels: every time comes in as an argument.
 */
import { fail, ok, type Result } from '@simhound/protocol';
import type { AlertDenSummary, AlertOutcome, AlertRecipient, AlertRecord, AlertTier, TierAssessment } from './alert-types.js';
import { TIER_RANK } from './alert-types.js';
import type { AlertPolicy } from './policy.js';

export type TransitionRejection = 'bad_transition' | 'not_acknowledged' | 'closed';

export function deadlinesFrom(tier: AlertTier, from_ts_ms: number, policy: AlertPolicy): { ack_deadline_ts_ms: number; outcome_deadline_ts_ms: number } {
  const d = policy.deadlines[tier];
  return { ack_deadline_ts_ms: from_ts_ms + d.ack_s * 1000, outcome_deadline_ts_ms: from_ts_ms + d.outcome_s * 1000 };
}

const isUnacknowledged = (a: AlertRecord) => a.state === 'raised' || a.state === 'delivered';

/** When the next escalation is due, or null (closed, or already at the top of the chain). */
export function nextCheck(a: AlertRecord, policy: AlertPolicy, maxLevel: number): number | null {
  if (a.state === 'closed' || a.escalation_level >= maxLevel) return null;
  const base = isUnacknowledged(a) ? a.ack_deadline_ts_ms : a.outcome_deadline_ts_ms;
  if (a.last_escalation_ts_ms === null) return base;
  return Math.max(base, a.last_escalation_ts_ms + policy.deadlines[a.tier].ack_s * 1000);
}

export type EscalationReason = 'ack_overdue' | 'outcome_overdue';

export function escalationDue(a: AlertRecord, now_ms: number, policy: AlertPolicy, maxLevel: number): EscalationReason | null {
  const due = nextCheck(a, policy, maxLevel);
  if (due === null || now_ms < due) return null;
  return isUnacknowledged(a) ? 'ack_overdue' : 'outcome_overdue';
}

/** Overdue flags for display. */
export function overdue(a: AlertRecord, now_ms: number): { ack: boolean; outcome: boolean } {
  return { ack: isUnacknowledged(a) && now_ms > a.ack_deadline_ts_ms, outcome: a.state !== 'closed' && now_ms > a.outcome_deadline_ts_ms };
}

export interface NewAlertInput {
  id: string;
  den_id: string;
  tier: AlertTier;
  assessment: TierAssessment;
  den: AlertDenSummary;
  recipients: AlertRecipient[];
  den_reactivations: number;
}

export function raiseAlert(input: NewAlertInput, now_ms: number, policy: AlertPolicy, maxLevel: number): AlertRecord {
  const a: AlertRecord = {
    id: input.id,
    den_id: input.den_id,
    cycle: 1,
    tier: input.tier,
    state: 'raised',
    assessment: input.assessment,
    den: input.den,
    raised_ts_ms: now_ms,
    updated_ts_ms: now_ms,
    delivered_ts_ms: null,
    acknowledged_ts_ms: null,
    acknowledged_by: null,
    dispatched_ts_ms: null,
    dispatched_by: null,
    outcome: null,
    outcome_ts_ms: null,
    outcome_by: null,
    outcome_note: null,
    ...deadlinesFrom(input.tier, now_ms, policy),
    escalation_level: 0,
    last_escalation_ts_ms: null,
    next_check_ts_ms: null,
    recipients: input.recipients,
    last_notified_ts_ms: null,
    update_pending: false,
    den_reactivations: input.den_reactivations,
    version: 0,
  };
  a.next_check_ts_ms = nextCheck(a, policy, maxLevel);
  return a;
}

/** The den reactivated after the alert was closed: a new cycle, fresh deadlines, back to the first on-call. */
export function reopenForReactivation(a: AlertRecord, input: Omit<NewAlertInput, 'id' | 'den_id'>, now_ms: number, policy: AlertPolicy, maxLevel: number): Result<AlertRecord, TransitionRejection> {
  if (a.state !== 'closed') return fail('bad_transition', `alert is ${a.state}, not closed`);
  const fresh = raiseAlert({ ...input, id: a.id, den_id: a.den_id }, now_ms, policy, maxLevel);
  return ok({ ...fresh, cycle: a.cycle + 1, version: a.version });
}

export function markDelivered(a: AlertRecord, now_ms: number): AlertRecord {
  if (a.delivered_ts_ms !== null) return a;
  return { ...a, delivered_ts_ms: now_ms, state: a.state === 'raised' ? 'delivered' : a.state, updated_ts_ms: now_ms };
}

export function acknowledge(a: AlertRecord, by: string, now_ms: number, policy: AlertPolicy, maxLevel: number): Result<AlertRecord, TransitionRejection> {
  if (a.state === 'closed') return fail('closed', 'the alert is closed');
  if (!isUnacknowledged(a)) return fail('bad_transition', `already ${a.state} (acknowledged by ${a.acknowledged_by})`);
  const next: AlertRecord = { ...a, state: 'acknowledged', acknowledged_by: by, acknowledged_ts_ms: now_ms, updated_ts_ms: now_ms };
  next.next_check_ts_ms = nextCheck(next, policy, maxLevel);
  return ok(next);
}

export function dispatch(a: AlertRecord, by: string, now_ms: number, policy: AlertPolicy, maxLevel: number): Result<AlertRecord, TransitionRejection> {
  if (a.state === 'closed') return fail('closed', 'the alert is closed');
  if (isUnacknowledged(a)) return fail('not_acknowledged', 'acknowledge the alert before dispatching');
  if (a.state === 'dispatched') return fail('bad_transition', `already dispatched by ${a.dispatched_by}`);
  const next: AlertRecord = { ...a, state: 'dispatched', dispatched_by: by, dispatched_ts_ms: now_ms, updated_ts_ms: now_ms };
  next.next_check_ts_ms = nextCheck(next, policy, maxLevel);
  return ok(next);
}

export function close(a: AlertRecord, outcome: AlertOutcome, by: string, note: string | null, now_ms: number): Result<AlertRecord, TransitionRejection> {
  if (a.state === 'closed') return fail('closed', `already closed (${a.outcome})`);
  if (isUnacknowledged(a)) return fail('not_acknowledged', 'acknowledge the alert before closing it');
  return ok({ ...a, state: 'closed', outcome, outcome_by: by, outcome_note: note, outcome_ts_ms: now_ms, updated_ts_ms: now_ms, next_check_ts_ms: null, update_pending: false });
}

/** Raise the tier (never lowers it within a cycle); deadlines tighten to the new tier's, counted from now. */
export function raiseTier(a: AlertRecord, tier: AlertTier, now_ms: number, policy: AlertPolicy, maxLevel: number): AlertRecord {
  if (TIER_RANK[tier] <= TIER_RANK[a.tier]) return a;
  const d = deadlinesFrom(tier, now_ms, policy);
  const next: AlertRecord = {
    ...a,
    tier,
    ack_deadline_ts_ms: Math.min(a.ack_deadline_ts_ms, d.ack_deadline_ts_ms),
    outcome_deadline_ts_ms: Math.min(a.outcome_deadline_ts_ms, d.outcome_deadline_ts_ms),
    updated_ts_ms: now_ms,
  };
  next.next_check_ts_ms = nextCheck(next, policy, maxLevel);
  return next;
}

export function escalate(a: AlertRecord, now_ms: number, recipients: AlertRecipient[], policy: AlertPolicy, maxLevel: number): AlertRecord {
  const next: AlertRecord = { ...a, escalation_level: a.escalation_level + 1, last_escalation_ts_ms: now_ms, recipients, updated_ts_ms: now_ms };
  next.next_check_ts_ms = nextCheck(next, policy, maxLevel);
  return next;
}
