/**
 * What an IQ recording is: sample format, sample rate, centre frequency and start time, from the
 * caller's flags and/or a SigMF sidecar (`<name>.sigmf-meta`, core namespace: `core:datatype`,
 * `core:sample_rate`, `captures[0].core:frequency`, `captures[0].core:datetime`). Disagreements and
 * impossible values are typed errors naming the field, never silently resolved one way.
 *
 * It must not read the samples (the file source does).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fail, ok, type Result } from '@simhound/protocol';
import { BYTES_PER_SAMPLE, SIGMF_DATATYPES, formatFromPath, type IqFormat } from '../sample-format.js';

export interface IqFileMetadata {
  path: string;
  format: IqFormat;
  sample_rate_hz: number;
  center_freq_hz: number;
  /** Unix ms of the first sample, when the sidecar says (else the caller's or 0). */
  start_ts_ms: number | null;
  bytes: number;
  samples: number;
  /** Bytes after the last whole sample (a truncated file). */
  trailing_bytes: number;
  sigmf_meta_path: string | null;
}

export interface IqFileHints {
  format?: IqFormat;
  sample_rate_hz?: number;
  center_freq_hz?: number;
  start_ts_ms?: number;
  /** Path of a SigMF sidecar; default: looked up beside the file. */
  sigmf_meta_path?: string;
}

export type IqFileError =
  | 'not_found'
  | 'empty'
  | 'unknown_format'
  | 'conflicting_metadata'
  | 'missing_sample_rate'
  | 'bad_sample_rate'
  | 'missing_center_freq'
  | 'bad_center_freq'
  | 'bad_sigmf';

/** Rates an SDR can deliver; anything outside is a typo or a unit mistake (kHz for Hz). */
export const MIN_SAMPLE_RATE_HZ = 250_000;
export const MAX_SAMPLE_RATE_HZ = 100_000_000;

/** Where a SigMF sidecar for `path` would be: `<name>.sigmf-meta` or `<path>.sigmf-meta`. */
export function sigmfSidecarCandidates(path: string): string[] {
  const stripped = path.replace(/\.(sigmf-data|cu8|cs8|cs16|cf32|cfile|fc32)$/i, '');
  return [...new Set([`${stripped}.sigmf-meta`, `${path}.sigmf-meta`])];
}

interface SigmfFields {
  format?: IqFormat;
  sample_rate_hz?: number;
  center_freq_hz?: number;
  start_ts_ms?: number;
}

