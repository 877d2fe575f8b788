/**
 * Signed collector → probe commands end to end on the embedded broker: an admin POSTs a ping to the
 * collector API, the collector signs it with its command key and publishes it on the probe's cmd
 * topic, the running edge agent verifies it and answers with a status whose last_command is that
 * ping; a field user may send, an investigator may not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector, validateCollectorConfig } from '@simhound/collector';
import { EdgeConfigSchema, startEdgeAgent } from '@simhound/edge-agent';
import { generateSigningKeyPair, silentLogger } from '@simhound/protocol';
import { makeProbe, makeUser } from '@simhound/test-support/identities';
import { waitFor } from '@simhound/test-support/mqtt';
import { validateConfig } from '../src/load-config.js';
import { makePseudonymKey } from '../src/commands/keys.js';

const stops: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s();
});

describe('signed commands, collector → probe', () => {
  it('a ping reaches the probe, is verified, and comes back as the status\'s last_command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-cmd-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const probe = makeProbe('maseru', 'roof-1');
    const admin = makeUser('ana', 'admin');
    const investigator = makeUser('ivo', 'investigator');
    const commandKey = generateSigningKeyPair();
    writeFileSync(join(dir, 'collector-commands.key.pem'), commandKey.private_key_pem, { mode: 0o600 });
    const cc = validateCollectorConfig({
      mqtt: { embedded_broker: { host: '127.0.0.1', port: 0 } },
      http: { port: 0 },
      storage: { sqlite_path: join(dir, 'collector.sqlite') },
      probes: [{ site: probe.site, probe: probe.probe, public_key: probe.public_key, mqtt_password_sha256: probe.mqtt_password_sha256 }],
      users: [admin, investigator].map((u) => ({ name: u.name, role: u.role, token_sha256: u.token_sha256 })),
      commands: { signing_key_file: join(dir, 'collector-commands.key.pem') },
    });
    if (!cc.ok) throw new Error(cc.detail);
    const collector = await startCollector(cc.value, { log: silentLogger });
    stops.push(() => collector.close());

    writeFileSync(join(dir, 'probe.key.pem'), probe.private_key_pem, { mode: 0o600 });
    makePseudonymKey(join(dir, 'pseudonym.key'));
    const ec = validateConfig(EdgeConfigSchema, {
      site: probe.site,
      probe: probe.probe,
      keys: { signing_key_file: join(dir, 'probe.key.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
      mqtt: { url: collector.mqttUrl, username: probe.mqtt_username, password: probe.mqtt_password },
      sources: [{ kind: 'gsmtap_udp', host: '127.0.0.1', port: 0 }],
      outbox: { path: join(dir, 'outbox.db') },
      commands: { collector_public_key: commandKey.public_key },
    });
    if (!ec.ok) throw new Error(ec.detail);
    const edge = await startEdgeAgent(ec.value, { log: silentLogger });
    stops.push(() => edge.stop());
    await waitFor(async () => ((await collector.store.listProbes())[0]?.status?.state === 'online' ? true : undefined), 'the probe online');

    const post = (token: string, command: string) => fetch(`${collector.httpUrl}/api/probes/maseru/roof-1/commands`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ command }),
    });
    expect((await post(investigator.token, 'ping')).status).toBe(403);
    expect((await post(admin.token, 'reboot')).status).toBe(400);
    expect((await fetch(`${collector.httpUrl}/api/probes/maseru/nobody/commands`, {
      method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ command: 'ping' }),
    })).status).toBe(404);
    // The probe's command subscription may take a moment after its first status: retry until it answers.
    const answered = await waitFor(async () => {
      const r = await post(admin.token, 'ping');
      expect(r.status).toBe(202);
      const sent = await r.json() as { id: string };
      for (let i = 0; i < 20; i += 1) {
        const p = (await collector.store.listProbes())[0]!;
        if (p.status?.last_command?.id === sent.id) return { sent, status: p.status };
        await new Promise((res) => setTimeout(res, 50));
      }
      return undefined;
    }, 'the ping answered in the probe status', 15_000);
    expect(answered.status.last_command).toMatchObject({ id: answered.sent.id, command: 'ping' });
    const audit = await collector.store.listAudit({ limit: 50 });
    expect(audit.some((a) => a.method === 'POST' && a.path === '/api/probes/maseru/roof-1/commands' && a.user === 'ana' && a.status === 202)).toBe(true);
  });
});
