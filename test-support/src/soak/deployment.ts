/**
 * One soak deployment in a temp directory, made the way a user makes one: probe keys and the
 * pseudonym key on disk, a collector.yaml, for mosquitto the files `simhound collector
 * mosquitto-config` generates (run as the real command) and mosquitto started on them; the collector
 * and `simhound edge` as child processes of the built CLI, load edges (load-edge.ts) beside them.
 * Every edge reaches the broker through a TCP proxy that can cut the line (tcp-proxy.ts); the
 * collector talks to mosquitto directly. Ports are fixed per deployment so restarted processes come
 * back where the others look for them. Test-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateSigningKeyPair } from '@simhound/protocol';
import { startMosquittoFromConfig, type RunningMosquittoFromConfig } from '../mosquitto.js';
import { freePort, waitForPort } from '../ports.js';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy.js';
import { runCli, spawnCli, spawnLoadEdge, type Child, type LoadEdgeChild } from './children.js';
import { seedOutbox } from './accounting.js';

export type BrokerKind = 'embedded' | 'mosquitto';

export interface SoakProbe {
  site: string;
  probe: string;
  keyFile: string;
  passwordFile: string;
  password: string;
  public_key: string;
  outboxPath: string;
  /** The outbox's seq before the first message: everything this probe sends is numbered above it. */
  seq0: number;
}

export interface EdgeTuning {
  drain_rate_per_s: number;
  reconnect_max_s: number;
  keepalive_s: number;
  stop_flush_timeout_s: number;
  max_items?: number;
}

export interface DeploymentOptions {
  broker: BrokerKind;
  /** Probe names (one site, `soak`). */
  probes: string[];
  /** Extra collector config sections merged over the defaults (ingest, retention …). */
  collector?: Record<string, unknown>;
  label: string;
}

const COLLECTOR_PASSWORD = randomBytes(18).toString('base64url');

export class Deployment {
  readonly probes: SoakProbe[];
  readonly collectorConfig: string;
  readonly sqlitePath: string;
  collector: Child | null = null;
  mosquitto: RunningMosquittoFromConfig | null = null;
  private readonly edges = new Set<Child>();

  private constructor(
    readonly dir: string,
    readonly broker: BrokerKind,
    readonly brokerPort: number,
    readonly httpPort: number,
    readonly proxy: TcpProxy,
    probes: SoakProbe[],
    private readonly pseudonymKey: string,
  ) {
    this.probes = probes;
    this.collectorConfig = join(dir, 'collector.yaml');
    this.sqlitePath = join(dir, 'collector', 'collector.sqlite');
  }

