import { describe, expect, it } from 'vitest';
import {
  EnvelopeFactory, canonicalJson, generateSigningKeyPair, messageIdTime, newMessageId, privateKeyFromPem,
  publicKeyFromText, signEnvelope, verifyEnvelope,
} from '@simhound/protocol';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 'x' }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":"x","z":0}]},"b":1}');
  });
  it('formats numbers the ES way (RFC 8785)', () => {
    expect(canonicalJson({ n: 1e21, m: 0.1, k: -0 })).toBe('{"k":0,"m":0.1,"n":1e+21}');
  });
});

describe('UUIDv7 ids', () => {
  it('are version 7, embed their time and sort by it', () => {
    const a = newMessageId(1_700_000_000_000);
    const b = newMessageId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(messageIdTime(a)).toBe(1_700_000_000_000);
    expect(a < b).toBe(true);
  });
});

describe('Ed25519 envelopes', () => {
  const keys = generateSigningKeyPair();
  const priv = privateKeyFromPem(keys.private_key_pem);
  const pub = publicKeyFromText(keys.public_key);

  it('verifies what it signs, whatever the key order on the wire', () => {
    const env = signEnvelope({ v: 1, id: newMessageId(), kind: 'status', site: 's', probe: 'p', ts_ms: 1, seq: 1, body: { x: 1, a: [2] } }, priv);
    expect(verifyEnvelope(env, pub)).toBe(true);
    const reordered = JSON.parse(JSON.stringify({ sig: env.sig, body: { a: [2], x: 1 }, seq: 1, ts_ms: 1, probe: 'p', site: 's', kind: 'status', id: env.id, v: 1 }));
    expect(verifyEnvelope(reordered, pub)).toBe(true);
  });

  it('rejects tampering, a wrong key and a truncated signature', () => {
    const env = signEnvelope({ v: 1, id: newMessageId(), kind: 'detection', site: 's', probe: 'p', ts_ms: 5, seq: 2, body: { score: 0.5 } }, priv);
    expect(verifyEnvelope({ ...env, body: { score: 0.9 } }, pub)).toBe(false);
    expect(verifyEnvelope({ ...env, probe: 'q' }, pub)).toBe(false);
    const other = publicKeyFromText(generateSigningKeyPair().public_key);
    expect(verifyEnvelope(env, other)).toBe(false);
    expect(verifyEnvelope({ ...env, sig: env.sig.slice(0, 40) }, pub)).toBe(false);
  });

  it('refuses malformed public keys at configuration time', () => {
    expect(() => publicKeyFromText('abc')).toThrow(TypeError);
    expect(() => publicKeyFromText(`${keys.public_key}=`)).toThrow(TypeError);
  });

  it('factory makes unique ids and strictly increasing seq', () => {
    let now = 1_700_000_000_000;
    const f = new EnvelopeFactory('site-a', 'probe-1', priv, () => now);
    const a = f.make('status', { n: 1 });
    const b = f.make('status', { n: 2 });
    now -= 5000; // clock steps back: seq must still increase
    const c = f.make('status', { n: 3 });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(c.seq).toBeGreaterThan(b.seq);
    expect(verifyEnvelope(c, pub)).toBe(true);
  });

  it('factory seq is dense within a run; an offline status repeats the last number instead of taking one', () => {
    let now = 1_700_000_000_000;
    const f = new EnvelopeFactory('site-a', 'probe-1', priv, () => now);
    const a = f.make('detection', { n: 1 });
    now += 60_000; // time passing does not open a gap
    const will = f.make('status', { state: 'offline' });
    const b = f.make('window', { n: 2 });
    const c = f.make('status', { state: 'online' });
    expect([a.seq, will.seq, b.seq, c.seq]).toEqual([1_700_000_000_000_001, 1_700_000_000_000_001, 1_700_000_000_000_002, 1_700_000_000_000_003]);
    // A restart starts at the clock in microseconds: far above what the previous run used.
    const next = new EnvelopeFactory('site-a', 'probe-1', priv, () => now + 1000).make('detection', {});
    expect(next.seq - c.seq).toBeGreaterThan(60_000_000);
    // A caller that numbers its own messages (the edge outbox, across restarts) gets its number as is.
    expect(f.make('detection', {}, now, 42).seq).toBe(42);
  });
});
