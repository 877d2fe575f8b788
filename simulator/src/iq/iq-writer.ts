/**
 * Writes simulated IQ the way real SDR tools do: rtl_sdr's unsigned 8-bit (cu8), HackRF's signed 8-bit
 * (cs8), 16-bit (cs16) and GNU Radio's complex float (cf32), with a SigMF metadata sidecar when asked.
 * Values beyond full scale are clipped and counted (an overdriven receiver), never wrapped.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import type { IqSceneGenerator } from './iq-scene.js';

export type SimIqFormat = 'cu8' | 'cs8' | 'cs16' | 'cf32';

export const SIM_BYTES_PER_SAMPLE: Readonly<Record<SimIqFormat, number>> = { cu8: 2, cs8: 2, cs16: 4, cf32: 8 };

/** Quantise interleaved I/Q (full scale ±1) to a format's bytes. */
export function quantizeIq(values: Float32Array | Float64Array, count: number, format: SimIqFormat): { bytes: Buffer; clipped: number } {
  const bytes = Buffer.alloc(count * SIM_BYTES_PER_SAMPLE[format]);
  let clipped = 0;
  const clamp = (v: number, lo: number, hi: number) => {
    if (v < lo) {
      clipped++;
      return lo;
    }
    if (v > hi) {
      clipped++;
      return hi;
    }
    return v;
  };
  for (let k = 0; k < 2 * count; k++) {
    const x = values[k]!;
    switch (format) {
      case 'cu8':
        bytes[k] = clamp(Math.round(x * 128 + 127.5), 0, 255);
        break;
      case 'cs8':
        bytes.writeInt8(clamp(Math.round(x * 128), -128, 127), k);
        break;
      case 'cs16':
        bytes.writeInt16LE(clamp(Math.round(x * 32768), -32768, 32767), 2 * k);
        break;
      case 'cf32':
        bytes.writeFloatLE(x, 4 * k);
        break;
    }
  }
  return { bytes, clipped };
}

const SIGMF_DATATYPE: Readonly<Record<SimIqFormat, string>> = { cu8: 'cu8', cs8: 'ci8', cs16: 'ci16_le', cf32: 'cf32_le' };

/** A SigMF metadata object for a recording of the scene (core fields only). */
export function sigmfMeta(format: SimIqFormat, sampleRateHz: number, centerFreqHz: number, description = 'simhound simulated GSM IQ'): Record<string, unknown> {
  return {
    global: { 'core:datatype': SIGMF_DATATYPE[format], 'core:sample_rate': sampleRateHz, 'core:version': '1.0.0', 'core:description': description },
    captures: [{ 'core:sample_start': 0, 'core:frequency': centerFreqHz }],
    annotations: [],
  };
}

/**
 * Generate `samples` samples of a scene into a file, in blocks (bounded memory). With `sigmf`, also
 * writes `<path without extension>.sigmf-meta`. Returns the clip count.
 */
export function writeSceneIq(generator: IqSceneGenerator, path: string, format: SimIqFormat, samples: number, options: { sigmf_meta_path?: string; block?: number } = {}): { clipped: number; bytes: number } {
  const block = options.block ?? 65_536;
  const buffer = new Float32Array(2 * block);
  const fd = openSync(path, 'w');
  let clipped = 0;
  let bytes = 0;
  try {
    for (let done = 0; done < samples; done += block) {
      const n = Math.min(block, samples - done);
      generator.fill(buffer, n);
      const q = quantizeIq(buffer, n, format);
      writeSync(fd, q.bytes);
      clipped += q.clipped;
      bytes += q.bytes.length;
    }
  } finally {
    closeSync(fd);
  }
  if (options.sigmf_meta_path) {
    writeFileSync(options.sigmf_meta_path, `${JSON.stringify(sigmfMeta(format, generator.scene.sample_rate_hz, generator.scene.center_freq_hz), null, 2)}\n`);
  }
  return { clipped, bytes };
}
