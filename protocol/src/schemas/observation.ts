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

const RssiDbm = (description: string) => Type.Number({ minimum: -150, maximum: 30, description });
const RadioAccessSchema = Type.Union([Type.Literal('gsm'), Type.Literal('umts'), Type.Literal('lte')], { description: 'Radio access technology of a cell report.' });
const RxLevSchema = Type.Integer({ minimum: 0, maximum: 63, description: 'GSM RXLEV 0–63 (TS 45.008 §8.1.4).' });
const BsicSchema = Type.Integer({ minimum: 0, maximum: 63, description: 'Base station identity code (NCC·8 + BCC).' });
const EarfcnSchema = Type.Integer({ minimum: 0, maximum: 262143, description: 'LTE E-UTRA ARFCN.' });
const PciSchema = Type.Integer({ minimum: 0, maximum: 503, description: 'LTE physical cell id.' });

/**
 * The cell the probe's own cellular modem is camped on, from its engineering mode (SIMCom AT+CENG,
 * Quectel AT+QENG, AT+CREG/CGREG). Feeds the cell database (which cells are heard here and how strong)
 * and refines BTS positions. `cell` is null when the modem does not report the full identity.
 */
export const ServingCellObservationSchema = Type.Object(
  {
    type: Type.Literal('serving_cell'),
    ts_ms: Type.Integer({ minimum: 0 }),
    source_name: Type.Optional(Type.String({ minLength: 1 })),
    rat: RadioAccessSchema,
    cell: Type.Union([CellIdSchema, Type.Null()]),
    arfcn: Type.Optional(ArfcnSchema),
    earfcn: Type.Optional(EarfcnSchema),
    bsic: Type.Optional(BsicSchema),
    pci: Type.Optional(PciSchema),
    rxlev: Type.Optional(RxLevSchema),
    rxqual: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
    rssi_dbm: Type.Optional(RssiDbm('Received level of the serving cell (GSM: from RXLEV; LTE: RSSI).')),
    rsrp_dbm: Type.Optional(RssiDbm('LTE reference signal received power.')),
    rsrq_db: Type.Optional(Type.Number({ minimum: -40, maximum: 20 })),
    ta_steps: Type.Optional(TaStepsSchema),
    c1: Type.Optional(Type.Integer({ minimum: -200, maximum: 200 })),
    c2: Type.Optional(Type.Integer({ minimum: -200, maximum: 200 })),
    position: Type.Optional(PositionSchema),
  },
  { additionalProperties: false, $id: 'ServingCellObservation' },
);

/** One neighbour cell as the modem measures it. */
export const NeighbourCellSchema = Type.Object(
  {
    cell: Type.Union([CellIdSchema, Type.Null()]),
    arfcn: Type.Optional(ArfcnSchema),
    earfcn: Type.Optional(EarfcnSchema),
    bsic: Type.Optional(BsicSchema),
    pci: Type.Optional(PciSchema),
    rxlev: Type.Optional(RxLevSchema),
    rssi_dbm: Type.Optional(RssiDbm('Received level of the neighbour (GSM: from RXLEV).')),
    rsrp_dbm: Type.Optional(RssiDbm('LTE reference signal received power.')),
    rsrq_db: Type.Optional(Type.Number({ minimum: -40, maximum: 20 })),
    c1: Type.Optional(Type.Integer({ minimum: -200, maximum: 200 })),
    c2: Type.Optional(Type.Integer({ minimum: -200, maximum: 200 })),
  },
  { additionalProperties: false, $id: 'NeighbourCell' },
);

/** The neighbour list of one engineering-mode poll. */
export const NeighbourCellsObservationSchema = Type.Object(
  {
    type: Type.Literal('neighbour_cells'),
    ts_ms: Type.Integer({ minimum: 0 }),
    source_name: Type.Optional(Type.String({ minLength: 1 })),
    rat: RadioAccessSchema,
    neighbours: Type.Array(NeighbourCellSchema, { maxItems: 64 }),
    position: Type.Optional(PositionSchema),
  },
  { additionalProperties: false, $id: 'NeighbourCellsObservation' },
);

