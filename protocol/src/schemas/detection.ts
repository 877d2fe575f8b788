/**
 * A detection: one detector's verdict on one (cell, ARFCN, TA) over one window, with the evidence that
 * made it fire. Evidence fields are closed (every name is in the vocabulary) so the collector, Influx
 * and dashboards read the same names.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ArfcnSchema, CellIdSchema, PositionSchema, TaStepsSchema, TimeWindowSchema } from './common.js';

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const EvidenceSchema = Type.Object(
  {
    count_by_cause: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'Assignments in the window at this TA, by establishment cause.',
    }),
    event_count: Type.Integer({ minimum: 0, description: 'Events counted by the detector at this TA.' }),
    baseline_count: Type.Number({ minimum: 0, description: 'Expected count for this slot (baseline).' }),
    p_value: Type.Number({ minimum: 0, maximum: 1, description: 'Probability of a count this high under the baseline.' }),
    cell_event_count: Type.Integer({ minimum: 0, description: 'Same events on the whole cell in the window.' }),
    active_ta_count: Type.Integer({ minimum: 0, description: 'TA steps with traffic on the cell in the window.' }),
    distinct_subs: Type.Optional(Type.Integer({ minimum: 0, description: 'Distinct sub_refs seen at this slot.' })),
    interarrival_mean_ms: Type.Optional(Type.Number({ minimum: 0 })),
    interarrival_cv: Type.Optional(Type.Number({ minimum: 0, description: 'Coefficient of variation of inter-arrival times.' })),
    thresholds: Type.Record(Type.String(), Type.Number(), { description: 'Detector thresholds in force.' }),
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
