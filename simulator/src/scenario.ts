/**
 * Scenario files: the simulated world — operators and cells (from real tower data), a population of
 * individual subscribers with daily and weekly rhythms and mobility, crowds (the hard negatives), dens,
 * probes, a seed, a start time. YAML or JSON, validated against this schema (defaults live here; every
 * default is documented with its source in docs/simulator.md).
 *
 * It describes; it must not simulate.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const LatLonFields = { lat_deg: Lat, lon_deg: Lon };
export const LatLonSchema = Type.Object(LatLonFields, { additionalProperties: false });
const Plmn = Type.String({ pattern: '^[0-9]{5,6}$', description: 'MCC + MNC digits, e.g. "65101".' });
/** Local date-time, ISO 8601 without offset ("2026-03-07T15:00:00"): read in the scenario's utc_offset_h. */
const LocalDateTime = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$' });
const Weekday = Type.Union(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => Type.Literal(d)));
export type WeekdayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const Hour = Type.Number({ minimum: 0, maximum: 24 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
/** A lognormal given by its median and the sigma of its logarithm. */
const LogNormal = (median: number, sigma: number, description?: string) =>
  Type.Object(
    { median: Type.Number({ exclusiveMinimum: 0 }), sigma: Type.Number({ minimum: 0, maximum: 4 }) },
    { additionalProperties: false, default: { median, sigma }, ...(description ? { description } : {}) },
  );
const opt = <T extends TSchema>(t: T) => Type.Optional(t);

/** Local weekly hours: which days, from start_h to end_h (end < start wraps past midnight). */
export const HoursSchema = Type.Union(
  [
    Type.Literal('24/7'),
    Type.Literal('office'),
    Type.Literal('night'),
    Type.Object(
      {
        days: Type.Array(Weekday, { minItems: 1, default: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }),
        start_h: Hour,
        end_h: Hour,
      },
      { additionalProperties: false },
    ),
  ],
  { default: '24/7', description: '"24/7", "office" (Mon–Fri 08–18), "night" (every day 20–06) or {days, start_h, end_h}.' },
);
export type Hours = Static<typeof HoursSchema>;

export const IntervalSchema = Type.Object({ from: LocalDateTime, to: LocalDateTime }, { additionalProperties: false });

export const OperatorSchema = Type.Object(
  {
    plmn: Plmn,
    name: opt(Type.String()),
    subscriber_share: opt(Type.Number({ exclusiveMinimum: 0, description: 'Share of the population on this operator (default: equal shares).' })),
    t3212_decihours: Type.Integer({ minimum: 0, maximum: 255, default: 30, description: 'Periodic location update timer broadcast in SI3 (0 = none).' }),
    ciphering: Type.Union([Type.Literal('a5_1'), Type.Literal('a5_0')], {
      default: 'a5_1',
      description: 'a5_1: dedicated-channel messages after the Ciphering Mode Command are encrypted (a probe sees nothing of them); a5_0: in clear.',
    }),
    auth_share: Type.Object(
      {
        location_update: Share,
        cm_service: Share,
        paging_response: Share,
      },
      { additionalProperties: false, default: { location_update: 1, cm_service: 0.4, paging_response: 0.4 }, description: 'Share of procedures the network authenticates.' },
    ),
    tmsi_realloc_share: Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'Share of CM/paging procedures that also reallocate the TMSI (a new TMSI is always given at LU).' }),
    imsi_paging_share: Type.Number({ minimum: 0, maximum: 1, default: 0.05, description: 'Share of pages sent with the IMSI instead of the TMSI.' }),
    paging_attempts: Type.Integer({ minimum: 1, maximum: 5, default: 3 }),
    t3113_s: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'Paging repetition timer.' }),
    call_channel_needed: Type.Union([Type.Literal('any'), Type.Literal('tch_f'), Type.Literal('sdcch')], { default: 'tch_f' }),
    ia_repetition: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Probability that the BTS repeats an Immediate Assignment in the next CCCH block.' }),
    nch: Type.Boolean({
      default: false,
      description: 'The cells have a notification channel (NCH, for VBS/VGCS): SI1 announces it in CCCH block 0, which carries an empty Notification/NCH whenever no assignment needs it.',
    }),
    ia_extended: Type.Boolean({ default: true, description: 'Pack two queued assignments into one Immediate Assignment Extended.' }),
    t3122_s: Type.Integer({ minimum: 0, maximum: 255, default: 10, description: 'Wait indication in Immediate Assignment Reject.' }),
    network_delay_ms: LogNormal(120, 0.5, 'BSC/MSC/VLR processing between a mobile message and the next network message.'),
  },
  { additionalProperties: false },
);
export type SimOperator = Static<typeof OperatorSchema>;

