/**
 * A simulated field unit on foot: it walks at walking speed toward whatever spot the guidance names,
 * hearing the den's access bursts as it goes (through a DenUplinkGenerator), and asks for new guidance
 * every `replan_s` seconds or when it reaches the spot. It stops when the guidance says it is done or
 * when its time is up. The guidance is a callback (the collector's location engine in the evaluation),
 * so this module knows nothing about estimation.
 */
import type { UplinkBurstObservation } from '@simhound/protocol';
import { bearingDeg, destination, distanceM, type LatLon } from '@simhound/geo';
import type { DenAccess, DenUplinkGenerator, UplinkProbe } from './uplink-bursts.js';

export interface WalkerOptions {
  id: string;
  start: LatLon;
  start_ts_ms: number;
  speed_mps: number;
  replan_s: number;
  max_duration_s: number;
}

export type GuidanceAnswer = { done: true } | { done: false; target: LatLon };

export interface WalkResult {
  observations: UplinkBurstObservation[];
  track: Array<{ ts_ms: number; position: LatLon }>;
  end: LatLon;
  end_ts_ms: number;
  stopped: 'done' | 'time_up';
  replans: number;
}

/**
 * Walk. `accesses` must be in time order and cover the walk; `guide` is called with every observation
 * heard so far (the unit streams them) and answers where to go next.
 */
export function walkFoxHunt(
  generator: DenUplinkGenerator,
  accesses: readonly DenAccess[],
  options: WalkerOptions,
  guide: (heard: readonly UplinkBurstObservation[], at: LatLon, ts_ms: number) => GuidanceAnswer,
): WalkResult {
  let position = options.start;
  let t = options.start_ts_ms;
  const end = options.start_ts_ms + options.max_duration_s * 1000;
  const heard: UplinkBurstObservation[] = [];
  const track: WalkResult['track'] = [{ ts_ms: t, position }];
  let next = 0;
  while (next < accesses.length && accesses[next]!.ts_ms < t) next++;
  let replans = 0;
  let segmentStart = position;
  let segmentStartTs = t;
  let target: LatLon | null = null;
  let arriveTs = t;
  const probe: UplinkProbe = {
    id: options.id,
    moving: true,
    positionAt: (ts) => {
      if (target === null || ts >= arriveTs) return target ?? position;
      const f = (ts - segmentStartTs) / (arriveTs - segmentStartTs);
      return destination(segmentStart, bearingDeg(segmentStart, target), f * distanceM(segmentStart, target));
    },
  };
  while (t < end) {
    const answer = guide(heard, position, t);
    replans++;
    if (answer.done) return { observations: heard, track, end: position, end_ts_ms: t, stopped: 'done', replans };
    segmentStart = position;
    segmentStartTs = t;
    target = answer.target;
    const d = distanceM(position, target);
    arriveTs = t + (d / options.speed_mps) * 1000;
    const until = Math.min(end, Math.max(t + 1000, Math.min(arriveTs, t + options.replan_s * 1000)));
    while (next < accesses.length && accesses[next]!.ts_ms < until) {
      const o = generator.hear(probe, accesses[next]!);
      if (o !== null) heard.push(o);
      next++;
    }
    position = probe.positionAt(until);
    t = until;
    track.push({ ts_ms: t, position });
  }
  return { observations: heard, track, end: position, end_ts_ms: t, stopped: 'time_up', replans };
}
