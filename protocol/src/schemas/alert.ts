/**
 * Collector → subscribers alerts on `simhound/v1/alerts/<tier>`: an envelope of kind `alert` signed with
 * the collector's own Ed25519 key (site = the deployment's alert site, probe = "collector"), QoS 1, not
 * retained. One alert per den, updated in place: every message about it carries the same alert_id; the
 * event says why it was sent. The same body is what webhooks receive (inside {delivery_id, alert}).
 */
import { Type, type Static } from '@sinclair/typebox';
import { ALERT_TIERS } from '../topics.js';

export const ALERT_EVENTS = ['raised', 'updated', 'escalated', 'reactivated', 'acknowledged', 'dispatched', 'closed'] as const;
export const ALERT_STATES = ['raised', 'delivered', 'acknowledged', 'dispatched', 'closed'] as const;
export const ALERT_OUTCOMES = ['raided', 'nothing_found', 'moved', 'duplicate'] as const;

const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const AlertBodySchema = Type.Object(
  {
    alert_id: Type.String({ minLength: 1, maxLength: 64 }),
    den_id: Type.String({ minLength: 1, maxLength: 128 }),
    event: lit(ALERT_EVENTS),
    cycle: Type.Integer({ minimum: 1 }),
    tier: lit(ALERT_TIERS),
    state: lit(ALERT_STATES),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    active: Type.Boolean(),
    reasons: Type.Array(Type.String({ maxLength: 400 }), { maxItems: 32 }),
    raised_ts_ms: Type.Integer({ minimum: 0 }),
    ack_deadline_ts_ms: Type.Integer({ minimum: 0 }),
    outcome_deadline_ts_ms: Type.Integer({ minimum: 0 }),
    escalation_level: Type.Integer({ minimum: 0 }),
    recipients: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
    outcome: Type.Union([lit(ALERT_OUTCOMES), Type.Null()]),
    location: Type.Union([
      Type.Object(
        {
          lat_deg: Type.Number({ minimum: -90, maximum: 90 }),
          lon_deg: Type.Number({ minimum: -180, maximum: 180 }),
          accuracy_m: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
          position_source: Type.Union([Type.Literal('estimate'), Type.Literal('serving_cell')]),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    places: Type.Array(
      Type.Object(
        { cell_key: Type.String({ maxLength: 64 }), ta_steps: Type.Integer({ minimum: 0, maximum: 63 }), range_min_m: Type.Number({ minimum: 0 }), range_max_m: Type.Number({ minimum: 0 }) },
        { additionalProperties: false },
      ),
      { maxItems: 64 },
    ),
    detectors: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
    case_url: Type.Union([Type.String({ maxLength: 2048 }), Type.Null()]),
    ts_ms: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, $id: 'AlertBody' },
);
export type AlertBody = Static<typeof AlertBodySchema>;
