/**
 * The edge agent's configuration: one TypeBox schema, defaults in the schema. The CLI loads YAML and
 * validates it against this schema, reporting every problem with its path at once.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PositionSchema } from '@simhound/protocol';
import { DEFAULT_DETECTOR_IDS, DetectorSettingsSchema } from './detect/registry.js';
import { DEFAULT_OUTBOX_LIMITS } from './publish/outbox-policy.js';
import { IqSourceSchema } from './iq/iq-source-config.js';

const segment = (description: string) => Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description });

export const GsmtapUdpSourceSchema = Type.Object(
  {
    kind: Type.Literal('gsmtap_udp'),
    name: Type.String({ minLength: 1, default: 'gsmtap', description: 'Source name in status and logs.' }),
    host: Type.String({ default: '127.0.0.1', description: 'Address to bind; keep loopback unless gr-gsm runs elsewhere.' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4729, description: 'GSMTAP UDP port (4729 is GSMTAP\'s registered port); 0 picks a free one.' }),
    silent_after_s: Type.Number({ minimum: 1, default: 120, description: 'Watchdog: no datagram for this long marks the source `silent` and the probe `degraded` (logged once; cleared when data flows again).' }),
  },
  { additionalProperties: false },
);

export const PcapSourceSchema = Type.Object(
  {
    kind: Type.Literal('pcap'),
    name: Type.String({ minLength: 1, default: 'pcap', description: 'Source name in status and logs.' }),
    path: Type.String({ minLength: 1, description: 'pcap or pcapng file with GSMTAP over UDP.' }),
  },
  { additionalProperties: false },
);

const serialPath = (what: string) => Type.String({ minLength: 1, description: `Serial port of the ${what}; use /dev/serial/by-id/… (stable across replugs), see hardware/udev.` });

export const ModemSourceSchema = Type.Object(
  {
    kind: Type.Literal('modem'),
    name: Type.String({ minLength: 1, default: 'modem', description: 'Source name in status and logs.' }),
    path: serialPath('cellular modem\'s AT interface'),
    baud_rate: Type.Integer({ minimum: 1200, default: 115200, description: 'AT port baud rate (USB modems ignore it).' }),
    vendor: Type.Union([Type.Literal('auto'), Type.Literal('simcom'), Type.Literal('quectel'), Type.Literal('generic')], { default: 'auto', description: 'Engineering-mode dialect: SIMCom AT+CENG, Quectel AT+QENG, or generic 27.007 (COPS/CREG/CSQ); auto asks AT+CGMI.' }),
    gps: Type.Union([Type.Literal('none'), Type.Literal('cgpsinfo'), Type.Literal('qgpsloc')], { default: 'none', description: 'Ask the modem for its GPS fix: SIMCom AT+CGPSINFO or Quectel AT+QGPSLOC.' }),
    poll_interval_s: Type.Number({ minimum: 1, default: 10, description: 'How often the cell report (and GPS) is polled.' }),
    operator_scan_interval_s: Type.Number({ minimum: 0, default: 0, description: 'AT+COPS=? operator scan period; 0 = never (a scan blocks the modem for up to 3 minutes).' }),
  },
  { additionalProperties: false },
);

export const GpsNmeaSourceSchema = Type.Object(
  {
    kind: Type.Literal('gps_nmea'),
    name: Type.String({ minLength: 1, default: 'gps', description: 'Source name in status and logs.' }),
    path: serialPath('GPS receiver (NMEA 0183)'),
    baud_rate: Type.Integer({ minimum: 1200, default: 9600, description: 'NMEA baud rate (9600 for most receivers).' }),
  },
  { additionalProperties: false },
);

export const ProbeMcuSourceSchema = Type.Object(
  {
    kind: Type.Literal('probe_mcu'),
    name: Type.String({ minLength: 1, default: 'probe-mcu', description: 'Source name in status and logs.' }),
    path: serialPath('probe microcontroller (firmware-bridge/firmware)'),
    baud_rate: Type.Integer({ minimum: 1200, default: 250000, description: 'The firmware talks at 250000 baud.' }),
    detector: Type.Union([Type.Literal('ad8313'), Type.Literal('ad8318')], { default: 'ad8313', description: 'RF log detector on ADC0: selects the datasheet calibration line.' }),
    slope_mv_per_db: Type.Optional(Type.Number({ description: 'Measured detector slope; overrides the datasheet value.' })),
    intercept_dbm: Type.Optional(Type.Number({ description: 'Measured detector intercept; overrides the datasheet value.' })),
    insertion_loss_db: Type.Number({ minimum: 0, default: 2.5, description: 'SAW filter + cable loss in front of the detector, added back to levels.' }),
    threshold_dbm: Type.Number({ minimum: -100, maximum: 10, default: -55, description: 'Burst threshold at the antenna.' }),
    frames_per_report: Type.Integer({ minimum: 1, maximum: 1000, default: 217, description: 'TDMA frames (4.615 ms) per report: 217 ≈ one report per second.' }),
  },
  { additionalProperties: false },
);

export const RotatorSourceSchema = Type.Object(
  {
    kind: Type.Literal('rotator'),
    name: Type.String({ minLength: 1, default: 'rotator', description: 'Source name in status and logs.' }),
    path: serialPath('StandardFirmata board driving the rotator'),
    level_source: Type.String({ minLength: 1, description: 'Name of the probe_mcu source whose uplink levels the sweep reads.' }),
    sweep_interval_s: Type.Number({ minimum: 10, default: 120, description: 'Time between sweeps.' }),
    step_deg: Type.Number({ minimum: 2, maximum: 45, default: 10, description: 'Azimuth step of a sweep.' }),
    settle_ms: Type.Integer({ minimum: 0, default: 300, description: 'Wait after each servo move before reading levels.' }),
    dwell_ms: Type.Integer({ minimum: 50, default: 1500, description: 'Time per step (settle + reading); at least one probe report must fit.' }),
    azimuth_per_servo_deg: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'Gearing: antenna degrees per servo degree (2 lets a 180° servo cover the circle).' }),
    heading_offset_deg: Type.Number({ minimum: 0, exclusiveMaximum: 360, default: 0, description: 'True azimuth of the antenna at servo 0° (set from a compass when mounting).' }),
    beamwidth_deg: Type.Number({ minimum: 10, maximum: 180, default: 60, description: 'Half-power beamwidth of the directional antenna.' }),
    pins: Type.Object(
      {
        servo: Type.Integer({ minimum: 0, default: 9 }),
        led_ok: Type.Integer({ minimum: 0, default: 5 }),
        led_searching: Type.Integer({ minimum: 0, default: 6 }),
        led_near: Type.Integer({ minimum: 0, default: 7 }),
        buzzer: Type.Integer({ minimum: 0, default: 8 }),
      },
      { additionalProperties: false, default: {}, description: 'Arduino pins (hardware/rotator.md).' },
    ),
  },
  { additionalProperties: false },
);

/** The `detectors` section: which detectors run, the engine's cadence, and every threshold. */
export const DetectorsConfigSchema = Type.Composite(
  [
    Type.Object({
      run: Type.Array(Type.String({ pattern: '^[a-z0-9-]+(@[0-9]+)?$' }), {
        default: [...DEFAULT_DETECTOR_IDS],
        description: 'Detectors to run, as name@version (a bare name is its newest version); slot detectors feed den-candidate fusion, ccch-burst@1 and naive-threshold@1 are reference window detectors.',
      }),
      tick_s: Type.Number({ minimum: 1, maximum: 300, default: 10, description: 'Seconds of event time between evaluations.' }),
      update_interval_s: Type.Number({ minimum: 10, default: 600, description: 'An active den candidate is re-published this often with its current score and evidence.' }),
      end_after_s: Type.Number({ minimum: 60, default: 1800, description: 'A candidate whose place stopped holding this long ago ends; a later one is a new episode.' }),
      publish_indicators: Type.Boolean({ default: false, description: 'Also publish every detector indicator (not only den candidates) — noisy, for tuning.' }),
      state_db: Type.Optional(Type.String({ minLength: 1, description: 'SQLite file where learned baselines are kept across restarts (default: in memory only).' })),
      utc_offset_h: Type.Number({ minimum: -12, maximum: 14, default: 0, description: 'Local time offset, for the hour-of-week baselines.' }),
    }),
    DetectorSettingsSchema,
  ],
  { additionalProperties: false, default: {} },
);

