/**
 * Wires one collector together: store (SQLite) → cell import → ingest → embedded broker (ingesting
 * inside its publish authorisation, so its PUBACK follows the commit) or a client of an external
 * broker (acknowledging after the commit) → retention → HTTP server. Returns handles for the CLI and
 * tests. Startup fails with a CollectorStartError (one line: which file or port, what to do); whatever
 * had started is closed again.
 * Must not parse config files (the CLI does) and must not print (it logs through the injected logger).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { silentLogger, type Logger } from '@simhound/protocol';
import { dashboardsWebRoot, geoBrowserDir, leafletDistDir, protomapsLeafletDir } from '@simhound/dashboards';
import type { CollectorConfig } from './config.js';
import { startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerStats } from './broker/embedded-broker.js';
import { importCellsCsv, type CellImportReport } from './cells/import-cells.js';
import { CommandSender, loadCommandSigningKey } from './commands/command-sender.js';
import { TokenAuthenticator } from './http/auth.js';
import { buildHttpServer, type HealthReport } from './http/server.js';
import { createInfluxWriter, type InfluxWriter, type InfluxWriterStats } from './influx/writer.js';
import { badSignature, checkAge, precheckMessage } from './ingest/check-message.js';
import { Ingest, type IngestStats, type MessageChecker } from './ingest/ingest.js';
import { autoVerifyThreads, VerifyPool } from './ingest/verify-pool.js';
import { MqttIngestClient, redactUrl, type MqttIngestClientStats } from './ingest/mqtt-ingest-client.js';
import { ProbeRegistry } from './ingest/probe-registry.js';
import { CollectorStartError, reasonOf } from './start-errors.js';
import { SqliteStore } from './store/sqlite-store.js';
import { DenService } from './dens/den-service.js';
import { denRoutes } from './http/den-routes.js';
import { basemapRoutes } from './http/basemap-routes.js';
import { openTileSource, type TileSource } from './basemap/tile-source.js';
import { RING_MODEL_DEFAULTS } from './geo/ta-ring.js';
import { BINNING_DEFAULTS } from './geo/rssi-bins.js';
import type { Store, StoreCounts } from './store/store.js';

export interface StartCollectorOptions {
  log?: Logger;
  clock?: () => number;
}

export interface CollectorStats {
  uptime_s: number;
  ingest: IngestStats;
  store: StoreCounts & { backend: string };
  influx: InfluxWriterStats | { configured: false };
  mqtt: MqttIngestClientStats | { embedded: true; connected: true; url: string };
  broker: ({ embedded: true; port: number } & EmbeddedBrokerStats) | { embedded: false };
  cells_import: CellImportReport | null;
}

export interface RunningCollector {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8080 (no trailing slash). */
  httpUrl: string;
  /** The broker probes publish to (the embedded one's URL when embedded). */
  mqttUrl: string;
  /** The embedded broker, when configured (its port is useful when config said 0). */
  broker: EmbeddedBroker | null;
  store: Store;
  ingest: Ingest;
  /** Den tracking and location (null when config dens.enabled is false). */
  dens: DenService | null;
  health(): HealthReport;
  stats(): Promise<CollectorStats>;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;

function readPem(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CollectorStartError('tls_files', `${field} ${path}: ${reasonOf(e)}; make one with \`simhound keys server-cert\` or fix the path`);
  }
}

function openStore(config: CollectorConfig): SqliteStore {
  const path = config.storage.sqlite_path;
  try {
    return SqliteStore.open(path, {
      synchronous: config.storage.synchronous,
      ...(config.storage.max_size_mb === undefined ? {} : { max_size_bytes: config.storage.max_size_mb * 1024 * 1024 }),
    });
  } catch (e) {
    throw new CollectorStartError('storage', `storage.sqlite_path ${path}: ${reasonOf(e)}; point it at a writable directory (the file is created) or at a simhound database`);
  }
}

