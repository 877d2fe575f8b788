/**
 * Locating each trial den with the collector's location engine, in the steps a deployment takes:
 *
 *   ta-one-cell      the TA ring of one serving cell (what OsmoSMLC-style TA positioning gives)
 *   ta-multi         TA rings of the den's serving cells of every operator
 *   +3-fixed-probes  three probes set up 300 m around that estimate (120° apart), listening 30 min to
 *                    the den's uplink bursts (tied to it by RA + frame number)
 *   +bearing         one line of bearing from the first probe's rotator (true bearing + 5° noise)
 *   +fox-hunt        a unit on foot from the first probe, guided by the engine (≤ 45 min)
 *
 * Each step scores the maximum-likelihood point's error and whether the true den lies in the 95 %
 * ellipse. The measurements come from the simulator's uplink channel (simulator/src/uplink/), never from
 * the truth directly. Pure computation; no files.
 */
import { bearingDeg, destination, distanceM, insideEllipse, type LatLon } from '@simhound/geo';
import { foxHuntStep, Locator, type LocationEstimate } from '@simhound/collector';
import { DenUplinkGenerator, fixedProbe, walkFoxHunt } from '@simhound/simulator';
import type { LocateTrial } from './locate-trials.js';

export const LOCATE_SETUPS = ['ta-one-cell', 'ta-multi', '+3-fixed-probes', '+bearing', '+fox-hunt'] as const;
export type LocateSetup = (typeof LOCATE_SETUPS)[number];

export interface SetupOutcome {
  setup: LocateSetup;
  error_m: number;
  inside_ellipse: boolean;
  semi_major_m: number;
  /** Posterior mass denser than the true den's cell (calibration check: uniform on [0, 1] when calibrated). */
  hpd_level?: number;
  compute_ms: number;
}

export interface TrialOutcome {
  trial: string;
  den: LatLon;
  steps: SetupOutcome[];
  fox: { minutes: number; stopped: 'done' | 'time_up'; unit_to_den_m: number; bursts: number; max_update_ms: number } | null;
}

export interface LocateRunOptions {
  fixed_listen_s: number;
  fixed_radius_m: number;
  bearing_sigma_deg: number;
  fox_max_s: number;
  fox_replan_s: number;
  setups: readonly LocateSetup[];
}

export const LOCATE_RUN_DEFAULTS: LocateRunOptions = {
  fixed_listen_s: 1800,
  fixed_radius_m: 300,
  bearing_sigma_deg: 5,
  fox_max_s: 2700,
  fox_replan_s: 20,
  setups: LOCATE_SETUPS,
};

function outcome(setup: LocateSetup, e: LocationEstimate, den: LatLon, loc: Locator): SetupOutcome {
  return { setup, error_m: distanceM(e.ml_point, den), inside_ellipse: insideEllipse(e.ellipse_95, den), semi_major_m: e.ellipse_95.semi_major_m, hpd_level: loc.hpdLevelAt(den), compute_ms: e.compute_ms };
}

export function locateTrial(trial: LocateTrial, options: Partial<LocateRunOptions> = {}): TrialOutcome {
  const o = { ...LOCATE_RUN_DEFAULTS, ...options };
  const want = new Set(o.setups);
  const steps: SetupOutcome[] = [];
  const rings = trial.serving.map((s) => ({ cell: s.cell, range_min_m: s.range_min_m, range_max_m: s.range_max_m }));
  if (want.has('ta-one-cell') && rings.length > 0) {
    const one = new Locator(centreOf(rings.map((r) => r.cell)));
    one.setRings(rings.slice(0, 1));
    steps.push(outcome('ta-one-cell', one.estimate(), trial.den, one));
  }
  const loc = new Locator(centreOf(rings.map((r) => r.cell)));
  loc.setRings(rings);
  const taMulti = loc.estimate();
  if (want.has('ta-multi')) steps.push(outcome('ta-multi', taMulti, trial.den, loc));
  if (!want.has('+3-fixed-probes')) return { trial: trial.id, den: trial.den, steps, fox: null };

  const gen = new DenUplinkGenerator(trial.den, trial.rnd.fork('uplink'), { channel: trial.channel });
  const turn = trial.rnd.fork('probes').uniform(0, 120);
  const probes = [0, 120, 240].map((b, i) => fixedProbe(`eval/fixed-${i + 1}`, destination(taMulti.ml_point, b + turn, o.fixed_radius_m)));
  const listen = trial.accesses.filter((a) => a.ts_ms < o.fixed_listen_s * 1000);
  const heard = gen.generate(probes, listen);
  loc.setBursts(probes.flatMap((p) => heard.get(p.id)!.map((b) => ({ position: p.positionAt(b.ts_ms), rssi_dbm: b.rssi_dbm, probe: p.id, moving: false }))));
  steps.push(outcome('+3-fixed-probes', loc.estimate(), trial.den, loc));
  if (!want.has('+bearing')) return { trial: trial.id, den: trial.den, steps, fox: null };

  const rotator = probes[0]!.positionAt(0);
  const noise = trial.rnd.fork('bearing').normal(0, o.bearing_sigma_deg);
  loc.setBearings([{ position: rotator, bearing_deg: (bearingDeg(rotator, trial.den) + noise + 360) % 360, bearing_std_deg: o.bearing_sigma_deg }]);
  steps.push(outcome('+bearing', loc.estimate(), trial.den, loc));
  if (!want.has('+fox-hunt')) return { trial: trial.id, den: trial.den, steps, fox: null };

  const start_ts = o.fixed_listen_s * 1000;
  let used = 0;
  let last: LocationEstimate | null = null;
  let maxMs = 0;
  const walk = walkFoxHunt(gen, trial.accesses.filter((a) => a.ts_ms >= start_ts), {
    id: 'eval/walker', start: rotator, start_ts_ms: start_ts, speed_mps: 1.3, replan_s: o.fox_replan_s, max_duration_s: o.fox_max_s,
  }, (obs, at) => {
    loc.addBursts(obs.slice(used).map((b) => ({ position: b.position!, rssi_dbm: b.rssi_dbm, probe: 'eval/walker', moving: true })));
    used = obs.length;
    last = loc.estimate();
    maxMs = Math.max(maxMs, last.compute_ms);
    const step = foxHuntStep(loc, last, at);
    return step.phase === 'done' ? { done: true } : { done: false, target: step.target };
  });
  const final = last ?? loc.estimate();
  steps.push(outcome('+fox-hunt', final, trial.den, loc));
  return {
    trial: trial.id,
    den: trial.den,
    steps,
    fox: { minutes: (walk.end_ts_ms - start_ts) / 60_000, stopped: walk.stopped, unit_to_den_m: distanceM(walk.end, trial.den), bursts: walk.observations.length, max_update_ms: maxMs },
  };
}

function centreOf(points: readonly LatLon[]): LatLon {
  if (points.length === 0) return { lat_deg: 0, lon_deg: 0 };
  return { lat_deg: points.reduce((a, p) => a + p.lat_deg, 0) / points.length, lon_deg: points.reduce((a, p) => a + p.lon_deg, 0) / points.length };
}
