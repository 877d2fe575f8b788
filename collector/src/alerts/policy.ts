/**
 * The tiering policy: how a den's score, confidence (corroboration), activity and size map to an alert
 * tier, with the reasons; the deadlines per tier (act within 2 h / 24 h / 72 h by default, the graded
 * response of anti-fraud centres); the escalation and rate-limit settings. Written as YAML, validated
 * against one TypeBox schema with every problem reported at once; a changed policy gets a new version
 * (policy-history in the alert store, who/when/what — see alert-service.ts).
 *
 * Confidence counts independent corroboration, each check worth the same:
 *   several detectors agree · seen from several places (cells/operators) · by several probes · held long.
 * Size is the den's originating demand above the baseline (accesses per minute, its busiest place); the
 * ports estimate is that rate × the assumed holding time (Little's law) and is only shown, never judged.
 *
 * Must not do I/O; must not know about alerts' storage or channels.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { fail, ok, type Result } from '@simhound/protocol';
import { ALERT_TIERS, TIER_RANK, type AlertTier, type TierAssessment } from './alert-types.js';
import type { AlertDen } from './den-view.js';

const tierRuleSchema = (d: { min_score: number; min_confidence?: number; require_active?: boolean; min_rate_per_min?: number }) => Type.Object(
  {
    min_score: Type.Number({ minimum: 0, maximum: 1, default: d.min_score, description: 'Den score (0–1, the fused candidate score) at least this.' }),
    min_confidence: Type.Number({ minimum: 0, maximum: 1, default: d.min_confidence ?? 0, description: 'Corroboration (0–1) at least this.' }),
    require_active: Type.Boolean({ default: d.require_active ?? false, description: 'Only a den active now (seen within active_within_s).' }),
    min_rate_per_min: Type.Number({ minimum: 0, default: d.min_rate_per_min ?? 0, description: 'Size: originating accesses per minute above the baseline at least this.' }),
  },
  { additionalProperties: false, default: {} },
);

const DeadlineSchema = (ack_s: number, outcome_s: number) => Type.Object(
  {
    ack_s: Type.Number({ exclusiveMinimum: 0, default: ack_s, description: 'Acknowledge within this; then the next on-call is alerted.' }),
    outcome_s: Type.Number({ exclusiveMinimum: 0, default: outcome_s, description: 'Act and report the outcome within this (the tier deadline).' }),
  },
  { additionalProperties: false, default: {} },
);

export const AlertPolicySchema = Type.Object(
  {
    active_within_s: Type.Number({ exclusiveMinimum: 0, default: 1800, description: 'A den seen within this long is active now (the edge re-publishes a holding candidate about every 10 min).' }),
    confidence: Type.Object(
      {
        min_detectors: Type.Integer({ minimum: 1, default: 2, description: 'Corroboration: at least this many different detectors contributed.' }),
        min_places: Type.Integer({ minimum: 1, default: 2, description: 'Corroboration: seen from at least this many places (cell, TA) — other cells, other operators.' }),
        min_probes: Type.Integer({ minimum: 1, default: 2, description: 'Corroboration: seen by at least this many probes.' }),
        min_persistence_s: Type.Number({ minimum: 0, default: 1800, description: 'Corroboration: held at least this long (last seen − first seen).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    size: Type.Object(
      { call_holding_s: Type.Number({ exclusiveMinimum: 0, default: 90, description: 'Assumed mean call holding time for the ports estimate (rate × holding time).' }) },
      { additionalProperties: false, default: {} },
    ),
    tiers: Type.Object(
      {
        high: tierRuleSchema({ min_score: 0.9, min_confidence: 0.5, require_active: true, min_rate_per_min: 2 }),
        medium: tierRuleSchema({ min_score: 0.6, min_confidence: 0.25 }),
        low: tierRuleSchema({ min_score: 0.3 }),
      },
      { additionalProperties: false, default: {}, description: 'Checked high, then medium, then low: the first whose every condition holds is the tier; none: no alert.' },
    ),
    deadlines: Type.Object(
      {
        high: DeadlineSchema(1800, 2 * 3600),
        medium: DeadlineSchema(4 * 3600, 24 * 3600),
        low: DeadlineSchema(12 * 3600, 72 * 3600),
      },
      { additionalProperties: false, default: {} },
    ),
    rate_limit: Type.Object(
      {
        min_update_interval_s: Type.Number({ minimum: 0, default: 600, description: 'At most one pushed update of one alert in this time (later changes are coalesced into the next push); raises, re-alerts and escalations are not held back.' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, $id: 'AlertPolicy' },
);

export type AlertPolicy = Static<typeof AlertPolicySchema>;
export type TierRule = AlertPolicy['tiers']['high'];

export interface PolicyProblem {
  path: string;
  message: string;
}

export type PolicyRejection = 'bad_yaml' | 'invalid';

/** A complete policy from the schema defaults. */
export function defaultAlertPolicy(): AlertPolicy {
  return Value.Default(AlertPolicySchema, {}) as AlertPolicy;
}

