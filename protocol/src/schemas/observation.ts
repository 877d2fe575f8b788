/**
 * Observations: measurements a probe makes that are not detections — uplink burst strength, bearings,
 * its own position, modem cell reports, SDR channel power … — published in batches on
 * `simhound/v1/<site>/<probe>/observation` for geolocation, fox hunts and probe health.
 *
 * The body is `{ observations: [...] }`, each item discriminated by `type`. Every item carries its own
 * `ts_ms` (a batch spans time) and, where the probe may move, the probe `position` at that moment.
 * New observation types are added as one schema each, listed in OBSERVATION_SCHEMAS; the union and the
 * contract doc follow from that list. No identities and no content ever appear in an observation.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ArfcnSchema, CellIdSchema, PositionSchema, TaStepsSchema } from './common.js';

/** GSM TDMA frame numbers run 0 … 26·51·2048 − 1 (TS 45.002 §4.3.3). */
export const FN_MAX = 26 * 51 * 2048 - 1;

/**
 * One uplink access/normal burst measured by a probe listening on the uplink ARFCN. When the frame
 * number is known (SDR aligned to the cell's TDMA frame), it ties the burst to the Immediate Assignment
 * whose request reference names the same RA and frame — and so to the den's (cell, TA) slot — without
 * decoding the uplink.
 */
export const UplinkBurstObservationSchema = Type.Object(
  {
    type: Type.Literal('uplink_burst'),
    ts_ms: Type.Integer({ minimum: 0 }),
    arfcn: ArfcnSchema,
    fn: Type.Optional(Type.Integer({ minimum: 0, maximum: FN_MAX, description: 'TDMA frame number of the burst, when aligned.' })),
    timeslot: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
    ra: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: 'RA of the access burst when known.' })),
    rssi_dbm: Type.Number({ minimum: -150, maximum: 30 }),
    cell: Type.Optional(Type.Union([CellIdSchema, Type.Null()])),
    ta_steps: Type.Optional(TaStepsSchema),
    position: Type.Optional(PositionSchema),
  },
  { additionalProperties: false, $id: 'UplinkBurstObservation' },
);

/** A line of bearing toward a transmitter, from a rotator sweep or a direction-finding array. */
export const BearingObservationSchema = Type.Object(
  {
    type: Type.Literal('bearing'),
    ts_ms: Type.Integer({ minimum: 0 }),
    bearing_deg: Type.Number({ minimum: 0, exclusiveMaximum: 360, description: 'True bearing from the probe, clockwise from north.' }),
    bearing_std_deg: Type.Number({ exclusiveMinimum: 0, maximum: 180, description: '1-sigma angular uncertainty.' }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    arfcn: Type.Optional(ArfcnSchema),
    peak_rssi_dbm: Type.Optional(Type.Number({ minimum: -150, maximum: 30 })),
    front_to_back_db: Type.Optional(Type.Number()),
    position: PositionSchema,
  },
  { additionalProperties: false, $id: 'BearingObservation' },
);

/** The probe's own position (GPS, modem), for moving probes and fox hunts. */
export const PositionObservationSchema = Type.Object(
  {
    type: Type.Literal('position'),
    ts_ms: Type.Integer({ minimum: 0 }),
    position: PositionSchema,
    speed_mps: Type.Optional(Type.Number({ minimum: 0 })),
    heading_deg: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 360 })),
  },
  { additionalProperties: false, $id: 'PositionObservation' },
);

/** Every observation type, one schema each. Add new types here (and their fields to the vocabulary). */
export const OBSERVATION_SCHEMAS: readonly TSchema[] = [UplinkBurstObservationSchema, BearingObservationSchema, PositionObservationSchema];

export const ObservationSchema = Type.Union([...OBSERVATION_SCHEMAS], { $id: 'Observation' });

export const MAX_OBSERVATIONS_PER_MESSAGE = 1000;

export const ObservationBodySchema = Type.Object(
  {
    observations: Type.Array(ObservationSchema, { minItems: 1, maxItems: MAX_OBSERVATIONS_PER_MESSAGE }),
  },
  { additionalProperties: false, $id: 'ObservationBody' },
);

export type UplinkBurstObservation = Static<typeof UplinkBurstObservationSchema>;
export type BearingObservation = Static<typeof BearingObservationSchema>;
export type PositionObservation = Static<typeof PositionObservationSchema>;
/** Known observation types; other modules add theirs to OBSERVATION_SCHEMAS and widen this union. */
export type Observation = UplinkBurstObservation | BearingObservation | PositionObservation;
export interface ObservationBody {
  observations: Observation[];
}
