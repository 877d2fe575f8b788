/**
 * Writes accepted messages to InfluxDB through the official client's WriteApi (line protocol over the
 * v2 write path, which InfluxDB 2.x/3.x and 1.8+ accept), in batches, flushing on close.
 * Write errors are counted and logged; the client retries in memory (max_retries) and then gives up.
 * A disk-backed retry queue, so an Influx outage longer than the retry window loses no points, comes
 * in a later issue (TOOLCHAIN.md pitfall: the client's in-memory buffer gives up after minutes).
 * SQLite/PostgreSQL stays the system of record either way; Influx holds the time series.
 * Must not block or fail ingest: write() only queues.
 */
import { InfluxDB, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import type { Logger, ParsedEnvelope } from '@simhound/protocol';
import type { InfluxConfig } from '../config.js';
import { envelopePoints } from './points.js';

export interface InfluxWriterStats {
  configured: true;
  url: string;
  bucket: string;
  points_queued: number;
  points_written: number;
  write_errors: number;
  last_error: string | null;
}

export interface InfluxWriter {
  write(envelope: ParsedEnvelope): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): InfluxWriterStats;
}

/**
 * The client library logs to the console by default; route it into our logger instead (library code
 * never prints). The client's logger is process-wide, so the most recently created writer's logger
 * receives it; its messages are at debug level because writeFailed already logs each failure.
 */
function routeClientLogs(log: Logger): void {
  setLogger({
    error: (message, error) => log.debug(`influx client: ${message}`, { error: (error as Error | undefined)?.message }),
    warn: (message, error) => log.debug(`influx client: ${message}`, { error: (error as Error | undefined)?.message }),
  });
}

export function createInfluxWriter(config: InfluxConfig, log: Logger): InfluxWriter {
  routeClientLogs(log);
  let queued = 0;
  let written = 0;
  let errors = 0;
  let lastError: string | null = null;
  const writeApi: WriteApi = new InfluxDB({ url: config.url, token: config.token }).getWriteApi(config.org, config.bucket, 'ms', {
    batchSize: config.batch_size,
    flushInterval: config.flush_interval_ms,
    maxRetries: config.max_retries,
    writeFailed(error, lines, attempt) {
      errors += 1;
      lastError = error.message;
      log.warn('influx write failed', { error: error.message, lines: lines.length, attempt });
      return undefined; // let the client retry as configured
    },
    writeSuccess(lines) {
      written += lines.length;
    },
  });
  let closed = false;

  return {
    write(envelope) {
      if (closed) return;
      const points = envelopePoints(envelope);
      queued += points.length;
      writeApi.writePoints(points);
    },
    async flush() {
      try {
        await writeApi.flush();
      } catch (e) {
        // already counted by writeFailed; flush() rejects when the final attempt failed
        lastError = (e as Error).message;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await writeApi.close();
      } catch (e) {
        lastError = (e as Error).message;
        log.warn('influx close: some points were not written', { error: lastError });
      }
    },
    stats: () => ({ configured: true, url: config.url, bucket: config.bucket, points_queued: queued, points_written: written, write_errors: errors, last_error: lastError }),
  };
}
