/**
 * Probe status: retained on `.../status`; the LWT publishes the same shape with `state: "offline"`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PositionSchema } from './common.js';
import { LastCommandSchema } from './command.js';

export const PROBE_STATES = ['online', 'degraded', 'offline'] as const;

export const SourceHealthSchema = Type.Object(
  {
    source_name: Type.String({ minLength: 1 }),
    source_kind: Type.String({ minLength: 1, description: 'gsmtap, pcap, iq, modem, bridge …' }),
    state: Type.Union([Type.Literal('ok'), Type.Literal('idle'), Type.Literal('error'), Type.Literal('finished'), Type.Literal('silent')], {
      description: 'ok: data flows; idle: nothing yet; silent: a live source quiet past its watchdog limit; error: it failed; finished: a capture was read to its end.',
    }),
    frames_total: Type.Integer({ minimum: 0 }),
    events_total: Type.Integer({ minimum: 0 }),
    rejected_total: Type.Integer({ minimum: 0 }),
    rejected_by_reason: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    last_frame_ts_ms: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    last_rx_ts_ms: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  },
  { additionalProperties: false, $id: 'SourceHealth' },
);

export const StatusBodySchema = Type.Object(
  {
    state: Type.Union(PROBE_STATES.map((s) => Type.Literal(s))),
    software_version: Type.String(),
    started_ts_ms: Type.Integer({ minimum: 0 }),
    uptime_s: Type.Number({ minimum: 0 }),
    position: Type.Union([PositionSchema, Type.Null()]),
    sources: Type.Array(SourceHealthSchema),
    outbox_depth: Type.Integer({ minimum: 0 }),
    outbox_bytes: Type.Optional(Type.Integer({ minimum: 0 })),
    outbox_oldest_ts_ms: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    outbox_durable: Type.Optional(Type.Boolean()),
    outbox_dropped_by_reason: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }))),
    detections_total: Type.Integer({ minimum: 0 }),
    last_command: Type.Optional(LastCommandSchema),
  },
  { additionalProperties: false, $id: 'StatusBody' },
);
export type StatusBody = Static<typeof StatusBodySchema>;
export type SourceHealth = Static<typeof SourceHealthSchema>;
