/**
 * The collector's configuration: one TypeBox schema with the defaults in it (CONVENTIONS #8), and a
 * validator that reports every problem at once with its path. The CLI loads YAML and calls
 * `validateCollectorConfig`; nothing else in the collector reads raw config or invents defaults.
 * This module must not do I/O (no file reads, no key loading beyond parsing the key text).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { publicKeyFromText } from '@simhound/protocol';
import { AlertsConfigSchema, alertsConfigProblems } from './alerts/alert-config.js';

const SEGMENT_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
const SHA256_HEX = '^[0-9a-f]{64}$';

import { USER_ROLES, type UserRole } from '@simhound/protocol';
export { USER_ROLES, type UserRole };

export const BrokerTlsConfigSchema = Type.Object(
  {
    cert_file: Type.String({ minLength: 1, description: 'PEM server certificate (`simhound keys server-cert`), with the CA chain if any.' }),
    key_file: Type.String({ minLength: 1, description: 'PEM private key of that certificate.' }),
  },
  { additionalProperties: false },
);

export const EmbeddedBrokerConfigSchema = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'Interface the embedded MQTT broker listens on.' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 1883, description: '0 picks a free port. Use 8883 with tls.' }),
    tls: Type.Optional(BrokerTlsConfigSchema),
    max_packet_bytes: Type.Integer({ minimum: 1024, default: 512 * 1024, description: 'Larger MQTT packets close the connection before they are buffered (payloads over 256 KiB are dead-lettered as too_large below this).' }),
    max_connect_bytes: Type.Integer({ minimum: 256, default: 64 * 1024, description: 'Largest CONNECT (with its Last Will) from a client that is not yet authenticated.' }),
    connect_timeout_s: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'A connection that has not sent its CONNECT by then is closed.' }),
    max_connections: Type.Integer({ minimum: 1, default: 1000, description: 'Open connections at most; more are refused.' }),
    connections_per_minute_per_address: Type.Integer({ minimum: 1, default: 60, description: 'New connections per remote address per minute; more are refused.' }),
    alert_subscribers: Type.Optional(Type.Array(
      Type.Object(
        {
          username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
          password_sha256: Type.String({ pattern: SHA256_HEX, description: 'SHA-256 (hex) of its random MQTT password (`simhound keys user` makes one).' }),
        },
        { additionalProperties: false },
      ),
      { description: 'Control-room integrations allowed to subscribe to simhound/v1/alerts/<tier> (and nothing else).' },
    )),
  },
  // No default for the object itself: its presence is what selects the embedded broker.
  { additionalProperties: false },
);

export const MqttConfigSchema = Type.Object(
  {
    url: Type.Optional(Type.String({ pattern: '^(mqtt|mqtts)://', description: 'External broker (mqtt:// or mqtts://); leave out when embedded_broker is set.' })),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    ca_file: Type.Optional(Type.String({ minLength: 1, description: 'PEM CA certificate that signed the external broker\'s certificate (mqtts://).' })),
    receive_maximum: Type.Integer({ minimum: 1, maximum: 65535, default: 2000, description: 'External broker: messages in flight to the collector before it acknowledges (they are committed in batches).' }),
    keepalive_s: Type.Integer({ minimum: 5, maximum: 3600, default: 30, description: 'External broker: MQTT keepalive.' }),
    client_id_prefix: Type.String({ default: 'simhound-collector', pattern: '^[A-Za-z0-9_.-]{1,40}$' }),
    connect_timeout_s: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'How long startup waits for the first subscription.' }),
    embedded_broker: Type.Optional(EmbeddedBrokerConfigSchema),
  },
  { additionalProperties: false, default: {} },
);

export const HttpConfigSchema = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: '0 picks a free port.' }),
    probe_silent_after_s: Type.Number({ exclusiveMinimum: 0, default: 180, description: 'A probe not heard from for this long is shown as silent.' }),
  },
  { additionalProperties: false, default: {} },
);

export const StorageConfigSchema = Type.Object(
  {
    sqlite_path: Type.String({ minLength: 1, default: 'data/collector.sqlite' }),
    synchronous: Type.Union([Type.Literal('full'), Type.Literal('normal')], { default: 'full', description: 'SQLite synchronous mode: "full" puts every commit on disk before the PUBACK (survives a power cut); "normal" is faster and survives a process crash but may lose the last commits on a power cut.' }),
    max_size_mb: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Cap on the database file. When reached, ingest stops acknowledging (as on a full disk) until there is room; nothing is lost.' })),
  },
  { additionalProperties: false, default: {} },
);

export const InfluxConfigSchema = Type.Object(
  {
    url: Type.String({ pattern: '^https?://' }),
    token: Type.String({ default: '' }),
    org: Type.String({ default: '' }),
    /** InfluxDB 2.x/3.x bucket, or `<db>/<retention policy>` for 1.8+ (v1 compatibility API). */
    bucket: Type.String({ minLength: 1 }),
    batch_size: Type.Integer({ minimum: 1, default: 500 }),
    flush_interval_ms: Type.Integer({ minimum: 1, default: 1000 }),
    max_retries: Type.Integer({ minimum: 0, default: 3 }),
  },
  { additionalProperties: false },
);

