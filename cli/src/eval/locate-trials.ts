/**
 * Location trials: dens placed at random (seeded) in a scenario's area, each with what the network and
 * the probes would see of it — the cell of every operator it camps on and the TA that BTS measures
 * (from the simulator's world, locate-scenario.ts), the den's access times (CHANNEL REQUESTs at its
 * rate), and its uplink channel (path-loss exponent and building loss drawn per den; the same building
 * loss decides which cells it camps on). One scenario den gives one sample of the error; these give a
 * distribution.
 */
import type { LatLon } from '@simhound/geo';
import { createRandom, type DenAccess, type Random, type UplinkChannelModel } from '@simhound/simulator';
import type { CellId } from '@simhound/protocol';
import { trialDenPosition, type LocateGeometry } from './locate-scenario.js';

export interface LocateCell extends CellId {
  arfcn: number;
  lat_deg: number;
  lon_deg: number;
}

export interface ServingRing {
  cell: LocateCell;
  distance_m: number;
  ta_steps: number;
  range_min_m: number;
  range_max_m: number;
}

export interface LocateTrial {
  id: string;
  seed: number;
  den: LatLon;
  /** One per operator (nearest cell of that operator), nearest first. */
  serving: ServingRing[];
  accesses: DenAccess[];
  channel: Partial<UplinkChannelModel>;
  rnd: Random;
}

export interface TrialOptions {
  trials: number;
  /** How long the den is followed, seconds (fixed probes listen over the first 30 min). */
  duration_s: number;
}

export const TRIAL_DEFAULTS: TrialOptions = { trials: 100, duration_s: 5400 };

export function makeTrials(geo: LocateGeometry, options: Partial<TrialOptions> = {}): LocateTrial[] {
  const o = { ...TRIAL_DEFAULTS, ...options };
  const out: LocateTrial[] = [];
  for (let t = 0; t < o.trials; t++) {
    const seed = (geo.seed * 1000 + t) >>> 0;
    const rnd = createRandom(seed);
    const den = trialDenPosition(geo, seed);
    const channel = { exponent: rnd.uniform(2.8, 3.6), building_loss_db: rnd.uniform(5, 30) };
    const serving = geo.serving(den, channel.building_loss_db);
    if (serving.length === 0) continue;
    const accesses: DenAccess[] = [];
    const r = rnd.fork('accesses');
    for (let ts = r.exponential(1000 / geo.den_accesses_per_s); ts < o.duration_s * 1000; ts += r.exponential(1000 / geo.den_accesses_per_s)) {
      const s = serving[accesses.length % serving.length]!;
      accesses.push({ ts_ms: Math.round(ts), fn: Math.floor(ts / (120 / 26)) % 2715648, ra: 0xe0 | r.int(0, 32), arfcn: s.cell.arfcn, cell: { mcc: s.cell.mcc, mnc: s.cell.mnc, lac: s.cell.lac, ci: s.cell.ci }, ta_steps: s.ta_steps });
    }
    out.push({
      id: `${geo.name}#${t}`,
      seed,
      den,
      serving,
      accesses,
      channel,
      rnd,
    });
  }
  return out;
}
