/**
 * Starts a real collector for a test (embedded aedes broker or an external broker, SQLite in a temp
 * dir, HTTP on a free port) and captures its log lines so tests can assert on what it reported.
 */
import { createLogger, type LogLevel, type Logger } from '@simhound/protocol';
import { startCollector, type CollectorConfig, type RunningCollector } from '../src/index.js';
import { collectorConfig, tempDir, type TestProbe, type TestUser } from './fixtures.js';

export interface CapturedLine {
  level: LogLevel;
  ns: string;
  msg: string;
  fields?: Record<string, unknown>;
}

export function captureLogger(): { log: Logger; lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const log = createLogger({ level: 'debug', sink: ({ level, ns, msg, fields }) => lines.push({ level, ns, msg, fields }) });
  return { log, lines };
}

export interface TestCollector {
  collector: RunningCollector;
  config: CollectorConfig;
  lines: CapturedLine[];
  dir: string;
  /** Stop the collector, keeping its data directory (for restart tests). */
  stop(): Promise<void>;
  /** Stop and delete the data directory. */
  close(): Promise<void>;
}

export async function startTestCollector(options: {
  probes: TestProbe[];
  users?: TestUser[];
  extra?: Record<string, unknown>;
  dir?: string;
}): Promise<TestCollector> {
  const tmp = options.dir === undefined ? tempDir('collector') : { dir: options.dir, remove: () => {} };
  const config = collectorConfig(tmp.dir, options.probes, options.users ?? [], options.extra ?? {});
  const { log, lines } = captureLogger();
  let collector: RunningCollector;
  try {
    collector = await startCollector(config, { log });
  } catch (e) {
    tmp.remove();
    throw e;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await collector.close();
  };
  return {
    collector,
    config,
    lines,
    dir: tmp.dir,
    stop,
    async close() {
      await stop();
      tmp.remove();
    },
  };
}
