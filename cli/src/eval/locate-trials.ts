/**
 * Location trials: dens placed at random (seeded) in a scenario's area, each with what the network and
 * the probes would see of it — the serving cell of every operator and the TA the BTS measures there
 * (distance plus the excess of the strongest multipath component, floored to 553.5 m steps), the den's
 * access times (CHANNEL REQUESTs at its rate), and its uplink channel (path-loss exponent and building
 * loss drawn per den). One scenario den gives one sample of the error; these give a distribution.
 *
 * The geometry comes from locate-scenario.ts; this module knows no scenario file format.
 */
import { destination, distanceM, type LatLon } from '@simhound/geo';
import { createRandom, type DenAccess, type Random, type UplinkChannelModel } from '@simhound/simulator';
import { TA_STEP_M, type CellId } from '@simhound/protocol';

export interface LocateCell extends CellId {
  arfcn: number;
  lat_deg: number;
  lon_deg: number;
}

export interface LocateGeometry {
  name: string;
  seed: number;
  cells: LocateCell[];
  centre: LatLon;
  radius_m: number;
  /** CHANNEL REQUESTs per second of a den (all its ports). */
  den_accesses_per_s: number;
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
  /** Mean excess path of the strongest multipath component, metres (exponential). */
  excess_mean_m: number;
}

export const TRIAL_DEFAULTS: TrialOptions = { trials: 100, duration_s: 5400, excess_mean_m: 60 };

const operatorOf = (c: CellId) => `${c.mcc}${c.mnc}`;

export function makeTrials(geo: LocateGeometry, options: Partial<TrialOptions> = {}): LocateTrial[] {
  const o = { ...TRIAL_DEFAULTS, ...options };
  const operators = [...new Set(geo.cells.map(operatorOf))];
  const out: LocateTrial[] = [];
  for (let t = 0; t < o.trials; t++) {
    const seed = (geo.seed * 1000 + t) >>> 0;
    const rnd = createRandom(seed);
    const den = destination(geo.centre, rnd.uniform(0, 360), geo.radius_m * Math.sqrt(rnd.next()));
    const serving: ServingRing[] = [];
    for (const op of operators) {
      let best: LocateCell | null = null;
      for (const c of geo.cells) if (operatorOf(c) === op && (best === null || distanceM(den, c) < distanceM(den, best))) best = c;
      if (best === null) continue;
      const d = distanceM(den, best);
      const ta = Math.min(63, Math.floor((d + rnd.exponential(o.excess_mean_m)) / TA_STEP_M));
      serving.push({ cell: best, distance_m: d, ta_steps: ta, range_min_m: ta * TA_STEP_M, range_max_m: (ta + 1) * TA_STEP_M });
    }
    serving.sort((a, b) => a.distance_m - b.distance_m);
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
      channel: { exponent: rnd.uniform(2.8, 3.6), building_loss_db: rnd.uniform(5, 30) },
      rnd,
    });
  }
  return out;
}
