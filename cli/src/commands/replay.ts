/**
 * `simhound replay <capture>`: decode a pcap/pcapng of GSMTAP offline. With --events, one JSON line per
 * decoded event (field vocabulary names) and a final summary line; with --detect, the feature windows
 * and detectors run over the capture's own clock and each detection is printed as a JSON line.
 */
import { randomBytes } from 'node:crypto';
import {
  AnalysisPipeline, CcchBurstDetector, CCCH_BURST_DEFAULTS, createSubRefHasher, loadPseudonymKey, replayCapture,
} from '@simhound/edge-agent';
import type { Logger } from '@simhound/protocol';
import { CliError, printLine } from '../output.js';
import { isIqPath } from '@simhound/edge-agent';
import { replayIqCommand, type ReplayIqOptions } from './replay-iq.js';

export interface ReplayOptions extends ReplayIqOptions {
  events?: boolean;
  detect?: boolean;
  keyFile?: string;
  windowS?: number;
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
  const pipeline = opts.detect
    ? new AnalysisPipeline(opts.windowS ?? 60, [new CcchBurstDetector(CCCH_BURST_DEFAULTS)], () => null, {
        onDetection: (d) => printLine({ detection: d }),
        onWindow: () => {},
      })
    : null;
  const result = await replayCapture(capture, {
    subRef,
    onEvent: (event, packetNumber) => {
      if (opts.events) printLine({ packet: packetNumber, ...event });
      pipeline?.add(event);
    },
  });
  if (!result.ok) throw new CliError(`cannot read ${capture}: ${result.reason}${result.detail ? ` (${result.detail})` : ''}`);
  pipeline?.flush();
  printLine({ summary: result.value });
}
