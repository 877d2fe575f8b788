/**
 * Edge delivery with real processes: the built `simhound edge` CLI as a child process, a real mosquitto
 * started by the test (per-device password + ACL), and an independent auditor subscriber that records
 * every message the broker passed on. A simulated capture (the demo scenario) gives a steady stream of
 * window and detection messages. Checked through `seq` (contiguous per probe across restarts) and ids:
 * - a pcap run delivers everything before it exits 0 (the "62 of 180 windows stored");
 * - `kill -9` mid-backlog, restart on the same outbox: 0 lost; a duplicate may only be the same envelope
 *   (same id, same bytes), which the collector dedupes — counted;
 * - broker unreachable at start: exit 0 with the backlog on disk, delivered at the next start; with a
 *   memory outbox the same run exits 3 and says how many messages are lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { stringify } from 'yaml';
import { TOPIC_PREFIX, parseEnvelope, publicKeyFromText, verifyEnvelope } from '@simhound/protocol';
import { DiskOutbox } from '@simhound/edge-agent';
import { loadScenarioFile, simulateToCaptures } from '@simhound/simulator';
import { startMosquitto, type RunningMosquitto } from '@simhound/test-support/mosquitto';
import { makeProbe, type TestProbe } from '@simhound/test-support/identities';
import { freePort } from '@simhound/test-support/ports';
import { defaultScenarioPath } from '../src/commands/demo.js';
import { makePseudonymKey } from '../src/commands/keys.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cliMain = `${root}cli/dist/main.js`;
const dir = mkdtempSync(join(tmpdir(), 'simhound-edge-delivery-'));
const capture = join(dir, 'maseru-1h.pcap');

let broker: RunningMosquitto;
let probe: TestProbe;
let auditor: MqttClient;
/** Everything the auditor received, in order: [id, seq, kind, payload]. */
const received: Array<{ id: string; seq: number; kind: string; payload: string }> = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run \`npm run build\``);
  const sc = loadScenarioFile(defaultScenarioPath());
  if (!sc.ok) throw new Error(sc.detail);
  const made = await simulateToCaptures(sc.value, { out_dir: dirname(capture), duration_s: 3600 });
  if (!made.ok) throw new Error(made.reason);
  renameSync(made.value.files.captures[0]!, capture);
  probe = makeProbe('s1', 'p1');
  broker = await startMosquitto({
    users: [
      { username: probe.mqtt_username, password: probe.mqtt_password, acl: ['status', 'detection', 'window'].map((k) => ({ access: 'write' as const, topic: `${TOPIC_PREFIX}/s1/p1/${k}` })) },
      { username: 'auditor', password: 'auditor-secret', acl: [{ access: 'read', topic: `${TOPIC_PREFIX}/#` }] },
    ],
  });
  auditor = await mqtt.connectAsync(broker.url, { username: 'auditor', password: 'auditor-secret', clientId: `auditor-${process.pid}` });
  const pub = publicKeyFromText(probe.public_key);
  auditor.on('message', (_t, payload) => {
    const env = parseEnvelope(payload);
    if (!env.ok || env.value.kind === 'status') return;
    if (!verifyEnvelope(env.value, pub)) throw new Error('bad signature');
    received.push({ id: env.value.id, seq: env.value.seq, kind: env.value.kind, payload: payload.toString() });
  });
  await auditor.subscribeAsync(`${TOPIC_PREFIX}/s1/p1/+`, { qos: 1 });
  writeFileSync(join(dir, 'probe.key.pem'), probe.private_key_pem, { mode: 0o600 });
  makePseudonymKey(join(dir, 'pseudonym.key'));
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await auditor?.endAsync();
  await broker?.stop();
});

function edgeConfig(name: string, opts: { url?: string; source: 'pcap' | 'udp' | 'pcap+udp'; outbox: string | 'memory'; drainRate?: number; stopFlushS?: number }): string {
  const file = join(dir, `${name}.yaml`);
  const config = {
    site: 's1',
    probe: 'p1',
    keys: { signing_key_file: 'probe.key.pem', pseudonym_key_file: 'pseudonym.key' },
    mqtt: { url: opts.url ?? broker.url, username: probe.mqtt_username, password: probe.mqtt_password, drain_rate_per_s: opts.drainRate ?? 200, reconnect_min_s: 0.2, drain_jitter_s: 0, stop_flush_timeout_s: opts.stopFlushS ?? 10 },
    sources: [
      ...(opts.source !== 'udp' ? [{ kind: 'pcap', name: 'capture', path: capture }] : []),
      ...(opts.source !== 'pcap' ? [{ kind: 'gsmtap_udp', name: 'air', port: 0 }] : []),
    ],
    windows: { window_s: 10 },
    outbox: opts.outbox === 'memory' ? { kind: 'memory' } : { path: opts.outbox },
  };
  writeFileSync(file, stringify(config));
  return file;
}

