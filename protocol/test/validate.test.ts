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

describe('observation messages', () => {
  const position = { lat_deg: -29.31, lon_deg: 27.48, position_source: 'gps' as const };
  const burst = { type: 'uplink_burst', ts_ms: 1_800_000_000_000, arfcn: 18, fn: 862212, ra: 38, rssi_dbm: -71.5, position };
  const bearing = { type: 'bearing', ts_ms: 1_800_000_000_100, bearing_deg: 123.4, bearing_std_deg: 6, confidence: 0.8, position };

  it('accepts a batch of mixed observation types and keeps each item as sent', () => {
    const env = factory.make('observation', { observations: [burst, bearing, { type: 'position', ts_ms: 1_800_000_000_200, position }] });
    const r = parseEnvelope(JSON.stringify(env));
    expect(r.ok).toBe(true);
    if (r.ok && r.value.kind === 'observation') expect(r.value.body.observations[1]).toEqual(bearing);
  });

  it('rejects an empty batch, an unknown type, an out-of-range frame number and extra fields', () => {
    for (const body of [
      { observations: [] },
      { observations: [{ ...burst, type: 'imsi_sighting' }] },
      { observations: [{ ...burst, fn: 26 * 51 * 2048 }] },
      { observations: [{ ...bearing, bearing_deg: 360 }] },
      { observations: [{ ...burst, imsi: '262021234567890' }] },
    ]) {
      expect(parseEnvelope(JSON.stringify(factory.make('observation', body)))).toMatchObject({ ok: false, reason: 'bad_schema' });
    }
  });
});

