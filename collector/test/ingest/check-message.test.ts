import { describe, expect, it } from 'vitest';
import { statusTopic } from '@simhound/protocol';
import { checkMessage } from '../../src/ingest/check-message.js';
import { ProbeRegistry } from '../../src/ingest/probe-registry.js';
import { makeProbe, payloadOf, statusBody } from '../fixtures.js';

const DAY_MS = 86_400_000;

describe('checkMessage age rules', () => {
  const probe = makeProbe('s1', 'p1');
  const registry = new ProbeRegistry([{ site: 's1', probe: 'p1', public_key: probe.public_key }]);
  const ctx = { registry, now_ms: Date.now(), max_age_s: 7 * 86_400, max_future_skew_s: 300 };
  const topic = statusTopic('s1', 'p1');

  it('accepts a probe\'s Last Will (signed offline status) made weeks ago, when it connected', () => {
    const will = probe.factory.make('status', statusBody({ state: 'offline' }), Date.now() - 30 * DAY_MS);
    expect(checkMessage(topic, payloadOf(will), ctx)).toMatchObject({ ok: true });
  });

  it('still rejects an old online status as stale, and any status from the future', () => {
    const old = probe.factory.make('status', statusBody({ state: 'online' }), Date.now() - 30 * DAY_MS);
    expect(checkMessage(topic, payloadOf(old), ctx)).toMatchObject({ ok: false, reason: 'stale' });
    const ahead = probe.factory.make('status', statusBody({ state: 'offline' }), Date.now() + DAY_MS);
    expect(checkMessage(topic, payloadOf(ahead), ctx)).toMatchObject({ ok: false, reason: 'future' });
  });
});
