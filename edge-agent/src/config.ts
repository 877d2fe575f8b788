/**
 * The edge agent's configuration: one TypeBox schema, defaults in the schema. The CLI loads YAML and
 * validates it against this schema, reporting every problem with its path at once.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PositionSchema } from '@simhound/protocol';
import { DEFAULT_DETECTOR_IDS, DetectorSettingsSchema } from './detect/registry.js';

const segment = (description: string) => Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description });

export const GsmtapUdpSourceSchema = Type.Object(
  {
    kind: Type.Literal('gsmtap_udp'),
    name: Type.String({ minLength: 1, default: 'gsmtap', description: 'Source name in status and logs.' }),
    host: Type.String({ default: '127.0.0.1', description: 'Address to bind; keep loopback unless gr-gsm runs elsewhere.' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4729, description: 'GSMTAP UDP port (4729 is GSMTAP\'s registered port); 0 picks a free one.' }),
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
        status_interval_s: Type.Number({ minimum: 1, default: 30, description: 'How often the retained status is republished.' }),
        max_in_flight: Type.Integer({ minimum: 1, default: 64, description: 'Messages awaiting PUBACK at once.' }),
        drain_rate_per_s: Type.Number({ exclusiveMinimum: 0, default: 200, description: 'Outbox drain rate after an outage (protects the broker).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    sources: Type.Array(Type.Union([GsmtapUdpSourceSchema, PcapSourceSchema]), { minItems: 1 }),
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
      { max_items: Type.Integer({ minimum: 1, default: 100_000, description: 'When full, new messages are refused and counted (never old ones dropped).' }) },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, $id: 'EdgeConfig' },
);

export type EdgeConfig = Static<typeof EdgeConfigSchema>;
export type SourceConfig = EdgeConfig['sources'][number];
