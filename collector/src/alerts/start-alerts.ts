/**
 * Builds the collector's alerting from its config: reads the files the config names (policy, districts,
 * webhook secrets, SMTP password, ntfy token), makes the channels, the den source (the collector's dens,
 * collector/src/dens), the router and the service, loads the policy (versioned), judges the dens seen
 * recently once (alerts the collector missed while it was down), and starts the clock tick.
 * Fails with a CollectorStartError naming the file or setting and what to do.
 * Must not parse the collector config (config.ts does) and must not print.
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '@simhound/protocol';
import { CollectorStartError, reasonOf } from '../start-errors.js';
import type { Store } from '../store/store.js';
import type { AlertsConfig } from './alert-config.js';
import { AlertService } from './alert-service.js';
import type { AlertChannel } from './channels/channel.js';
import { EmailChannel } from './channels/email.js';
import { MqttAlertChannel } from './channels/mqtt.js';
import { NtfyChannel } from './channels/ntfy.js';
import { WebChannel } from './channels/web.js';
import { WebhookChannel } from './channels/webhook.js';
import { AlertRouter, parseDistricts, type DistrictMap } from './routing.js';
import { AlertStreamHub } from './sse-hub.js';
import { TrackedDenSource } from './tracked-dens.js';
import type { DenService } from '../dens/den-service.js';

export interface AlertSystemOptions {
  config: AlertsConfig;
  store: Store;
  /** The collector's dens (alerts need them: config dens.enabled). */
  dens: DenService;
  clock: () => number;
  log: Logger;
  /** The collector's Ed25519 key (commands.signing_key_file) — signs MQTT alerts. */
  signingKey: KeyObject | null;
  /** Publish through the collector's broker (embedded or external). */
  publish: (topic: string, payload: Buffer) => Promise<void>;
  /** The collector's own HTTP URL (known after listen), used when alerts.public_url is not set. */
  httpUrl: () => string | null;
  /** Dens seen this far back are judged at start. */
  lookback_ms?: number;
  random?: () => number;
}