export const ProbeRegistrationSchema = Type.Object(
  {
    site: Type.String({ pattern: SEGMENT_PATTERN }),
    probe: Type.String({ pattern: SEGMENT_PATTERN }),
    public_key: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'Ed25519 public key, base64url raw 32 bytes.' }),
    mqtt_password_sha256: Type.Optional(Type.String({ pattern: SHA256_HEX, description: 'SHA-256 (hex) of the probe\'s random MQTT password (embedded broker).' })),
  },
  { additionalProperties: false },
);

export const UserConfigSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    role: Type.Union(USER_ROLES.map((r) => Type.Literal(r))),
    token_sha256: Type.String({ pattern: SHA256_HEX, description: 'SHA-256 (hex) of the user\'s random API token.' }),
  },
  { additionalProperties: false },
);

export const IngestConfigSchema = Type.Object(
  {
    max_age_s: Type.Number({ exclusiveMinimum: 0, default: 7 * 24 * 3600, description: 'Older envelopes are rejected as stale.' }),
    max_future_skew_s: Type.Number({ minimum: 0, default: 300, description: 'Envelopes dated further ahead are rejected as future.' }),
    max_batch: Type.Integer({ minimum: 1, default: 1024, description: 'Most messages committed in one SQLite transaction.' }),
    verify_threads: Type.Union([Type.Literal('auto'), Type.Integer({ minimum: 0, maximum: 64 })], { default: 'auto', description: 'Worker threads checking Ed25519 signatures off the event loop; "auto" = cores − 1 (at least 1, at most 4); 0 checks on the event loop.' }),
  },
  { additionalProperties: false, default: {} },
);

export const RetentionConfigSchema = Type.Object(
  {
    dead_letters_days: Type.Number({ minimum: 0, default: 30, description: 'Dead letters older than this are deleted (0 keeps them forever).' }),
    audit_days: Type.Number({ minimum: 0, default: 400, description: 'Audit log entries older than this are deleted (0 keeps them forever). Check the law that applies to you.' }),
    status_history_days: Type.Number({ minimum: 0, default: 90, description: 'Probe status history older than this is deleted; each probe\'s current status stays (0 keeps all).' }),
    sweep_interval_s: Type.Number({ exclusiveMinimum: 0, default: 3600, description: 'How often retention and the seen-id prune run.' }),
  },
  { additionalProperties: false, default: {} },
);

export const DensConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Associate den candidates into dens and locate them.' }),
    association_window_s: Type.Number({ exclusiveMinimum: 0, default: 3600, description: 'A candidate on a new cell joins a den seen within this time whose geometry admits it.' }),
    ring_slack_m: Type.Number({ minimum: 0, default: 300, description: 'Slack when testing whether TA rings meet (multipath, tower position error).' }),
    rate_ratio_max: Type.Number({ minimum: 1, default: 6, description: 'Largest ratio of activity rates between a candidate and the den it joins.' }),
    confirm_persistence_s: Type.Number({ exclusiveMinimum: 0, default: 1800, description: 'A den seen this long (or from two places or probes) is confirmed.' }),
    update_debounce_ms: Type.Integer({ minimum: 0, default: 250, description: 'Batch changes this long before relocating a den.' }),
  },
  { additionalProperties: false, default: {} },
);

export const CommandsConfigSchema = Type.Object(
  {
    signing_key_file: Type.String({ minLength: 1, description: 'The collector\'s Ed25519 private key (PKCS#8 PEM, `simhound keys collector`); probes verify commands with its public key.' }),
    max_age_s: Type.Number({ exclusiveMinimum: 0, default: 300, description: 'Commands expire this long after they are signed.' }),
  },
  { additionalProperties: false },
);

export const GeoConfigSchema = Type.Object(
  {
    cell_m: Type.Number({ minimum: 1, maximum: 100, default: 10, description: 'Likelihood grid cell, metres.' }),
    half_extent_m: Type.Number({ minimum: 1000, maximum: 50_000, default: 10_000, description: 'Half the side of the square area around a den\'s cells, metres.' }),
    ta_excess_m: Type.Number({ minimum: 0, default: 40, description: 'Mean multipath excess path the TA includes (exponential, never negative), metres.' }),
    ta_edge_sigma_m: Type.Number({ exclusiveMinimum: 0, default: 80, description: 'Normal blur of a TA ring besides the excess (BTS timing estimate, tower position error), metres; raise it for a crowd-sourced cell list.' }),
    shadowing_sigma_db: Type.Number({ exclusiveMinimum: 0, default: 6, description: 'Shadowing of uplink levels, dB.' }),
    bin_m: Type.Number({ exclusiveMinimum: 0, default: 25, description: 'A moving probe\'s bursts are averaged over squares of this size, metres.' }),
    prior_geojson: Type.Optional(Type.String({ minLength: 1, description: 'GeoJSON of built-up areas (polygons): the prior favours them.' })),
    prior_outside_weight: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.2, description: 'Prior weight outside the polygons, relative to inside.' }),
  },
  { additionalProperties: false, default: {} },
);

