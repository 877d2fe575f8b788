import { describe, expect, it } from 'vitest';
import {
  acknowledge, assessDen, close, defaultAlertPolicy, dispatch, escalate, escalationDue, markDelivered, nextCheck, overdue, raiseAlert, raiseTier, reopenForReactivation,
  type AlertDenSummary, type AlertRecord,
} from '../../src/index.js';
import { den, HOUR, MIN, T0 } from './alert-fixtures.js';

const policy = defaultAlertPolicy();
const summary: AlertDenSummary = { state: 'suspected', first_seen_ts_ms: T0, last_seen_ts_ms: T0, places: [], probes: [], detectors: ['den-candidate@1'], location: null };
const recipients = [{ officer: 'ana', roster: 'city', level: 0 }];

function raised(tier: 'high' | 'medium' | 'low' = 'high', maxLevel = 2): AlertRecord {
  return raiseAlert({ id: 'a1', den_id: 'den-1', tier, assessment: assessDen(den(), policy, T0, 1), den: summary, recipients, den_reactivations: 0 }, T0, policy, maxLevel);
}

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}`);
  return r.value;
};

describe('alert lifecycle', () => {
  it('raises with the tier\'s deadlines and the acknowledgement deadline as the first check', () => {
    const a = raised('high');
    expect(a.state).toBe('raised');
    expect(a.ack_deadline_ts_ms).toBe(T0 + 30 * MIN);
    expect(a.outcome_deadline_ts_ms).toBe(T0 + 2 * HOUR);
    expect(a.next_check_ts_ms).toBe(T0 + 30 * MIN);
    expect(raised('medium').outcome_deadline_ts_ms).toBe(T0 + 24 * HOUR);
    expect(raised('low').outcome_deadline_ts_ms).toBe(T0 + 72 * HOUR);
  });

  it('goes raised → delivered → acknowledged → dispatched → closed, recording who and when', () => {
    let a = markDelivered(raised(), T0 + 1000);
    expect([a.state, a.delivered_ts_ms]).toEqual(['delivered', T0 + 1000]);
    expect(markDelivered(a, T0 + 5000).delivered_ts_ms).toBe(T0 + 1000);
    a = value(acknowledge(a, 'ana', T0 + 10 * MIN, policy, 2));
    expect([a.state, a.acknowledged_by, a.acknowledged_ts_ms, a.next_check_ts_ms]).toEqual(['acknowledged', 'ana', T0 + 10 * MIN, T0 + 2 * HOUR]);
    a = value(dispatch(a, 'ana', T0 + 20 * MIN, policy, 2));
    expect([a.state, a.dispatched_by]).toEqual(['dispatched', 'ana']);
    a = value(close(a, 'raided', 'bob', '8 GoIP boxes seized', T0 + 90 * MIN));
    expect([a.state, a.outcome, a.outcome_by, a.outcome_note, a.next_check_ts_ms]).toEqual(['closed', 'raided', 'bob', '8 GoIP boxes seized', null]);
  });

  it('refuses steps out of order with a typed reason', () => {
    const a = raised();
    expect(dispatch(a, 'ana', T0, policy, 2)).toMatchObject({ ok: false, reason: 'not_acknowledged' });
    expect(close(a, 'raided', 'ana', null, T0)).toMatchObject({ ok: false, reason: 'not_acknowledged' });
    const acked = value(acknowledge(a, 'ana', T0, policy, 2));
    expect(acknowledge(acked, 'bob', T0, policy, 2)).toMatchObject({ ok: false, reason: 'bad_transition' });
    const closed = value(close(acked, 'nothing_found', 'ana', null, T0));
    expect(acknowledge(closed, 'ana', T0, policy, 2)).toMatchObject({ ok: false, reason: 'closed' });
    expect(close(closed, 'raided', 'ana', null, T0)).toMatchObject({ ok: false, reason: 'closed' });
    expect(reopenForReactivation(acked, { tier: 'high', assessment: a.assessment, den: summary, recipients, den_reactivations: 1 }, T0, policy, 2)).toMatchObject({ ok: false, reason: 'bad_transition' });
  });

  it('escalates when unacknowledged at the deadline, gives the next person the ack time, then follows the outcome deadline, up to the top of the chain', () => {
    let a = raised('high', 2);
    expect(escalationDue(a, T0 + 30 * MIN - 1, policy, 2)).toBeNull();
    expect(escalationDue(a, T0 + 30 * MIN, policy, 2)).toBe('ack_overdue');
    expect(overdue(a, T0 + 31 * MIN)).toEqual({ ack: true, outcome: false });
    a = escalate(a, T0 + 30 * MIN, [{ officer: 'bob', roster: 'city', level: 1 }], policy, 2);
    expect([a.escalation_level, a.next_check_ts_ms]).toEqual([1, T0 + 60 * MIN]);
    a = value(acknowledge(a, 'bob', T0 + 40 * MIN, policy, 2));
    expect(a.next_check_ts_ms).toBe(T0 + 2 * HOUR);
    expect(escalationDue(a, T0 + 2 * HOUR - 1, policy, 2)).toBeNull();
    expect(escalationDue(a, T0 + 2 * HOUR, policy, 2)).toBe('outcome_overdue');
    a = escalate(a, T0 + 2 * HOUR, [{ officer: 'chief', roster: 'city', level: 2 }], policy, 2);
    expect([a.escalation_level, a.next_check_ts_ms]).toEqual([2, null]);
    expect(escalationDue(a, T0 + 100 * HOUR, policy, 2)).toBeNull();
    expect(overdue(a, T0 + 3 * HOUR)).toEqual({ ack: false, outcome: true });
  });

  it('never escalates a one-person chain', () => {
    const a = raised('high', 0);
    expect(a.next_check_ts_ms).toBeNull();
    expect(escalationDue(a, T0 + 10 * HOUR, policy, 0)).toBeNull();
  });

  it('raises the tier but never lowers it; deadlines tighten to the new tier from now', () => {
    const a = raised('low', 2);
    const up = raiseTier(a, 'high', T0 + HOUR, policy, 2);
    expect(up.tier).toBe('high');
    expect(up.ack_deadline_ts_ms).toBe(T0 + HOUR + 30 * MIN);
    expect(up.outcome_deadline_ts_ms).toBe(T0 + 3 * HOUR);
    expect(raiseTier(up, 'medium', T0 + 2 * HOUR, policy, 2)).toBe(up);
  });

  it('re-opens a closed alert as a new cycle with fresh deadlines when its den reactivates', () => {
    const closed = value(close(value(acknowledge(raised(), 'ana', T0, policy, 2)), 'raided', 'ana', null, T0 + HOUR));
    const again = value(reopenForReactivation(closed, { tier: 'medium', assessment: closed.assessment, den: summary, recipients, den_reactivations: 1 }, T0 + 5 * HOUR, policy, 2));
    expect([again.cycle, again.state, again.tier, again.outcome, again.acknowledged_by, again.raised_ts_ms, again.den_reactivations]).toEqual([2, 'raised', 'medium', null, null, T0 + 5 * HOUR, 1]);
    expect(again.outcome_deadline_ts_ms).toBe(T0 + 5 * HOUR + 24 * HOUR);
    expect(nextCheck(again, policy, 2)).toBe(T0 + 5 * HOUR + 4 * HOUR);
  });
});
