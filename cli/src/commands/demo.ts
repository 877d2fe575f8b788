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
import { makeBasemap, startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { EdgeConfigSchema, startEdgeAgent, type EdgeAgent } from '@simhound/edge-agent';
import { generateSigningKeyPair, type Logger } from '@simhound/protocol';
import { loadScenarioFile, runLive, scenarioCellsCsv, type LiveRun } from '@simhound/simulator';
import { validateConfig } from '../load-config.js';
import { CliError, untilSignal } from '../output.js';
import { makePseudonymKey, makeUserToken, sha256Hex } from './keys.js';
import { startDemoUplink, type DemoUplink, type DemoUplinkProbe } from './demo-uplink.js';

/** The demo's uplink probes: three fixed SDR probes and one unit on foot (see demo-uplink.ts). */
const UPLINK_PROBES: ReadonlyArray<{ probe: string; role: DemoUplinkProbe['role'] }> = [
  { probe: 'uplink-1', role: 'fixed' },
  { probe: 'uplink-2', role: 'fixed' },
  { probe: 'uplink-3', role: 'fixed' },
  { probe: 'foot-1', role: 'foot' },
];

export interface DemoOptions {
  dataDir: string;
  port: number;
  scenario?: string;
  windowS: number;
  /** Stop after this many seconds (tests); default: run until Ctrl-C. */
  durationS?: number;
  /** Simulated-world speed-up (tests run the world 10× faster with 10× shorter windows). */
  speed?: number;
  /** Run the uplink probes and the fox-hunt unit (default true). */
  uplink?: boolean;
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
  uplink: DemoUplink | null;
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
  const uplinkProbes: DemoUplinkProbe[] = opts.uplink === false ? [] : UPLINK_PROBES.map(({ probe: name, role }) => {
    const pem = persistent(join(keyDir, `${name}.key.pem`), () => {
      const pair = generateSigningKeyPair();
      writeFileSync(join(keyDir, `${name}.pub`), `${pair.public_key}\n`);
      return pair.private_key_pem;
    });
    return { probe: name, role, private_key_pem: pem, mqtt_password: persistent(join(keyDir, `${name}.mqtt-password`), () => makeUserToken().token) };
  });
  // The offline base map of the area (Natural Earth borders + the towers), cut once.
  const basemapPath = join(dir, 'basemap.mbtiles');
  if (!existsSync(basemapPath)) {
    const lats = scenario.cells.map((c) => c.lat_deg);
    const lons = scenario.cells.map((c) => c.lon_deg);
    makeBasemap({
      bbox: [Math.min(...lons) - 0.05, Math.min(...lats) - 0.05, Math.max(...lons) + 0.05, Math.max(...lats) + 0.05],
      min_zoom: 6, max_zoom: 15,
      cells: scenario.cells.map((c) => ({ lat_deg: c.lat_deg, lon_deg: c.lon_deg, mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci, radio: 'GSM' })),
      out: basemapPath,
    });
  }

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
    probes: [
      { site: probe.site, probe: probe.probe, public_key: publicKey, mqtt_password_sha256: sha256Hex(mqttPassword) },
      ...uplinkProbes.map((u) => ({ site: probe.site, probe: u.probe, public_key: readFileSync(join(keyDir, `${u.probe}.pub`), 'utf8').trim(), mqtt_password_sha256: sha256Hex(u.mqtt_password) })),
    ],
    users: [{ name: 'demo', role: 'investigator', token_sha256: sha256Hex(token) }],
    cells_csv: cellsCsv,
    basemap: { path: basemapPath },
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
  let uplink: DemoUplink | null = null;
  if (uplinkProbes.length > 0) {
    try {
      uplink = await startDemoUplink({
        scenario, den: sim.value.truth.dens[0]!, site: probe.site, start_ts_ms: sim.value.truth.start_ts_ms, speed: opts.speed ?? 1,
        mqttUrl: collector.mqttUrl, httpUrl: collector.httpUrl, token, probes: uplinkProbes, log: log.child('uplink'),
      });
    } catch (e) {
      await sim.value.stop();
      await edge.stop();
      await collector.close();
      throw e;
    }
  }
  return {
    url,
    token,
    collector,
    edge,
    sim: sim.value,
    uplink,
    async stop() {
      await uplink?.stop();
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
    `  A simulated ${truth.dens[0]?.ports ?? 0}-port SIM box is hidden in ${truth.scenario}; detections appear within ~${opts.windowS * 2 + 5} s,`,
    '  then a den: its TA rings, three uplink probes set up around it, its point, 95 % ellipse and heatmap, and',
    '  a unit on foot walking where the collector sends it (click the den for its timeline and GeoJSON/KML export).',
    '  Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stopAfter = opts.durationS !== undefined ? new Promise((r) => setTimeout(r, opts.durationS! * 1000)) : new Promise(() => {});
  await Promise.race([untilSignal(), stopAfter]);
  log.info('stopping demo');
  await demo.stop();
}
