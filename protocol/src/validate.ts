/**
 * Parsing and validation of received messages: bytes → JSON → envelope schema → body schema by kind.
 * Returns a typed rejection reason (never throws), so ingest can dead-letter and count.
 * Signature checks need the probe registry and live in the collector (verifyEnvelope here).
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { fail, ok, type Result } from './result.js';
import { EnvelopeSchema, type Envelope, type MessageKind } from './schemas/envelope.js';
import { StatusBodySchema, type StatusBody } from './schemas/status.js';
import { DetectionBodySchema, type DetectionBody } from './schemas/detection.js';
import { WindowBodySchema, type WindowBody } from './schemas/window.js';
import { ObservationBodySchema, type ObservationBody } from './schemas/observation.js';
import { CommandBodySchema, type CommandBody } from './schemas/command.js';
import { AlertBodySchema, type AlertBody } from './schemas/alert.js';

export type ParseRejection = 'too_large' | 'bad_json' | 'bad_schema' | 'unsupported_kind';

export const MAX_MESSAGE_BYTES = 256 * 1024;

const envelopeCheck = TypeCompiler.Compile(EnvelopeSchema);
const bodyChecks: Partial<Record<MessageKind, TypeCheck<TSchema>>> = {
  status: TypeCompiler.Compile(StatusBodySchema),
  detection: TypeCompiler.Compile(DetectionBodySchema),
  window: TypeCompiler.Compile(WindowBodySchema),
  observation: TypeCompiler.Compile(ObservationBodySchema),
};

export interface BodyByKind {
  status: StatusBody;
  detection: DetectionBody;
  window: WindowBody;
  observation: ObservationBody;
}

export type ParsedEnvelope =
  | (Envelope<StatusBody> & { kind: 'status' })
  | (Envelope<DetectionBody> & { kind: 'detection' })
  | (Envelope<WindowBody> & { kind: 'window' })
  | (Envelope<ObservationBody> & { kind: 'observation' });

function firstError(check: TypeCheck<TSchema>, value: unknown): string {
  const e = check.Errors(value).First();
  return e ? `${e.path || '/'}: ${e.message}` : 'invalid';
}

/**
 * The steps every received message goes through, in order: size, JSON, envelope schema, then the body
 * schema that `bodyCheckOf` gives for the envelope's kind (none: `unsupported_kind`).
 */
function readEnvelope(payload: Uint8Array | string, bodyCheckOf: (kind: MessageKind) => TypeCheck<TSchema> | undefined): Result<Envelope, ParseRejection> {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_MESSAGE_BYTES) return fail('too_large', `${size} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8'));
  } catch (e) {
    return fail('bad_json', (e as Error).message);
  }
  if (!envelopeCheck.Check(value)) return fail('bad_schema', `envelope ${firstError(envelopeCheck, value)}`);
  const env = value as Envelope;
  const bodyCheck = bodyCheckOf(env.kind);
  if (bodyCheck === undefined) return fail('unsupported_kind', env.kind);
  if (!bodyCheck.Check(env.body)) return fail('bad_schema', `body ${firstError(bodyCheck, env.body)}`);
  return ok(env);
}

/** Parse one MQTT payload into a schema-valid envelope with a schema-valid body. */
export function parseEnvelope(payload: Uint8Array | string): Result<ParsedEnvelope, ParseRejection> {
  return readEnvelope(payload, (kind) => bodyChecks[kind]) as Result<ParsedEnvelope, ParseRejection>;
}

/** Validate a body before sending (the edge checks what it publishes with the same schemas). */
export function checkBody(kind: keyof BodyByKind, body: unknown): Result<true, 'bad_schema'> {
  const check = bodyChecks[kind]!;
  return check.Check(body) ? ok(true) : fail('bad_schema', firstError(check, body));
}

const commandCheck = TypeCompiler.Compile(CommandBodySchema);

/**
 * Parse a command envelope (probe side). Kept apart from parseEnvelope: the collector never ingests
 * `cmd` messages, so there they stay `unsupported_kind`.
 */
export function parseCommandEnvelope(payload: Uint8Array | string): Result<Envelope<CommandBody> & { kind: 'cmd' }, ParseRejection> {
  return readEnvelope(payload, (kind) => (kind === 'cmd' ? commandCheck : undefined)) as Result<Envelope<CommandBody> & { kind: 'cmd' }, ParseRejection>;
}

const alertCheck = TypeCompiler.Compile(AlertBodySchema);

/**
 * Parse an alert envelope (subscriber side, simhound/v1/alerts/<tier>). The signature is the collector's:
 * verify it with verifyEnvelope and the collector's public key.
 */
export function parseAlertEnvelope(payload: Uint8Array | string): Result<Envelope<AlertBody> & { kind: 'alert' }, ParseRejection> {
  return readEnvelope(payload, (kind) => (kind === 'alert' ? alertCheck : undefined)) as Result<Envelope<AlertBody> & { kind: 'alert' }, ParseRejection>;
}
