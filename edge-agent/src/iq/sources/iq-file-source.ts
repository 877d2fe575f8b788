/**
 * Replays an IQ recording through the SDR pipeline: resolves its metadata (flags / SigMF), streams
 * the file in chunks with backpressure (one chunk in memory at a time; `for await` pauses the read
 * while the pipeline works), and returns a summary of every count. Used by `simhound replay
 * <file.cu8|.cfile|…>`, the edge agent's `iq` file sources, tests and the benchmark.
 *
 * It must not print: callers decide what to show.
 */
import { createReadStream } from 'node:fs';
import { fail, ok, type Result } from '@simhound/protocol';
import { bandsAt, type GsmBand } from '../gsm-bands.js';
import type { IqEvent } from '../events.js';
import { IqPipeline, type IqPipelineError, type IqPipelineOptions, type IqPipelineStats } from '../iq-pipeline.js';
import { prepareFftBackend } from '../dsp/fft-engine.js';
import { resolveIqFile, type IqFileError, type IqFileHints, type IqFileMetadata } from './iq-file-metadata.js';

export interface IqReplayOptions extends IqFileHints {
  /** Default: the band whose channels the centre frequency falls among. */
  band?: GsmBand;
  onEvent?: (event: IqEvent) => void;
  /** Pipeline settings (calibration, FFT size, report interval …). */
  pipeline?: Partial<Omit<IqPipelineOptions, 'format' | 'sample_rate_hz' | 'center_freq_hz' | 'band' | 'start_ts_ms'>>;
  /** Read size; default 256 KiB. */
  chunk_bytes?: number;
  /** Emit a band_scan of the recording at its end (default true). */
  band_scan?: boolean;
}

export interface IqReplaySummary extends IqPipelineStats {
  path: string;
  format: string;
  sample_rate_hz: number;
  center_freq_hz: number;
  band: GsmBand;
  duration_s: number;
  arfcns_in_view: number[];
  /** Bytes after the last whole sample: the file was cut mid-sample. */
  trailing_bytes: number;
  /** Typed problems found while reading, by reason. */
  problems: Record<string, number>;
}

export type IqReplayError = IqFileError | IqPipelineError | 'no_band' | 'read_failed' | 'fft_backend_unavailable';

export async function replayIqFile(path: string, options: IqReplayOptions = {}): Promise<Result<IqReplaySummary, IqReplayError>> {
  const meta = resolveIqFile(path, options);
  if (!meta.ok) return meta;
  return replayResolved(meta.value, options);
}

export async function replayResolved(meta: IqFileMetadata, options: IqReplayOptions = {}): Promise<Result<IqReplaySummary, IqReplayError>> {
  const band = options.band ?? bandsAt(meta.center_freq_hz, meta.sample_rate_hz / 2)[0];
  if (options.pipeline?.fft_backend !== undefined) {
    try {
      await prepareFftBackend(options.pipeline.fft_backend);
    } catch (e) {
      return fail('fft_backend_unavailable', (e as Error).message);
    }
  }
  if (band === undefined) return fail('no_band', `${meta.center_freq_hz} Hz ± ${meta.sample_rate_hz / 2} Hz holds no GSM channel of any supported band`);
  const created = IqPipeline.create(
    { ...options.pipeline, format: meta.format, sample_rate_hz: meta.sample_rate_hz, center_freq_hz: meta.center_freq_hz, band, start_ts_ms: meta.start_ts_ms ?? 0 },
    (e) => options.onEvent?.(e),
  );
  if (!created.ok) return created;
  const pipeline = created.value;
  try {
    const stream = createReadStream(meta.path, { highWaterMark: options.chunk_bytes ?? 256 * 1024 });
    for await (const chunk of stream) pipeline.push(chunk as Buffer);
  } catch (e) {
    pipeline.dispose();
    return fail('read_failed', (e as Error).message);
  }
  pipeline.flush();
  pipeline.dispose();
  const links = [...new Set(pipeline.channels.map((c) => c.link))];
  const scans = options.band_scan !== false ? links.map((link) => pipeline.emitBandScan(band, link)) : [];
  const problems: Record<string, number> = {};
  if (meta.trailing_bytes > 0) problems.truncated_sample = 1;
  // A BCCH carrier transmits FCCH bursts every 46–51 ms. A continuous downlink carrier seen for longer
  // than that without one means the sample rate or centre frequency metadata is off.
  const stats = pipeline.stats();
  const continuous = scans.some((s) => s.link === 'downlink' && s.channels.some((c) => c.activity === 'continuous'));
  if (continuous && stats.fcch_found === 0 && meta.samples / meta.sample_rate_hz >= 0.06) problems.no_tdma_sync = 1;
  return ok({
    ...stats,
    path: meta.path,
    format: meta.format,
    sample_rate_hz: meta.sample_rate_hz,
    center_freq_hz: meta.center_freq_hz,
    band,
    duration_s: meta.samples / meta.sample_rate_hz,
    arfcns_in_view: pipeline.channels.map((c) => c.arfcn),
    trailing_bytes: meta.trailing_bytes,
    problems,
  });
}
