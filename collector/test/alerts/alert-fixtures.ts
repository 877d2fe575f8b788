/**
 * Fixtures for the alert tests: dens as the alert code sees them, den-candidate detection bodies as the
 * edge publishes them (fused score, severity, indicators with versions), and a clock tests move by hand.
 */
import type { DetectionBody } from '@simhound/protocol';
import type { AlertDen, AlertMessage, DeliveryRecord } from '../../src/index.js';

export const T0 = Date.UTC(2026, 10, 25, 8, 0, 0); // a Wednesday, 08:00 UTC
export const MIN = 60_000;
export const HOUR = 3_600_000;

export class TestClock {
  constructor(public now: number = T0) {}
  readonly read = () => this.now;
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}

export function den(overrides: Partial<AlertDen> = {}): AlertDen {
  return {
    id: 'den-1',
    state: 'suspected',
    outcome: null,
    score: 0.95,
    severity: 'high',
    first_seen_ts_ms: T0 - 40 * MIN,
    last_seen_ts_ms: T0,
    reactivations: 0,
    places: [
      {
        key: '651-01-117-11201@3', cell: { mcc: '651', mnc: '01', lac: 117, ci: 11201 }, arfcn: 12, ta_steps: 3, range_min_m: 1660.5, range_max_m: 2214,
        cell_position: { lat_deg: -29.841163, lon_deg: 26.953123 }, first_seen_ts_ms: T0 - 40 * MIN, last_seen_ts_ms: T0, rate_per_min: 12, probes: ['maseru/roof-1'], detectors: [],
      },
      {
        key: '651-02-200-3001@5', cell: { mcc: '651', mnc: '02', lac: 200, ci: 3001 }, arfcn: 70, ta_steps: 5, range_min_m: 2767.5, range_max_m: 3321,
        cell_position: { lat_deg: -29.80, lon_deg: 26.99 }, first_seen_ts_ms: T0 - 30 * MIN, last_seen_ts_ms: T0, rate_per_min: 9, probes: ['maseru/roof-1'], detectors: [],
      },
    ],
    probes: ['maseru/roof-1'],
    detectors: ['den-candidate@1', 'machine-regularity@1', 'mo-mt-asymmetry@2'],
    location: { point: { lat_deg: -29.83, lon_deg: 26.97 }, ellipse_95: null, source: 'serving_cell', accuracy_m: 2214 },
    ...overrides,
  };
}

/** A den candidate as the edge's fusion publishes it (edge-agent/src/detect/fusion.ts). */
export function candidateBody(o: { ci?: number; ta?: number; score?: number; severity?: 'low' | 'medium' | 'high'; end_ts_ms: number; first_seen_ts_ms?: number; excess?: number }): DetectionBody {
  const ta = o.ta ?? 3;
  return {
    detector: 'den-candidate',
    detector_version: 1,
    cell: { mcc: '651', mnc: '01', lac: 117, ci: o.ci ?? 11201 },
    arfcn: 12,
    ta_steps: ta,
    range_min_m: ta * 553.5,
    range_max_m: (ta + 1) * 553.5,
    score: o.score ?? 0.95,
    severity: o.severity ?? 'high',
    window: { start_ts_ms: o.end_ts_ms - 10 * MIN, end_ts_ms: o.end_ts_ms },
    evidence: {
      event_count: 140,
      baseline_count: 8,
      p_value: 1e-12,
      cell_event_count: 400,
      active_ta_count: 12,
      thresholds: {},
      fusion_rule: 'A',
      horizon_s: 600,
      first_seen_ts_ms: o.first_seen_ts_ms ?? o.end_ts_ms - 40 * MIN,
      excess_count: o.excess ?? 130,
      indicators: [
        { detector: 'mo-mt-asymmetry', detector_version: 2, p_log10: 9.1, level: 'strong', horizon_s: 600, reason: 'nobody answers pagings at this TA', facts: { effect: 0.1 } },
        { detector: 'machine-regularity', detector_version: 1, p_log10: 4.2, level: 'moderate', horizon_s: 600, reason: 'inter-arrival CV 0.3', facts: { cv: 0.3 } },
      ],
    },
    position: null,
  };
}

export function alertMessage(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    alert_id: '019a0000-0000-7000-8000-000000000001',
    den_id: 'candidates:651-01-117-11201@3',
    event: 'raised',
    cycle: 1,
    tier: 'high',
    state: 'raised',
    score: 0.95,
    confidence: 0.75,
    active: true,
    reasons: ['high: score 0.95 ≥ 0.9', 'high: active now (last seen 1 min ago)'],
    raised_ts_ms: T0,
    ack_deadline_ts_ms: T0 + 30 * MIN,
    outcome_deadline_ts_ms: T0 + 2 * HOUR,
    escalation_level: 0,
    recipients: ['ana'],
    outcome: null,
    location: { lat_deg: -29.841163, lon_deg: 26.953123, accuracy_m: 2214, position_source: 'serving_cell' },
    places: [{ cell_key: '651-01-117-11201', ta_steps: 3, range_min_m: 1660.5, range_max_m: 2214 }],
    detectors: ['den-candidate@1', 'machine-regularity@1', 'mo-mt-asymmetry@2'],
    case_url: 'http://127.0.0.1:8080/#alert=019a0000-0000-7000-8000-000000000001',
    ts_ms: T0,
    ...overrides,
  };
}

export function delivery(channel: DeliveryRecord['channel'], recipient: string, target: string, payload: AlertMessage = alertMessage()): DeliveryRecord {
  return {
    id: `019a0000-0000-7000-8000-${Math.floor(Math.random() * 1e12).toString().padStart(12, '0')}`,
    alert_id: payload.alert_id, cycle: payload.cycle, notification: payload.event, channel, recipient, target, status: 'pending', attempts: 0,
    created_ts_ms: T0, next_attempt_ts_ms: T0, last_attempt_ts_ms: null, delivered_ts_ms: null, last_error: null, held_reason: null, payload,
  };
}
