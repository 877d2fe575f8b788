/**
 * The stateless checks every received MQTT message passes, in order: parse + schema (protocol's
 * parseEnvelope) → topic/envelope agreement (site, probe, kind) → known probe → Ed25519 signature →
 * not stale, not from the future. Dedupe needs the store and happens after (ingest.ts).
 * The signature check is the expensive step (~60–130 µs); `precheckMessage` and `checkAge` let a
 * worker pool (verify-pool.ts) run it off the event loop. Returns a typed rejection, never throws,
 * whatever the bytes.
 */
import { fail, ok, parseEnvelope, parseTopic, verifyEnvelope, type ParsedEnvelope, type Result } from '@simhound/protocol';
import type { ProbeRegistry, RegisteredProbe } from './probe-registry.js';

export const INGEST_REJECTIONS = [
  'too_large',
  'bad_json',
  'bad_schema',
  'unsupported_kind',
  'topic_mismatch',
  'unknown_probe',
  'bad_signature',
  'stale',
  'future',
  'duplicate_id',
] as const;
export type IngestRejection = (typeof INGEST_REJECTIONS)[number];
export type CheckRejection = Exclude<IngestRejection, 'duplicate_id'>;

export interface MessageCheckContext {
  registry: ProbeRegistry;
  now_ms: number;
  max_age_s: number;
  max_future_skew_s: number;
}

/** Everything before the signature: what the envelope says, and whose key must verify it. */
export function precheckMessage(topic: string, payload: Uint8Array, registry: ProbeRegistry): Result<{ env: ParsedEnvelope; probe: RegisteredProbe }, CheckRejection> {
  const parsed = parseEnvelope(payload);
  if (!parsed.ok) return parsed;
  const env = parsed.value;

  const t = parseTopic(topic);
  if (!t.ok) return fail('topic_mismatch', `topic ${t.reason}`);
  if (t.value.type !== 'probe') return fail('topic_mismatch', 'alert topic');
  if (t.value.site !== env.site || t.value.probe !== env.probe || t.value.kind !== env.kind) {
    // A probe's broker credentials only allow its own topics, so a mismatch means a misconfigured or
    // forged sender: the envelope claims to be someone (or something) the topic says it is not.
    return fail('topic_mismatch', `topic says ${t.value.site}/${t.value.probe}/${t.value.kind}, envelope says ${env.site}/${env.probe}/${env.kind}`);
  }

  const probe = registry.get(env.site, env.probe);
  if (probe === undefined) return fail('unknown_probe', `${env.site}/${env.probe}`);
  return ok({ env, probe });
}

/** After the signature: ts_ms is now known to come from the probe. */
export function checkAge(env: ParsedEnvelope, ctx: Omit<MessageCheckContext, 'registry'>): Result<ParsedEnvelope, CheckRejection> {
  const age_ms = ctx.now_ms - env.ts_ms;
  // A probe's Last Will is signed when it connects and published by the broker when the connection
  // dies, possibly weeks later: a signed "offline" status is exempt from the age limit (the broker ACL
  // lets only that probe write its status topic, and the dedupe by id still applies).
  const isLastWill = env.kind === 'status' && env.body.state === 'offline';
  if (age_ms > ctx.max_age_s * 1000 && !isLastWill) return fail('stale', `ts_ms is ${Math.round(age_ms / 1000)} s old (max ${ctx.max_age_s} s)`);
  if (-age_ms > ctx.max_future_skew_s * 1000) return fail('future', `ts_ms is ${Math.round(-age_ms / 1000)} s ahead (max ${ctx.max_future_skew_s} s)`);
  return ok(env);
}

export const badSignature = (env: ParsedEnvelope) => fail('bad_signature', `does not verify with the key of ${env.site}/${env.probe}`);

export function checkMessage(topic: string, payload: Uint8Array, ctx: MessageCheckContext): Result<ParsedEnvelope, CheckRejection> {
  const pre = precheckMessage(topic, payload, ctx.registry);
  if (!pre.ok) return pre;
  const { env, probe } = pre.value;
  let verified = false;
  try {
    verified = verifyEnvelope(env, probe.key);
  } catch (e) {
    return fail('bad_signature', (e as Error).message);
  }
  if (!verified) return badSignature(env);
  return checkAge(env, ctx);
}
