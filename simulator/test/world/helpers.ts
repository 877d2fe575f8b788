/**
 * Test helpers: a small valid scenario on the demo's seven real Maseru cells, with overrides, and a
 * runner that collects air events and per-access records of a world.
 */
import { parseScenario } from '../../src/scenario-file.js';
import type { Scenario } from '../../src/scenario.js';
import { WorldStream } from '../../src/run.js';
import type { AirEvent } from '../../src/world/air-events.js';
import type { AccessRecord } from '../../src/truth.js';

export const DEMO_CELLS = [
  { mcc: '651', mnc: '01', lac: 114, ci: 65311, arfcn: 12, lat_deg: -29.311544, lon_deg: 27.473305 },
  { mcc: '651', mnc: '01', lac: 123, ci: 65302, arfcn: 18, lat_deg: -29.31015, lon_deg: 27.491226 },
  { mcc: '651', mnc: '01', lac: 114, ci: 10663, arfcn: 24, lat_deg: -29.298401, lon_deg: 27.453315 },
  { mcc: '651', mnc: '01', lac: 123, ci: 6003, arfcn: 30, lat_deg: -29.322103, lon_deg: 27.512546 },
  { mcc: '651', mnc: '02', lac: 11102, ci: 5254, arfcn: 60, lat_deg: -29.307686, lon_deg: 27.466801 },
  { mcc: '651', mnc: '02', lac: 11101, ci: 3226, arfcn: 66, lat_deg: -29.296417, lon_deg: 27.505188 },
  { mcc: '651', mnc: '02', lac: 11102, ci: 1218, arfcn: 72, lat_deg: -29.33955, lon_deg: 27.464989 },
];

export const PROBE = { site: 'maseru', probe: 'roof-1', lat_deg: -29.315, lon_deg: 27.479, hear_range_m: 8000 };

/** A valid scenario (defaults applied) on the demo cells; `extra` replaces top-level fields. */
export function scenario(extra: Record<string, unknown> = {}): Scenario {
  const r = parseScenario({
    name: 'test',
    seed: 42,
    utc_offset_h: 2,
    start: '2026-03-04T10:00:00',
    duration_s: 3600,
    cells: DEMO_CELLS,
    population: { subscribers: 1000, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 },
    probes: [PROBE],
    ...extra,
  });
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

export interface Collected {
  stream: WorldStream;
  events: AirEvent[];
  accesses: AccessRecord[];
}

/** Runs the world (no frame encoding) for `duration_ms` from its start, keeping events if asked. */
export function collect(sc: Scenario, duration_ms: number, keepEvents = true): Collected {
  const accesses: AccessRecord[] = [];
  const stream = new WorldStream(sc, { onAccess: (r) => accesses.push(r), dedicated: true });
  const events: AirEvent[] = [];
  const end = stream.start_ts_ms + duration_ms;
  for (let t = stream.start_ts_ms; t < end; ) {
    t = Math.min(end, t + 600_000);
    stream.world.advance(t, keepEvents ? (e) => events.push(e) : () => {});
  }
  return { stream, events, accesses };
}
