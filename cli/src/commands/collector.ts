/** `simhound collector --config collector.yaml`: run the collector until SIGINT/SIGTERM. */
import { startCollector, validateCollectorConfig } from '@simhound/collector';
import type { Logger } from '@simhound/protocol';
import { loadConfigFileWith } from '../load-config.js';
import { CliError, untilSignal } from '../output.js';

export const COLLECTOR_PATH_FIELDS = ['storage.sqlite_path', 'cells_csv'];

export async function collectorCommand(opts: { config: string }, log: Logger): Promise<void> {
  const cfg = loadConfigFileWith(validateCollectorConfig, opts.config, COLLECTOR_PATH_FIELDS);
  if (!cfg.ok) throw new CliError(`invalid collector config (${cfg.reason}):\n${cfg.detail}`, 2);
  const collector = await startCollector(cfg.value, { log: log.child('collector') });
  log.info(`collector running; web UI at ${collector.httpUrl}/ ; Ctrl-C to stop`, { mqtt: collector.mqttUrl });
  await untilSignal();
  await collector.close();
}