export const SimCellSchema = Type.Object(
  {
    mcc: Type.String({ pattern: '^[0-9]{3}$' }),
    mnc: Type.String({ pattern: '^[0-9]{2,3}$' }),
    lac: Type.Integer({ minimum: 1, maximum: 65533 }),
    ci: Type.Integer({ minimum: 0, maximum: 65535 }),
    arfcn: Type.Integer({ minimum: 0, maximum: 1023 }),
    ...LatLonFields,
    kind: Type.Union([Type.Literal('macro'), Type.Literal('small_cell')], { default: 'macro' }),
    tx_power_dbm: Type.Number({ default: 43, description: 'BCCH carrier power at the antenna port (small cells: ~20–30).' }),
    antenna_gain_dbi: Type.Number({ default: 15 }),
    azimuth_deg: opt(Type.Number({ minimum: 0, maximum: 360, description: 'Sector azimuth; absent = omnidirectional.' })),
    beamwidth_deg: Type.Number({ exclusiveMinimum: 0, maximum: 360, default: 65 }),
    neci: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1 }),
    sdcch: Type.Integer({ minimum: 1, maximum: 48, default: 16, description: 'Standalone dedicated control channels (SDCCH/8 subchannels).' }),
    tch: Type.Integer({ minimum: 0, maximum: 120, default: 22, description: 'Traffic channels (full rate) for calls (22 = a 3-TRX cell).' }),
    bs_ag_blks_res: Type.Integer({ minimum: 0, maximum: 7, default: 1 }),
    bs_pa_mfrms: Type.Integer({ minimum: 2, maximum: 9, default: 4 }),
    range_m: opt(Type.Number({ exclusiveMinimum: 0, description: 'Coverage limit of a small cell (mobiles farther away cannot select it).' })),
  },
  { additionalProperties: false },
);
export type SimCell = Static<typeof SimCellSchema>;

/** Relative activity by local hour, one row per day type. */
export const WeeklyProfileSchema = Type.Object(
  {
    weekday: Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24 }),
    saturday: Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24 }),
    sunday: Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24 }),
  },
  { additionalProperties: false },
);
export type WeeklyProfile = Static<typeof WeeklyProfileSchema>;

export const AreaSchema = Type.Object(
  {
    ...LatLonFields,
    radius_m: Type.Number({ exclusiveMinimum: 0 }),
    weight: Type.Number({ exclusiveMinimum: 0, default: 1 }),
    kind: Type.Union([Type.Literal('residential'), Type.Literal('business'), Type.Literal('mixed')], { default: 'mixed' }),
  },
  { additionalProperties: false },
);

export const RatesPerDaySchema = Type.Object(
  {
    mo_call: Type.Number({ minimum: 0, default: 3 }),
    mt_call: Type.Number({ minimum: 0, default: 3 }),
    mo_sms: Type.Number({ minimum: 0, default: 2 }),
    mt_sms: Type.Number({ minimum: 0, default: 3 }),
    ussd: Type.Number({ minimum: 0, default: 0.8 }),
    emergency: Type.Number({ minimum: 0, default: 0.002 }),
    gprs: Type.Number({ minimum: 0, default: 5 }),
  },
  { additionalProperties: false, default: {}, description: 'Population-mean events per subscriber per weekday (profile mean 1).' },
);
export type RatesPerDay = Static<typeof RatesPerDaySchema>;

