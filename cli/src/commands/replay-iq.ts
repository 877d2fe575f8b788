/**
 * `simhound replay <recording.cu8|.cs8|.cs16|.cf32|.cfile|.sigmf-data>`: run the SDR path over an IQ
 * recording and print its events as JSON lines — channel power, slot occupancy, TDMA sync (FCCH/SCH:
 * BSIC, frame number, tuning error) and a band scan; every uplink burst too with --events — then one
 * summary line. Sample rate and centre frequency come from a SigMF sidecar or the flags.
 */
import { FFT_BACKENDS, GSM_BANDS, IQ_FORMATS, replayIqFile, type FftBackend, type GsmBand, type IqFormat } from '@simhound/edge-agent';
import type { Logger } from '@simhound/protocol';
import { CliError, printLine } from '../output.js';

export interface ReplayIqOptions {
  events?: boolean;
  format?: string;
  sampleRate?: number;
  centerFreq?: number;
  band?: string;
  calibrationDb?: number;
  reportIntervalS?: number;
  fftSize?: number;
  fftBackend?: string;
}

export async function replayIqCommand(recording: string, opts: ReplayIqOptions, log: Logger): Promise<void> {
  if (opts.format !== undefined && !(IQ_FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format must be one of ${IQ_FORMATS.join(', ')}`, 2);
  if (opts.band !== undefined && !(GSM_BANDS as readonly string[]).includes(opts.band)) throw new CliError(`--band must be one of ${GSM_BANDS.join(', ')}`, 2);
  if (opts.fftBackend !== undefined && !(FFT_BACKENDS as readonly string[]).includes(opts.fftBackend)) throw new CliError(`--fft-backend must be one of ${FFT_BACKENDS.join(', ')}`, 2);
  const result = await replayIqFile(recording, {
    format: opts.format as IqFormat | undefined,
    sample_rate_hz: opts.sampleRate,
    center_freq_hz: opts.centerFreq,
    band: opts.band as GsmBand | undefined,
    pipeline: { calibration_db: opts.calibrationDb, report_interval_s: opts.reportIntervalS ?? 1, fft_size: opts.fftSize, fft_backend: opts.fftBackend as FftBackend | undefined },
    onEvent: (e) => {
      if (e.type !== 'uplink_burst' || opts.events) printLine(e);
    },
  });
  if (!result.ok) throw new CliError(`cannot replay ${recording}: ${result.reason}${result.detail ? ` (${result.detail})` : ''}`, 2);
  for (const [reason, n] of Object.entries(result.value.problems)) log.warn(`${reason} ×${n}`, { trailing_bytes: result.value.trailing_bytes });
  printLine({ summary: result.value });
}