export const EdgeConfigSchema = Type.Object(
  {
    site: segment('Deployment site; the MQTT topic segment and the username prefix.'),
    probe: segment('This probe\'s name within the site (unique).'),
    position: Type.Optional(PositionSchema),
    keys: Type.Object(
      {
        signing_key_file: Type.String({ minLength: 1, description: 'Ed25519 private key (PKCS#8 PEM) of this probe.' }),
        pseudonym_key_file: Type.String({ minLength: 1, description: 'Deployment HMAC key (≥16 bytes) for sub_ref pseudonyms.' }),
      },
      { additionalProperties: false },
    ),
    mqtt: Type.Object(
      {
        url: Type.String({ default: 'mqtt://127.0.0.1:1883', description: 'Broker URL (mqtt://, mqtts://, ws://, wss://).' }),
        username: Type.Optional(Type.String({ description: 'MQTT username; the collector\'s embedded broker expects `<site>/<probe>`.' })),
        password: Type.Optional(Type.String({ description: 'MQTT password (prefer password_file).' })),
        password_file: Type.Optional(Type.String({ description: 'File holding the MQTT password (as written by `simhound keys probe`).' })),
        ca_file: Type.Optional(Type.String({ minLength: 1, description: 'PEM CA certificate the broker\'s TLS certificate must chain to (mqtts://, wss://), e.g. the deployment CA from `simhound keys ca`; without it only the system\'s CAs are trusted.' })),
        status_interval_s: Type.Number({ minimum: 1, default: 30, description: 'How often the retained status is republished.' }),
        max_in_flight: Type.Integer({ minimum: 1, default: 64, description: 'Messages awaiting PUBACK at once.' }),
        drain_rate_per_s: Type.Number({ exclusiveMinimum: 0, default: 200, description: 'Outbox drain rate after an outage (protects the broker).' }),
        drain_jitter_s: Type.Number({ minimum: 0, default: 1, description: 'After a reconnect with a backlog, wait a random 0..this before draining (spreads a fleet out).' }),
        reconnect_min_s: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'First reconnect delay ceiling; doubles per failed attempt (full jitter).' }),
        reconnect_max_s: Type.Number({ exclusiveMinimum: 0, default: 30, description: 'Largest reconnect delay ceiling.' }),
        keepalive_s: Type.Integer({ minimum: 5, maximum: 3600, default: 30, description: 'MQTT keepalive; a silent network partition is noticed after 1.5× this.' }),
        stop_flush_timeout_s: Type.Number({ minimum: 0, default: 10, description: 'On a clean stop, how long to keep sending the outbox to the broker; a disk outbox keeps the rest for the next start.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    sources: Type.Array(Type.Union([GsmtapUdpSourceSchema, PcapSourceSchema, ModemSourceSchema, GpsNmeaSourceSchema, ProbeMcuSourceSchema, RotatorSourceSchema, IqSourceSchema]), { minItems: 1 }),
    windows: Type.Object(
      {
        window_s: Type.Number({ minimum: 1, maximum: 3600, default: 60, description: 'Feature window length; detectors evaluate each closed window.' }),
        publish_windows: Type.Boolean({ default: true, description: 'Publish per-window counts (no identities) for baselines and heatmaps.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    detectors: DetectorsConfigSchema,
    commands: Type.Optional(Type.Object(
      {
        collector_public_key: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'The collector\'s command key (Ed25519, base64url), as `simhound keys collector` prints it. Without it the probe takes no commands.' }),
        max_age_s: Type.Number({ exclusiveMinimum: 0, default: 300, description: 'Longest command lifetime accepted; older or longer-lived commands are refused.' }),
      },
      { additionalProperties: false },
    )),
    outbox: Type.Object(
      {
        kind: Type.Union([Type.Literal('disk'), Type.Literal('memory')], { default: 'disk', description: '`disk` (SQLite file, survives kill -9 and power cuts) or `memory` (tests only: a crash loses the queue).' }),
        path: Type.String({ minLength: 1, default: 'simhound-outbox.db', description: 'Disk outbox file, relative to this config file (e.g. /var/lib/simhound/outbox.db); its folder is created.' }),
        max_items: Type.Integer({ minimum: 1, default: DEFAULT_OUTBOX_LIMITS.max_items, description: 'Soft limit: past it the oldest windows are dropped (counted); detections are kept.' }),
        max_bytes: Type.Integer({ minimum: 1, default: DEFAULT_OUTBOX_LIMITS.max_bytes, description: 'Soft limit on payload bytes, same policy as max_items.' }),
        max_window_age_s: Type.Number({ exclusiveMinimum: 0, default: DEFAULT_OUTBOX_LIMITS.max_window_age_s, description: 'Windows older than this are dropped (counted); detections never expire.' }),
        hard_max_items: Type.Integer({ minimum: 1, default: DEFAULT_OUTBOX_LIMITS.hard_max_items, description: 'Hard cap: past it the oldest detection is dropped (counted) so the newest gets in.' }),
        hard_max_bytes: Type.Integer({ minimum: 1, default: DEFAULT_OUTBOX_LIMITS.hard_max_bytes, description: 'Hard cap on payload bytes, same policy as hard_max_items.' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, $id: 'EdgeConfig' },
);

export type EdgeConfig = Static<typeof EdgeConfigSchema>;
export type SourceConfig = EdgeConfig['sources'][number];