export const PopulationSchema = Type.Object(
  {
    subscribers: Type.Integer({ minimum: 0, default: 3000 }),
    center: opt(LatLonSchema),
    radius_m: Type.Number({ exclusiveMinimum: 0, default: 3000 }),
    areas: opt(Type.Array(AreaSchema, { minItems: 1, description: 'Where people live and work; default one mixed disc (center, radius_m).' })),
    rates_per_day: RatesPerDaySchema,
    activity_sigma: Type.Number({ minimum: 0, maximum: 3, default: 1.0, description: 'Lognormal sigma of the per-subscriber activity level (heavy and silent users).' }),
    day_sigma: Type.Number({ minimum: 0, maximum: 2, default: 0.4, description: 'Lognormal sigma of a subscriber’s day-to-day activity.' }),
    burst: Type.Object(
      {
        high_factor: Type.Number({ minimum: 1, default: 5 }),
        mean_high_min: Type.Number({ exclusiveMinimum: 0, default: 20 }),
        mean_low_min: Type.Number({ exclusiveMinimum: 0, default: 180 }),
      },
      { additionalProperties: false, default: {}, description: 'Two-state (high/low activity) Markov modulation of each subscriber.' },
    ),
    common: Type.Object(
      {
        sigma_day: Type.Number({ minimum: 0, maximum: 1, default: 0.15, description: 'Lognormal sigma of a neighbourhood’s day-to-day activity level.' }),
        sigma_slow: Type.Number({ minimum: 0, maximum: 1, default: 0.2, description: 'Lognormal sigma of slow swings within a day.' }),
        knot_min: Type.Number({ exclusiveMinimum: 0, default: 30, description: 'Time scale of the slow swings.' }),
        cell_m: Type.Number({ exclusiveMinimum: 0, default: 1000, description: 'Size of a neighbourhood (square).' }),
      },
      { additionalProperties: false, default: {}, description: 'Activity swings shared by everyone living in one neighbourhood (weather, news, local events).' },
    ),
    reply_probability: Type.Number({ minimum: 0, maximum: 0.9, default: 0.4, description: 'Chance an SMS gets an SMS reply.' }),
    redial_probability: Type.Number({ minimum: 0, maximum: 1, default: 0.4 }),
    unanswered_share: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: 'Share of calls not answered.' }),
    unreachable_share: Type.Number({ minimum: 0, maximum: 1, default: 0.06, description: 'Share of pages the mobile never answers (dead spot, battery).' }),
    call_holding_s: LogNormal(60, 1.0, 'Conversation time of answered human calls.'),
    gprs_share: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: 'Share of subscribers using GPRS on GSM (rates_per_day.gprs is their mean / this share).' }),
    dual_rate_share: Type.Number({ minimum: 0, maximum: 1, default: 0.8, description: 'Phones that ask for TCH/H when NECI=1.' }),
    night_off_share: Type.Number({ minimum: 0, maximum: 1, default: 0.12, description: 'Share who switch the phone off overnight (IMSI detach, then IMSI attach).' }),
    mobility: Type.Object(
      {
        commuters: Share,
        walkers: Share,
        drivers: Share,
      },
      { additionalProperties: false, default: { commuters: 0.3, walkers: 0.1, drivers: 0.08 } },
    ),
    profile: opt(WeeklyProfileSchema),
  },
  { additionalProperties: false, default: {} },
);
export type SimPopulation = Static<typeof PopulationSchema>;

export const RouteSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    points: Type.Array(Type.Tuple([Lat, Lon]), { minItems: 2, description: '[lat_deg, lon_deg] waypoints.' }),
  },
  { additionalProperties: false },
);

const CrowdCommon = {
  id: Type.String({ minLength: 1 }),
  ...LatLonFields,
  radius_m: Type.Number({ exclusiveMinimum: 0, default: 150 }),
  from_other_la_share: Type.Number({ minimum: 0, maximum: 1, default: 0.5, description: 'Arrivals registered in another location area (they location-update on arrival).' }),
  activity_factor: Type.Number({ minimum: 0, default: 1, description: 'Members’ activity relative to the population model.' }),
};

const EventSchema = Type.Object(
  {
    start: LocalDateTime,
    duration_min: Type.Number({ exclusiveMinimum: 0, default: 105 }),
    goals: opt(Type.Integer({ minimum: 0, maximum: 12, description: 'Bursts during play (default: random 0–4).' })),
  },
  { additionalProperties: false },
);

export const StadiumCrowdSchema = Type.Object(
    {
      kind: Type.Union([Type.Literal('stadium'), Type.Literal('concert')]),
      ...CrowdCommon,
      attendance: Type.Integer({ minimum: 1 }),
      events: Type.Array(EventSchema, { minItems: 1 }),
      arrival_min: Type.Number({ exclusiveMinimum: 0, default: 90 }),
      leave_min: Type.Number({ exclusiveMinimum: 0, default: 40 }),
    },
    { additionalProperties: false },
  );
