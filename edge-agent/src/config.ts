/**
 * The edge agent's configuration: one TypeBox schema, defaults in the schema. The CLI loads YAML and
 * validates it against this schema, reporting every problem with its path at once.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PositionSchema } from '@simhound/protocol';
import { CCCH_BURST_DEFAULTS } from './detect/ccch-burst.js';

const Segment = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' });

export const GsmtapUdpSourceSchema = Type.Object(
  {
    kind: Type.Literal('gsmtap_udp'),
    name: Type.String({ minLength: 1, default: 'gsmtap' }),
    host: Type.String({ default: '127.0.0.1', description: 'Address to bind; keep loopback unless gr-gsm runs elsewhere.' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 4729 }),
  },
  { additionalProperties: false },
);

export const PcapSourceSchema = Type.Object(
  {
    kind: Type.Literal('pcap'),
    name: Type.String({ minLength: 1, default: 'pcap' }),
    path: Type.String({ minLength: 1, description: 'pcap or pcapng file with GSMTAP over UDP.' }),
  },
  { additionalProperties: false },
);

export const EdgeConfigSchema = Type.Object(
  {
    site: Segment,
    probe: Segment,
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
        url: Type.String({ default: 'mqtt://127.0.0.1:1883' }),
        username: Type.Optional(Type.String()),
        password: Type.Optional(Type.String()),
        password_file: Type.Optional(Type.String()),
        status_interval_s: Type.Number({ minimum: 1, default: 30 }),
        max_in_flight: Type.Integer({ minimum: 1, default: 64 }),
        drain_rate_per_s: Type.Number({ exclusiveMinimum: 0, default: 200 }),
      },
      { additionalProperties: false, default: {} },
    ),
    sources: Type.Array(Type.Union([GsmtapUdpSourceSchema, PcapSourceSchema]), { minItems: 1 }),
    windows: Type.Object(
      {
        window_s: Type.Number({ minimum: 1, maximum: 3600, default: 60 }),
        publish_windows: Type.Boolean({ default: true }),
      },
      { additionalProperties: false, default: {} },
    ),
    detectors: Type.Object(
      {
        ccch_burst: Type.Object(
          {
            enabled: Type.Boolean({ default: true }),
            p_value_max: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: CCCH_BURST_DEFAULTS.p_value_max }),
            min_events: Type.Integer({ minimum: 1, default: CCCH_BURST_DEFAULTS.min_events }),
            ratio_min: Type.Number({ minimum: 1, default: CCCH_BURST_DEFAULTS.ratio_min }),
            min_baseline_count: Type.Number({ exclusiveMinimum: 0, default: CCCH_BURST_DEFAULTS.min_baseline_count }),
            cooldown_s: Type.Number({ minimum: 0, default: CCCH_BURST_DEFAULTS.cooldown_s }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    outbox: Type.Object({ max_items: Type.Integer({ minimum: 1, default: 100_000 }) }, { additionalProperties: false, default: {} }),
  },
  { additionalProperties: false, $id: 'EdgeConfig' },
);

export type EdgeConfig = Static<typeof EdgeConfigSchema>;
export type SourceConfig = EdgeConfig['sources'][number];
