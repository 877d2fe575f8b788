/**
 * TLS made by `simhound keys ca` / `keys server-cert`, used for real: the embedded broker speaks only
 * TLS with that certificate; a probe that trusts the CA connects and its message is stored, one that
 * does not is refused, plain MQTT on the TLS port gets nowhere; mosquitto on the generated config with
 * the same certificate carries the collector's own connection (mqtts:// + mqtt.ca_file). Bad TLS files
 * are a one-line start error naming them.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CollectorStartError, startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { detectionTopic, EnvelopeFactory, privateKeyFromPem, silentLogger } from '@simhound/protocol';
import { startMosquittoFromConfig } from '@simhound/test-support/mosquitto';
import { freePort } from '@simhound/test-support/ports';
import { stringify } from 'yaml';
import { mosquittoConfigCommand } from '../src/commands/collector.js';
import { makeProbeKeys, makePseudonymKey } from '../src/commands/keys.js';
import { validateConfig } from '../src/load-config.js';
import { EdgeConfigSchema, EdgeStartError, startEdgeAgent } from '@simhound/edge-agent';
import { makeProbe } from '@simhound/test-support/identities';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { sampleDetection } from '@simhound/test-support/samples';
import { keysCaCommand, keysCollectorCommand, keysServerCertCommand } from '../src/commands/keys-tls.js';

describe('simhound keys ca / server-cert: TLS on the embedded broker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-tls-'));
  const probe = makeProbe('maseru', 'roof-1');
  let collector: RunningCollector;
  let ca: Buffer;

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    keysCaCommand({ outDir: dir });
    keysServerCertCommand({ caDir: dir, outDir: dir, name: 'broker', hosts: ['localhost'], ips: ['127.0.0.1'] });
    vi.restoreAllMocks();
    ca = readFileSync(join(dir, 'ca.pem'));
    const cfg = validateCollectorConfig({
      mqtt: { embedded_broker: { host: '127.0.0.1', port: 0, tls: { cert_file: join(dir, 'broker.pem'), key_file: join(dir, 'broker.key.pem') } } },
      http: { port: 0 },
      storage: { sqlite_path: join(dir, 'collector.sqlite') },
      probes: [{ site: probe.site, probe: probe.probe, public_key: probe.public_key, mqtt_password_sha256: probe.mqtt_password_sha256 }],
    });
    if (!cfg.ok) throw new Error(cfg.detail);
    collector = await startCollector(cfg.value, { log: silentLogger });
  });
  afterAll(async () => {
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes keys 0600 and a CA-signed server certificate', () => {
    for (const key of ['ca.key.pem', 'broker.key.pem']) expect(readFileSync(join(dir, key), 'utf8')).toContain('PRIVATE KEY');
    expect(collector.mqttUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
  });

  it('takes a probe that trusts the CA, refuses one that does not, and gives plain MQTT nothing', async () => {
    const client = await connectMqtt(collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password, ca });
    const env = probe.factory.make('detection', sampleDetection);
    await publishAndWait(client, detectionTopic(probe.site, probe.probe), Buffer.from(JSON.stringify(env)));
    await endMqtt(client);
    await waitFor(async () => ((await collector.store.listDetections({ limit: 5 })).some((d) => d.id === env.id) ? true : undefined), 'the detection over TLS');

    await expect(connectMqtt(collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password })).rejects.toThrow(/self[- ]signed|certificate/i);
    // Plain MQTT on the TLS port: the handshake fails, the connection closes, no CONNACK ever comes.
    const { port } = new URL(collector.mqttUrl);
    const received: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
        socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'plain', keepalive: 30, username: probe.mqtt_username, password: Buffer.from(probe.mqtt_password) }));
      });
      socket.on('data', (d) => received.push(d));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
      setTimeout(() => reject(new Error('the TLS port kept a plain connection open')), 10_000);
    });
    expect(Buffer.concat(received).includes(Buffer.from([0x20, 0x02]))).toBe(false);
  });

  it('an edge agent given the CA as mqtt.ca_file publishes over TLS; without it, nothing gets through', async () => {
    writeFileSync(join(dir, 'probe.key.pem'), probe.private_key_pem, { mode: 0o600 });
    makePseudonymKey(join(dir, 'pseudonym.key'));
    const edgeConfig = (name: string, mqtt: Record<string, unknown>) => {
      const ec = validateConfig(EdgeConfigSchema, {
        site: probe.site,
        probe: probe.probe,
        keys: { signing_key_file: join(dir, 'probe.key.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
        mqtt: { url: collector.mqttUrl, username: probe.mqtt_username, password: probe.mqtt_password, reconnect_min_s: 0.2, ...mqtt },
        sources: [{ kind: 'gsmtap_udp', host: '127.0.0.1', port: 0 }],
        outbox: { path: join(dir, `${name}.outbox.db`) },
      });
      if (!ec.ok) throw new Error(ec.detail);
      return ec.value;
    };

    const trusting = await startEdgeAgent(edgeConfig('trusting', { ca_file: join(dir, 'ca.pem') }), { log: silentLogger });
    try {
      expect(await trusting.publisher.waitConnected(15_000)).toBe(true);
      const id = trusting.publisher.enqueue('detection', detectionTopic(probe.site, probe.probe), sampleDetection);
      await waitFor(async () => ((await collector.store.listDetections({ limit: 50 })).some((d) => d.id === id) ? true : undefined), 'the edge\'s detection over TLS');
      // Stored first, then acknowledged: the outbox lets go of it when the PUBACK arrives.
      await waitFor(() => (trusting.outbox.depth() === 0 ? true : undefined), 'the outbox to empty after the acknowledgement');
    } finally {
      await trusting.stop();
    }

    const untrusting = await startEdgeAgent(edgeConfig('untrusting', {}), { log: silentLogger });
    try {
      const id = untrusting.publisher.enqueue('detection', detectionTopic(probe.site, probe.probe), sampleDetection);
      await waitFor(() => (untrusting.publisher.connectFailures >= 2 ? true : undefined), 'two refused TLS handshakes', 15_000);
      expect(untrusting.publisher.connected).toBe(false);
      expect(untrusting.outbox.depth()).toBe(1);
      expect((await collector.store.listDetections({ limit: 50 })).some((d) => d.id === id)).toBe(false);
    } finally {
      await untrusting.stop();
    }

    for (const [file, message] of [[join(dir, 'missing-ca.pem'), /cannot read mqtt\.ca_file .*missing-ca\.pem \(ENOENT\)/], [join(dir, 'broker.key.pem'), /mqtt\.ca_file .*broker\.key\.pem holds no PEM certificate/]] as const) {
      const failed = await startEdgeAgent(edgeConfig('bad-ca', { ca_file: file }), { log: silentLogger }).then(() => null, (e: unknown) => e);
      expect(failed).toBeInstanceOf(EdgeStartError);
      expect((failed as Error).message).toMatch(message);
    }
  }, 60_000);

  it('refuses to start on a certificate file that is not PEM, naming the files', async () => {
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate\n');
    const cfg = validateCollectorConfig({
      mqtt: { embedded_broker: { host: '127.0.0.1', port: 0, tls: { cert_file: join(dir, 'junk.pem'), key_file: join(dir, 'broker.key.pem') } } },
      http: { port: 0 },
      storage: { sqlite_path: join(dir, 'other.sqlite') },
    });
    if (!cfg.ok) throw new Error(cfg.detail);
    const failed = await startCollector(cfg.value, { log: silentLogger }).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(CollectorStartError);
    expect((failed as Error).message).toContain('junk.pem');
    expect((failed as Error).message).not.toContain('\n');
  });

  it('keys collector writes a command key and prints its public half', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      lines.push(String(s));
      return true;
    });
    keysCollectorCommand({ out: join(dir, 'sub', 'collector.key.pem') });
    vi.restoreAllMocks();
    expect(readFileSync(join(dir, 'sub', 'collector.key.pem'), 'utf8')).toContain('PRIVATE KEY');
    expect(lines.join('')).toMatch(/collector_public_key: [A-Za-z0-9_-]{43}/);
  });
});

describe('simhound collector mosquitto-config: the generated files carry TLS and the collector\'s session', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-mosq-gen-'));
  const stops: Array<() => Promise<unknown> | unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  afterAll(async () => {
    for (const s of stops.reverse()) await s();
  });

  it('generates conf + passwords + ACL from collector.yaml and the probe key files; mosquitto runs them over TLS', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    keysCaCommand({ outDir: join(dir, 'keys') });
    keysServerCertCommand({ caDir: join(dir, 'keys'), outDir: join(dir, 'keys'), name: 'broker', hosts: [], ips: ['127.0.0.1'] });
    const probeKeys = makeProbeKeys({ site: 'maseru', probe: 'roof-1', outDir: join(dir, 'keys') });
    const port = await freePort();
    const config = {
      mqtt: { url: `mqtts://127.0.0.1:${port}`, username: 'collector', password: 'collector-secret-123', ca_file: join(dir, 'keys', 'ca.pem') },
      http: { host: '127.0.0.1', port: 0 },
      storage: { sqlite_path: join(dir, 'collector.sqlite') },
      probes: [{ site: 'maseru', probe: 'roof-1', public_key: probeKeys.public_key, mqtt_password_sha256: createHash('sha256').update(probeKeys.mqtt_password).digest('hex') }],
    };
    writeFileSync(join(dir, 'collector.yaml'), stringify(config));
    mosquittoConfigCommand({
      config: join(dir, 'collector.yaml'), out: join(dir, 'mosquitto'), keysDir: join(dir, 'keys'),
      tlsCert: join(dir, 'keys', 'broker.pem'), tlsKey: join(dir, 'keys', 'broker.key.pem'), tlsCa: join(dir, 'keys', 'ca.pem'), user: 'root',
    });
    vi.restoreAllMocks();
    const conf = readFileSync(join(dir, 'mosquitto', 'mosquitto.conf'), 'utf8');
    // Saved after every change (not every 30 s): a kill -9 of mosquitto keeps what it acknowledged and the collector's session.
    expect(conf).toMatch(/^autosave_on_changes false\nautosave_interval 1$/m);
    for (const line of ['persistence true', 'max_queued_messages 1000000', 'set_tcp_nodelay true', 'allow_anonymous false', `listener ${port} 127.0.0.1`, 'tls_version tlsv1.2']) expect(conf).toContain(line);
    expect(readFileSync(join(dir, 'mosquitto', 'acl'), 'utf8')).toContain('user maseru/roof-1\ntopic write simhound/v1/maseru/roof-1/status');

    const mosquitto = await startMosquittoFromConfig(join(dir, 'mosquitto', 'mosquitto.conf'), { host: '127.0.0.1', port, tls: true });
    stops.push(() => mosquitto.stop());
    const cfg = validateCollectorConfig(config);
    if (!cfg.ok) throw new Error(cfg.detail);
    const collector = await startCollector(cfg.value, { log: silentLogger });
    stops.push(() => collector.close());

    const factory = new EnvelopeFactory('maseru', 'roof-1', privateKeyFromPem(readFileSync(probeKeys.private_key_file, 'utf8')));
    const client = await connectMqtt(mosquitto.url, { username: 'maseru/roof-1', password: probeKeys.mqtt_password, ca: readFileSync(join(dir, 'keys', 'ca.pem')) });
    const env = factory.make('detection', sampleDetection);
    await publishAndWait(client, detectionTopic('maseru', 'roof-1'), Buffer.from(JSON.stringify(env)));
    await endMqtt(client);
    await waitFor(async () => ((await collector.store.listDetections({ limit: 5 })).some((d) => d.id === env.id) ? true : undefined), 'the detection through mosquitto over TLS');
    await expect(connectMqtt(mosquitto.url, { username: 'maseru/roof-1', password: 'wrong', ca: readFileSync(join(dir, 'keys', 'ca.pem')) })).rejects.toThrow();
  });

  it('says in one line which probe password file is missing', () => {
    writeFileSync(join(dir, 'c2.yaml'), stringify({ mqtt: { url: 'mqtt://127.0.0.1:1883', username: 'c', password: 'p' }, probes: [{ site: 's', probe: 'ghost', public_key: makeProbe('s', 'ghost').public_key }] }));
    expect(() => mosquittoConfigCommand({ config: join(dir, 'c2.yaml'), out: join(dir, 'm2'), keysDir: join(dir, 'nokeys') })).toThrow(/no MQTT password file for probe s\/ghost/);
  });
});
