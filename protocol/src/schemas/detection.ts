/**
 * A detection: one detector's verdict on one (cell, ARFCN, TA) over one window, with the evidence that
 * made it fire. Evidence fields are closed (every name is in the vocabulary) so the collector, Influx
 * and dashboards read the same names.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ArfcnSchema, CellIdSchema, PositionSchema, TaStepsSchema, TimeWindowSchema } from './common.js';

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One detector's contribution to a den candidate (fusion evidence). */
export const IndicatorSchema = Type.Object(
  {
    detector: Type.String({ pattern: '^[a-z0-9-]+$' }),
    detector_version: Type.Integer({ minimum: 1 }),
    p_log10: Type.Number({ minimum: 0, description: '−log10 of the p-value of the detector\'s test (capped at 30).' }),
    level: Type.Union([Type.Literal('moderate'), Type.Literal('strong')]),
    horizon_s: Type.Number({ minimum: 0 }),
    reason: Type.String({ maxLength: 400 }),
    facts: Type.Record(Type.String(), Type.Number(), { description: 'Detector-specific numbers behind the verdict.' }),
  },
  { additionalProperties: false, $id: 'Indicator' },
);
export type IndicatorRecord = Static<typeof IndicatorSchema>;

export const EvidenceSchema = Type.Object(
  {
    count_by_cause: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'Assignments in the window at this TA, by establishment cause.',
    })),
    count_by_class: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'Accesses at this TA over the horizon, by traffic class (mo_call, sdcch, mt_call, lu …).',
    })),
    event_count: Type.Integer({ minimum: 0, description: 'Events counted by the detector at this TA.' }),
    baseline_count: Type.Number({ minimum: 0, description: 'Expected count for this slot (baseline).' }),
    p_value: Type.Number({ minimum: 0, maximum: 1, description: 'Probability of a count this high under the baseline.' }),
    cell_event_count: Type.Integer({ minimum: 0, description: 'Same events on the whole cell in the window.' }),
    active_ta_count: Type.Integer({ minimum: 0, description: 'TA steps with traffic on the cell in the window.' }),
    distinct_subs: Type.Optional(Type.Integer({ minimum: 0, description: 'Distinct sub_refs seen at this slot.' })),
    interarrival_mean_ms: Type.Optional(Type.Number({ minimum: 0 })),
    interarrival_cv: Type.Optional(Type.Number({ minimum: 0, description: 'Coefficient of variation of inter-arrival times.' })),
    thresholds: Type.Record(Type.String(), Type.Number(), { description: 'Detector thresholds in force.' }),
    // Den candidates (fusion):
    fusion_rule: Type.Optional(Type.String({ maxLength: 8 })),
    indicators: Type.Optional(Type.Array(IndicatorSchema, { maxItems: 16 })),
    ta_span_steps: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 })),
    horizon_s: Type.Optional(Type.Number({ minimum: 0 })),
    first_seen_ts_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    excess_count: Type.Optional(Type.Number({ minimum: 0 })),
    mt_share: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    mt_share_expected: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false, $id: 'Evidence' },
);
export type Evidence = Static<typeof EvidenceSchema>;

export const DetectionBodySchema = Type.Object(
  {
    detector: Type.String({ pattern: '^[a-z0-9-]+$' }),
    detector_version: Type.Integer({ minimum: 1 }),
    cell: Type.Union([CellIdSchema, Type.Null()]),
    arfcn: ArfcnSchema,
    ta_steps: TaStepsSchema,
    range_min_m: Type.Number({ minimum: 0, description: 'Inner edge of the TA ring from the serving cell.' }),
    range_max_m: Type.Number({ minimum: 0, description: 'Outer edge of the TA ring from the serving cell.' }),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
    window: TimeWindowSchema,
    evidence: EvidenceSchema,
    position: Type.Union([PositionSchema, Type.Null()], { description: "The probe's position when it detected." }),
  },
  { additionalProperties: false, $id: 'DetectionBody' },
);
export type DetectionBody = Static<typeof DetectionBodySchema>;