/** Validate an already parsed policy object: every problem with its path. */
export function validateAlertPolicy(input: unknown): Result<AlertPolicy, 'invalid'> & { problems?: PolicyProblem[] } {
  const value = Value.Default(AlertPolicySchema, Value.Clone(input ?? {}));
  const problems: PolicyProblem[] = [...Value.Errors(AlertPolicySchema, value)].map((e) => ({ path: e.path || '/', message: e.message }));
  if (problems.length === 0) {
    const p = value as AlertPolicy;
    for (let i = 0; i < ALERT_TIERS.length - 1; i++) {
      const higher = ALERT_TIERS[i]!;
      const lower = ALERT_TIERS[i + 1]!;
      if (p.deadlines[higher].outcome_s > p.deadlines[lower].outcome_s) {
        problems.push({ path: `/deadlines/${higher}/outcome_s`, message: `${higher} must not allow longer than ${lower} (${p.deadlines[lower].outcome_s} s)` });
      }
    }
    for (const tier of ALERT_TIERS) {
      if (p.deadlines[tier].ack_s > p.deadlines[tier].outcome_s) problems.push({ path: `/deadlines/${tier}/ack_s`, message: 'must not exceed outcome_s' });
    }
    if (problems.length === 0) return ok(p);
  }
  return { ...fail('invalid', problems.map((p) => `${p.path}: ${p.message}`).join('; ')), problems };
}

/** Parse and validate policy YAML text. */
export function parseAlertPolicy(text: string): Result<AlertPolicy, PolicyRejection> & { problems?: PolicyProblem[] } {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({ path: `line ${(e.linePos?.[0]?.line ?? 0)}`, message: e.message.split('\n')[0]! }));
    return { ...fail('bad_yaml', problems.map((p) => `${p.path}: ${p.message}`).join('; ')), problems };
  }
  const v = validateAlertPolicy(doc.toJS() ?? {});
  return v;
}

export interface Corroboration {
  confidence: number;
  checks: Array<{ name: 'detectors' | 'places' | 'probes' | 'persistence'; passed: boolean; text: string }>;
}

/** The signal detectors behind a den (the fusion step itself is not a second opinion). */
function signalDetectors(den: AlertDen): string[] {
  return [...new Set(den.detectors.map((d) => d.split('@')[0]!).filter((d) => d !== 'den-candidate'))];
}

export function corroboration(den: AlertDen, policy: AlertPolicy): Corroboration {
  const c = policy.confidence;
  const detectors = signalDetectors(den);
  const persistence_s = Math.max(0, (den.last_seen_ts_ms - den.first_seen_ts_ms) / 1000);
  const checks: Corroboration['checks'] = [
    { name: 'detectors', passed: detectors.length >= c.min_detectors, text: `${detectors.length} detector(s) agree (${detectors.join(', ') || 'none'}; ${c.min_detectors} corroborate)` },
    { name: 'places', passed: den.places.length >= c.min_places, text: `seen from ${den.places.length} place(s) (cell, TA) (${c.min_places} corroborate)` },
    { name: 'probes', passed: den.probes.length >= c.min_probes, text: `seen by ${den.probes.length} probe(s) (${c.min_probes} corroborate)` },
    { name: 'persistence', passed: persistence_s >= c.min_persistence_s, text: `held for ${formatDuration(persistence_s)} (${formatDuration(c.min_persistence_s)} corroborates)` },
  ];
  return { confidence: checks.filter((x) => x.passed).length / checks.length, checks };
}

