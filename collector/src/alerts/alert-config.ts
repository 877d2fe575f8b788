/**
 * The `alerts` section of the collector config (one TypeBox schema, defaults in it): the tiering policy
 * file, officers with their contacts and quiet hours, on-call rosters by area (district or polygon) and
 * tier, the channels (web, webhooks, e-mail, MQTT, ntfy) with their retry settings, and the case file
 * renderer. Semantic checks a schema cannot express (unique names, chains naming known officers) are in
 * `alertsConfigProblems`, which the collector config validator calls.
 * Must not do I/O.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ALERT_TIERS } from '@simhound/protocol';

const HHMM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const NAME = '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$';
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const TierList = Type.Array(Type.Union(ALERT_TIERS.map((t) => Type.Literal(t))), { minItems: 1, uniqueItems: true, default: [...ALERT_TIERS] });

export const OfficerSchema = Type.Object(
  {
    name: Type.String({ pattern: NAME, description: 'The officer; the same name as their API user (users[].name) gets the alert live in the web UI.' }),
    email: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', description: 'Alerts by e-mail (needs channels.email).' })),
    ntfy_topic: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Push to phones through ntfy (needs channels.ntfy); the officer subscribes to this topic in the ntfy app.' })),
    quiet_hours: Type.Optional(Type.Object(
      { from: Type.String({ pattern: HHMM }), to: Type.String({ pattern: HHMM }) },
      { additionalProperties: false, description: 'Local times (alerts.timezone): low-tier e-mail and push wait until `to`. Medium and high tiers are never held.' },
    )),
  },
  { additionalProperties: false },
);

export const ShiftSchema = Type.Object(
  {
    days: Type.Optional(Type.Array(Type.Union(WEEKDAYS.map((d) => Type.Literal(d))), { minItems: 1, uniqueItems: true, description: 'Local weekdays this shift covers (default every day).' })),
    from: Type.Optional(Type.String({ pattern: HHMM, description: 'Local start (with `to`; `to` before `from` runs overnight).' })),
    to: Type.Optional(Type.String({ pattern: HHMM })),
    chain: Type.Array(Type.String({ pattern: NAME }), { minItems: 1, description: 'On call first, then whom to escalate to, in order (the last is the supervisor).' }),
  },
  { additionalProperties: false },
);

export const RosterAreaSchema = Type.Union([
  Type.Object({ any: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ districts: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Names of features in districts_geojson (properties.name).' }) }, { additionalProperties: false }),
  Type.Object(
    {
      polygon: Type.Array(
        Type.Object({ lat_deg: Type.Number({ minimum: -90, maximum: 90 }), lon_deg: Type.Number({ minimum: -180, maximum: 180 }) }, { additionalProperties: false }),
        { minItems: 3 },
      ),
    },
    { additionalProperties: false },
  ),
]);

export const RosterSchema = Type.Object(
  {
    name: Type.String({ pattern: NAME }),
    area: RosterAreaSchema,
    tiers: TierList,
    shifts: Type.Array(ShiftSchema, { minItems: 1, description: 'The first shift covering the moment is on call.' }),
  },
  { additionalProperties: false },
);

export const WebhookEndpointSchema = Type.Object(
  {
    name: Type.String({ pattern: NAME }),
    url: Type.String({ pattern: '^https?://' }),
    secret_file: Type.String({ minLength: 1, description: 'File holding the shared HMAC-SHA256 secret (at least 32 characters, e.g. `openssl rand -hex 32`).' }),
    tiers: TierList,
  },
  { additionalProperties: false },
);

export const EmailChannelSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    secure: Type.Boolean({ default: false, description: 'TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when offered.' }),
    require_tls: Type.Boolean({ default: false, description: 'Refuse to send unless STARTTLS succeeds.' }),
    username: Type.Optional(Type.String()),
    password_file: Type.Optional(Type.String({ minLength: 1 })),
    ca_file: Type.Optional(Type.String({ minLength: 1, description: 'PEM CA for a server with a private certificate.' })),
    from: Type.String({ minLength: 3, description: 'Sender, e.g. "simhound <alerts@unit.example>".' }),
  },
  { additionalProperties: false },
);

export const NtfyChannelSchema = Type.Object(
  {
    server_url: Type.String({ pattern: '^https?://', description: 'Your ntfy server, e.g. https://ntfy.unit.example (self-hosted; docs/alerts.md).' }),
    token_file: Type.Optional(Type.String({ minLength: 1, description: 'File holding an ntfy access token (tk_…) allowed to publish to the officers\' topics.' })),
  },
  { additionalProperties: false },
);

export const RetryConfigSchema = Type.Object(
  {
    max_attempts: Type.Integer({ minimum: 1, default: 8, description: 'Attempts per delivery before it is marked failed.' }),
    initial_backoff_s: Type.Number({ exclusiveMinimum: 0, default: 5 }),
    max_backoff_s: Type.Number({ exclusiveMinimum: 0, default: 900 }),
    timeout_s: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'One attempt\'s time limit (HTTP, SMTP).' }),
  },
  { additionalProperties: false, default: {} },
);

export const AlertsConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    policy_file: Type.Optional(Type.String({ minLength: 1, description: 'Tiering policy (YAML, docs/alerts.md); without it the built-in defaults apply. Its changes are versioned and audited.' })),
    public_url: Type.Optional(Type.String({ pattern: '^https?://', description: 'Base URL officers reach the collector at (links in e-mail and push); default: the HTTP server\'s own URL.' })),
    timezone: Type.String({ default: 'UTC', description: 'IANA time zone for shifts and quiet hours, e.g. Africa/Maseru.' }),
    tick_interval_s: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'How often deadlines, escalations and due deliveries are checked.' }),
    officers: Type.Array(OfficerSchema, { default: [] }),
    districts_geojson: Type.Optional(Type.String({ minLength: 1, description: 'GeoJSON FeatureCollection of districts (Polygon/MultiPolygon, name in properties.name) for rosters\' areas.' })),
    rosters: Type.Array(RosterSchema, { default: [] }),
    retry: RetryConfigSchema,
    channels: Type.Object(
      {
        web: Type.Object({ enabled: Type.Boolean({ default: true }) }, { additionalProperties: false, default: {} }),
        webhooks: Type.Array(WebhookEndpointSchema, { default: [] }),
        email: Type.Optional(EmailChannelSchema),
        mqtt: Type.Object(
          {
            enabled: Type.Boolean({ default: false, description: 'Publish signed alert envelopes on simhound/v1/alerts/<tier> (needs commands.signing_key_file: the collector key signs them).' }),
            site: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', default: 'simhound', description: 'The envelope\'s site (the probe field is "collector").' }),
          },
          { additionalProperties: false, default: {} },
        ),
        ntfy: Type.Optional(NtfyChannelSchema),
      },
      { additionalProperties: false, default: {} },
    ),
    case_file: Type.Object(
      { chromium_path: Type.String({ default: '/usr/bin/chromium', description: 'Headless Chromium that renders case files to PDF.' }) },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export type AlertsConfig = Static<typeof AlertsConfigSchema>;
export type OfficerConfig = Static<typeof OfficerSchema>;
export type RosterConfig = Static<typeof RosterSchema>;
export type ShiftConfig = Static<typeof ShiftSchema>;
export type WebhookEndpointConfig = Static<typeof WebhookEndpointSchema>;
export type EmailChannelConfig = Static<typeof EmailChannelSchema>;
export type NtfyChannelConfig = Static<typeof NtfyChannelSchema>;
export type RetryConfig = Static<typeof RetryConfigSchema>;

/** Rules the schema cannot say. Paths are relative to the collector config. */
export function alertsConfigProblems(a: AlertsConfig, hasSigningKey: boolean): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const officers = new Set<string>();
  a.officers.forEach((o, i) => {
    if (officers.has(o.name)) problems.push({ path: `/alerts/officers/${i}/name`, message: `officer ${o.name} is listed twice` });
    officers.add(o.name);
    if (o.email !== undefined && a.channels.email === undefined) problems.push({ path: `/alerts/officers/${i}/email`, message: 'set alerts.channels.email to send e-mail' });
    if (o.ntfy_topic !== undefined && a.channels.ntfy === undefined) problems.push({ path: `/alerts/officers/${i}/ntfy_topic`, message: 'set alerts.channels.ntfy to push' });
  });
  const rosters = new Set<string>();
  a.rosters.forEach((r, i) => {
    if (rosters.has(r.name)) problems.push({ path: `/alerts/rosters/${i}/name`, message: `roster ${r.name} is listed twice` });
    rosters.add(r.name);
    if ('districts' in r.area && a.districts_geojson === undefined) problems.push({ path: `/alerts/rosters/${i}/area`, message: 'districts need alerts.districts_geojson' });
    r.shifts.forEach((s, j) => {
      if ((s.from === undefined) !== (s.to === undefined)) problems.push({ path: `/alerts/rosters/${i}/shifts/${j}`, message: 'give both from and to, or neither' });
      s.chain.forEach((name, k) => {
        if (!officers.has(name)) problems.push({ path: `/alerts/rosters/${i}/shifts/${j}/chain/${k}`, message: `no officer named ${name} in alerts.officers` });
      });
    });
  });
  const hooks = new Set<string>();
  a.channels.webhooks.forEach((w, i) => {
    if (hooks.has(w.name)) problems.push({ path: `/alerts/channels/webhooks/${i}/name`, message: `webhook ${w.name} is listed twice` });
    hooks.add(w.name);
  });
  if (a.channels.mqtt.enabled && !hasSigningKey) {
    problems.push({ path: '/alerts/channels/mqtt/enabled', message: 'MQTT alerts are signed with the collector key: set commands.signing_key_file (`simhound keys collector`)' });
  }
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: a.timezone });
  } catch {
    problems.push({ path: '/alerts/timezone', message: `unknown time zone ${a.timezone}` });
  }
  return problems;
}
