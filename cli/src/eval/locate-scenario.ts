/**
 * The location evaluation's window on a scenario file: its cells (identity, ARFCN, position), the area
 * where people (and so dens) are, and a den's access rate. The only locate* module that knows the
 * scenario's shape.
 */
import type { Scenario } from '@simhound/simulator';
import type { LocateGeometry } from './locate-trials.js';

/** CHANNEL REQUESTs per second of a den without a scenario den to copy (a GoIP-32 at ~13 calls/min plus SMS). */
export const DEFAULT_DEN_ACCESSES_PER_S = 0.3;

export function locateGeometry(scenario: Scenario): LocateGeometry {
  const den = scenario.dens[0];
  const rate = den ? (den.ports * (den.calls_per_port_per_h + den.sms_per_port_per_h)) / 3600 : DEFAULT_DEN_ACCESSES_PER_S;
  return {
    name: scenario.name,
    seed: scenario.seed,
    cells: scenario.cells.map((c) => ({ mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci, arfcn: c.arfcn, lat_deg: c.lat_deg, lon_deg: c.lon_deg })),
    centre: scenario.population.center,
    radius_m: scenario.population.radius_m,
    den_accesses_per_s: Math.min(rate, 2),
  };
}
