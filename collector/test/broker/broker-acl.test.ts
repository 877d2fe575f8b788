import { describe, expect, it } from 'vitest';
import { mayPublish, maySubscribe, mosquittoAclUsers, renderMosquittoAclFile, type BrokerIdentity } from '../../src/index.js';

describe('broker ACL rules', () => {
  const probe: BrokerIdentity = { role: 'probe', site: 'maseru', probe: 'roof-1', username: 'maseru/roof-1' };
  const collector: BrokerIdentity = { role: 'collector', username: 'collector' };

  it('lets a probe publish only its own status, detection, window and observation', () => {
    for (const kind of ['status', 'detection', 'window', 'observation']) expect(mayPublish(probe, `simhound/v1/maseru/roof-1/${kind}`)).toBe(true);
    for (const topic of [
      'simhound/v1/maseru/roof-2/detection', 'simhound/v1/other/roof-1/status', 'simhound/v1/maseru/roof-1/cmd',
      'simhound/v1/alerts/high', 'simhound/v1/maseru/roof-1/detection/x', 'simhound/v1/maseru/+/detection', '$SYS/x',
    ]) expect(mayPublish(probe, topic)).toBe(false);
  });

  it('lets a probe subscribe only to its own cmd topic', () => {
    expect(maySubscribe(probe, 'simhound/v1/maseru/roof-1/cmd')).toBe(true);
    for (const f of ['#', 'simhound/v1/#', 'simhound/v1/+/+/detection', 'simhound/v1/maseru/roof-2/cmd', 'simhound/v1/maseru/roof-1/status']) {
      expect(maySubscribe(probe, f)).toBe(false);
    }
  });

  it('lets the collector read the simhound tree and publish cmd and alerts only', () => {
    expect(maySubscribe(collector, 'simhound/v1/+/+/detection')).toBe(true);
    expect(maySubscribe(collector, 'simhound/v1/#')).toBe(true);
    expect(maySubscribe(collector, '#')).toBe(false);
    expect(maySubscribe(collector, '$SYS/#')).toBe(false);
    expect(mayPublish(collector, 'simhound/v1/maseru/roof-1/cmd')).toBe(true);
    expect(mayPublish(collector, 'simhound/v1/alerts/medium')).toBe(true);
    expect(mayPublish(collector, 'simhound/v1/maseru/roof-1/detection')).toBe(false);
    expect(mayPublish(collector, 'simhound/v1/alerts/urgent')).toBe(false);
    expect(mayPublish(collector, 'simhound/v1/+/+/cmd')).toBe(false);
  });

  it('lets an alert subscriber subscribe to the alert topics and do nothing else', () => {
    const room: BrokerIdentity = { role: 'alert_subscriber', username: 'control-room' };
    for (const f of ['simhound/v1/alerts/high', 'simhound/v1/alerts/medium', 'simhound/v1/alerts/low', 'simhound/v1/alerts/+', 'simhound/v1/alerts/#']) expect(maySubscribe(room, f)).toBe(true);
    for (const f of ['#', 'simhound/v1/#', 'simhound/v1/+/+/detection', 'simhound/v1/maseru/roof-1/cmd', 'simhound/v1/alerts/urgent', '$SYS/#']) expect(maySubscribe(room, f)).toBe(false);
    for (const t of ['simhound/v1/alerts/high', 'simhound/v1/maseru/roof-1/cmd', 'simhound/v1/maseru/roof-1/detection']) expect(mayPublish(room, t)).toBe(false);
    expect(renderMosquittoAclFile(mosquittoAclUsers([], 'collector', ['control-room']))).toContain('user control-room\ntopic read simhound/v1/alerts/#\n');
  });

  it('renders the same rules as a mosquitto acl_file', () => {
    expect(renderMosquittoAclFile(mosquittoAclUsers([{ site: 'maseru', probe: 'roof-1' }], 'collector'))).toBe(
      [
        'user collector',
        'topic read simhound/v1/#',
        'topic write simhound/v1/+/+/cmd',
        'topic write simhound/v1/alerts/+',
        '',
        'user maseru/roof-1',
        'topic write simhound/v1/maseru/roof-1/status',
        'topic write simhound/v1/maseru/roof-1/detection',
        'topic write simhound/v1/maseru/roof-1/window',
        'topic write simhound/v1/maseru/roof-1/observation',
        'topic read simhound/v1/maseru/roof-1/cmd',
        '',
      ].join('\n'),
    );
  });
});