export function formatDuration(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(s < 36000 ? 1 : 0)} h`;
}

/** The den's size: its busiest place's rate, and the ports estimate that rate implies. */
export function denSize(den: AlertDen, policy: AlertPolicy): { rate_per_min: number | null; ports_estimate: number | null } {
  const rates = den.places.map((p) => p.rate_per_min).filter((r) => Number.isFinite(r) && r > 0);
  if (rates.length === 0) return { rate_per_min: null, ports_estimate: null };
  const rate = Math.max(...rates);
  return { rate_per_min: rate, ports_estimate: Math.max(1, Math.ceil((rate * policy.size.call_holding_s) / 60)) };
}

/**
 * Judge a den: the first tier (high → medium → low) whose every condition holds, with one reason per
 * condition of that tier, and for each higher tier the condition that kept the den out of it.
 */
export function assessDen(den: AlertDen, policy: AlertPolicy, now_ms: number, policy_version: number): TierAssessment {
  const corr = corroboration(den, policy);
  const size = denSize(den, policy);
  const sinceSeen_s = Math.max(0, (now_ms - den.last_seen_ts_ms) / 1000);
  const active = sinceSeen_s <= policy.active_within_s;
  const failedOf = (rule: TierRule): string[] => {
    const failed: string[] = [];
    if (den.score < rule.min_score) failed.push(`score ${den.score.toFixed(2)} < ${rule.min_score}`);
    if (corr.confidence < rule.min_confidence) failed.push(`confidence ${corr.confidence.toFixed(2)} < ${rule.min_confidence}`);
    if (rule.require_active && !active) failed.push(`not active now (last seen ${formatDuration(sinceSeen_s)} ago)`);
    if (rule.min_rate_per_min > 0 && (size.rate_per_min ?? 0) < rule.min_rate_per_min) {
      failed.push(`size ${(size.rate_per_min ?? 0).toFixed(1)}/min < ${rule.min_rate_per_min}/min`);
    }
    return failed;
  };
  const reasons: string[] = [];
  let tier: AlertTier | null = null;
  for (const t of ALERT_TIERS) {
    const rule = policy.tiers[t];
    const failed = failedOf(rule);
    if (failed.length === 0) {
      tier = t;
      reasons.push(`${t}: score ${den.score.toFixed(2)} ≥ ${rule.min_score}`);
      if (rule.min_confidence > 0) reasons.push(`${t}: confidence ${corr.confidence.toFixed(2)} ≥ ${rule.min_confidence}`);
      if (rule.require_active) reasons.push(`${t}: active now (last seen ${formatDuration(sinceSeen_s)} ago)`);
      if (rule.min_rate_per_min > 0) reasons.push(`${t}: size ${size.rate_per_min!.toFixed(1)}/min ≥ ${rule.min_rate_per_min}/min`);
      break;
    }
    reasons.push(`not ${t}: ${failed.join(', ')}`);
  }
  for (const c of corr.checks) reasons.push(`confidence ${c.passed ? '+' : '−'} ${c.text}`);
  if (size.rate_per_min !== null) reasons.push(`size: ${size.rate_per_min.toFixed(1)} accesses/min above baseline ≈ ${size.ports_estimate} busy port(s) at ${policy.size.call_holding_s} s a call`);
  return { tier, score: den.score, confidence: corr.confidence, active, rate_per_min: size.rate_per_min, ports_estimate: size.ports_estimate, reasons, policy_version };
}

export const higherTier = (a: AlertTier, b: AlertTier): AlertTier => (TIER_RANK[a] >= TIER_RANK[b] ? a : b);
