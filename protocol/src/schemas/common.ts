/**
 * Schema pieces shared by several messages: cell identity, positions, time windows.
 * Property names follow the field vocabulary (vocabulary.ts); a test enforces it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ESTABLISHMENT_CAUSES } from '../gsm-vocabulary.js';

export const CellIdSchema = Type.Object(
  {
    mcc: Type.String({ pattern: '^[0-9]{3}$' }),
    mnc: Type.String({ pattern: '^[0-9]{2,3}$' }),
    lac: Type.Integer({ minimum: 0, maximum: 65535 }),
    ci: Type.Integer({ minimum: 0, maximum: 268435455 }),
  },
  { additionalProperties: false, $id: 'CellId', description: 'Cell global identity as broadcast in SI3/SI4.' },
);
export type CellId = Static<typeof CellIdSchema>;

export const PositionSchema = Type.Object(
  {
    lat_deg: Type.Number({ minimum: -90, maximum: 90 }),
    lon_deg: Type.Number({ minimum: -180, maximum: 180 }),
    accuracy_m: Type.Optional(Type.Number({ minimum: 0 })),
    alt_m: Type.Optional(Type.Number()),
    position_source: Type.Union([Type.Literal('config'), Type.Literal('gps'), Type.Literal('modem'), Type.Literal('simulated')]),
  },
  { additionalProperties: false, $id: 'Position', description: 'A WGS-84 position.' },
);
export type Position = Static<typeof PositionSchema>;

export const TimeWindowSchema = Type.Object(
  {
    start_ts_ms: Type.Integer({ minimum: 0 }),
    end_ts_ms: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, $id: 'TimeWindow', description: 'Half-open interval [start, end) in Unix ms.' },
);
export type TimeWindow = Static<typeof TimeWindowSchema>;

export const EstablishmentCauseSchema = Type.Union(
  ESTABLISHMENT_CAUSES.map((c) => Type.Literal(c)),
  { $id: 'EstablishmentCause', description: 'Establishment cause from the RACH request reference (TS 44.018 table 9.1.8.1).' },
);

export const ArfcnSchema = Type.Integer({ minimum: 0, maximum: 1023, description: 'Absolute radio frequency channel number.' });
export const TaStepsSchema = Type.Integer({ minimum: 0, maximum: 63, description: 'Timing Advance, steps of 553.5 m.' });