interface Run {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runEdge(config: string): Run {
  const child = spawn(process.execPath, [cliMain, 'edge', '--config', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, stderr: () => err, exited };
}

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Distinct messages among `msgs`, checking that a repeated id is the very same envelope. */
function distinct(msgs: typeof received): { bySeq: Map<number, string>; duplicates: number } {
  const byId = new Map<string, string>();
  const bySeq = new Map<number, string>();
  let duplicates = 0;
  for (const m of msgs) {
    const seen = byId.get(m.id);
    if (seen !== undefined) {
      expect(m.payload, `duplicate ${m.id} must be the same envelope`).toBe(seen);
      duplicates++;
      continue;
    }
    byId.set(m.id, m.payload);
    expect(bySeq.has(m.seq), `seq ${m.seq} used by two different messages`).toBe(false);
    bySeq.set(m.seq, m.id);
  }
  return { bySeq, duplicates };
}

function expectContiguous(seqs: number[], count: number): void {
  const sorted = [...seqs].sort((a, b) => a - b);
  expect(sorted).toHaveLength(count);
  expect(sorted[sorted.length - 1]! - sorted[0]!).toBe(count - 1);
}

let perRun = 0;

describe('simhound edge delivery (real processes, real mosquitto)', () => {
  it('delivers every message of a pcap run before it exits 0', async () => {
    const start = received.length;
    const run = runEdge(edgeConfig('control', { source: 'pcap', outbox: join(dir, 'control.db') }));
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const { bySeq, duplicates } = distinct(received.slice(start));
    perRun = bySeq.size;
    // One hour in 10 s windows: ~360 windows plus the den's detections.
    expect(perRun).toBeGreaterThan(300);
    expect(duplicates).toBe(0);
    expectContiguous([...bySeq.keys()], perRun);
    const o = DiskOutbox.open(join(dir, 'control.db'));
    if (!o.ok) throw new Error(o.detail);
    expect(o.value.depth()).toBe(0);
    expect(o.value.lastSeq()).toBe(Math.max(...bySeq.keys()));
    o.value.close();
  }, 60_000);

  it('loses nothing when the edge is killed with SIGKILL mid-backlog and restarted on the same outbox', async () => {
    expect(perRun).toBeGreaterThan(300);
    const outbox = join(dir, 'crash.db');
    const start = received.length;
    // The capture plus a live UDP source: with a live source the edge keeps running after the capture
    // has been read, so its backlog drains at the configured 20 messages/s (~18 s) instead of being
    // flushed at full speed by a clean stop (a pcap-only edge stops, and flushes, as soon as the capture
    // is read: the kill then raced that flush and lost on a fast machine). The kill comes once the
    // capture is read (everything is in the outbox) and 30 messages are out.
    const first = runEdge(edgeConfig('crash-1', { source: 'pcap+udp', outbox, drainRate: 20 }));
    await until(() => /capture finished/.test(first.stderr()) && received.length - start >= 30, 'the capture read and 30 messages out');
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    const beforeRestart = received.length - start;
    expect(beforeRestart).toBeLessThan(perRun);

    const second = runEdge(edgeConfig('crash-2', { source: 'udp', outbox }));
    await until(() => distinct(received.slice(start)).bySeq.size >= perRun, `all ${perRun} messages`);
    second.child.kill('SIGTERM');
    const { code } = await second.exited;
    expect(code, second.stderr()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));

    const { bySeq, duplicates } = distinct(received.slice(start));
    expectContiguous([...bySeq.keys()], perRun);
    const o = DiskOutbox.open(outbox);
    if (!o.ok) throw new Error(o.detail);
    expect(o.value.depth()).toBe(0);
    expect(o.value.lastSeq()).toBe(Math.max(...bySeq.keys()));
    o.value.close();
    // QoS 1 across a crash: what was in flight when the process died is sent again (same envelope).
    expect(duplicates).toBeLessThanOrEqual(64);
    process.stdout.write(`edge kill -9: ${perRun} messages, ${beforeRestart} before the kill, 0 lost, ${duplicates} duplicate envelope(s) resent\n`);
  }, 90_000);

  it('starts without a broker, exits 0 with the backlog on disk, and delivers it at the next start', async () => {
    const outbox = join(dir, 'offline.db');
    const closed = `mqtt://127.0.0.1:${await freePort('127.0.0.1')}`;
    const start = received.length;
    const offline = runEdge(edgeConfig('offline-1', { url: closed, source: 'pcap', outbox }));
    const { code } = await offline.exited;
    expect(code, offline.stderr()).toBe(0);
    expect(offline.stderr().match(/broker unreachable/g)).toHaveLength(1);
    expect(offline.stderr()).toMatch(new RegExp(`${perRun} messages wait in the outbox ${outbox.replace(/[.]/g, '\\.')}`));
    expect(received.length).toBe(start);

    const online = runEdge(edgeConfig('offline-2', { source: 'udp', outbox }));
    await until(() => distinct(received.slice(start)).bySeq.size >= perRun, `all ${perRun} messages`);
    online.child.kill('SIGTERM');
    expect((await online.exited).code, online.stderr()).toBe(0);
    expectContiguous([...distinct(received.slice(start)).bySeq.keys()], perRun);
  }, 90_000);

  it('exits 3 and says how many messages are lost when a memory outbox cannot reach the broker', async () => {
    const closed = `mqtt://127.0.0.1:${await freePort('127.0.0.1')}`;
    // A short flush deadline: the broker is not coming.
    const run = runEdge(edgeConfig('memory', { url: closed, source: 'pcap', outbox: 'memory', stopFlushS: 1 }));
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(3);
    const lastLine = run.stderr().trim().split('\n').at(-1);
    expect(lastLine).toBe(`simhound: ${perRun} messages will never reach the broker: ${perRun} never acknowledged by the broker, in a memory outbox`);
  }, 60_000);
});
