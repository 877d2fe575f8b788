/**
 * The envelope every MQTT message travels in: `{v, id, kind, site, probe, ts_ms, seq, body, sig}`.
 * `id` (UUIDv7, made at the source) is the idempotency key end to end; `seq` is per-probe monotonic;
 * `sig` is Ed25519 over the canonical JSON of the envelope without `sig` (signing.ts).
 */
import { Type, type Static } from '@sinclair/typebox';

export const MESSAGE_KINDS = ['status', 'detection', 'window', 'observation', 'cmd', 'alert'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

const UUID_V7 = '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

export const EnvelopeSchema = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ pattern: UUID_V7, description: 'UUIDv7, idempotency key.' }),
    kind: Type.Union(MESSAGE_KINDS.map((k) => Type.Literal(k))),
    site: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
    probe: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
    ts_ms: Type.Integer({ minimum: 0 }),
    seq: Type.Integer({
      minimum: 0,
      description: 'Per-probe counter. A probe numbers its detection and window messages +1 each, kept in its outbox across restarts (a gap means messages were dropped or lost); a status carries the number of the last one made before it.',
    }),
    body: Type.Unknown(),
    sig: Type.String({ pattern: '^[A-Za-z0-9_-]{86}$', description: 'Ed25519 signature, base64url (64 bytes).' }),
  },
  { additionalProperties: false, $id: 'Envelope' },
);

export type Envelope<B = unknown> = Omit<Static<typeof EnvelopeSchema>, 'body'> & { body: B };
export type UnsignedEnvelope<B = unknown> = Omit<Envelope<B>, 'sig'>;