export interface AlertSystem {
  service: AlertService;
  source: TrackedDenSource;
  tick(): Promise<void>;
  /** Wait until den tracking, evaluations and deliveries are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function readSecret(path: string, setting: string, minLength = 1): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new CollectorStartError('alerts', `${setting} ${path}: ${reasonOf(e)}; fix the path`);
  }
  if (text.length < minLength) throw new CollectorStartError('alerts', `${setting} ${path}: the secret is shorter than ${minLength} characters; make one with \`openssl rand -hex 32\``);
  return text;
}

export async function startAlerts(o: AlertSystemOptions): Promise<AlertSystem> {
  const c = o.config;
  const log = o.log;
  let districts: DistrictMap = new Map();
  if (c.districts_geojson !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(c.districts_geojson, 'utf8'));
    } catch (e) {
      throw new CollectorStartError('alerts', `alerts.districts_geojson ${c.districts_geojson}: ${reasonOf(e)}; give a GeoJSON FeatureCollection of districts`);
    }
    const parsed = parseDistricts(raw);
    if (!parsed.ok) throw new CollectorStartError('alerts', `alerts.districts_geojson ${c.districts_geojson}: ${parsed.detail}`);
    districts = parsed.value;
    c.rosters.forEach((r, i) => {
      if (!('districts' in r.area)) return;
      for (const name of r.area.districts) {
        if (!districts.has(name)) throw new CollectorStartError('alerts', `alerts.rosters[${i}] (${r.name}): no district named ${JSON.stringify(name)} in ${c.districts_geojson} (it has ${[...districts.keys()].join(', ')})`);
      }
    });
  }
  const router = new AlertRouter({ timezone: c.timezone, officers: c.officers, rosters: c.rosters }, districts);
  const timeout_ms = c.retry.timeout_s * 1000;
  const source = new TrackedDenSource(o.store, o.dens);
  const hub = new AlertStreamHub();
  const channels: AlertChannel[] = [];
  if (c.channels.web.enabled) channels.push(new WebChannel(hub));
  const webhooks = c.channels.webhooks.map((w) => ({ name: w.name, url: w.url, tiers: w.tiers, secret: Buffer.from(readSecret(w.secret_file, `alerts.channels.webhooks (${w.name}).secret_file`, 32)) }));
  // Signatures carry wall-clock time (not the injected clock): the receiver checks it against its own.
  if (webhooks.length > 0) channels.push(new WebhookChannel(webhooks, timeout_ms));
  if (c.channels.email !== undefined) {
    const e = c.channels.email;
    let ca: Buffer | undefined;
    if (e.ca_file !== undefined) {
      try {
        ca = readFileSync(e.ca_file);
      } catch (err) {
        throw new CollectorStartError('alerts', `alerts.channels.email.ca_file ${e.ca_file}: ${reasonOf(err)}`);
      }
    }
    channels.push(new EmailChannel({
      host: e.host, port: e.port, secure: e.secure, require_tls: e.require_tls, from: e.from, ca,
      ...(e.username !== undefined ? { username: e.username, password: e.password_file !== undefined ? readSecret(e.password_file, 'alerts.channels.email.password_file') : '' } : {}),
    }, c.timezone, timeout_ms));
  }
  if (c.channels.ntfy !== undefined) {
    const n = c.channels.ntfy;
    channels.push(new NtfyChannel(n.server_url, n.token_file !== undefined ? readSecret(n.token_file, 'alerts.channels.ntfy.token_file') : null, c.timezone, timeout_ms));
  }
  if (c.channels.mqtt.enabled) {
    if (o.signingKey === null) throw new CollectorStartError('alerts', 'alerts.channels.mqtt: MQTT alerts are signed with the collector key; set commands.signing_key_file');
    channels.push(new MqttAlertChannel(c.channels.mqtt.site, o.signingKey, o.publish));
  }

  const s = new AlertService({
    store: o.store.alerts,
    source,
    router,
    channels,
    retry: c.retry,
    webhooks,
    mqtt: c.channels.mqtt.enabled,
    web: c.channels.web.enabled,
    publicUrl: () => c.public_url ?? o.httpUrl(),
    clock: o.clock,
    log,
    random: o.random,
    hub,
  });

  let policyText: string | null = null;
  if (c.policy_file !== undefined) {
    try {
      policyText = readFileSync(c.policy_file, 'utf8');
    } catch (e) {
      throw new CollectorStartError('alerts', `alerts.policy_file ${c.policy_file}: ${reasonOf(e)}; fix the path or leave it out for the built-in policy`);
    }
  }
  const loaded = await s.loadPolicy(policyText, c.policy_file !== undefined ? `file:${c.policy_file}` : 'default');
  if (!loaded.ok) throw new CollectorStartError('alerts', `alerts.policy_file ${c.policy_file}: ${loaded.detail}`);

  // Catch up: dens seen recently, each judged once (alerts raised or closed while the collector was down).
  const ids = await source.recent(o.clock() - (o.lookback_ms ?? 30 * 24 * 3600 * 1000));
  for (const id of ids) void s.evaluate(id);

  const timer = setInterval(() => void s.tick().catch((e: unknown) => log.error('alert tick failed', { error: (e as Error).message })), c.tick_interval_s * 1000);
  timer.unref();
  log.info('alerts started', {
    policy_version: loaded.value.version, policy_source: loaded.value.source, channels: channels.map((ch) => ch.name), officers: c.officers.length, rosters: c.rosters.length, dens: ids.length,
  });

  return {
    service: s,
    source,
    tick: () => s.tick(),
    async idle() {
      await o.dens.idle();
      await s.idle();
    },
    async close() {
      clearInterval(timer);
      await s.close();
    },
  };
}