export const BasemapConfigSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'MBTiles (.mbtiles) or PMTiles (.pmtiles) file served at /basemap/ (raster or vector tiles).' }),
    attribution: Type.Optional(Type.String({ description: 'Shown on the map; default: the file\'s own attribution metadata.' })),
  },
  { additionalProperties: false },
);

export const CollectorConfigSchema = Type.Object(
  {
    mqtt: MqttConfigSchema,
    http: HttpConfigSchema,
    storage: StorageConfigSchema,
    influx: Type.Optional(InfluxConfigSchema),
    probes: Type.Array(ProbeRegistrationSchema, { default: [] }),
    users: Type.Array(UserConfigSchema, { default: [] }),
    cells_csv: Type.Optional(Type.String({ minLength: 1, description: 'OpenCelliD-format CSV imported at startup.' })),
    ingest: IngestConfigSchema,
    retention: RetentionConfigSchema,
    commands: Type.Optional(CommandsConfigSchema),
    dens: DensConfigSchema,
    geo: GeoConfigSchema,
    basemap: Type.Optional(BasemapConfigSchema),
    alerts: AlertsConfigSchema,
  },
  { additionalProperties: false, $id: 'CollectorConfig' },
);

export type CollectorConfig = Static<typeof CollectorConfigSchema>;
export type ProbeRegistration = Static<typeof ProbeRegistrationSchema>;
export type UserConfig = Static<typeof UserConfigSchema>;
export type InfluxConfig = Static<typeof InfluxConfigSchema>;

export interface ConfigProblem {
  /** JSON pointer into the config, e.g. `/probes/0/public_key`. */
  path: string;
  message: string;
}

export type ConfigValidation =
  | { ok: true; value: CollectorConfig }
  | { ok: false; reason: 'bad_config'; detail: string; problems: ConfigProblem[] };

/** Rules a schema cannot say: one broker choice, unique names, keys that parse. */
function semanticProblems(config: CollectorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const hasUrl = config.mqtt.url !== undefined;
  const hasEmbedded = config.mqtt.embedded_broker !== undefined;
  if (hasUrl === hasEmbedded) {
    problems.push({ path: '/mqtt', message: 'set exactly one of mqtt.url (external broker) or mqtt.embedded_broker' });
  }
  if (config.mqtt.url !== undefined) {
    try {
      new URL(config.mqtt.url);
    } catch {
      problems.push({ path: '/mqtt/url', message: 'not a URL' });
    }
  }
  const seenProbes = new Set<string>();
  config.probes.forEach((p, i) => {
    const key = `${p.site}/${p.probe}`;
    if (seenProbes.has(key)) problems.push({ path: `/probes/${i}`, message: `probe ${key} is registered twice` });
    seenProbes.add(key);
    if (p.site === 'alerts') problems.push({ path: `/probes/${i}/site`, message: '"alerts" is reserved in the topic layout' });
    try {
      publicKeyFromText(p.public_key);
    } catch (e) {
      problems.push({ path: `/probes/${i}/public_key`, message: (e as Error).message });
    }
    if (hasEmbedded && p.mqtt_password_sha256 === undefined) {
      problems.push({ path: `/probes/${i}/mqtt_password_sha256`, message: 'with mqtt.embedded_broker every probe needs an MQTT password hash to connect' });
    }
  });
  const seenUsers = new Set<string>();
  const seenTokens = new Set<string>();
  config.users.forEach((u, i) => {
    if (seenUsers.has(u.name)) problems.push({ path: `/users/${i}/name`, message: `user ${u.name} is listed twice` });
    if (seenTokens.has(u.token_sha256)) problems.push({ path: `/users/${i}/token_sha256`, message: 'two users share one token' });
    seenUsers.add(u.name);
    seenTokens.add(u.token_sha256);
  });
  problems.push(...alertsConfigProblems(config.alerts, config.commands !== undefined));
  return problems;
}

/** Apply schema defaults, then report every schema and semantic problem with its path. */
export function validateCollectorConfig(input: unknown): ConfigValidation {
  const value = Value.Default(CollectorConfigSchema, Value.Clone(input ?? {}));
  const problems: ConfigProblem[] = [...Value.Errors(CollectorConfigSchema, value)].map((e) => ({ path: e.path || '/', message: e.message }));
  if (problems.length === 0) problems.push(...semanticProblems(value as CollectorConfig));
  if (problems.length > 0) {
    return { ok: false, reason: 'bad_config', detail: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems };
  }
  return { ok: true, value: value as CollectorConfig };
}

/** A complete config from the schema defaults: embedded broker, SQLite, no Influx, no probes or users. */
export function defaultCollectorConfig(): CollectorConfig {
  return Value.Default(CollectorConfigSchema, { mqtt: { embedded_broker: {} } }) as CollectorConfig;
}