/** Per-slot statistics of the probe MCU's uplink energy meter. */
export const UplinkSlotSchema = Type.Object(
  {
    slot: Type.Integer({ minimum: 0, maximum: 7 }),
    burst_count: Type.Integer({ minimum: 0 }),
    peak_rssi_dbm: RssiDbm('Highest level seen in this slot window over the report.'),
    mean_rssi_dbm: RssiDbm('Mean level in this slot window over the report.'),
  },
  { additionalProperties: false, $id: 'UplinkSlot' },
);

/**
 * Uplink band activity from the probe MCU (an RF log detector behind a GSM-uplink SAW filter, sampled by
 * the MCU's ADC): over `frame_count` TDMA-frame-long periods, how many 577 µs slot windows held a burst
 * above the threshold and how strong they were. The MCU is not synchronised to any cell, so `slot` is the
 * index of a free-running window, not the cell's timeslot number; the band is seen whole (no ARFCN).
 * Rising energy and many busy slots at near-equal level are what a den looks like up close.
 */
export const UplinkActivityObservationSchema = Type.Object(
  {
    type: Type.Literal('uplink_activity'),
    ts_ms: Type.Integer({ minimum: 0 }),
    source_name: Type.Optional(Type.String({ minLength: 1 })),
    duration_ms: Type.Number({ minimum: 0 }),
    frame_count: Type.Integer({ minimum: 0 }),
    burst_count: Type.Integer({ minimum: 0 }),
    rssi_dbm: RssiDbm('Mean level over the whole report (all slots).'),
    peak_rssi_dbm: RssiDbm('Highest level over the whole report.'),
    threshold_dbm: RssiDbm('Burst threshold in force.'),
    slots: Type.Array(UplinkSlotSchema, { minItems: 8, maxItems: 8 }),
    position: Type.Optional(PositionSchema),
  },
  { additionalProperties: false, $id: 'UplinkActivityObservation' },
);

const LinkSchema = Type.Union([Type.Literal('uplink'), Type.Literal('downlink')], { description: 'uplink (handset → cell) or downlink (cell → handset).' });
const DbmSchema = Type.Number({ minimum: -150, maximum: 30 });
const ShareSchema = Type.Number({ minimum: 0, maximum: 1 });

/**
 * SDR: the power of one ARFCN (200 kHz) over a report interval, with the receiver's noise floor and how
 * much of the time the channel carried bursts. Calibrated to dBm with the probe's per-device offset.
 */
export const ChannelPowerObservationSchema = Type.Object(
  {
    type: Type.Literal('channel_power'),
    ts_ms: Type.Integer({ minimum: 0, description: 'End of the interval.' }),
    window_s: Type.Number({ exclusiveMinimum: 0 }),
    arfcn: ArfcnSchema,
    link: LinkSchema,
    freq_hz: Type.Integer({ minimum: 1 }),
    rssi_dbm: DbmSchema,
    peak_rssi_dbm: DbmSchema,
    noise_floor_dbm: Type.Optional(DbmSchema),
    busy_share: ShareSchema,
    freq_offset_hz: Type.Optional(Type.Number({ description: 'Carrier frequency error measured on its FCCH (the receiver tuning error).' })),
    bsic: Type.Optional(BsicSchema),
    position: Type.Optional(PositionSchema),
  },
  { additionalProperties: false, $id: 'ChannelPowerObservation' },
);

/** One timeslot's share of a slot_occupancy report. */
export const SlotShareSchema = Type.Object(
  {
    timeslot: Type.Integer({ minimum: 0, maximum: 7 }),
    busy_share: ShareSchema,
    burst_count: Type.Integer({ minimum: 0 }),
    rssi_dbm: Type.Optional(DbmSchema),
  },
  { additionalProperties: false, $id: 'SlotShare' },
);

/**
 * SDR: TDMA timeslot occupancy of one ARFCN over a report interval — what the `uplink-multislot`
 * detector reads. A SIM-box den: many timeslots busy in the same frames (`concurrent_slots_*`) at
 * near-equal power (small `rssi_spread_db`, narrow histogram); a crowd: fewer concurrent slots, spread
 * powers. `alignment` says whether timeslot numbers are the cell's (`fcch`) or relative (`bursts`).
 */
