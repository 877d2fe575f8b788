/**
 * `simhound demo` (what `npm start` runs): a whole deployment on one machine — embedded MQTT broker and
 * collector (SQLite in a data dir), one edge agent listening for GSMTAP on loopback, and the simulator
 * playing a GSM world with a hidden den into it in real time. Prints the web map's URL.
 * Keys and the demo user's token are made on first run and kept in the data dir.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { EdgeConfigSchema, startEdgeAgent, type EdgeAgent } from '@simhound/edge-agent';
import { generateSigningKeyPair, type Logger } from '@simhound/protocol';
import { loadScenarioFile, runLive, scenarioCellsCsv, type LiveRun } from '@simhound/simulator';
import { validateConfig } from '../load-config.js';
import { CliError, untilSignal } from '../output.js';
import { makePseudonymKey, makeUserToken, sha256Hex } from './keys.js';

export interface DemoOptions {
  dataDir: string;
  port: number;
  scenario?: string;
  windowS: number;
  /** Stop after this many seconds (tests); default: run until Ctrl-C. */
  durationS?: number;
  /** Simulated-world speed-up (tests run the world 10× faster with 10× shorter windows). */
  speed?: number;
}

export function defaultScenarioPath(): string {
  // cli/dist/main.js or cli/src/commands/demo.ts → simulator/scenarios/maseru-demo.yaml
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../..', '../../..']) {
    const candidate = resolve(here, up, 'simulator/scenarios/maseru-demo.yaml');
    if (existsSync(candidate)) return candidate;
  }
  throw new CliError('cannot find simulator/scenarios/maseru-demo.yaml; pass --scenario');
}

/** The preferred port if it is free on loopback, else 0 (the OS picks one; the URL printed says which). */
async function freeOr0(port: number, log: Logger): Promise<number> {
  if (port === 0) return 0;
  const free = await new Promise<boolean>((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
  if (!free) log.warn(`port ${port} is busy; using a free port instead (see the URL below)`);
  return free ? port : 0;
}

/** Read a secret from the data dir, or make it once. */
function persistent(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

export interface RunningDemo {
  url: string;
  token: string;
  collector: RunningCollector;
  edge: EdgeAgent;
  sim: LiveRun;
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions, log: Logger): Promise<RunningDemo> {
  const scenarioPath = opts.scenario ?? defaultScenarioPath();
  const sc = loadScenarioFile(scenarioPath);
  if (!sc.ok) throw new CliError(`invalid scenario (${sc.reason}):\n${sc.detail}`, 2);
  const scenario = sc.value;
  const probe = scenario.probes[0]!;
  const dir = resolve(opts.dataDir);
  const keyDir = join(dir, 'keys');
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });

  const probeKeyFile = join(keyDir, `${probe.probe}.key.pem`);
  const privatePem = persistent(probeKeyFile, () => {
    const pair = generateSigningKeyPair();
    writeFileSync(join(keyDir, `${probe.probe}.pub`), `${pair.public_key}\n`);
    return pair.private_key_pem;
  });
  void privatePem;
  const publicKey = readFileSync(join(keyDir, `${probe.probe}.pub`), 'utf8').trim();
  const pseudonymKeyFile = join(keyDir, 'pseudonym.key');
  if (!existsSync(pseudonymKeyFile)) makePseudonymKey(pseudonymKeyFile);
  const mqttPassword = persistent(join(keyDir, `${probe.probe}.mqtt-password`), () => makeUserToken().token);
  const token = persistent(join(keyDir, 'demo-user.token'), () => makeUserToken().token);
  const cellsCsv = join(dir, 'cells.csv');
  writeFileSync(cellsCsv, scenarioCellsCsv(scenario));

  const influx = process.env.INFLUX_URL
    ? {
        url: process.env.INFLUX_URL,
        token: process.env.INFLUX_TOKEN ?? '',
        org: process.env.INFLUX_ORG ?? '',
        bucket: process.env.INFLUX_BUCKET ?? 'simhound',
      }
    : undefined;
  // Without INFLUX_URL the collector says once, at startup, that time series are not written.

  // Raw (pre-defaults) config: validateCollectorConfig fills the schema defaults.
  const collectorRaw: Record<string, unknown> = {
    mqtt: { embedded_broker: { host: '127.0.0.1', port: 0 } },
    http: { host: '127.0.0.1', port: await freeOr0(opts.port, log) },
    storage: { sqlite_path: join(dir, 'collector.sqlite') },
    probes: [{ site: probe.site, probe: probe.probe, public_key: publicKey, mqtt_password_sha256: sha256Hex(mqttPassword) }],
    users: [{ name: 'demo', role: 'investigator', token_sha256: sha256Hex(token) }],
    cells_csv: cellsCsv,
    ...(influx ? { influx } : {}),
  };
  const cc = validateCollectorConfig(collectorRaw);
  if (!cc.ok) throw new CliError(`internal demo collector config is invalid: ${cc.detail}`);
  const collector = await startCollector(cc.value, { log: log.child('collector') });

  const edgeRaw = {
    site: probe.site,
    probe: probe.probe,
    position: { lat_deg: probe.lat_deg, lon_deg: probe.lon_deg, position_source: 'simulated' },
    keys: { signing_key_file: probeKeyFile, pseudonym_key_file: pseudonymKeyFile },
    mqtt: { url: collector.mqttUrl, username: `${probe.site}/${probe.probe}`, password: mqttPassword, status_interval_s: 10 },
    sources: [{ kind: 'gsmtap_udp', name: 'gsmtap', host: '127.0.0.1', port: 0 }],
    windows: { window_s: opts.windowS },
    outbox: { path: join(dir, 'edge-outbox.db') },
  };
  const ec = validateConfig(EdgeConfigSchema, edgeRaw);
  if (!ec.ok) {
    await collector.close();
    throw new CliError(`internal demo edge config is invalid: ${ec.detail}`);
  }
  let edge: EdgeAgent;
  try {
    edge = await startEdgeAgent(ec.value, { log: log.child('edge') });
  } catch (e) {
    await collector.close();
    throw e;
  }
  const udpPort = edge.udpPorts.gsmtap!;
  const sim = await runLive(scenario, [{ probe: probe.probe, host: '127.0.0.1', port: udpPort }], { log: log.child('sim'), truth_path: join(dir, 'ground-truth.json'), speed: opts.speed });
  if (!sim.ok) {
    await edge.stop();
    await collector.close();
    throw new CliError(`simulator failed to start: ${sim.reason}`);
  }
  const url = `${collector.httpUrl}/#token=${token}`;
  return {
    url,
    token,
    collector,
    edge,
    sim: sim.value,
    async stop() {
      await sim.value.stop();
      await edge.stop();
      await collector.close();
    },
  };
}

export async function demoCommand(opts: DemoOptions, log: Logger): Promise<void> {
  const demo = await startDemo(opts, log);
  const truth = demo.sim.truth;
  const lines = [
    '',
    '  simhound demo is running.',
    `  Web map:   ${demo.url}`,
    `  MQTT:      ${demo.collector.mqttUrl} (embedded broker, per-probe passwords)`,
    `  Data dir:  ${resolve(opts.dataDir)}`,
    `  A simulated ${truth.dens[0]?.ports ?? 0}-port SIM box is hidden in ${truth.scenario}; detections appear within ~${opts.windowS * 2 + 5} s.`,
    '  Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stopAfter = opts.durationS !== undefined ? new Promise((r) => setTimeout(r, opts.durationS! * 1000)) : new Promise(() => {});
  await Promise.race([untilSignal(), stopAfter]);
  log.info('stopping demo');
  await demo.stop();
}
