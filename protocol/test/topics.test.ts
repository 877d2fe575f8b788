import { describe, expect, it } from 'vitest';
import { allProbesFilter, alertTopic, detectionTopic, parseTopic, statusTopic } from '@simhound/protocol';

describe('topics', () => {
  it('builds the simhound/v1 layout', () => {
    expect(statusTopic('maseru', 'p1')).toBe('simhound/v1/maseru/p1/status');
    expect(detectionTopic('maseru', 'p1')).toBe('simhound/v1/maseru/p1/detection');
    expect(alertTopic('high')).toBe('simhound/v1/alerts/high');
    expect(allProbesFilter('window')).toBe('simhound/v1/+/+/window');
  });

  it('refuses wildcards and separators in names', () => {
    expect(() => statusTopic('a/b', 'p1')).toThrow(/invalid site/);
    expect(() => statusTopic('site', '+')).toThrow(/invalid probe/);
    expect(() => statusTopic('alerts', 'p')).toThrow(/invalid site/);
  });

  it('parses what it builds and rejects the rest with a reason', () => {
    expect(parseTopic(detectionTopic('s', 'p'))).toEqual({ ok: true, value: { type: 'probe', site: 's', probe: 'p', kind: 'detection' } });
    expect(parseTopic(alertTopic('low'))).toEqual({ ok: true, value: { type: 'alert', tier: 'low' } });
    expect(parseTopic('other/v1/s/p/status')).toMatchObject({ ok: false, reason: 'bad_prefix' });
    expect(parseTopic('simhound/v1/s/p/status/x')).toMatchObject({ ok: false, reason: 'bad_shape' });
    expect(parseTopic('simhound/v1/s/p/telemetry')).toMatchObject({ ok: false, reason: 'unknown_kind' });
    expect(parseTopic('simhound/v1/s/p q/status')).toMatchObject({ ok: false, reason: 'bad_segment' });
  });
});
