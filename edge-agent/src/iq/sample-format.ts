/**
 * IQ sample formats the SDR path reads: interleaved I,Q pairs as written by rtl_sdr (cu8), HackRF
 * (cs8), Airspy/SDRplay/bladeRF tools (cs16) and GNU Radio (cf32, `.cfile`). Maps file extensions and
 * SigMF datatypes to a format and says how raw values scale to full scale (|x| = 1 → 0 dBFS).
 *
 * It must not read files: sources do; this module only names and scales formats.
 */

export const IQ_FORMATS = ['cu8', 'cs8', 'cs16', 'cf32'] as const;
export type IqFormat = (typeof IQ_FORMATS)[number];

/** Bytes per complex sample (I and Q). */
export const BYTES_PER_SAMPLE: Readonly<Record<IqFormat, number>> = { cu8: 2, cs8: 2, cs16: 4, cf32: 8 };

const EXTENSIONS: ReadonlyArray<[string, IqFormat]> = [
  ['.cu8', 'cu8'],
  ['.cs8', 'cs8'],
  ['.cs16', 'cs16'],
  ['.cf32', 'cf32'],
  ['.cfile', 'cf32'],
  ['.fc32', 'cf32'],
];

/** Format implied by a file name's extension (case-insensitive), or null. `.sigmf-data` has none. */
export function formatFromPath(path: string): IqFormat | null {
  const lower = path.toLowerCase();
  for (const [ext, format] of EXTENSIONS) if (lower.endsWith(ext)) return format;
  return null;
}

/** True when `path` names an IQ recording this path reads (by extension, or a SigMF data file). */
export function isIqPath(path: string): boolean {
  return formatFromPath(path) !== null || path.toLowerCase().endsWith('.sigmf-data');
}

/** SigMF `core:datatype` → format. Only little-endian, interleaved complex types are read. */
export const SIGMF_DATATYPES: Readonly<Record<string, IqFormat>> = {
  cu8: 'cu8',
  ci8: 'cs8',
  ci16_le: 'cs16',
  cf32_le: 'cf32',
};

/**
 * Lookup table from a raw byte to a full-scale-normalised value for the 8-bit formats. rtl_sdr's
 * unsigned bytes are centred on 127.5; HackRF's are two's-complement.
 */
export function byteLookup(format: 'cu8' | 'cs8'): Float64Array {
  const lut = new Float64Array(256);
  for (let b = 0; b < 256; b++) lut[b] = format === 'cu8' ? (b - 127.5) / 128 : (b < 128 ? b : b - 256) / 128;
  return lut;
}

/** Scale from a raw 16-bit value to full scale. */
export const CS16_SCALE = 1 / 32768;
