/**
 * The edge agent's configuration: one TypeBox schema, defaults in the schema. The CLI loads YAML and
 * validates it against this schema, reporting every problem with its path at once.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PositionSchema } from '@simhound/protocol';
import { CCCH_BURST_DEFAULTS } from './detect/ccch-burst.js';
import { IqSourceSchema } from './iq/iq-source-config.js';

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
    sources: Type.Array(Type.Union([GsmtapUdpSourceSchema, PcapSourceSchema, IqSourceSchema]), { minItems: 1 }),
    windows: Type.Object(
      {
        window_s: Type.Number({ minimum: 1, maximum: 3600, default: 60, description: 'Feature window length; detectors evaluate each closed window.' }),
        publish_windows: Type.Boolean({ default: true, description: 'Publish per-window counts (no identities) for baselines and heatmaps.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    detectors: Type.Object(
      {
        ccch_burst: Type.Object(
          {
            enabled: Type.Boolean({ default: true, description: 'Run ccch-burst@1 (see edge-agent/src/detect/ccch-burst.ts).' }),
            p_value_max: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: CCCH_BURST_DEFAULTS.p_value_max, description: 'Largest Poisson tail probability that still fires.' }),
            min_events: Type.Integer({ minimum: 1, default: CCCH_BURST_DEFAULTS.min_events, description: 'Fewest call/SMS requests at one TA in one window.' }),
            ratio_min: Type.Number({ minimum: 1, default: CCCH_BURST_DEFAULTS.ratio_min, description: 'Smallest count/baseline ratio.' }),
            min_baseline_count: Type.Number({ exclusiveMinimum: 0, default: CCCH_BURST_DEFAULTS.min_baseline_count, description: 'Baseline floor, events per window.' }),
            cooldown_s: Type.Number({ minimum: 0, default: CCCH_BURST_DEFAULTS.cooldown_s, description: 'Quiet time per (cell, TA) after a detection: one detection per episode.' }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    outbox: Type.Object(
      { max_items: Type.Integer({ minimum: 1, default: 100_000, description: 'When full, new messages are refused and counted (never old ones dropped).' }) },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, $id: 'EdgeConfig' },
);

export type EdgeConfig = Static<typeof EdgeConfigSchema>;
export type SourceConfig = EdgeConfig['sources'][number];
