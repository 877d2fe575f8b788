/**
 * `simhound replay <capture|->`: decode a pcap/pcapng of GSMTAP offline (`-` reads stdin). With
 * --events, one JSON line per decoded event (field vocabulary names) and a final summary line; with
 * --detect, the detection engine runs over the capture's own clock and each den candidate is printed as a
 * JSON line (`--indicators` also prints every detector indicator; `--detectors` picks detectors and
 * versions, e.g. the reference `ccch-burst@1`; `--config` takes thresholds from an edge config's
 * `detectors` section). Output waits for a slow reader (the capture is read only as fast as stdout
 * drains), so memory stays flat however large the capture. A capture cut short mid-record is decoded up
 * to the damage, then reported on stderr with exit code 4 (tshark says "cut short" and exits 2).
 */
import { randomBytes } from 'node:crypto';
import {
  AnalysisPipeline, DetectorsConfigSchema, createSubRefHasher, detectionSetup, loadPseudonymKey, replayCapture, selectDetectors,
  type DetectorsConfig,
} from '@simhound/edge-agent';
import type { Logger } from '@simhound/protocol';
import { Value } from '@sinclair/typebox/value';
import { loadConfigFileWith, validateConfig } from '../load-config.js';
import { CliError, EXIT, flushStdout, printLine, stdoutRoom } from '../output.js';
import { isIqPath } from '@simhound/edge-agent';
import { replayIqCommand, type ReplayIqOptions } from './replay-iq.js';

export interface ReplayOptions extends ReplayIqOptions {
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

const OPEN_ERRORS: Record<string, string> = {
  bad_magic: 'not a pcap or pcapng file',
  truncated_header: 'too short to be a capture (cut short inside the file header)',
  unsupported_version: 'unsupported pcap version',
};

/** One line saying how a capture is damaged, where, and what that means for the output. */
export function describeCaptureDamage(name: string, errors: Record<string, number>, packets: number): string {
  const kinds = Object.keys(errors).filter((k) => (errors[k] ?? 0) > 0);
  const what = kinds.includes('truncated_record')
    ? 'appears to have been cut short in the middle of a packet'
    : `is damaged (${kinds.join(', ')})`;
  return `${name} ${what} after ${packets} packets; everything before that was processed`;
}

export async function replayCommand(capture: string, opts: ReplayOptions, log: Logger): Promise<void> {
  // IQ recordings (by extension, or when an IQ format is named) go to the SDR path.
  if (isIqPath(capture) || opts.format !== undefined) return replayIqCommand(capture, opts, log);
  let key: Buffer;
  if (opts.keyFile) key = loadPseudonymKey(opts.keyFile);
  else {
    key = randomBytes(32);
    log.info('no --key-file: sub_refs use a random per-run key (not linkable to any deployment)');
  }
  const subRef = createSubRefHasher(key);
  const name = capture === '-' ? 'stdin' : capture;
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
  // A reader that went away (`| head`) is not an error of ours: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    throw err;
  });
  const result = await replayCapture(capture === '-' ? process.stdin : capture, {
    subRef,
    source: name,
    capture: { pace: stdoutRoom },
    onEvent: (event, packetNumber) => {
      if (opts.events) printLine({ packet: packetNumber, ...event });
      pipeline?.add(event);
    },
  });
  if (!result.ok) {
    const detail = result.detail?.replace(/, open '.*'$/, '');
    const what = result.reason === 'io_error' ? detail ?? 'I/O error' : `${OPEN_ERRORS[result.reason] ?? result.reason}${detail ? ` (${detail})` : ''}`;
    throw new CliError(`cannot read ${name}: ${what}`, EXIT.failure);
  }
  pipeline?.flush();
  printLine({ summary: { ...result.value, ...(pipeline ? { detections: pipeline.detections } : {}) } });
  await flushStdout();
  const damaged = Object.values(result.value.capture_errors).some((n) => n > 0);
  if (damaged) throw new CliError(describeCaptureDamage(name, result.value.capture_errors, result.value.packets), EXIT.damaged_input);
}