export async function startCollector(config: CollectorConfig, options: StartCollectorOptions = {}): Promise<RunningCollector> {
  const log = options.log ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const started_ms = clock();
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (e) {
        log.warn('error while closing', { error: (e as Error).message });
      }
    }
  };

  try {
    const store = openStore(config);
    cleanups.push(() => store.close());
    await store.registerProbes(config.probes.map(({ site, probe, public_key }) => ({ site, probe, public_key })));
    const registry = new ProbeRegistry(config.probes);
    log.child('collector:store').info('store open', { backend: store.backend, path: config.storage.sqlite_path, probes_registered: config.probes.length });

    let cellsImport: CellImportReport | null = null;
    if (config.cells_csv !== undefined) {
      const imported = await importCellsCsv(config.cells_csv, store);
      if (!imported.ok) {
        const what = imported.reason === 'unreadable' ? `cannot read it (${imported.detail?.replace(/^.*?: /, '') ?? ''})` : `${imported.reason}: ${imported.detail ?? ''}`;
        throw new CollectorStartError('cells_csv', `cells_csv ${config.cells_csv}: ${what}; fix the path or remove cells_csv from the config`);
      }
      cellsImport = imported.value;
      log.child('collector:cells').info('cell database imported', {
        path: cellsImport.path, imported: cellsImport.imported, rejected_by_reason: cellsImport.rejected_by_reason,
      });
    }

    const commandKey = config.commands === undefined ? null : loadCommandSigningKey(config.commands.signing_key_file);

    let influx: InfluxWriter | null = null;
    if (config.influx !== undefined) {
      const writer = createInfluxWriter(config.influx, log.child('collector:influx'));
      influx = writer;
      cleanups.push(() => writer.close());
      log.child('collector:influx').info('writing time series to InfluxDB', { url: config.influx.url, bucket: config.influx.bucket });
    } else {
      log.child('collector:influx').warn('InfluxDB is not configured (no "influx" section): time series are not written; SQLite still stores everything');
    }

    const threads = config.ingest.verify_threads === 'auto' ? autoVerifyThreads() : config.ingest.verify_threads;
    const pool = new VerifyPool(threads);
    cleanups.push(() => pool.close());
    const limits = { max_age_s: config.ingest.max_age_s, max_future_skew_s: config.ingest.max_future_skew_s };
    const checker: MessageChecker | undefined = threads === 0 ? undefined : async (topic, payload, now_ms) => {
      const pre = precheckMessage(topic, payload, registry);
      if (!pre.ok) return pre;
      if (!(await pool.verify(pre.value.env, pre.value.probe))) return badSignature(pre.value.env);
      return checkAge(pre.value.env, { now_ms, ...limits });
    };
    const ingest = new Ingest({
      store, registry, clock, checker,
      ...limits,
      max_batch: config.ingest.max_batch,
      log: log.child('collector:ingest'),
    });
    if (influx !== null) {
      const writer = influx;
      ingest.onAccepted((env) => writer.write(env));
    }

    let dens: DenService | null = null;
    if (config.dens.enabled) {
      const g = config.geo;
      let prior: { geojson: unknown; outside_weight: number } | null = null;
      if (g.prior_geojson !== undefined) {
        try {
          prior = { geojson: JSON.parse(readFileSync(g.prior_geojson, 'utf8')), outside_weight: g.prior_outside_weight };
        } catch (e) {
          throw new CollectorStartError('prior_geojson', `geo.prior_geojson ${g.prior_geojson}: ${reasonOf(e)}; give a readable GeoJSON file of built-up polygons or leave it out`);
        }
      }
      const service = new DenService(store, {
        tracker: config.dens,
        update_debounce_ms: config.dens.update_debounce_ms,
        locator: {
          locator: {
            cell_m: g.cell_m,
            half_extent_m: g.half_extent_m,
            ring: { ...RING_MODEL_DEFAULTS, excess_m: g.ta_excess_m, edge_sigma_m: g.ta_edge_sigma_m },
            binning: { ...BINNING_DEFAULTS, shadowing_sigma_db: g.shadowing_sigma_db, bin_m: g.bin_m },
          },
          prior,
        },
        clock,
        log: log.child('collector:dens'),
      });
      dens = service;
      ingest.onAccepted((env, received) => service.onAccepted(env, received));
      cleanups.push(() => service.close());
    }

    let basemap: TileSource | null = null;
    if (config.basemap !== undefined) {
      try {
        basemap = await openTileSource(config.basemap.path);
      } catch (e) {
        throw new CollectorStartError('basemap', `basemap.path ${config.basemap.path}: ${reasonOf(e)}; give a readable .mbtiles or .pmtiles file (docs/basemap.md) or leave basemap out`);
      }
      const source = basemap;
      cleanups.push(() => source.close());
      log.child('collector:basemap').info('serving the offline base map', { path: config.basemap.path, format: source.metadata.format, zooms: [source.metadata.min_zoom, source.metadata.max_zoom] });
    }

    // Stable for this host + data directory (a persistent session survives restarts), distinct for others.
    const instanceKey = createHash('sha256').update(`${hostname()}:${resolve(config.storage.sqlite_path)}`).digest('hex').slice(0, 10);
    const clientId = `${config.mqtt.client_id_prefix}-${instanceKey}`;

    let broker: EmbeddedBroker | null = null;
    let client: MqttIngestClient | null = null;
    let mqttUrl: string;
    const embedded = config.mqtt.embedded_broker;
    if (embedded !== undefined) {
      let tls: { cert: Buffer; key: Buffer } | undefined;
      if (embedded.tls !== undefined) {
        tls = { cert: readPem(embedded.tls.cert_file, 'mqtt.embedded_broker.tls.cert_file'), key: readPem(embedded.tls.key_file, 'mqtt.embedded_broker.tls.key_file') };
      }
      try {
        broker = await startEmbeddedBroker({
          host: embedded.host,
          port: embedded.port,
          tls,
          probes: config.probes,
          limits: {
            max_packet_bytes: embedded.max_packet_bytes,
            max_connect_bytes: embedded.max_connect_bytes,
            max_preauth_bytes: embedded.max_connect_bytes * 2,
            connect_timeout_ms: embedded.connect_timeout_s * 1000,
            max_connections: embedded.max_connections,
            connections_per_minute_per_address: embedded.connections_per_minute_per_address,
          },
          onProbePublish: async (topic, payload, flags) => ((await ingest.handle(topic, payload, flags)).outcome === 'store_failed' ? 'withhold' : 'acknowledge'),
          log: log.child('collector:broker'),
        });
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
          throw new CollectorStartError('mqtt_port', `mqtt.embedded_broker ${embedded.host}:${embedded.port}: ${reasonOf(e)}; choose another mqtt.embedded_broker.port or stop the program using it`);
        }
        if (tls !== undefined) {
          throw new CollectorStartError('tls_files', `mqtt.embedded_broker.tls (${embedded.tls!.cert_file}, ${embedded.tls!.key_file}): ${reasonOf(e)}; both must be PEM and belong together (\`simhound keys server-cert\`)`);
        }
        throw e;
      }
      const b = broker;
      // Ingest closes first (its last commits are acknowledged), then the broker, then the store.
      cleanups.push(() => b.close());
      mqttUrl = b.url;
    } else {
      mqttUrl = config.mqtt.url!;
      if (config.mqtt.ca_file !== undefined) readPem(config.mqtt.ca_file, 'mqtt.ca_file');
      client = new MqttIngestClient({
        url: mqttUrl,
        username: config.mqtt.username,
        password: config.mqtt.password,
        clientId,
        caFile: config.mqtt.ca_file,
        receiveMaximum: config.mqtt.receive_maximum,
        keepalive_s: config.mqtt.keepalive_s,
        connectTimeout_ms: config.mqtt.connect_timeout_s * 1000,
        maxPacketBytes: 1024 * 1024,
        handle: (topic, payload, flags) => ingest.handle(topic, payload, flags),
        log: log.child('collector:mqtt'),
      });
      const c = client;
      cleanups.push(() => c.close());
      try {
        await c.start();
      } catch (e) {
        throw new CollectorStartError('broker_unreachable', `mqtt.url ${redactUrl(mqttUrl)}: ${reasonOf(e)}; start the broker or fix mqtt.url / username / password`);
      }
    }
    cleanups.push(async () => {
      client?.stopReconnecting();
      await ingest.close();
    });

    const sweep = async () => {
      const now = clock();
      const before = (days: number) => (days > 0 ? now - days * DAY_MS : null);
      try {
        const removed = await store.applyRetention({
          dead_letters_before_ts_ms: before(config.retention.dead_letters_days),
          audit_before_ts_ms: before(config.retention.audit_days),
          status_history_before_ts_ms: before(config.retention.status_history_days),
        });
        removed.seen_ids = await store.pruneSeenIds(now - config.ingest.max_age_s * 1000);
        log.child('collector:retention').info('retention sweep', { ...removed });
      } catch (e) {
        log.child('collector:retention').warn('retention sweep failed; will try again', { error: (e as Error).message });
      }
    };
    const sweepTimer = setInterval(() => void sweep(), config.retention.sweep_interval_s * 1000);
    sweepTimer.unref();
    cleanups.push(async () => clearInterval(sweepTimer));

    const commands = commandKey === null ? null : new CommandSender({
      key: commandKey,
      max_age_s: config.commands!.max_age_s,
      publish: (topic, payload) => (broker !== null ? broker.publish(topic, payload) : client!.publish(topic, payload)),
      registry,
      clock,
    });

    const mqttConnected = () => (client === null ? true : client.isConnected());
    const health = (): HealthReport => {
      const s = ingest.stats();
      const connected = mqttConnected();
      return {
        status: connected && !ingest.storeBlocked ? 'ok' : 'degraded',
        uptime_s: Math.round((clock() - started_ms) / 1000),
        mqtt: { connected },
        store: { writable: !ingest.storeBlocked },
        ingest: {
          accepted_total: s.accepted_total,
          accepted_by_kind: s.accepted_by_kind,
          rejected_total: s.rejected_total,
          rejected_by_reason: s.rejected_by_reason,
          retained_redeliveries: s.retained_redeliveries,
          store_failures: s.store_failures,
          pending: s.pending,
          batches_committed: s.batches_committed,
          batched_messages: s.batched_messages,
        },
        influx: { configured: influx !== null, write_errors: influx?.stats().write_errors ?? 0 },
      };
    };
    const stats = async (): Promise<CollectorStats> => ({
      uptime_s: Math.round((clock() - started_ms) / 1000),
      ingest: ingest.stats(),
      store: { backend: store.backend, ...(await store.counts()) },
      influx: influx?.stats() ?? { configured: false },
      mqtt: client?.stats() ?? { embedded: true, connected: true, url: mqttUrl },
      broker: broker ? { embedded: true, port: broker.port, ...broker.stats() } : { embedded: false },
      cells_import: cellsImport,
    });

    const app = await buildHttpServer({
      store,
      auth: new TokenAuthenticator(config.users),
      log: log.child('collector:http'),
      health,
      stats,
      commands,
      webRoot: dashboardsWebRoot,
      leafletDir: leafletDistDir,
      vendorDirs: [{ root: geoBrowserDir, prefix: '/vendor/simhound-geo/' }, { root: protomapsLeafletDir, prefix: '/vendor/protomaps-leaflet/' }],
      routes: [...(dens ? [denRoutes(store, dens)] : []), basemapRoutes(basemap, config.basemap?.attribution)],
      probeSilentAfter_s: config.http.probe_silent_after_s,
      clock,
    });
    cleanups.push(() => app.close());
    try {
      await app.listen({ host: config.http.host, port: config.http.port });
    } catch (e) {
      throw new CollectorStartError('http_port', `http ${config.http.host}:${config.http.port}: ${reasonOf(e)}; choose another http.port or stop the program using it`);
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
    const hostForUrl = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
    const httpUrl = `http://${hostForUrl}:${port}`;
    log.child('collector:http').info('HTTP server listening', { url: httpUrl });
    void sweep();

    // Close order (reverse of start): HTTP, retention timer, ingest (last commits), MQTT client or broker, dens, Influx (flush), store.
    return { httpUrl, mqttUrl: broker?.url ?? redactUrl(mqttUrl), broker, store, ingest, dens, health, stats, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
