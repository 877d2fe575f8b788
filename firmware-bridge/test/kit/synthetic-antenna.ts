/**
 * A synthetic directional antenna for the kit tests: a ((1 + cos)/2)^4 main lobe (94° half-power
 * beamwidth) floored at a −20 dB back lobe, with Gaussian fading in dB from a seeded source. Test-only.
 */
import { angleDiff, type SweepSample } from '../../src/kit/bearing.js';

/** Antenna gain (dB) at `off` degrees from boresight: ((1 + cos)/2)^4 main lobe, floored at a −20 dB back lobe. */
export function yagiGainDb(offDeg: number): number {
  const g = ((1 + Math.cos((offDeg * Math.PI) / 180)) / 2) ** 4;
  return Math.max(-20, 10 * Math.log10(Math.max(g, 1e-6)));
}

/** Box–Muller Gaussian from the seeded uniform source. */
export function gaussian(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

export function syntheticSweep(trueBearing: number, stepDeg: number, fadingDb: number, rnd: () => number, level = -60): SweepSample[] {
  const out: SweepSample[] = [];
  for (let az = 0; az < 360; az += stepDeg) out.push({ azimuth_deg: az, rssi_dbm: level + yagiGainDb(angleDiff(az, trueBearing)) + fadingDb * gaussian(rnd) });
  return out;
}

