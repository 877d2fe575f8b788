/**
 * `simhound collector` start failures are one line naming the file, port or key and what to do, with
 * a non-zero exit — never a stack trace. Each case runs the real CLI in a child process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort } from '@simhound/test-support/ports';
import { runCli } from '../../collector/test/durability/collector-process.js';

const dir = mkdtempSync(join(tmpdir(), 'simhound-collector-errors-'));
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function occupiedPort(): Promise<number> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  servers.push(server);
  return port;
}

async function configWith(name: string, over: Record<string, unknown>): Promise<string> {
  const base = {
    mqtt: { embedded_broker: { host: '127.0.0.1', port: await freePort() } },
    http: { host: '127.0.0.1', port: await freePort() },
    storage: { sqlite_path: join(dir, name, 'collector.sqlite') },
  };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({ ...base, ...over }));
  return file;
}

describe('simhound collector: one-line start errors', () => {
  it('names the file, port or key, says what to do, and exits 1', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    writeFileSync(join(dir, 'not-a-db.sqlite'), 'this is not an SQLite database, just text that is long enough to have a header'.repeat(20));
    writeFileSync(join(dir, 'junk.key.pem'), 'not a key\n');
    const httpBusy = await occupiedPort();
    const mqttBusy = await occupiedPort();
    const cases: Array<{ name: string; config: string; expect: RegExp }> = [
      { name: 'sqlite path under a file', config: await configWith('under-file', { storage: { sqlite_path: join(dir, 'a-file', 'collector.sqlite') } }), expect: /storage\.sqlite_path .*a-file\/collector\.sqlite: .*directory/ },
      { name: 'sqlite file is not a database', config: await configWith('not-db', { storage: { sqlite_path: join(dir, 'not-a-db.sqlite') } }), expect: /storage\.sqlite_path .*not-a-db\.sqlite: the file is not an SQLite database/ },
      { name: 'sqlite path not writable (sysfs: not writable even for root)', config: await configWith('unwritable', { storage: { sqlite_path: '/sys/kernel/simhound-collector.sqlite' } }), expect: /storage\.sqlite_path \/sys\/kernel\/simhound-collector\.sqlite: cannot create or open the database file; point it at a writable directory/ },
      { name: 'HTTP port in use', config: await configWith('http-busy', { http: { host: '127.0.0.1', port: httpBusy } }), expect: new RegExp(`http 127\\.0\\.0\\.1:${httpBusy}: address already in use; choose another http\\.port`) },
      { name: 'MQTT port in use', config: await configWith('mqtt-busy', { mqtt: { embedded_broker: { host: '127.0.0.1', port: mqttBusy } } }), expect: new RegExp(`mqtt\\.embedded_broker 127\\.0\\.0\\.1:${mqttBusy}: address already in use`) },
      { name: 'missing cells_csv', config: await configWith('no-cells', { cells_csv: join(dir, 'nope.csv') }), expect: /cells_csv .*nope\.csv: cannot read it/ },
      { name: 'missing command key', config: await configWith('no-key', { commands: { signing_key_file: join(dir, 'missing.key.pem') } }), expect: /commands\.signing_key_file .*missing\.key\.pem: no such file or directory; make one with `simhound keys collector`/ },
      { name: 'bad command key', config: await configWith('bad-key', { commands: { signing_key_file: join(dir, 'junk.key.pem') } }), expect: /commands\.signing_key_file .*junk\.key\.pem: not an Ed25519 private key in PEM/ },
      { name: 'missing TLS files', config: await configWith('no-tls', { mqtt: { embedded_broker: { host: '127.0.0.1', port: 0, tls: { cert_file: join(dir, 'none.pem'), key_file: join(dir, 'none.key.pem') } } } }), expect: /mqtt\.embedded_broker\.tls\.cert_file .*none\.pem: no such file or directory/ },
      { name: 'external broker not reachable', config: await configWith('no-broker', { mqtt: { url: `mqtt://127.0.0.1:${await freePort()}`, username: 'c', password: 'p', connect_timeout_s: 1 } }), expect: /mqtt\.url mqtt:\/\/127\.0\.0\.1:\d+: .*start the broker/ },
    ];
    mkdirSync(join(dir, 'under-file'), { recursive: true });
    const results = await Promise.all(cases.map((c) => runCli(['collector', '--config', c.config], 60_000)));
    results.forEach((r, i) => {
      const c = cases[i]!;
      const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('simhound:'));
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(1);
      expect(lines, `${c.name}: ${r.stderr}`).toHaveLength(1);
      expect(lines[0], c.name).toMatch(c.expect);
      expect(r.stderr, `${c.name}: no stack trace`).not.toMatch(/\n\s+at /);
    });
  }, 120_000);
});
