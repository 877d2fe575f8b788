/**
 * Wires one collector together: store (SQLite) → cell import → embedded broker (when configured) →
 * ingest + InfluxDB writer → MQTT subscription → HTTP server. Returns handles for the CLI and tests.
 * Startup fails with a clear error when a part cannot start; whatever had started is closed again.
 * Must not parse config files (the CLI does) and must not print (it logs through the injected logger).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { silentLogger, type Logger } from '@simhound/protocol';
import { dashboardsWebRoot, geoBrowserDir, leafletDistDir, protomapsLeafletDir } from '@simhound/dashboards';
import type { CollectorConfig } from './config.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker.js';
import { importCellsCsv, type CellImportReport } from './cells/import-cells.js';
import { TokenAuthenticator } from './http/auth.js';
import { buildHttpServer, type HealthReport } from './http/server.js';
import { createInfluxWriter, type InfluxWriter, type InfluxWriterStats } from './influx/writer.js';
import { Ingest, type IngestStats } from './ingest/ingest.js';
import { MqttSubscriber } from './ingest/mqtt-subscriber.js';
import { ProbeRegistry } from './ingest/probe-registry.js';
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
  mqtt: { connected: boolean; url: string; client_id: string; reconnects: number; connected_since_ts_ms: number | null };
  broker: { embedded: true; port: number; connected_clients: number; auth_failures: number; acl_denials: number } | { embedded: false };
  cells_import: CellImportReport | null;
}

export interface RunningCollector {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8080 (no trailing slash). */
  httpUrl: string;
  /** The broker the collector subscribes to (the embedded one's URL when embedded). */
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