/** Parse a SigMF metadata document (core fields this path needs). */
export function parseSigmfMeta(text: string): Result<SigmfFields, 'bad_sigmf' | 'unknown_format' | 'bad_sample_rate' | 'bad_center_freq'> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail('bad_sigmf', `not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || typeof (doc as { global?: unknown }).global !== 'object' || (doc as { global?: unknown }).global === null) {
    return fail('bad_sigmf', 'no "global" object');
  }
  const global = (doc as { global: Record<string, unknown> }).global;
  const out: SigmfFields = {};
  const datatype = global['core:datatype'];
  if (datatype !== undefined) {
    if (typeof datatype !== 'string' || SIGMF_DATATYPES[datatype] === undefined) {
      return fail('unknown_format', `core:datatype ${JSON.stringify(datatype)} is not one of ${Object.keys(SIGMF_DATATYPES).join(', ')}`);
    }
    out.format = SIGMF_DATATYPES[datatype];
  }
  const rate = global['core:sample_rate'];
  if (rate !== undefined) {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) return fail('bad_sample_rate', `core:sample_rate ${JSON.stringify(rate)} is not a positive number`);
    out.sample_rate_hz = rate;
  }
  const captures = (doc as { captures?: unknown }).captures;
  if (Array.isArray(captures) && captures.length > 0 && typeof captures[0] === 'object' && captures[0] !== null) {
    const first = captures[0] as Record<string, unknown>;
    const freq = first['core:frequency'];
    if (freq !== undefined) {
      if (typeof freq !== 'number' || !Number.isFinite(freq) || freq <= 0) return fail('bad_center_freq', `captures[0].core:frequency ${JSON.stringify(freq)} is not a positive number`);
      out.center_freq_hz = freq;
    }
    const datetime = first['core:datetime'];
    if (typeof datetime === 'string') {
      const t = Date.parse(datetime);
      if (Number.isFinite(t)) out.start_ts_ms = t;
    }
  }
  return ok(out);
}

function agree(what: string, a: number | string | undefined, b: number | string | undefined, from: [string, string]): string | null {
  if (a === undefined || b === undefined) return null;
  const same = typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) : a === b;
  return same ? null : `${what}: ${a} from ${from[0]}, ${b} from ${from[1]}`;
}

/** Resolve a recording's metadata from flags, extension and sidecar, checking they agree. */
export function resolveIqFile(path: string, hints: IqFileHints = {}): Result<IqFileMetadata, IqFileError> {
  if (!existsSync(path)) return fail('not_found', path);
  const bytes = statSync(path).size;
  if (bytes === 0) return fail('empty', `${path} has no samples`);
  let sigmf: SigmfFields = {};
  let sigmfPath: string | null = null;
  const candidates = hints.sigmf_meta_path ? [hints.sigmf_meta_path] : sigmfSidecarCandidates(path);
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const parsed = parseSigmfMeta(readFileSync(c, 'utf8'));
    if (!parsed.ok) return fail(parsed.reason, `${c}: ${parsed.detail}`);
    sigmf = parsed.value;
    sigmfPath = c;
    break;
  }
  if (hints.sigmf_meta_path && sigmfPath === null) return fail('not_found', hints.sigmf_meta_path);
  const fromExtension = formatFromPath(path) ?? undefined;
  const conflicts = [
    agree('format', hints.format, sigmf.format, ['the flags', 'the SigMF sidecar']),
    agree('format', hints.format, fromExtension, ['the flags', 'the file extension']),
    agree('format', sigmf.format, fromExtension, ['the SigMF sidecar', 'the file extension']),
    agree('sample rate (Hz)', hints.sample_rate_hz, sigmf.sample_rate_hz, ['the flags', 'the SigMF sidecar']),
    agree('centre frequency (Hz)', hints.center_freq_hz, sigmf.center_freq_hz, ['the flags', 'the SigMF sidecar']),
  ].filter((c): c is string => c !== null);
  if (conflicts.length > 0) return fail('conflicting_metadata', conflicts.join('; '));
  const format = hints.format ?? sigmf.format ?? fromExtension;
  if (format === undefined) return fail('unknown_format', `cannot tell the sample format of ${path}: use a .cu8/.cs8/.cs16/.cf32/.cfile name, a SigMF sidecar or --format`);
  const rate = hints.sample_rate_hz ?? sigmf.sample_rate_hz;
  if (rate === undefined) return fail('missing_sample_rate', `no sample rate for ${path}: give --sample-rate or a SigMF sidecar with core:sample_rate`);
  if (!Number.isFinite(rate) || rate < MIN_SAMPLE_RATE_HZ || rate > MAX_SAMPLE_RATE_HZ) {
    return fail('bad_sample_rate', `sample rate ${rate} Hz is outside ${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ} Hz (a GSM channel needs ≥ 250 kS/s; was it given in kHz or MHz?)`);
  }
  const centre = hints.center_freq_hz ?? sigmf.center_freq_hz;
  if (centre === undefined) return fail('missing_center_freq', `no centre frequency for ${path}: give --center-freq or a SigMF sidecar with captures[0].core:frequency`);
  if (!Number.isFinite(centre) || centre < 1e6 || centre > 6e9) return fail('bad_center_freq', `centre frequency ${centre} Hz is not a radio frequency (give it in Hz)`);
  const bps = BYTES_PER_SAMPLE[format];
  return ok({
    path,
    format,
    sample_rate_hz: rate,
    center_freq_hz: centre,
    start_ts_ms: hints.start_ts_ms ?? sigmf.start_ts_ms ?? null,
    bytes,
    samples: Math.floor(bytes / bps),
    trailing_bytes: bytes % bps,
    sigmf_meta_path: sigmfPath,
  });
}