  static async create(options: DeploymentOptions): Promise<Deployment> {
    const dir = mkdtempSync(join(tmpdir(), `simhound-soak-${options.label}-`));
    const keys = join(dir, 'keys');
    mkdirSync(keys, { recursive: true });
    const pseudonymKey = join(keys, 'pseudonym.key');
    writeFileSync(pseudonymKey, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const probes: SoakProbe[] = options.probes.map((name) => {
      const pair = generateSigningKeyPair();
      const password = randomBytes(18).toString('base64url');
      const keyFile = join(keys, `${name}.key.pem`);
      const passwordFile = join(keys, `${name}.mqtt-password`);
      writeFileSync(keyFile, pair.private_key_pem, { mode: 0o600 });
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
      const outboxPath = join(dir, 'edges', `${name}.outbox.db`);
      return { site: 'soak', probe: name, keyFile, passwordFile, password, public_key: pair.public_key, outboxPath, seq0: seedOutbox(outboxPath) };
    });
    const brokerPort = await freePort();
    const httpPort = await freePort();
    const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: brokerPort } });
    const d = new Deployment(dir, options.broker, brokerPort, httpPort, proxy, probes, pseudonymKey);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const mqtt = options.broker === 'embedded'
      ? { embedded_broker: { host: '127.0.0.1', port: brokerPort, connections_per_minute_per_address: 10_000 } }
      : { url: `mqtt://127.0.0.1:${brokerPort}`, username: 'collector', password: COLLECTOR_PASSWORD };
    writeFileSync(d.collectorConfig, stringify({
      mqtt,
      http: { host: '127.0.0.1', port: httpPort },
      storage: { sqlite_path: d.sqlitePath },
      probes: probes.map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key, mqtt_password_sha256: sha(p.password) })),
      ...options.collector,
    }));
    if (options.broker === 'mosquitto') {
      const args = ['collector', 'mosquitto-config', '--config', d.collectorConfig, '--out', join(dir, 'mosquitto'), '--keys-dir', keys];
      // A test run as root keeps root (mosquitto would switch to "mosquitto" and lose the temp dir).
      if (process.getuid?.() === 0) args.push('--user', 'root');
      const r = await runCli(args);
      if (r.code !== 0) throw new Error(`simhound collector mosquitto-config failed (${r.code}): ${r.output}`);
      await d.startMosquitto();
    }
    return d;
  }

  get mosquittoConf(): string {
    return join(this.dir, 'mosquitto', 'mosquitto.conf');
  }

  async startMosquitto(): Promise<void> {
    this.mosquitto = await startMosquittoFromConfig(this.mosquittoConf, { host: '127.0.0.1', port: this.brokerPort });
  }

  async startCollector(): Promise<Child> {
    const c = spawnCli('collector', ['collector', '--config', this.collectorConfig], { SIMHOUND_LOG_LEVEL: 'warn' });
    this.collector = c;
    await waitForPort(this.httpPort, { what: 'the collector', timeout_ms: 60_000, stillRunning: () => (c.running() ? null : `exited: ${c.output().slice(-2000)}`) });
    return c;
  }

  edgeConfig(p: SoakProbe, tuning: EdgeTuning, sources: unknown[] = [{ kind: 'gsmtap_udp', host: '127.0.0.1', port: 0 }], name = p.probe): string {
    const file = join(this.dir, 'edges', `${name}.yaml`);
    writeFileSync(file, stringify({
      site: p.site,
      probe: p.probe,
      keys: { signing_key_file: p.keyFile, pseudonym_key_file: this.pseudonymKey },
      mqtt: {
        url: this.proxy.url(),
        username: `${p.site}/${p.probe}`,
        password_file: p.passwordFile,
        drain_rate_per_s: tuning.drain_rate_per_s,
        drain_jitter_s: 0.5,
        reconnect_min_s: 0.5,
        reconnect_max_s: tuning.reconnect_max_s,
        keepalive_s: tuning.keepalive_s,
        stop_flush_timeout_s: tuning.stop_flush_timeout_s,
      },
      sources,
      windows: { window_s: 10 },
      outbox: { path: p.outboxPath, ...(tuning.max_items === undefined ? {} : { max_items: tuning.max_items }) },
    }));
    return file;
  }

  startLoadEdge(p: SoakProbe, tuning: EdgeTuning, rate: number, detectionEvery: number): LoadEdgeChild {
    const c = spawnLoadEdge(`load edge ${p.probe}`, this.edgeConfig(p, tuning), { rate, detectionEvery });
    this.edges.add(c);
    return c;
  }

  startCliEdge(p: SoakProbe, tuning: EdgeTuning, sources: unknown[], name: string): Child {
    const c = spawnCli(`simhound edge ${p.probe}`, ['edge', '--config', this.edgeConfig(p, tuning, sources, name)], { SIMHOUND_LOG_LEVEL: 'info' });
    this.edges.add(c);
    return c;
  }

  async healthz(): Promise<Record<string, unknown> | null> {
    try {
      const r = await fetch(`http://127.0.0.1:${this.httpPort}/healthz`);
      return (await r.json()) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /** Stop everything (SIGTERM, then SIGKILL) and remove the directory unless `keep`. */
  async close(keep = false): Promise<void> {
    for (const e of this.edges) await e.stop('SIGKILL', 1000);
    await this.collector?.stop('SIGTERM', 15_000);
    await this.mosquitto?.stop();
    await this.proxy.close();
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
