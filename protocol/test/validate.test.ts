import { describe, expect, it } from 'vitest';
import { EnvelopeFactory, MAX_MESSAGE_BYTES, generateSigningKeyPair, parseEnvelope, privateKeyFromPem } from '@simhound/protocol';
import { sampleDetection } from '@simhound/test-support/samples';

const keys = generateSigningKeyPair();
const factory = new EnvelopeFactory('s1', 'p1', privateKeyFromPem(keys.private_key_pem));


describe('parseEnvelope', () => {
  it('accepts a valid signed detection', () => {
    const env = factory.make('detection', sampleDetection);
    const r = parseEnvelope(JSON.stringify(env));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.body).toEqual(sampleDetection);
  });

  it('rejects with typed reasons', () => {
    expect(parseEnvelope('{not json')).toMatchObject({ ok: false, reason: 'bad_json' });
    expect(parseEnvelope(Buffer.from([0xff, 0xfe, 0x00]))).toMatchObject({ ok: false, reason: 'bad_json' });
    expect(parseEnvelope('{"v":1}')).toMatchObject({ ok: false, reason: 'bad_schema' });
    const env = factory.make('detection', { ...sampleDetection, ta_steps: 64 });
    const r = parseEnvelope(JSON.stringify(env));
    expect(r).toMatchObject({ ok: false, reason: 'bad_schema' });
    if (!r.ok) expect(r.detail).toMatch(/ta_steps/);
    const extra = factory.make('detection', { ...sampleDetection, imsi: '262021234567890' });
    expect(parseEnvelope(JSON.stringify(extra))).toMatchObject({ ok: false, reason: 'bad_schema' });
    const cmd = factory.make('cmd', {});
    expect(parseEnvelope(JSON.stringify(cmd))).toMatchObject({ ok: false, reason: 'unsupported_kind' });
    expect(parseEnvelope('x'.repeat(MAX_MESSAGE_BYTES + 1))).toMatchObject({ ok: false, reason: 'too_large' });
  });
});
