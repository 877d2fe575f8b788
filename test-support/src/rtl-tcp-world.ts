/**
 * A simulated radio world for the rtl_tcp emulator: whatever frequency and rate the client tunes, the
 * samples hold the scene's transmitters that fall in view (generated on demand by the simulator) over
 * a precomputed noise record, so the emulator keeps up with real time. Test-only.
 */
import { IqSceneGenerator, quantizeIq, type IqScene } from '@simhound/simulator';
import type { EmulatorTuning } from './rtl-tcp-server.js';

export type SceneWithoutTuning = Omit<IqScene, 'center_freq_hz' | 'sample_rate_hz'>;

export function simulatedWorld(base: SceneWithoutTuning, noiseRecordS = 1): (start: number, count: number, t: EmulatorTuning) => Uint8Array {
  const generators = new Map<string, IqSceneGenerator>();
  const noises = new Map<number, Float32Array>();
  return (start, count, t) => {
    const key = `${t.center_freq_hz}/${t.sample_rate_hz}`;
    let g = generators.get(key);
    if (!g) {
      g = new IqSceneGenerator({ ...base, noise_dbfs: null, sample_rate_hz: t.sample_rate_hz, center_freq_hz: t.center_freq_hz }, { recordTruth: false });
      generators.set(key, g);
    }
    const length = Math.round(noiseRecordS * t.sample_rate_hz);
    let noise = noises.get(t.sample_rate_hz);
    if (!noise) {
      noise = new IqSceneGenerator({ ...base, sample_rate_hz: t.sample_rate_hz, center_freq_hz: 1e9, transmitters: [] }, { recordTruth: false }).next(length);
      noises.set(t.sample_rate_hz, noise);
    }
    g.position = start;
    const x = g.next(count);
    for (let k = 0; k < 2 * count; k++) x[k] = x[k]! + noise[(2 * (start % length) + k) % (2 * length)]!;
    return quantizeIq(x, count, 'cu8').bytes;
  };
}
