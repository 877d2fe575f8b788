/**
 * mosquitto for collector tests, on the files `simhound collector mosquitto-config` generates (the same
 * render functions): persistence, queue limits, mosquitto-format password file, the production ACL.
 * Test-only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMosquittoFromConfig, type RunningMosquittoFromConfig } from '@simhound/test-support/mosquitto';
import { freePort } from '@simhound/test-support/ports';
import { MOSQUITTO_DEFAULTS, mosquittoAclUsers, renderMosquittoAclFile, renderMosquittoConf, renderMosquittoPasswordFile } from '../../src/index.js';
import type { TestProbe } from '../fixtures.js';

export /** Write the files `simhound collector mosquitto-config` writes (same functions) and start mosquitto on them. */
async function startGeneratedMosquitto(dir: string, probes: TestProbe[], collectorPassword: string, extra: { tls?: { cert_file: string; key_file: string; ca_file?: string } } = {}): Promise<RunningMosquittoFromConfig> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'mosquitto.conf'), renderMosquittoConf({
    dir, host, port, tls: extra.tls,
    max_queued_messages: MOSQUITTO_DEFAULTS.max_queued_messages,
    max_queued_bytes: MOSQUITTO_DEFAULTS.max_queued_bytes,
    max_inflight_messages: MOSQUITTO_DEFAULTS.max_inflight_messages,
    max_packet_bytes: MOSQUITTO_DEFAULTS.max_packet_bytes,
    autosave: MOSQUITTO_DEFAULTS.autosave,
    user: 'root', // a test running as root keeps root (mosquitto would switch to "mosquitto" and lose the temp dir)
    generated_from: 'the test',
  }));
  writeFileSync(join(dir, 'passwords'), renderMosquittoPasswordFile([
    { username: 'collector', password: collectorPassword },
    ...probes.map((p) => ({ username: p.mqtt_username, password: p.mqtt_password })),
  ]), { mode: 0o600 });
  writeFileSync(join(dir, 'acl'), renderMosquittoAclFile(mosquittoAclUsers(probes, 'collector')));
  return startMosquittoFromConfig(join(dir, 'mosquitto.conf'), { host, port, tls: extra.tls !== undefined });
}