/** Prune remembered envelope ids this often; ids older than max_age are rejected as stale anyway. */
const SEEN_ID_PRUNE_INTERVAL_MS = 3600_000;

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
    const store = SqliteStore.open(config.storage.sqlite_path);
    cleanups.push(() => store.close());
    await store.registerProbes(config.probes.map(({ site, probe, public_key }) => ({ site, probe, public_key })));
    const registry = new ProbeRegistry(config.probes);
    log.child('collector:store').info('store open', { backend: store.backend, path: config.storage.sqlite_path, probes_registered: config.probes.length });

    let cellsImport: CellImportReport | null = null;
    if (config.cells_csv !== undefined) {
      const imported = await importCellsCsv(config.cells_csv, store);
      if (!imported.ok) throw new Error(`cells_csv: ${imported.reason}: ${imported.detail ?? config.cells_csv}`);
      cellsImport = imported.value;
      log.child('collector:cells').info('cell database imported', {
        path: cellsImport.path, imported: cellsImport.imported, rejected_by_reason: cellsImport.rejected_by_reason,
      });
    }

    // Stable for this host + data directory (a persistent session survives restarts), distinct for others.
    const instanceKey = createHash('sha256').update(`${hostname()}:${resolve(config.storage.sqlite_path)}`).digest('hex').slice(0, 10);
    const clientId = `${config.mqtt.client_id_prefix}-${instanceKey}`;

    let broker: EmbeddedBroker | null = null;
    let mqttUrl: string;
    let mqttUsername = config.mqtt.username;
    let mqttPassword = config.mqtt.password;
    if (config.mqtt.embedded_broker !== undefined) {
      // The collector's own broker credentials exist only in this process.
      mqttUsername = 'collector';
      mqttPassword = randomBytes(24).toString('base64url');
      const b = await startEmbeddedBroker({
        host: config.mqtt.embedded_broker.host,
        port: config.mqtt.embedded_broker.port,
        collector: { username: mqttUsername, password: mqttPassword, clientId },
        probes: config.probes,
        log: log.child('collector:broker'),
      });
      broker = b;
      cleanups.push(() => b.close());
      mqttUrl = b.url;
    } else {
      mqttUrl = config.mqtt.url!;
    }

    let influx: InfluxWriter | null = null;
    if (config.influx !== undefined) {
      const writer = createInfluxWriter(config.influx, log.child('collector:influx'));
      influx = writer;
      cleanups.push(() => writer.close());
      log.child('collector:influx').info('writing time series to InfluxDB', { url: config.influx.url, bucket: config.influx.bucket });
    } else {
      log.child('collector:influx').warn('InfluxDB is not configured (no "influx" section): time series are not written; SQLite still stores everything');
    }

    const ingest = new Ingest({
      store, registry, clock,
      max_age_s: config.ingest.max_age_s,
      max_future_skew_s: config.ingest.max_future_skew_s,
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
          throw new Error(`geo.prior_geojson: cannot read ${g.prior_geojson}: ${(e as Error).message}`);
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
        throw new Error(`basemap.path: ${(e as Error).message}`);
      }
      const source = basemap;
      cleanups.push(() => source.close());
      log.child('collector:basemap').info('serving the offline base map', { path: config.basemap.path, format: source.metadata.format, zooms: [source.metadata.min_zoom, source.metadata.max_zoom] });
    }

    const subscriber = new MqttSubscriber({
      url: mqttUrl,
      username: mqttUsername,
      password: mqttPassword,
      clientId,
      clean: config.mqtt.clean_session,
      connectTimeout_ms: config.mqtt.connect_timeout_s * 1000,
      handle: (topic, payload, flags) => ingest.handle(topic, payload, flags),
      log: log.child('collector:mqtt'),
    });
    cleanups.push(() => subscriber.close());
    await subscriber.start();

    const pruneTimer = setInterval(() => {
      store.pruneSeenIds(clock() - config.ingest.max_age_s * 1000).catch((e: Error) => log.warn('seen-id prune failed', { error: e.message }));
    }, SEEN_ID_PRUNE_INTERVAL_MS);
    pruneTimer.unref();
    cleanups.push(async () => clearInterval(pruneTimer));

    const health = (): HealthReport => {
      const s = ingest.stats();
      const mqtt = subscriber.stats();
      return {
        status: mqtt.connected ? 'ok' : 'degraded',
        uptime_s: Math.round((clock() - started_ms) / 1000),
        mqtt: { connected: mqtt.connected, url: mqtt.url },
        ingest: {
          accepted_total: s.accepted_total,
          accepted_by_kind: s.accepted_by_kind,
          rejected_total: s.rejected_total,
          rejected_by_reason: s.rejected_by_reason,
          retained_redeliveries: s.retained_redeliveries,
          store_failures: s.store_failures,
        },
        influx: { configured: influx !== null, write_errors: influx?.stats().write_errors ?? 0 },
      };
    };
    const stats = async (): Promise<CollectorStats> => ({
      uptime_s: Math.round((clock() - started_ms) / 1000),
      ingest: ingest.stats(),
      store: { backend: store.backend, ...(await store.counts()) },
      influx: influx?.stats() ?? { configured: false },
      mqtt: subscriber.stats(),
      broker: broker ? { embedded: true, port: broker.port, ...broker.stats() } : { embedded: false },
      cells_import: cellsImport,
    });

    const app = await buildHttpServer({
      store,
      auth: new TokenAuthenticator(config.users),
      log: log.child('collector:http'),
      health,
      stats,
      webRoot: dashboardsWebRoot,
      leafletDir: leafletDistDir,
      vendorDirs: [{ root: geoBrowserDir, prefix: '/vendor/simhound-geo/' }, { root: protomapsLeafletDir, prefix: '/vendor/protomaps-leaflet/' }],
      routes: [...(dens ? [denRoutes(store, dens)] : []), basemapRoutes(basemap, config.basemap?.attribution)],
      probeSilentAfter_s: config.http.probe_silent_after_s,
      clock,
    });
    cleanups.push(() => app.close());
    await app.listen({ host: config.http.host, port: config.http.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
    const hostForUrl = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
    const httpUrl = `http://${hostForUrl}:${port}`;
    log.child('collector:http').info('HTTP server listening', { url: httpUrl });

    // Close order (reverse of start): HTTP, prune timer, MQTT subscriber, Influx (flush), broker, store.
    return { httpUrl, mqttUrl, broker, store, ingest, dens, health, stats, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
