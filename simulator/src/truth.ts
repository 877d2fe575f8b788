/**
 * Ground truth written beside every simulated capture: the scenario's cells, where each probe was and
 * which cells it heard, every den (type, ports, SIMs, position or track, when it worked, which cells
 * and TAs it used, how it behaved) and every crowd (the hard negatives), plus — on request — one
 * record per access on the air with its origin. A scorer (`simhound eval`, or anyone else's) reads these
 * to tell detections of dens from false alarms.
 *
 * Schemas and types only; the world fills them in.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EstablishmentCauseSchema } from '@simhound/protocol';

export const TRUTH_VERSION = 1;

export const TruthCellIdSchema = Type.Object(
  { mcc: Type.String(), mnc: Type.String(), lac: Type.Integer(), ci: Type.Integer() },
  { additionalProperties: false },
);

const Interval = Type.Tuple([Type.Number(), Type.Number()], { description: '[from_ts_ms, to_ts_ms)' });

export const TruthCellSchema = Type.Object(
  {
    mcc: Type.String(),
    mnc: Type.String(),
    lac: Type.Integer(),
    ci: Type.Integer(),
    arfcn: Type.Integer(),
    lat_deg: Type.Number(),
    lon_deg: Type.Number(),
    kind: Type.Union([Type.Literal('macro'), Type.Literal('small_cell')]),
    tx_power_dbm: Type.Number(),
    azimuth_deg: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const TruthProbeSchema = Type.Object(
  {
    site: Type.String(),
    probe: Type.String(),
    position: Type.Union([Type.Object({ lat_deg: Type.Number(), lon_deg: Type.Number() }), Type.Null()]),
    route: Type.Union([Type.Array(Type.Tuple([Type.Number(), Type.Number()])), Type.Null()]),
    channels: Type.Array(Type.String()),
    cells_heard: Type.Array(
      Type.Object({ cell: TruthCellIdSchema, arfcn: Type.Integer(), level_dbm: Type.Number() }, { additionalProperties: false }),
      { description: 'Cells this probe decodes (for a moving probe: at any point of its route), with the mean level.' },
    ),
  },
  { additionalProperties: false },
);

export const TruthServingSchema = Type.Object(
  {
    cell: TruthCellIdSchema,
    arfcn: Type.Integer(),
    ta_steps: Type.Integer({ description: 'The TA the BTS measures most often (distance plus multipath excess, floored to 553.5 m steps).' }),
    ta_steps_observed: Type.Array(Type.Integer(), { description: 'TAs measured in at least 5 % of accesses (burst-timing error near a step boundary).' }),
    distance_m: Type.Number(),
    from_ts_ms: Type.Number(),
    to_ts_ms: Type.Number(),
  },
  { additionalProperties: false },
);

export const TruthDenSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String({ description: 'e.g. "goip-32", "cat-pool-128".' }),
    ports: Type.Integer(),
    sims: Type.Integer(),
    lat_deg: Type.Number({ description: 'Position (a moving den: its first site).' }),
    lon_deg: Type.Number(),
    track: Type.Union([
      Type.Array(Type.Object({ from_ts_ms: Type.Number(), to_ts_ms: Type.Number(), lat_deg: Type.Number(), lon_deg: Type.Number() }, { additionalProperties: false })),
      Type.Null(),
    ]),
    operators: Type.Array(Type.String()),
    active_intervals: Type.Array(Interval, { description: 'When the den places calls/SMS.' }),
    powered_intervals: Type.Array(Interval, { description: 'When its SIMs are on the network (idle SIMs still location-update).' }),
    serving: Type.Array(TruthServingSchema),
    behaviour: Type.Object(
      {
        hours: Type.String(),
        calls_per_port_per_h: Type.Number(),
        sms_per_port_per_h: Type.Number(),
        rotation: Type.Union([Type.Object({ after_calls: Type.Integer(), block_probability: Type.Number() }), Type.Null()]),
        inter_calling: Type.Boolean(),
        remote_sim: Type.Boolean(),
        cell_mode: Type.String(),
        attenuation_db: Type.Number(),
        moving: Type.Boolean(),
        mt_calls_per_sim_per_day: Type.Number(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const TruthCrowdSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ description: 'stadium, concert, station, office, factory, market, call_centre, small_cell, heavy_user, train.' }),
    lat_deg: Type.Number(),
    lon_deg: Type.Number(),
    radius_m: Type.Number(),
    members: Type.Integer(),
    active_intervals: Type.Array(Interval),
    serving: Type.Array(Type.Object({ cell: TruthCellIdSchema, arfcn: Type.Integer(), ta_steps: Type.Array(Type.Integer()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const GroundTruthSchema = Type.Object(
  {
    version: Type.Literal(TRUTH_VERSION),
    scenario: Type.String(),
    seed: Type.Integer(),
    start_ts_ms: Type.Number(),
    end_ts_ms: Type.Number(),
    utc_offset_h: Type.Number(),
    cells: Type.Array(TruthCellSchema),
    probes: Type.Array(TruthProbeSchema),
    dens: Type.Array(TruthDenSchema),
    crowds: Type.Array(TruthCrowdSchema),
    population: Type.Object({ subscribers: Type.Integer(), movers: Type.Integer() }, { additionalProperties: false }),
    accesses_file: Type.Union([Type.String(), Type.Null()], { description: 'The per-access NDJSON beside this file, when written.' }),
  },
  { additionalProperties: false, $id: 'SimulatorGroundTruth' },
);

export type GroundTruth = Static<typeof GroundTruthSchema>;
export type TruthDen = Static<typeof TruthDenSchema>;
export type TruthCrowd = Static<typeof TruthCrowdSchema>;
export type TruthServing = Static<typeof TruthServingSchema>;
export type TruthProbe = Static<typeof TruthProbeSchema>;

/** One line of `<scenario>.accesses.ndjson`: an answered (or rejected) channel request on the air. */
export const AccessRecordSchema = Type.Object(
  {
    ts_ms: Type.Number(),
    mcc: Type.String(),
    mnc: Type.String(),
    lac: Type.Integer(),
    ci: Type.Integer(),
    arfcn: Type.Integer(),
    ta_steps: Type.Union([Type.Integer(), Type.Null()], { description: 'null for a reject (it carries no TA).' }),
    cause: EstablishmentCauseSchema,
    procedure: Type.String(),
    origin: Type.String({ description: '"human", "den:<id>" or "crowd:<id>".' }),
    sub: Type.Integer({ description: 'Simulated subscriber number.' }),
    message: Type.Union([Type.Literal('assignment'), Type.Literal('reject')]),
    attempt: Type.Integer(),
  },
  { additionalProperties: false, $id: 'SimulatorAccessRecord' },
);
export type AccessRecord = Static<typeof AccessRecordSchema>;
