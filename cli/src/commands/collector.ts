/**
 * `simhound collector --config collector.yaml`: run the collector until SIGINT/SIGTERM.
 * `simhound collector mosquitto-config --config collector.yaml --out dir/`: write mosquitto.conf,
 * passwords and acl for a deployment on mosquitto (docs/mosquitto.md).
 * Failures are one line naming the file, port or key and what to do, with a non-zero exit.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CollectorStartError, MOSQUITTO_DEFAULTS, mosquittoAclUsers, probeUsername, renderMosquittoAclFile, renderMosquittoConf,
  renderMosquittoPasswordFile, startCollector, validateCollectorConfig, type CollectorConfig,
} from '@simhound/collector';
import type { Logger } from '@simhound/protocol';
import { loadConfigFileWith } from '../load-config.js';
import { CliError, printLine, untilSignal } from '../output.js';

export const COLLECTOR_PATH_FIELDS = [
  'storage.sqlite_path', 'cells_csv', 'mqtt.ca_file', 'mqtt.embedded_broker.tls.cert_file', 'mqtt.embedded_broker.tls.key_file', 'commands.signing_key_file',
];

function loadCollectorConfig(path: string): CollectorConfig {
  const cfg = loadConfigFileWith(validateCollectorConfig, path, COLLECTOR_PATH_FIELDS);
  if (!cfg.ok) throw new CliError(`invalid collector config (${cfg.reason}):\n${cfg.detail}`, 2);
  return cfg.value;
}

export async function collectorCommand(opts: { config: string }, log: Logger): Promise<void> {
  const config = loadCollectorConfig(opts.config);
  let collector;
  try {
    collector = await startCollector(config, { log: log.child('collector') });
  } catch (e) {
    // One line, no stack: which file/port/key, what is wrong, what to do.
    if (e instanceof CollectorStartError) throw new CliError(e.message, 1);
    throw e;
  }
  log.info(`collector running; web UI at ${collector.httpUrl}/ ; Ctrl-C to stop`, { mqtt: collector.mqttUrl });
  await untilSignal();
  await collector.close();
}

export interface MosquittoConfigCommandOptions {
  config: string;
  out: string;
  /** Where `<probe>.mqtt-password` (or `<site>/<probe>.mqtt-password`) files are, as `simhound keys probe` writes them. */
  keysDir: string;
  listenHost?: string;
  port?: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  queueMessages?: number;
  queueBytes?: number;
  /** autosave_on_changes true with this autosave_interval (1: save after every change). */
  autosaveChanges?: number;
  /** autosave_on_changes false with this autosave_interval in seconds (the default mode, 1 s). */
  autosaveS?: number;
  user?: string;
}

function probePassword(keysDir: string, site: string, probe: string, expectedSha256: string | undefined): string {
  const candidates = [join(keysDir, site, `${probe}.mqtt-password`), join(keysDir, `${probe}.mqtt-password`)];
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) {
    throw new CliError(`no MQTT password file for probe ${site}/${probe}: looked for ${candidates.join(' and ')}; run \`simhound keys probe --site ${site} --probe ${probe} --out-dir ${keysDir}\` or pass --keys-dir`);
  }
  const password = readFileSync(file, 'utf8').trim();
  if (expectedSha256 !== undefined && createHash('sha256').update(password).digest('hex') !== expectedSha256) {
    throw new CliError(`${file}: this password does not match mqtt_password_sha256 of probe ${site}/${probe} in the collector config; use the file made with that probe's keys`);
  }
  return password;
}

export function mosquittoConfigCommand(opts: MosquittoConfigCommandOptions): void {
  const config = loadCollectorConfig(opts.config);
  if (config.mqtt.url === undefined || config.mqtt.username === undefined || config.mqtt.password === undefined) {
    throw new CliError(`${opts.config}: mqtt.url, mqtt.username and mqtt.password must be set (the collector's login on mosquitto); this config uses the embedded broker`, 2);
  }
  const url = new URL(config.mqtt.url);
  const tls = opts.tlsCert !== undefined || opts.tlsKey !== undefined ? { cert_file: resolve(opts.tlsCert ?? ''), key_file: resolve(opts.tlsKey ?? ''), ca_file: opts.tlsCa === undefined ? undefined : resolve(opts.tlsCa) } : undefined;
  if (tls !== undefined && (opts.tlsCert === undefined || opts.tlsKey === undefined)) throw new CliError('--tls-cert and --tls-key go together', 2);
  if (opts.autosaveS !== undefined && opts.autosaveChanges !== undefined) throw new CliError('--autosave-s and --autosave-changes exclude each other (timed or on changes)', 2);
  for (const [flag, v] of [['--autosave-s', opts.autosaveS], ['--autosave-changes', opts.autosaveChanges]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new CliError(`${flag} must be a whole number ≥ 1 (0 would mean: save only on a clean stop)`, 2);
  }
  for (const f of [tls?.cert_file, tls?.key_file, tls?.ca_file]) {
    if (f !== undefined && !existsSync(f)) throw new CliError(`${f}: no such file; make it with \`simhound keys ca\` / \`simhound keys server-cert\``, 2);
  }
  const keysDir = resolve(opts.keysDir);
  const users = [
    { username: config.mqtt.username, password: config.mqtt.password },
    ...config.probes.map((p) => ({ username: probeUsername(p.site, p.probe), password: probePassword(keysDir, p.site, p.probe, p.mqtt_password_sha256) })),
  ];
  const dir = resolve(opts.out);
  try {
    mkdirSync(join(dir, 'data'), { recursive: true });
  } catch (e) {
    throw new CliError(`--out ${dir}: cannot create it (${(e as Error).message})`, 2);
  }
  const conf = renderMosquittoConf({
    dir,
    host: opts.listenHost ?? url.hostname.replace(/^\[|\]$/g, ''),
    port: opts.port ?? (Number(url.port) || (url.protocol === 'mqtts:' ? MOSQUITTO_DEFAULTS.tls_port : MOSQUITTO_DEFAULTS.port)),
    tls,
    max_queued_messages: opts.queueMessages ?? MOSQUITTO_DEFAULTS.max_queued_messages,
    max_queued_bytes: opts.queueBytes ?? MOSQUITTO_DEFAULTS.max_queued_bytes,
    max_inflight_messages: MOSQUITTO_DEFAULTS.max_inflight_messages,
    max_packet_bytes: MOSQUITTO_DEFAULTS.max_packet_bytes,
    autosave: opts.autosaveS !== undefined ? { every_s: opts.autosaveS }
      : opts.autosaveChanges !== undefined ? { on_changes: opts.autosaveChanges } : MOSQUITTO_DEFAULTS.autosave,
    user: opts.user,
    generated_from: resolve(opts.config),
  });
  writeFileSync(join(dir, 'mosquitto.conf'), conf);
  writeFileSync(join(dir, 'passwords'), renderMosquittoPasswordFile(users), { mode: 0o600 });
  writeFileSync(join(dir, 'acl'), renderMosquittoAclFile(mosquittoAclUsers(config.probes, config.mqtt.username)));
  printLine(`# wrote ${join(dir, 'mosquitto.conf')}, passwords (${users.length} users) and acl`);
  printLine(`# run: mosquitto -c ${join(dir, 'mosquitto.conf')}`);
}
