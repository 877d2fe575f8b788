/**
 * Collector ingest benchmark, through a real mosquitto running the generated configuration and a real
 * `simhound collector` child process (SQLite on disk):
 *  (1) reference: Ed25519 verifications/s of the same envelopes on one core (crypto.verify alone);
 *  (2) sustained ingest: signed detections/s committed to SQLite while 4 probes publish a burst as fast
 *      as mosquitto takes it (QoS 1) — the rate between 10 % and 90 % of the burst being stored;
 *  (3) p99 publish → stored latency at half of 0.6× the reference rate (an independent reader polls the
 *      database every 10 ms, so the figure includes up to 10 ms of polling);
 *  (4) the collector's RSS during the burst (start / peak / end; flat means bounded).
 *
 * Run alone: node --conditions=source --import tsx bench/collector-ingest.ts [--messages N]
 */
import { spawn } from 'node:child_process';
import { verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { stringify } from 'yaml';
import { detectionTopic, publicKeyFromText, signingBytes, type Envelope } from '../protocol/src/index.js';
import { MOSQUITTO_DEFAULTS, mosquittoAclUsers, renderMosquittoAclFile, renderMosquittoConf, renderMosquittoPasswordFile } from '../collector/src/index.js';
import { makeProbe, type TestProbe } from '../test-support/src/identities.js';
import { startMosquittoFromConfig } from '../test-support/src/mosquitto.js';
import { freePort, waitForPort } from '../test-support/src/ports.js';
import { sampleDetection } from '../test-support/src/samples.js';
import type { Figure } from './figure.js';

const ROOT = new URL('..', import.meta.url).pathname;
const PROBES = 4;

function verifyRate(envs: Array<Envelope<unknown>>, key: ReturnType<typeof publicKeyFromText>): number {
  const items = envs.slice(0, 2000).map((e) => ({ bytes: signingBytes(e), sig: Buffer.from(e.sig, 'base64url') }));
  let n = 0;
  const start = process.hrtime.bigint();
  const until = start + 3_000_000_000n;
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < 200; i += 1) verify(null, items[(n + i) % items.length]!.bytes, key, items[(n + i) % items.length]!.sig);
    n += 200;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function connect(url: string, p: TestProbe): Promise<MqttClient> {
  return mqtt.connectAsync(url, { username: p.mqtt_username, password: p.mqtt_password, clientId: `bench-${p.probe}`, protocolVersion: 4, reconnectPeriod: 0 });
}

/** Publish `envs` (QoS 1) keeping `inFlight` unacknowledged; optional rate limit in messages/s. */
async function publishAll(client: MqttClient, topic: string, payloads: Buffer[], options: { inFlight: number; ratePerS?: number; onSend?: (i: number) => void }): Promise<void> {
  let next = 0;
  let pending = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (next < payloads.length && pending < options.inFlight) {
        if (options.ratePerS !== undefined) {
          const due = started + (next / options.ratePerS) * 1000;
          const wait = due - performance.now();
          if (wait > 0) {
            setTimeout(pump, Math.max(1, wait));
            return;
          }
        }
        const i = next;
        next += 1;
        pending += 1;
        options.onSend?.(i);
        client.publish(topic, payloads[i]!, { qos: 1 }, (err) => {
          pending -= 1;
          if (err) reject(err);
          else if (next >= payloads.length && pending === 0) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

export async function benchCollectorIngest(messages = 60_000): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-bench-ingest-'));
  const stops: Array<() => Promise<unknown> | unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    const probes = Array.from({ length: PROBES }, (_, i) => makeProbe('bench', `probe-${i}`));
    process.stderr.write(`bench: signing ${messages} + latency-run envelopes …\n`);
    const burst = probes.map((p) => Array.from({ length: Math.ceil(messages / PROBES) }, () => p.factory.make('detection', sampleDetection)));
    const reference = verifyRate(burst[0]!, publicKeyFromText(probes[0]!.public_key));
    process.stderr.write(`bench: Ed25519 verify ${Math.round(reference)}/s on one core\n`);

    const host = '127.0.0.1';
    const port = await freePort(host);
    const brokerDir = join(dir, 'mosquitto');
    mkdirSync(join(brokerDir, 'data'), { recursive: true });
    writeFileSync(join(brokerDir, 'mosquitto.conf'), renderMosquittoConf({
      dir: brokerDir, host, port,
      max_queued_messages: MOSQUITTO_DEFAULTS.max_queued_messages, max_queued_bytes: MOSQUITTO_DEFAULTS.max_queued_bytes,
      max_inflight_messages: MOSQUITTO_DEFAULTS.max_inflight_messages, max_packet_bytes: MOSQUITTO_DEFAULTS.max_packet_bytes,
      autosave: MOSQUITTO_DEFAULTS.autosave, user: 'root', generated_from: 'bench',
    }));
    writeFileSync(join(brokerDir, 'passwords'), renderMosquittoPasswordFile([{ username: 'collector', password: 'bench-collector' }, ...probes.map((p) => ({ username: p.mqtt_username, password: p.mqtt_password }))]), { mode: 0o600 });
    writeFileSync(join(brokerDir, 'acl'), renderMosquittoAclFile(mosquittoAclUsers(probes, 'collector')));
    const mosquitto = await startMosquittoFromConfig(join(brokerDir, 'mosquitto.conf'), { host, port });
    stops.push(() => mosquitto.stop());

    const httpPort = await freePort(host);
    const sqlitePath = join(dir, 'collector.sqlite');
    const configFile = join(dir, 'collector.yaml');
    writeFileSync(configFile, stringify({
      mqtt: { url: mosquitto.url, username: 'collector', password: 'bench-collector' },
      http: { host, port: httpPort },
      storage: { sqlite_path: sqlitePath },
      probes: probes.map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key })),
    }));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'cli/src/main.ts', 'collector', '--config', configFile], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SIMHOUND_LOG_LEVEL: 'warn' },
    });
    let childErr = '';
    child.stderr!.on('data', (c: Buffer) => { childErr = (childErr + c.toString()).slice(-4000); });
    stops.push(() => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }));
    await waitForPort(httpPort, { host, what: 'collector', timeout_ms: 30_000, stillRunning: () => (child.exitCode !== null ? childErr : null) });

    const clients = await Promise.all(probes.map((p) => connect(mosquitto.url, p)));
    stops.push(() => Promise.all(clients.map((c) => c.endAsync(true))));
    const reader = new Database(sqlitePath, { readonly: true });
    stops.push(() => reader.close());
    const count = () => (reader.prepare('SELECT COUNT(*) AS n FROM detections').get() as { n: number }).n;

    // (2) + (4): the burst.
    process.stderr.write(`bench: burst of ${messages} signed detections through mosquitto …\n`);
    const total = burst.reduce((n, b) => n + b.length, 0);
    const progress: Array<{ t: number; n: number }> = [];
    const rss: number[] = [rssKiB(child.pid!)];
    const t0 = performance.now();
    const sampler = setInterval(() => {
      progress.push({ t: performance.now() - t0, n: count() });
      if (progress.length % 2 === 0) rss.push(rssKiB(child.pid!));
    }, 250);
    await Promise.all(clients.map((c, i) => publishAll(c, detectionTopic(probes[i]!.site, probes[i]!.probe), burst[i]!.map((e) => Buffer.from(JSON.stringify(e))), { inFlight: 256 })));
    while (count() < total) {
      await new Promise((r) => setTimeout(r, 100));
      if (performance.now() - t0 > 600_000) throw new Error(`burst not stored after 10 min: ${count()} of ${total}`);
    }
    clearInterval(sampler);
    progress.push({ t: performance.now() - t0, n: count() });
    rss.push(rssKiB(child.pid!));
    const at = (fraction: number) => progress.find((p) => p.n >= total * fraction)!;
    const p10 = at(0.1);
    const p90 = at(0.9);
    const sustained = (p90.n - p10.n) / ((p90.t - p10.t) / 1000);
    process.stderr.write(`bench: sustained ${Math.round(sustained)}/s; RSS ${rss[0]} → ${Math.max(...rss)} → ${rss[rss.length - 1]} KiB\n`);

    // (3): latency at half of 0.6 × reference.
    const rate = 0.5 * 0.6 * reference;
    const latencyMessages = Math.round(rate * 20);
    process.stderr.write(`bench: latency at ${Math.round(rate)}/s for 20 s …\n`);
    const lat = probes.map((p) => Array.from({ length: Math.ceil(latencyMessages / PROBES) }, () => p.factory.make('detection', sampleDetection)));
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let lastRowid = (reader.prepare('SELECT MAX(rowid) AS r FROM detections').get() as { r: number }).r;
    const poll = setInterval(() => {
      const now = performance.now();
      const rows = reader.prepare('SELECT rowid, id FROM detections WHERE rowid > ? ORDER BY rowid').all(lastRowid) as Array<{ rowid: number; id: string }>;
      for (const r of rows) {
        const s = sentAt.get(r.id);
        if (s !== undefined) latencies.push(now - s);
        lastRowid = r.rowid;
      }
    }, 10);
    await Promise.all(clients.map((c, i) => {
      const envs = lat[i]!;
      return publishAll(c, detectionTopic(probes[i]!.site, probes[i]!.probe), envs.map((e) => Buffer.from(JSON.stringify(e))), {
        inFlight: 256, ratePerS: rate / PROBES, onSend: (k) => sentAt.set(envs[k]!.id, performance.now()),
      });
    }));
    const latTotal = lat.reduce((n, b) => n + b.length, 0);
    const deadline = performance.now() + 60_000;
    while (latencies.length < latTotal && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    clearInterval(poll);
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN;
    const p50 = latencies[Math.floor(latencies.length * 0.5)] ?? Number.NaN;
    process.stderr.write(`bench: latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${latencies.length} of ${latTotal}\n`);

    const cmd = 'node --conditions=source --import tsx bench/collector-ingest.ts';
    return [
      {
        name: 'collector_ingest_mosquitto_msgs_per_s', description: `Signed detections committed to SQLite through mosquitto (generated config), ${PROBES} probes, ${total}-message burst`,
        value: sustained, unit: 'messages/s', reference: 'Ed25519 crypto.verify of the same envelopes, one core', reference_value: reference, ratio: sustained / reference,
        command: `${cmd}: burst published QoS 1 (256 in flight per probe) to mosquitto; rate of rows appearing between 10 % and 90 % of the burst`,
      },
      {
        name: 'collector_publish_to_stored_p99_ms', description: `p99 publish → stored latency at ${Math.round(rate)} messages/s (half of 0.6× the verify rate); p50 ${p50.toFixed(1)} ms`,
        value: p99, unit: 'ms', reference: null, reference_value: null, ratio: null,
        command: `${cmd}: 20 s paced publishing; an independent reader polls SQLite every 10 ms`,
      },
      {
        name: 'collector_rss_peak_kib', description: `Collector RSS during the ${total}-message burst (start ${rss[0]} KiB; peak over the first half ${Math.max(...rss.slice(0, Math.ceil(rss.length / 2)))} KiB, over the second half ${Math.max(...rss.slice(Math.ceil(rss.length / 2)))} KiB; end ${rss[rss.length - 1]} KiB)`,
        value: Math.max(...rss), unit: 'KiB', reference: 'collector RSS before the burst', reference_value: rss[0]!, ratio: Math.max(...rss) / rss[0]!,
        command: `${cmd}: /proc/<pid>/status VmRSS sampled every 500 ms`,
      },
    ];
  } finally {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch {
        // best effort
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--messages');
  const figures = await benchCollectorIngest(i > 0 ? Number(process.argv[i + 1]) : undefined);
  for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
}
