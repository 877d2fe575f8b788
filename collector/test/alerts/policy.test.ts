import { describe, expect, it } from 'vitest';
import { assessDen, corroboration, defaultAlertPolicy, denSize, parseAlertPolicy, validateAlertPolicy } from '../../src/index.js';
import { den, MIN, T0 } from './alert-fixtures.js';

describe('alert policy', () => {
  it('has the graded-response defaults: act within 2 h / 24 h / 72 h', () => {
    const p = defaultAlertPolicy();
    expect([p.deadlines.high.outcome_s, p.deadlines.medium.outcome_s, p.deadlines.low.outcome_s]).toEqual([7200, 86400, 259200]);
    expect(p.tiers.high).toEqual({ min_score: 0.9, min_confidence: 0.5, require_active: true, min_rate_per_min: 2 });
    expect(p.tiers.low).toEqual({ min_score: 0.3, min_confidence: 0, require_active: false, min_rate_per_min: 0 });
  });

  it('parses YAML, keeps given values and fills the rest from the schema', () => {
    const r = parseAlertPolicy('tiers:\n  high: { min_score: 0.8 }\ndeadlines:\n  high: { outcome_s: 3600 }\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.tiers.high).toEqual({ min_score: 0.8, min_confidence: 0.5, require_active: true, min_rate_per_min: 2 });
    expect(r.value.deadlines.high).toEqual({ ack_s: 1800, outcome_s: 3600 });
    expect(r.value.tiers.medium.min_score).toBe(0.6);
  });

  it('reports every problem at once with its path', () => {
    const r = validateAlertPolicy({ tiers: { high: { min_score: 2 }, urgent: {} }, deadlines: { low: { ack_s: -1 } }, active_within_s: 'soon' });
    expect(r.ok).toBe(false);
    const paths = (r.problems ?? []).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/tiers/high/min_score', '/tiers/urgent', '/deadlines/low/ack_s', '/active_within_s']));
  });

  it('refuses deadlines where a higher tier gets longer than a lower one, or acknowledging longer than acting', () => {
    const r = validateAlertPolicy({ deadlines: { high: { outcome_s: 100_000 }, medium: { ack_s: 90_000 } } });
    expect(r.ok).toBe(false);
    expect(r.problems!.map((p) => p.path).sort()).toEqual(['/deadlines/high/outcome_s', '/deadlines/medium/ack_s']);
  });

  it('tells bad YAML from a bad policy', () => {
    expect(parseAlertPolicy('tiers: [unclosed')).toMatchObject({ ok: false, reason: 'bad_yaml' });
    expect(parseAlertPolicy('tiers: 3')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('counts corroboration: detectors, places, probes, persistence — the fusion itself is no second opinion', () => {
    const p = defaultAlertPolicy();
    const c = corroboration(den(), p);
    expect(c.checks.map((x) => [x.name, x.passed])).toEqual([['detectors', true], ['places', true], ['probes', false], ['persistence', true]]);
    expect(c.confidence).toBe(0.75);
    expect(corroboration(den({ detectors: ['den-candidate@1', 'mo-mt-asymmetry@2'] }), p).checks[0]!.passed).toBe(false);
  });

  it('estimates size from the busiest place: ports = rate × holding time', () => {
    expect(denSize(den(), defaultAlertPolicy())).toEqual({ rate_per_min: 12, ports_estimate: 18 });
  });

  it('grades: high for a strong, corroborated, active, big den; each condition it missed drops it a tier, with the reason', () => {
    const p = defaultAlertPolicy();
    const high = assessDen(den(), p, T0 + 5 * MIN, 1);
    expect(high.tier).toBe('high');
    expect(high.reasons).toEqual(expect.arrayContaining(['high: score 0.95 ≥ 0.9', 'high: confidence 0.75 ≥ 0.5', 'high: active now (last seen 5 min ago)', 'high: size 12.0/min ≥ 2/min']));
    expect(high.policy_version).toBe(1);

    const quiet = assessDen(den(), p, T0 + 45 * MIN, 1);
    expect(quiet.tier).toBe('medium');
    expect(quiet.active).toBe(false);
    expect(quiet.reasons[0]).toBe('not high: not active now (last seen 45 min ago)');

    const weak = assessDen(den({ score: 0.65 }), p, T0, 1);
    expect(weak.tier).toBe('medium');
    expect(weak.reasons[0]).toBe('not high: score 0.65 < 0.9');

    const lone = assessDen(den({ score: 0.5, places: [den().places[0]!], detectors: ['den-candidate@1'], first_seen_ts_ms: T0 - MIN }), p, T0, 1);
    expect(lone.tier).toBe('low');
    expect(lone.confidence).toBe(0);

    expect(assessDen(den({ score: 0.2 }), p, T0, 1).tier).toBeNull();
  });
});
