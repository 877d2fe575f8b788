/**
 * `simhound replay <capture>`: decode a pcap/pcapng of GSMTAP offline. With --events, one JSON line per
 * decoded event (field vocabulary names) and a final summary line; with --detect, the detection engine
 * runs over the capture's own clock and each den candidate is printed as a JSON line (`--indicators`
 * also prints every detector indicator; `--detectors` picks detectors and versions, e.g. the reference
 * `ccch-burst@1`; `--config` takes thresholds from an edge config's `detectors` section).
 */
import { randomBytes } from 'node:crypto';
import {
  AnalysisPipeline, DetectorsConfigSchema, createSubRefHasher, detectionSetup, loadPseudonymKey, replayCapture, selectDetectors,
  type DetectorsConfig,
} from '@simhound/edge-agent';
import type { Logger } from '@simhound/protocol';
import { Value } from '@sinclair/typebox/value';
import { loadConfigFileWith, validateConfig } from '../load-config.js';
import { CliError, printLine } from '../output.js';

export interface ReplayOptions {
  events?: boolean;
  detect?: boolean;
  indicators?: boolean;
  detectors?: string;
  config?: string;
  keyFile?: string;
  windowS?: number;
}

/** The `detectors` section from an edge config file (or defaults), with `--detectors` applied. */
export function replayDetectorsConfig(opts: { config?: string; detectors?: string }): DetectorsConfig {
  let section: DetectorsConfig = Value.Default(DetectorsConfigSchema, {}) as DetectorsConfig;
  if (opts.config) {
    const loaded = loadConfigFileWith((raw) => validateConfig(DetectorsConfigSchema, (raw as { detectors?: unknown } | null)?.detectors ?? {}), opts.config);
    if (!loaded.ok) throw new CliError(`${opts.config}: ${loaded.detail ?? loaded.reason}`, 2);
    section = loaded.value as DetectorsConfig;
  }
  if (opts.detectors) {
    const ids = opts.detectors.split(',');
    const selected = selectDetectors(ids);
    if (!selected.ok) throw new CliError(`--detectors: unknown detector ${selected.detail}`, 2);
    section = { ...section, run: ids };
  }
  return section;
}

export async function replayCommand(capture: string, opts: ReplayOptions, log: Logger): Promise<void> {
  let key: Buffer;
  if (opts.keyFile) key = loadPseudonymKey(opts.keyFile);
  else {
    key = randomBytes(32);
    log.info('no --key-file: sub_refs use a random per-run key (not linkable to any deployment)');
  }
  const subRef = createSubRefHasher(key);
  let pipeline: AnalysisPipeline | null = null;
  if (opts.detect) {
    const setup = detectionSetup(replayDetectorsConfig(opts));
    pipeline = new AnalysisPipeline({
      window_s: opts.windowS ?? 60,
      engine: setup.engine,
      windowDetectors: setup.windowDetectors,
      position: () => null,
      sinks: {
        onDetection: (d) => printLine({ detection: d }),
        onWindow: () => {},
        ...(opts.indicators ? { onIndicator: (place, indicator) => printLine({ indicator: { ...place, ...indicator } }) } : {}),
      },
    });
  }
  const result = await replayCapture(capture, {
    subRef,
    onEvent: (event, packetNumber) => {
      if (opts.events) printLine({ packet: packetNumber, ...event });
      pipeline?.add(event);
    },
  });
  if (!result.ok) throw new CliError(`cannot read ${capture}: ${result.reason}${result.detail ? ` (${result.detail})` : ''}`);
  pipeline?.flush();
  printLine({ summary: { ...result.value, ...(pipeline ? { detections: pipeline.detections } : {}) } });
}