export const StationCrowdSchema = Type.Object(
    {
      kind: Type.Literal('station'),
      ...CrowdCommon,
      peak_passengers_per_h: Type.Number({ exclusiveMinimum: 0, default: 1500 }),
      trains_per_h: Type.Number({ exclusiveMinimum: 0, default: 4, description: 'Arrivals come in clumps, one per train.' }),
      dwell_min: LogNormal(8, 0.5),
      rush_hours: Type.Array(Type.Tuple([Hour, Hour]), { default: [[6.5, 8.5], [16.5, 18.5]] }),
      off_peak_share: Type.Number({ minimum: 0, maximum: 1, default: 0.2, description: 'Passenger flow outside rush hours relative to the peak.' }),
      days: Type.Array(Weekday, { default: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
    },
    { additionalProperties: false },
  );
export const WorkplaceCrowdSchema = Type.Object(
    {
      kind: Type.Union([Type.Literal('office'), Type.Literal('factory')]),
      ...CrowdCommon,
      workers: Type.Integer({ minimum: 1 }),
      shifts: Type.Array(Type.Tuple([Hour, Hour]), { minItems: 1, default: [[8, 17]] }),
      days: Type.Array(Weekday, { default: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
      arrival_spread_min: Type.Number({ exclusiveMinimum: 0, default: 40 }),
      breaks: Type.Array(Type.Number({ minimum: 0, maximum: 24 }), { default: [], description: 'Local hours of 30-minute breaks with a burst of phone use.' }),
    },
    { additionalProperties: false },
  );
export const MarketCrowdSchema = Type.Object(
    {
      kind: Type.Literal('market'),
      ...CrowdCommon,
      visitors: Type.Integer({ minimum: 1 }),
      traders: Type.Integer({ minimum: 0, default: 200 }),
      days: Type.Array(Weekday, { minItems: 1, default: ['sat'] }),
      hours: Type.Tuple([Hour, Hour], { default: [7, 15] }),
      visit_min: LogNormal(60, 0.6),
    },
    { additionalProperties: false },
  );
export const CallCentreCrowdSchema = Type.Object(
    {
      kind: Type.Literal('call_centre'),
      ...CrowdCommon,
      radius_m: Type.Number({ exclusiveMinimum: 0, default: 30 }),
      agents: Type.Integer({ minimum: 1 }),
      hours: HoursSchema,
      inbound_calls_per_agent_per_h: Type.Number({ minimum: 0, default: 6 }),
      outbound_calls_per_agent_per_h: Type.Number({ minimum: 0, default: 3 }),
      handle_s: LogNormal(240, 0.6, 'Talk time of a call-centre call (industry average around 5 min).'),
      wrap_up_s: LogNormal(40, 0.5),
    },
    { additionalProperties: false },
  );
export const SmallCellCrowdSchema = Type.Object(
    {
      kind: Type.Literal('small_cell'),
      ...CrowdCommon,
      radius_m: Type.Number({ exclusiveMinimum: 0, default: 60 }),
      cell_ci: Type.Integer({ minimum: 0, maximum: 65535, description: 'The small cell (kind small_cell) serving everyone inside.' }),
      visitors_per_day: Type.Integer({ minimum: 0, default: 2500 }),
      staff: Type.Integer({ minimum: 0, default: 120 }),
      hours: Type.Tuple([Hour, Hour], { default: [8, 20] }),
      visit_min: LogNormal(50, 0.6),
    },
    { additionalProperties: false },
  );
export const HeavyUserCrowdSchema = Type.Object(
    {
      kind: Type.Literal('heavy_user'),
      ...CrowdCommon,
      radius_m: Type.Number({ exclusiveMinimum: 0, default: 20 }),
      calls_per_day: Type.Number({ minimum: 0, default: 60 }),
      sms_per_day: Type.Number({ minimum: 0, default: 250 }),
      sms_burst_size: Type.Integer({ minimum: 1, default: 12, description: 'SMS sent back to back in one burst (a minute).' }),
    },
    { additionalProperties: false },
  );
export const TrainCrowdSchema = Type.Object(
    {
      kind: Type.Literal('train'),
      id: Type.String({ minLength: 1 }),
      route: Type.String({ description: 'Route id.' }),
      speed_kmh: Type.Number({ exclusiveMinimum: 0, default: 60 }),
      runs_per_h: Type.Number({ exclusiveMinimum: 0, default: 2 }),
      passengers: Type.Integer({ minimum: 1, default: 200 }),
      service_hours: Type.Tuple([Hour, Hour], { default: [5, 22] }),
      activity_factor: Type.Number({ minimum: 0, default: 1 }),
    },
    { additionalProperties: false },
  );

/** Crowd schema per kind (validated one by one, so an error names the field, not "expected union"). */
export const CROWD_SCHEMAS = {
  stadium: StadiumCrowdSchema,
  concert: StadiumCrowdSchema,
  station: StationCrowdSchema,
  office: WorkplaceCrowdSchema,
  factory: WorkplaceCrowdSchema,
  market: MarketCrowdSchema,
  call_centre: CallCentreCrowdSchema,
  small_cell: SmallCellCrowdSchema,
  heavy_user: HeavyUserCrowdSchema,
  train: TrainCrowdSchema,
} as const;
export type CrowdKind = keyof typeof CROWD_SCHEMAS;

export const CrowdSchema = Type.Union([StadiumCrowdSchema, StationCrowdSchema, WorkplaceCrowdSchema, MarketCrowdSchema, CallCentreCrowdSchema, SmallCellCrowdSchema, HeavyUserCrowdSchema, TrainCrowdSchema]);
export type SimCrowd = Static<typeof CrowdSchema>;

export const DenOperatorSchema = Type.Union([Plmn, Type.Object({ plmn: Plmn, share: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false })]);

export const SimDenSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    type: Type.String({ pattern: '^(goip-(1|4|8|16|32)|cat-pool-([1-9][0-9]{0,2}))$', description: 'goip-1/4/8/16/32 or cat-pool-N (N SIMs, up to 512).' }),
    ports: opt(Type.Integer({ minimum: 1, maximum: 512, description: 'Radio channels used at once (default from type).' })),
    sims: opt(Type.Integer({ minimum: 1, maximum: 20000, description: 'SIMs the den holds (default: ports, or N for cat-pool-N).' })),
    lat_deg: opt(Lat),
    lon_deg: opt(Lon),
    van: opt(
      Type.Object(
        {
          sites: Type.Array(LatLonSchema, { minItems: 2, description: 'Parking places; the van moves to the next one every day.' }),
          move_at_h: Type.Number({ minimum: 0, maximum: 24, default: 7 }),
          drive_min: Type.Number({ exclusiveMinimum: 0, default: 40 }),
        },
        { additionalProperties: false },
      ),
    ),
    attenuation_db: Type.Number({ minimum: 0, maximum: 60, default: 10, description: 'Building loss (basement: 25–35 dB).' }),
    operators: opt(Type.Array(DenOperatorSchema, { minItems: 1, description: 'SIM operators; default every operator in the scenario, equal shares.' })),
    calls_per_port_per_h: Type.Number({ minimum: 0, default: 25, description: 'Target call attempts per port per active hour ("over a dozen calls a minute" per GoIP-32 box).' }),
    call: Type.Object(
      {
        unanswered_share: Share,
        short_share: Share,
        ring_s: LogNormal(25, 0.3),
        short_s: LogNormal(12, 0.6),
        talk_s: LogNormal(150, 0.8),
      },
      { additionalProperties: false, default: { unanswered_share: 0.4, short_share: 0.3, ring_s: { median: 25, sigma: 0.3 }, short_s: { median: 12, sigma: 0.6 }, talk_s: { median: 150, sigma: 0.8 } } },
    ),
    sms_per_port_per_h: Type.Number({ minimum: 0, default: 0 }),
    sms_burst: Type.Integer({ minimum: 1, default: 1, description: 'SMS sent back to back per blast.' }),
    hours: HoursSchema,
    active: opt(Type.Array(IntervalSchema, { description: 'Explicit working periods (intersected with hours).' })),
    rotation: opt(
      Type.Object(
        {
          after_calls: Type.Integer({ minimum: 1, default: 40 }),
          block_probability: Type.Number({ minimum: 0, maximum: 1, default: 0.003, description: 'Chance per call that the operator blocks the SIM.' }),
          detach_old: Type.Boolean({ default: true }),
        },
        { additionalProperties: false },
      ),
    ),
    mt_calls_per_sim_per_day: Type.Number({ minimum: 0, default: 0.3 }),
    mt_sms_per_sim_per_day: Type.Number({ minimum: 0, default: 1 }),
    inter_calling: opt(Type.Object({ calls_per_port_per_h: Type.Number({ exclusiveMinimum: 0, default: 2 }) }, { additionalProperties: false })),
    cell_mode: Type.Union([Type.Literal('auto'), Type.Literal('poll'), Type.Literal('fixed')], { default: 'auto' }),
    poll: Type.Object(
      { min_s: Type.Number({ exclusiveMinimum: 0, default: 300 }), max_s: Type.Number({ exclusiveMinimum: 0, default: 1800 }), cells: Type.Integer({ minimum: 2, maximum: 4, default: 4 }) },
      { additionalProperties: false, default: {} },
    ),
    fixed_ci: opt(Type.Integer({ minimum: 0, maximum: 65535 })),
    remote_sim: opt(Type.Object({ rtt_ms: LogNormal(700, 0.5, 'Round trip to the remote SIM bank for the authentication answer.') }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type SimDen = Static<typeof SimDenSchema>;

export const ProbeChannelSchema = Type.Union([Type.Literal('bcch'), Type.Literal('ccch'), Type.Literal('sdcch')]);

export const SimProbeSchema = Type.Object(
  {
    site: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
    probe: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
    lat_deg: opt(Lat),
    lon_deg: opt(Lon),
    route: opt(
      Type.Object(
        { points: Type.Array(Type.Tuple([Lat, Lon]), { minItems: 2 }), speed_kmh: Type.Number({ exclusiveMinimum: 0, default: 30 }), loop: Type.Boolean({ default: true }) },
        { additionalProperties: false },
      ),
    ),
    cells: opt(Type.Array(Type.Integer(), { description: 'CIs the receivers are tuned to; default every cell heard above sensitivity.' })),
    hear_range_m: opt(Type.Number({ exclusiveMinimum: 0, description: 'Also limit the cells heard to this distance.' })),
    sensitivity_dbm: Type.Number({ default: -102 }),
    channels: Type.Array(ProbeChannelSchema, { minItems: 1, default: ['bcch', 'ccch'], description: 'Which logical channels this probe decodes.' }),
    idle_fill: Type.Boolean({ default: false, description: 'Also emit the empty paging blocks an idle CCCH carries (as gr-gsm does).' }),
    frame_loss: Type.Number({ minimum: 0, maximum: 1, default: 0.01 }),
    decode_error_rate: Type.Number({ minimum: 0, maximum: 1, default: 0.0001, description: 'Frames passed with undetected bit errors.' }),
  },
  { additionalProperties: false },
);
export type SimProbe = Static<typeof SimProbeSchema>;

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' }),
    description: opt(Type.String()),
    seed: Type.Integer({ default: 1 }),
    /** Offset of local time from UTC, for the profiles, hours and local date-times. */
    utc_offset_h: Type.Number({ minimum: -12, maximum: 14, default: 0 }),
    start: Type.String({ default: '2026-03-02T00:00:00', pattern: LocalDateTime.pattern, description: 'Local start date-time (2026-03-02 is a Monday).' }),
    duration_s: Type.Number({ exclusiveMinimum: 0, default: 3600 }),
    operators: Type.Array(OperatorSchema, { default: [] }),
    cells: Type.Array(SimCellSchema, { minItems: 1 }),
    population: PopulationSchema,
    routes: Type.Array(RouteSchema, { default: [] }),
    crowds: Type.Array(CrowdSchema, { default: [] }),
    dens: Type.Array(SimDenSchema, { default: [] }),
    probes: Type.Array(SimProbeSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;

/**
 * Relative voice/SMS activity by local hour (weekday; weekend rows are relative to the weekday mean):
 * quiet nights, a morning rise, a lunchtime shoulder and the evening peak that CDR studies report.
 */
export function DEFAULT_WEEKLY_PROFILE(): WeeklyProfile {
  return {
    weekday: [0.22, 0.12, 0.08, 0.07, 0.08, 0.18, 0.45, 0.85, 1.15, 1.3, 1.35, 1.4, 1.45, 1.4, 1.35, 1.35, 1.45, 1.6, 1.7, 1.65, 1.5, 1.25, 0.9, 0.5],
    saturday: [0.35, 0.22, 0.14, 0.1, 0.08, 0.1, 0.22, 0.45, 0.75, 1.0, 1.2, 1.3, 1.35, 1.3, 1.25, 1.25, 1.3, 1.4, 1.5, 1.5, 1.45, 1.3, 1.05, 0.7],
    sunday: [0.45, 0.3, 0.18, 0.12, 0.09, 0.09, 0.15, 0.3, 0.55, 0.8, 1.0, 1.1, 1.15, 1.15, 1.1, 1.1, 1.15, 1.25, 1.35, 1.35, 1.3, 1.15, 0.85, 0.55],
  };
}
