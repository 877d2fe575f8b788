/**
 * The probe's command checks with real Ed25519 keys: only a fresh command for this probe, signed by
 * the collector key, once.
 */
import { describe, expect, it } from 'vitest';
import { EnvelopeFactory, generateSigningKeyPair, privateKeyFromPem, publicKeyFromText, type CommandBody } from '@simhound/protocol';
import { CommandVerifier } from '../../src/commands/command-verifier.js';

const collector = generateSigningKeyPair();
const probeKeys = generateSigningKeyPair();
const T0 = 1_800_000_000_000;
let now = T0;
const verifier = () => new CommandVerifier({ site: 'maseru', probe: 'roof-1', collectorKey: publicKeyFromText(collector.public_key), max_age_s: 300, clock: () => now });
const make = (body: Partial<CommandBody> = {}, opts: { site?: string; probe?: string; key?: string; ts_ms?: number } = {}) => {
  const f = new EnvelopeFactory(opts.site ?? 'maseru', opts.probe ?? 'roof-1', privateKeyFromPem(opts.key ?? collector.private_key_pem), () => now);
  const ts = opts.ts_ms ?? now;
  return f.make('cmd', { command: 'ping', expires_ts_ms: ts + 60_000, ...body }, ts);
};
const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('CommandVerifier', () => {
  it('accepts a fresh command for this probe signed by the collector, once', () => {
    now = T0;
    const v = verifier();
    const cmd = make({ command: 'republish_status' });
    expect(v.verify(bytes(cmd))).toEqual({ ok: true, value: { id: cmd.id, command: 'republish_status', ts_ms: T0, expires_ts_ms: T0 + 60_000 } });
    expect(v.verify(bytes(cmd))).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('refuses another probe\'s command, a probe-signed one, a tampered one, and garbage', () => {
    now = T0;
    const v = verifier();
    expect(v.verify(bytes(make({}, { probe: 'van-2' })))).toMatchObject({ ok: false, reason: 'wrong_target' });
    expect(v.verify(bytes(make({}, { key: probeKeys.private_key_pem })))).toMatchObject({ ok: false, reason: 'bad_signature' });
    const tampered = make();
    tampered.body = { ...tampered.body, command: 'republish_status' };
    expect(v.verify(bytes(tampered))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(v.verify(Buffer.from('{"v":1'))).toMatchObject({ ok: false, reason: 'bad_json' });
    expect(v.verify(bytes({ ...make(), body: { command: 'reboot', expires_ts_ms: T0 } }))).toMatchObject({ ok: false, reason: 'bad_schema' });
  });

  it('refuses expired, future-dated and too-long-lived commands, and forgets ids once they expire', () => {
    now = T0;
    const v = verifier();
    const cmd = make();
    expect(v.verify(bytes(cmd)).ok).toBe(true);
    expect(v.remembered).toBe(1);
    now = T0 + 61_000;
    expect(v.verify(bytes(cmd))).toMatchObject({ ok: false, reason: 'expired' });
    expect(v.remembered).toBe(0);
    expect(v.verify(bytes(make({}, { ts_ms: now + 3600_000 })))).toMatchObject({ ok: false, reason: 'future' });
    expect(v.verify(bytes(make({ expires_ts_ms: now + 3600_000 })))).toMatchObject({ ok: false, reason: 'too_long_lived' });
  });
});
