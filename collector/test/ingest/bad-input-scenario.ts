/**
 * One batch of hostile and broken messages, each published on the sending probe's own topics (the only
 * ones a broker ACL lets it use), with the rejection reason each must get. Shared by the aedes and the
 * mosquitto tests so both brokers face the same input.
 */
import { randomBytes } from 'node:crypto';
import { detectionTopic, MAX_MESSAGE_BYTES, statusTopic } from '@simhound/protocol';
import { publishAndWait, type MqttClient } from '@simhound/test-support/mqtt';
import { detectionBody, makeProbe, payloadOf, statusBody, type TestProbe } from '../fixtures.js';

export interface BadInputCase {
  name: string;
  reason: string;
  topic: string;
  payload: Buffer;
}

const DAY_MS = 24 * 3600 * 1000;

export function badInputCases(probe: TestProbe): BadInputCase[] {
  const det = detectionTopic(probe.site, probe.probe);
  const good = probe.factory.make('detection', detectionBody());
  const tampered = { ...probe.factory.make('detection', detectionBody()) };
  tampered.body = { ...tampered.body, score: 0.01 };
  const impostor = makeProbe(probe.site, probe.probe); // same names, a different key
  const garbage = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(64)]);
  return [
    { name: 'garbage bytes', reason: 'bad_json', topic: det, payload: garbage },
    { name: 'truncated JSON', reason: 'bad_json', topic: det, payload: Buffer.from('{"v":1,"id":"0190') },
    { name: 'oversized payload', reason: 'too_large', topic: det, payload: Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20) },
    { name: 'JSON that is no envelope', reason: 'bad_schema', topic: det, payload: Buffer.from('{"hello":"world"}') },
    { name: 'body out of range (score 2)', reason: 'bad_schema', topic: det, payload: payloadOf(probe.factory.make('detection', detectionBody({ score: 2 }))) },
    { name: 'kind the collector does not ingest', reason: 'unsupported_kind', topic: det, payload: payloadOf(probe.factory.make('cmd', {})) },
    { name: 'status envelope on the detection topic', reason: 'topic_mismatch', topic: det, payload: payloadOf(probe.factory.make('status', statusBody())) },
    { name: 'body changed after signing', reason: 'bad_signature', topic: det, payload: payloadOf(tampered) },
    { name: 'signed with another key', reason: 'bad_signature', topic: det, payload: payloadOf(impostor.factory.make('detection', detectionBody())) },
    { name: '8 days old', reason: 'stale', topic: det, payload: payloadOf(probe.factory.make('detection', detectionBody(), Date.now() - 8 * DAY_MS)) },
    { name: 'one hour ahead', reason: 'future', topic: det, payload: payloadOf(probe.factory.make('detection', detectionBody(), Date.now() + 3600_000)) },
    { name: 'first copy of a message', reason: 'accepted', topic: det, payload: payloadOf(good) },
    { name: 'replay of that message', reason: 'duplicate_id', topic: det, payload: payloadOf(good) },
  ];
}

/** Publish every case (QoS 1) and return the expected count per rejection reason. */
export async function publishBadInputs(client: MqttClient, cases: BadInputCase[]): Promise<Record<string, number>> {
  const expected: Record<string, number> = {};
  for (const c of cases) {
    await publishAndWait(client, c.topic, c.payload);
    if (c.reason !== 'accepted') expected[c.reason] = (expected[c.reason] ?? 0) + 1;
  }
  return expected;
}

export const goodStatusAfterwards = (probe: TestProbe) => ({
  topic: statusTopic(probe.site, probe.probe),
  envelope: probe.factory.make('status', statusBody({ state: 'online' })),
});
