/**
 * The location evaluation's window on a scenario: trial dens placed where the scenario's people are, and
 * what the simulator's world says about each — which cell of every operator it camps on (best downlink
 * level: transmit power, sector antennas, path loss, the spot's shadowing, the building's loss; the
 * world's Geography) and the TA that cell's BTS measures (distance plus the spot's multipath excess,
 * radio.ts). The only locate* module that knows the simulator's scenario and world.
 */
import { destination, type LatLon } from '@simhound/geo';
import { Geography, World, createRandom, measuredTimingAdvance, type Scenario } from '@simhound/simulator';
import { TA_STEP_M } from '@simhound/protocol';
import type { LocateCell, ServingRing } from './locate-trials.js';

/** CHANNEL REQUESTs per second of a den without a scenario den to copy (a GoIP-32 at ~13 calls/min plus SMS). */
export const DEFAULT_DEN_ACCESSES_PER_S = 0.3;

export interface LocateGeometry {
  name: string;
  seed: number;
  cells: LocateCell[];
  centre: LatLon;
  radius_m: number;
  den_accesses_per_s: number;
  /** The serving cells and TAs the world gives a den at `at` inside a building with `building_loss_db`. */
  serving(at: LatLon, building_loss_db: number): ServingRing[];
}

function portsOf(type: string, ports: number | undefined): number {
  if (ports !== undefined) return ports;
  const m = /(\d+)$/.exec(type);
  return m ? Number(m[1]) : 8;
}

export function locateGeometry(scenario: Scenario): LocateGeometry {
  const world = new World(scenario, {});
  const cells: LocateCell[] = world.cells.map((c) => ({ mcc: c.cfg.mcc, mnc: c.cfg.mnc, lac: c.cfg.lac, ci: c.cfg.ci, arfcn: c.cfg.arfcn, lat_deg: c.cfg.lat_deg, lon_deg: c.cfg.lon_deg }));
  const operators = new Set(world.cells.map((c) => c.opIndex));
  const centroid = { lat_deg: cells.reduce((a, c) => a + c.lat_deg, 0) / cells.length, lon_deg: cells.reduce((a, c) => a + c.lon_deg, 0) / cells.length };
  const den = scenario.dens[0];
  const rate = den ? (portsOf(den.type, den.ports) * (den.calls_per_port_per_h + den.sms_per_port_per_h)) / 3600 : DEFAULT_DEN_ACCESSES_PER_S;
  return {
    name: scenario.name,
    seed: scenario.seed,
    cells,
    centre: scenario.population.center ?? centroid,
    radius_m: scenario.population.radius_m,
    den_accesses_per_s: Math.min(2, Math.max(0.05, rate)),
    serving(at, building_loss_db) {
      const x = world.ctx.proj.x(at);
      const y = world.ctx.proj.y(at);
      const place = Geography.placeKey(x, y);
      const out: ServingRing[] = [];
      for (const op of operators) {
        const s = world.geo.select(x, y, op, place, building_loss_db);
        if (s === null) continue;
        const ta = measuredTimingAdvance(s.distance_m, world.geo.excessDelayM(place, s.cell), 0);
        out.push({ cell: cells[s.cell]!, distance_m: s.distance_m, ta_steps: ta, range_min_m: ta * TA_STEP_M, range_max_m: (ta + 1) * TA_STEP_M });
      }
      return out.sort((a, b) => a.distance_m - b.distance_m);
    },
  };
}

/** A den position uniform in the scenario's disc (seeded). */
export function trialDenPosition(geo: LocateGeometry, seed: number): LatLon {
  const r = createRandom(seed).fork('den-position');
  return destination(geo.centre, r.uniform(0, 360), geo.radius_m * Math.sqrt(r.next()));
}
