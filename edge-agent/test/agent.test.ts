/**
 * The edge agent against a real aedes broker on loopback. The central check: every status the agent
 * can produce — idle and silent live sources, a finished real capture (fractional timestamps), a source
 * that recovers, the Last Will, the final offline status, outbox drops — passes the contract schema
 * (parseEnvelope, as the collector runs it). Also: startup without a broker, typed startup errors.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { checkBody, generateSigningKeyPair, parseEnvelope, silentLogger, type StatusBody } from '@simhound/protocol';
import { CRAFTED_FRAMES, gsmtapV2 } from '@simhound/test-support/pcap-fixtures';
import { freePort } from '@simhound/test-support/ports';
import { Value } from '@sinclair/typebox/value';
import { EdgeConfigSchema, type EdgeConfig } from '../src/config.js';
import { EdgeStartError, startEdgeAgent, type EdgeAgent } from '../src/agent.js';
import { KeyFileError } from '../src/keys.js';

const capture = new URL('./vectors/vf_call6_bcch_ccch_ts0.scrubbed.pcap', import.meta.url).pathname;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startAedes(): Promise<{ broker: Aedes; url: string; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    broker,
    url: `mqtt://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => { for (const c of Object.values((broker as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients)) c.conn.destroy(); server.close(() => broker.close(() => r())); }),
  };
}

function config(dir: string, overrides: Record<string, unknown>): EdgeConfig {
  const keys = generateSigningKeyPair();
  writeFileSync(join(dir, 'probe.pem'), keys.private_key_pem);
  writeFileSync(join(dir, 'pseudonym.key'), 'ab'.repeat(32));
  const raw = {
    site: 's1',
    probe: 'p1',
    keys: { signing_key_file: join(dir, 'probe.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
    outbox: { path: join(dir, 'outbox.db') },
    ...overrides,
  };
  const value = Value.Default(EdgeConfigSchema, raw);
  if (!Value.Check(EdgeConfigSchema, value)) throw new Error(JSON.stringify([...Value.Errors(EdgeConfigSchema, value)].map((e) => `${e.path} ${e.message}`)));
  return value as EdgeConfig;
}

const until = async (cond: () => boolean, ms = 10_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('edge agent', () => {
  it('only ever publishes statuses that pass the contract, through every state it can be in', async () => {
    const b = await startAedes();
    cleanups.push(() => b.close());
    const sub = await mqtt.connectAsync(b.url, { clientId: `audit-${process.pid}` });
    cleanups.push(() => sub.endAsync());
    const payloads: string[] = [];
    sub.on('message', (_t, p) => payloads.push(p.toString()));
    await sub.subscribeAsync('simhound/v1/s1/p1/status', { qos: 1 });

    const dir = mkdtempSync(join(tmpdir(), 'simhound-agent-'));
    const agent: EdgeAgent = await startEdgeAgent(config(dir, {
      mqtt: { url: b.url, status_interval_s: 1, drain_jitter_s: 0 },
      sources: [{ kind: 'gsmtap_udp', name: 'live', port: 0, silent_after_s: 1 }, { kind: 'pcap', name: 'file', path: capture }],
      windows: { window_s: 1 },
      outbox: { path: join(dir, 'outbox.db'), max_items: 2, hard_max_items: 50 },
    }), { log: silentLogger });
    let stopped = false;
    cleanups.push(async () => { if (!stopped) await agent.stop(); });
    const direct: StatusBody[] = [agent.status()];

    const results = await agent.finiteSourcesDone;
    expect(results).toEqual([{ source_name: 'file', path: capture, ok: true, packets: 399, capture_errors: {} }]);
    direct.push(agent.status());
    // The live source heard nothing for > 1 s: silent, probe degraded.
    await until(() => agent.status().sources[0]!.state === 'silent');
    direct.push(agent.status());
    expect(agent.status().state).toBe('degraded');
    // Data arrives: the source recovers.
    const udp = createSocket('udp4');
    const f = CRAFTED_FRAMES[0]!;
    await new Promise<void>((r, j) => udp.send(gsmtapV2(f.header, f.block), agent.udpPorts.live!, '127.0.0.1', (e) => (e ? j(e) : r())));
    udp.close();
    await until(() => agent.status().sources[0]!.state === 'ok');
    direct.push(agent.status());
    expect(agent.status().state).toBe('online');
    // A window was dropped by the small outbox or all went out; either way the status says so.
    await until(() => agent.outbox.depth() === 0);
    const last = agent.status();
    direct.push(last);
    expect(last.outbox_durable).toBe(true);
    expect(last.sources[1]).toMatchObject({ source_name: 'file', state: 'finished', frames_total: 399 });
    expect(Number.isInteger(last.sources[1]!.last_frame_ts_ms)).toBe(true);

    // The broker loses the connection: the Last Will goes out.
    const clients = (b.broker as unknown as { clients: Record<string, { id: string; conn: { destroy(): void } }> }).clients;
    Object.values(clients).find((c) => c.id.includes('-s1-p1-'))!.conn.destroy();
    await until(() => payloads.some((p) => JSON.parse(p).body.state === 'offline'));
    await until(() => agent.publisher.connected);
    const report = await agent.stop();
    stopped = true;
    // A tiny outbox (max_items 2) may have dropped windows of the capture burst: counted, and lost.
    const dropped = Object.values(report.dropped_this_run).reduce((a, n) => a + n, 0);
    expect(report).toMatchObject({ remaining: 0, durable: true, lost: dropped });
    expect(Object.entries(last.outbox_dropped_by_reason ?? {}).filter(([, n]) => n > 0)).toEqual(Object.entries(report.dropped_this_run));
    await until(() => payloads.filter((p) => JSON.parse(p).body.state === 'offline').length >= 2);

    for (const body of direct) expect(checkBody('status', body)).toEqual({ ok: true, value: true });
    const states = new Set<string>();
    for (const p of payloads) {
      const env = parseEnvelope(p);
      expect(env.ok, env.ok ? '' : `${env.reason} ${env.detail}`).toBe(true);
      if (env.ok && env.value.kind === 'status') {
        states.add(env.value.body.state);
        for (const s of env.value.body.sources) states.add(`source:${s.state}`);
      }
    }
    expect([...states]).toEqual(expect.arrayContaining(['online', 'degraded', 'offline', 'source:silent', 'source:ok', 'source:finished']));
  }, 30_000);

  it('starts and collects with no broker, keeps everything on disk, and says so at stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-agent-'));
    const port = await freePort('127.0.0.1');
    const agent = await startEdgeAgent(config(dir, {
      mqtt: { url: `mqtt://127.0.0.1:${port}`, reconnect_min_s: 0.1 },
      sources: [{ kind: 'pcap', path: capture }],
      windows: { window_s: 1 },
    }), { log: silentLogger });
    await agent.finiteSourcesDone;
    await until(() => agent.publisher.connectFailures >= 1);
    const depth = agent.outbox.depth();
    expect(depth).toBeGreaterThan(0);
    const report = await agent.stop();
    expect(report).toEqual({ remaining: depth, durable: true, dropped_this_run: {}, lost: 0 });
  });

  it('refuses to start with one clear line for an unreadable capture, a missing key, a short key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-agent-'));
    const base = config(dir, { sources: [{ kind: 'pcap', path: join(dir, 'nope.pcap') }] });
    const err = await startEdgeAgent(base, { log: silentLogger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgeStartError);
    expect((err as Error).message).toBe(`source pcap: cannot read capture ${join(dir, 'nope.pcap')} (ENOENT)`);

    const noKey = { ...base, keys: { ...base.keys, signing_key_file: join(dir, 'missing.pem') } };
    const e2 = await startEdgeAgent(noKey, { log: silentLogger }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(KeyFileError);
    expect((e2 as Error).message).toMatch(new RegExp(`^signing key ${join(dir, 'missing.pem')} does not exist; make one with \`simhound keys probe`));

    writeFileSync(join(dir, 'short.key'), 'abcd\n');
    const shortKey = { ...base, keys: { ...base.keys, pseudonym_key_file: join(dir, 'short.key') } };
    const e3 = await startEdgeAgent(shortKey, { log: silentLogger }).catch((e: unknown) => e);
    expect((e3 as KeyFileError).problem).toBe('too_short');
    expect((e3 as Error).message).toMatch(/holds 2 bytes; it needs at least 16/);

    writeFileSync(join(dir, 'text.pem'), 'not a key\n');
    const notPem = { ...base, keys: { ...base.keys, signing_key_file: join(dir, 'text.pem') } };
    const e4 = await startEdgeAgent(notPem, { log: silentLogger }).catch((e: unknown) => e);
    expect((e4 as KeyFileError).problem).toBe('not_pem');
  });
});