export const SlotOccupancyObservationSchema = Type.Object(
  {
    type: Type.Literal('slot_occupancy'),
    ts_ms: Type.Integer({ minimum: 0 }),
    window_s: Type.Number({ exclusiveMinimum: 0 }),
    arfcn: ArfcnSchema,
    link: LinkSchema,
    alignment: Type.Union([Type.Literal('fcch'), Type.Literal('bursts'), Type.Literal('none')]),
    frame_count: Type.Integer({ minimum: 0, description: 'TDMA frames in the interval.' }),
    burst_count: Type.Integer({ minimum: 0 }),
    slots: Type.Array(SlotShareSchema, { maxItems: 8 }),
    concurrent_slots_mean: Type.Number({ minimum: 0, maximum: 8 }),
    concurrent_slots_max: Type.Integer({ minimum: 0, maximum: 8 }),
    concurrent_slots_histogram: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 9, maxItems: 9, description: 'TDMA frames with 0, 1, … 8 busy timeslots.' }),
    rssi_hist_start_dbm: Type.Number({ minimum: -200, maximum: 100 }),
    rssi_hist_step_db: Type.Number({ exclusiveMinimum: 0 }),
    rssi_hist_counts: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 64 }),
    rssi_spread_db: Type.Optional(Type.Number({ minimum: 0 })),
    rssi_iqr_db: Type.Optional(Type.Number({ minimum: 0 })),
    bsic: Type.Optional(BsicSchema),
    position: Type.Optional(PositionSchema),
  },
  { additionalProperties: false, $id: 'SlotOccupancyObservation' },
);

/** One active ARFCN in a band_scan. */
export const BandScanChannelSchema = Type.Object(
  {
    arfcn: ArfcnSchema,
    freq_hz: Type.Integer({ minimum: 1 }),
    rssi_dbm: DbmSchema,
    peak_rssi_dbm: DbmSchema,
    activity: Type.Union([Type.Literal('continuous'), Type.Literal('bursty')]),
    busy_share: ShareSchema,
  },
  { additionalProperties: false, $id: 'BandScanChannel' },
);

/** SDR: the active ARFCNs of a band and link found by one sweep, with their power. */
export const BandScanObservationSchema = Type.Object(
  {
    type: Type.Literal('band_scan'),
    ts_ms: Type.Integer({ minimum: 0 }),
    window_s: Type.Number({ minimum: 0 }),
    band: Type.Union([Type.Literal('GSM850'), Type.Literal('GSM900'), Type.Literal('DCS1800'), Type.Literal('PCS1900')]),
    link: LinkSchema,
    noise_floor_dbm: Type.Optional(DbmSchema),
    scanned_count: Type.Integer({ minimum: 0, description: 'ARFCNs the sweep covered.' }),
    channels: Type.Array(BandScanChannelSchema, { maxItems: 1024 }),
    position: Type.Optional(PositionSchema),
  },
  { additionalProperties: false, $id: 'BandScanObservation' },
);

/** Every observation type, one schema each. Add new types here (and their fields to the vocabulary). */
export const OBSERVATION_SCHEMAS: readonly TSchema[] = [
  UplinkBurstObservationSchema, BearingObservationSchema, PositionObservationSchema,
  ServingCellObservationSchema, NeighbourCellsObservationSchema, UplinkActivityObservationSchema,
  ChannelPowerObservationSchema, SlotOccupancyObservationSchema, BandScanObservationSchema,
];

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
export type ServingCellObservation = Static<typeof ServingCellObservationSchema>;
export type NeighbourCell = Static<typeof NeighbourCellSchema>;
export type NeighbourCellsObservation = Static<typeof NeighbourCellsObservationSchema>;
export type UplinkSlot = Static<typeof UplinkSlotSchema>;
export type UplinkActivityObservation = Static<typeof UplinkActivityObservationSchema>;
export type ChannelPowerObservation = Static<typeof ChannelPowerObservationSchema>;
export type SlotOccupancyObservation = Static<typeof SlotOccupancyObservationSchema>;
export type BandScanObservation = Static<typeof BandScanObservationSchema>;
/** Known observation types; other modules add theirs to OBSERVATION_SCHEMAS and widen this union. */
export type Observation =
  | UplinkBurstObservation | BearingObservation | PositionObservation
  | ServingCellObservation | NeighbourCellsObservation | UplinkActivityObservation
  | ChannelPowerObservation | SlotOccupancyObservation | BandScanObservation;
export interface ObservationBody {
  observations: Observation[];
}
