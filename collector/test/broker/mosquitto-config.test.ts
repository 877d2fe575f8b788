/** The autosave lines of the generated mosquitto.conf (docs/mosquitto.md, "Limits of mosquitto itself"). */
import { describe, expect, it } from 'vitest';
import { MOSQUITTO_DEFAULTS, renderMosquittoConf } from '../../src/broker/mosquitto-config.js';

const base = {
  dir: '/etc/mosquitto/simhound', host: '127.0.0.1', port: 1883,
  max_queued_messages: MOSQUITTO_DEFAULTS.max_queued_messages, max_queued_bytes: MOSQUITTO_DEFAULTS.max_queued_bytes,
  max_inflight_messages: MOSQUITTO_DEFAULTS.max_inflight_messages, max_packet_bytes: MOSQUITTO_DEFAULTS.max_packet_bytes,
  generated_from: 'test',
};

describe('renderMosquittoConf autosave', () => {
  it('saves every second by default', () => {
    const conf = renderMosquittoConf({ ...base, autosave: MOSQUITTO_DEFAULTS.autosave });
    expect(conf).toMatch(/^persistence true$/m);
    expect(conf).toMatch(/^autosave_on_changes false\nautosave_interval 1$/m);
  });
  it('after n changes, or on a timer', () => {
    expect(renderMosquittoConf({ ...base, autosave: { on_changes: 50 } })).toMatch(/^autosave_on_changes true\nautosave_interval 50$/m);
    expect(renderMosquittoConf({ ...base, autosave: { every_s: 30 } })).toMatch(/^autosave_on_changes false\nautosave_interval 30$/m);
  });
});
