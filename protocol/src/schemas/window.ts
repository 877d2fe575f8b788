/**
 * Aggregated features for one window: counts per (cell, ARFCN, TA, cause), published every window for
 * cross-probe correlation, baselines and heatmaps. Carries counts only, never identities.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ArfcnSchema, CellIdSchema, EstablishmentCauseSchema, TaStepsSchema, TimeWindowSchema } from './common.js';

export const WindowRowSchema = Type.Object(
  {
    cell: Type.Union([CellIdSchema, Type.Null()]),
    arfcn: ArfcnSchema,
    ta_steps: TaStepsSchema,
    cause: EstablishmentCauseSchema,
    event_count: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, $id: 'WindowRow' },
);

export const PagingRowSchema = Type.Object(
  {
    cell: Type.Union([CellIdSchema, Type.Null()]),
    arfcn: ArfcnSchema,
    event_count: Type.Integer({ minimum: 0, description: 'Paging requests carrying at least one identity.' }),
    distinct_subs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, $id: 'PagingRow' },
);

export const WindowBodySchema = Type.Object(
  {
    window: TimeWindowSchema,
    window_s: Type.Number({ exclusiveMinimum: 0 }),
    assignments: Type.Array(WindowRowSchema),
    pagings: Type.Array(PagingRowSchema),
  },
  { additionalProperties: false, $id: 'WindowBody' },
);
export type WindowBody = Static<typeof WindowBodySchema>;
export type WindowRow = Static<typeof WindowRowSchema>;
