/**
 * Scenario files: the simulated world — cells (from real tower data), a human population with a diurnal
 * rhythm, dens, probes, a seed. YAML or JSON, validated against this schema (defaults live here).
 */
import { Type, type Static } from '@sinclair/typebox';

const LatLonFields = {
  lat_deg: Type.Number({ minimum: -90, maximum: 90 }),
  lon_deg: Type.Number({ minimum: -180, maximum: 180 }),
};

export const SimCellSchema = Type.Object(
  {
    mcc: Type.String({ pattern: '^[0-9]{3}$' }),
    mnc: Type.String({ pattern: '^[0-9]{2,3}$' }),
    lac: Type.Integer({ minimum: 1, maximum: 65533 }),
    ci: Type.Integer({ minimum: 0, maximum: 65535 }),
    arfcn: Type.Integer({ minimum: 0, maximum: 1023 }),
    ...LatLonFields,
    tx_power_dbm: Type.Number({ default: 43 }),
    neci: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1 }),
  },
  { additionalProperties: false },
);

export const SimDenSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    ...LatLonFields,
    ports: Type.Integer({ minimum: 1, maximum: 1024, description: 'SIM channels dialling at once (GOIP-8 … 512-port banks).' }),
    calls_per_port_per_h: Type.Number({ minimum: 0, default: 40 }),
    sms_per_port_per_h: Type.Number({ minimum: 0, default: 20 }),
    /** Relative jitter of each port's dialling interval (machines: small). */
    interval_jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.1 }),
    /** Local hours the den works, [start, end); [0, 24] = around the clock. */
    hours: Type.Tuple([Type.Number({ minimum: 0, maximum: 24 }), Type.Number({ minimum: 0, maximum: 24 })], { default: [0, 24] }),
    /** Operators (MCC+MNC) whose SIMs the den holds; default: every operator in the scenario. */
    operators: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{5,6}$' }))),
  },
  { additionalProperties: false },
);

export const SimProbeSchema = Type.Object(
  {
    site: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
    probe: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
    ...LatLonFields,
    /** Cells the probe's receivers are tuned to (by CI); default: every cell within hear_range_m. */
    cells: Type.Optional(Type.Array(Type.Integer())),
    hear_range_m: Type.Number({ minimum: 0, default: 8000 }),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    seed: Type.Integer({ default: 1 }),
    /** Offset of local time from UTC, for the diurnal profile and den hours. */
    utc_offset_h: Type.Number({ minimum: -12, maximum: 14, default: 0 }),
    duration_s: Type.Number({ exclusiveMinimum: 0, default: 3600 }),
    cells: Type.Array(SimCellSchema, { minItems: 1 }),
    population: Type.Object(
      {
        subscribers: Type.Integer({ minimum: 0, default: 3000 }),
        /** Where people are: uniformly within radius_m of the area centre. */
        center: Type.Object(LatLonFields, { additionalProperties: false }),
        radius_m: Type.Number({ exclusiveMinimum: 0, default: 3000 }),
        /** Peak-hour rates per subscriber (the diurnal profile scales them down off-peak). */
        mo_calls_per_h: Type.Number({ minimum: 0, default: 0.6 }),
        mo_sms_per_h: Type.Number({ minimum: 0, default: 0.8 }),
        mt_calls_per_h: Type.Number({ minimum: 0, default: 0.5 }),
        mt_sms_per_h: Type.Number({ minimum: 0, default: 0.8 }),
        location_updates_per_h: Type.Number({ minimum: 0, default: 0.3 }),
        /** 24 relative rates, local hour 0..23 (1 = peak). */
        diurnal: Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24, default: URBAN_DIURNAL_PROFILE() }),
      },
      { additionalProperties: false },
    ),
    dens: Type.Array(SimDenSchema, { default: [] }),
    probes: Type.Array(SimProbeSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type SimCell = Static<typeof SimCellSchema>;
export type SimDen = Static<typeof SimDenSchema>;
export type SimProbe = Static<typeof SimProbeSchema>;

/** Relative voice/SMS activity by local hour in a city: quiet nights, morning rise, evening peak. */
export function URBAN_DIURNAL_PROFILE(): number[] {
  return [0.12, 0.08, 0.06, 0.05, 0.05, 0.08, 0.2, 0.45, 0.7, 0.85, 0.9, 0.95, 1, 0.95, 0.9, 0.9, 0.95, 1, 1, 0.95, 0.8, 0.6, 0.4, 0.22];
}
