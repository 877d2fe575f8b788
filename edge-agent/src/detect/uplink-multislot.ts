/**
 * uplink-multislot@1 — many transmitters at one spot, seen from the uplink by the probe's SDR.
 *
 * Input: the SDR path's `slot_occupancy` reports (edge-agent/src/iq/events.ts), one per uplink ARFCN
 * and report interval. Power control makes every handset reach its BTS at about the same level, so what
 * a nearby receiver hears from a handset depends on where the handset is: the path to the BTS sets its
 * transmit power, the path to the probe its loss. The modems of one den share both paths and arrive at
 * the probe within a dB or two of each other, call after call; people in a crowd are spread over tens of
 * metres and arrive spread over 10–30 dB, and they move and hang up.
 *
 * Per report interval the detector takes the timeslots busy for at least `min_busy_share` of the frames
 * (a call with uplink DTX still fills 30–60 %) and finds the largest group whose median burst powers lie
 * within `equal_db` of each other: the interval's equal-power cluster. Over the last `horizon_s` it asks
 * how many intervals held a cluster of at least `min_slots` slots at a stable level (spread of the
 * cluster levels ≤ `level_drift_db`: one place, not passers-by). Evidence is the binomial tail of that
 * count against `chance_rate`, the share of intervals in which a crowd throws up such a cluster by
 * chance, with the count scaled to independent blocks of `chance_run_s` (a chance cluster — a few
 * people calling side by side — lasts about a call, so neighbouring reports are not independent). Strong needs `strong_slots` equal slots — more than one GPRS multislot handset transmits
 * (uplink classes give at most 4–5 slots, and a data session's slots come and go together).
 *
 * It judges the probe, not a (cell, TA) place: the agent hands its indicator to the detection engine,
 * which counts it as a machine signature for places at the probe's own TA step when that is known
 * (a strong equal-power cluster is near the probe), for every place otherwise. Fusion never fires on it
 * alone: a place still needs its own demand evidence (DESIGN.md: signatures only support).
 *
 * Must not fire on: a crowd (spread powers), a walker passing the probe (the level drifts), one phone's
 * GPRS upload (≤ 4 slots: moderate at most, and only when it lasts most of the horizon), a frequency-
 * hopping carrier's mix of users (each slot's median mixes many handsets: spread), a den far from the
 * probe below the burst threshold (no bursts: nothing to judge).
 */
import type { SlotOccupancyEvent } from '../iq/events.js';
import { binomialUpperTail, evidenceOf } from './stats.js';
import type { Indicator } from './types.js';

export const UPLINK_MULTISLOT = { name: 'uplink-multislot', version: 1 } as const;

export interface UplinkMultislotConfig {
  horizon_s: number;
  /** A timeslot counts in an interval when busy at least this share of its frames. */
  min_busy_share: number;
  /** Slots whose median powers lie within this many dB make one cluster. */
  equal_db: number;
  /** Smallest cluster that counts in an interval. */
  min_slots: number;
  /** Cluster size (median over the intervals that held) for a strong indicator. */
  strong_slots: number;
  /** Share of the horizon's intervals that must hold a cluster. */
  min_held_share: number;
  /** Standard deviation of the held clusters' levels at most this (dB): one place. */
  level_drift_db: number;
  /** Share of intervals in which a crowd shows such a cluster by chance (the null of the test). */
  chance_rate: number;
  /** How long a chance cluster lasts: reports within this are one independent block for the test. */
  chance_run_s: number;
  /** The report intervals must cover at least this share of the horizon. */
  min_coverage: number;
  strong_evidence: number;
  moderate_evidence: number;
}

export const UPLINK_MULTISLOT_DEFAULTS: UplinkMultislotConfig = {
  horizon_s: 600,
  min_busy_share: 0.2,
  equal_db: 3,
  min_slots: 3,
  strong_slots: 5,
  min_held_share: 0.5,
  level_drift_db: 3,
  chance_rate: 0.05,
  chance_run_s: 60,
  min_coverage: 0.8,
  strong_evidence: 8,
  moderate_evidence: 4,
};

/** The largest group of busy slots within `equalDb` of each other in one report. */
export interface SlotCluster {
  size: number;
  /** Median of the group's slot powers, dBm. */
  level_dbm: number;
  /** Highest minus lowest slot power in the group. */
  width_db: number;
  /** Slots busy enough to count (the cluster's candidates). */
  busy_slots: number;
}

export function equalPowerCluster(e: SlotOccupancyEvent, minBusyShare: number, equalDb: number): SlotCluster {
  const powers = e.slots
    .filter((s) => s.busy_share >= minBusyShare && s.rssi_dbm !== undefined && Number.isFinite(s.rssi_dbm))
    .map((s) => s.rssi_dbm!)
    .sort((a, b) => a - b);
  let best = { from: 0, to: -1 };
  for (let i = 0, j = 0; j < powers.length; j++) {
    while (powers[j]! - powers[i]! > equalDb) i++;
    if (j - i > best.to - best.from) best = { from: i, to: j };
  }
  const group = powers.slice(best.from, best.to + 1);
  const mid = group.length >> 1;
  const level = group.length === 0 ? Number.NaN : group.length % 2 === 1 ? group[mid]! : (group[mid - 1]! + group[mid]!) / 2;
  return { size: group.length, level_dbm: level, width_db: group.length === 0 ? 0 : group.at(-1)! - group[0]!, busy_slots: powers.length };
}

interface IntervalRecord {
  end_ms: number;
  window_s: number;
  cluster: SlotCluster;
}

export class UplinkMultislotDetector {
  private readonly history = new Map<number, IntervalRecord[]>();
  /** Reports refused (downlink, malformed). */
  ignored = 0;

  constructor(private readonly config: UplinkMultislotConfig = UPLINK_MULTISLOT_DEFAULTS) {}

  /** Take one report; downlink reports and reports without their 8 slots are ignored (counted). */
  add(e: SlotOccupancyEvent): void {
    if (e.link !== 'uplink' || e.slots.length !== 8 || !(e.window_s > 0) || !Number.isFinite(e.ts_ms)) {
      this.ignored++;
      return;
    }
    let list = this.history.get(e.arfcn);
    if (list === undefined) this.history.set(e.arfcn, (list = []));
    list.push({ end_ms: e.ts_ms, window_s: e.window_s, cluster: equalPowerCluster(e, this.config.min_busy_share, this.config.equal_db) });
    const keepFrom = e.ts_ms - 2 * this.config.horizon_s * 1000;
    while (list.length > 0 && list[0]!.end_ms < keepFrom) list.shift();
  }

  /** The strongest indicator over the uplink ARFCNs at `now_ms`, or null. */
  evaluate(now_ms: number): Indicator | null {
    let best: Indicator | null = null;
    for (const [arfcn, list] of this.history) {
      const ind = this.judge(arfcn, list, now_ms);
      if (ind !== null && (best === null || ind.evidence > best.evidence)) best = ind;
    }
    return best;
  }

  private judge(arfcn: number, list: readonly IntervalRecord[], now: number): Indicator | null {
    const c = this.config;
    const from = now - c.horizon_s * 1000;
    const inHorizon = list.filter((r) => r.end_ms - r.window_s * 1000 >= from - 1 && r.end_ms <= now);
    const covered = inHorizon.reduce((s, r) => s + r.window_s, 0);
    if (inHorizon.length === 0 || covered < c.min_coverage * c.horizon_s) return null;
    const held = inHorizon.filter((r) => r.cluster.size >= c.min_slots);
    if (held.length < c.min_held_share * inHorizon.length) return null;
    const levels = held.map((r) => r.cluster.level_dbm);
    const mean = levels.reduce((s, v) => s + v, 0) / levels.length;
    const drift = Math.sqrt(levels.reduce((s, v) => s + (v - mean) ** 2, 0) / levels.length);
    if (drift > c.level_drift_db) return null;
    const sizes = held.map((r) => r.cluster.size).sort((a, b) => a - b);
    const slots = sizes[sizes.length >> 1]!;
    // Independent blocks: the horizon's reports grouped into runs of chance_run_s.
    const meanWindow = covered / inHorizon.length;
    const blockScale = Math.min(1, meanWindow / Math.max(meanWindow, c.chance_run_s));
    const evidence = evidenceOf(binomialUpperTail(held.length * blockScale, inHorizon.length * blockScale, c.chance_rate));
    const level = slots >= c.strong_slots && evidence >= c.strong_evidence ? 'strong' : evidence >= c.moderate_evidence ? 'moderate' : null;
    if (level === null) return null;
    const width = held.reduce((s, r) => s + r.cluster.width_db, 0) / held.length;
    return {
      detector: UPLINK_MULTISLOT.name,
      detector_version: UPLINK_MULTISLOT.version,
      horizon_s: c.horizon_s,
      evidence,
      level,
      facts: {
        arfcn,
        concurrent_equal_slots: slots,
        rssi_dbm: Math.round(mean * 10) / 10,
        cluster_width_db: Math.round(width * 10) / 10,
        level_drift_db: Math.round(drift * 10) / 10,
        intervals_held: held.length,
        intervals: inHorizon.length,
      },
      reason:
        `${slots} uplink timeslots on ARFCN ${arfcn} busy together within ${width.toFixed(1)} dB of each other at ` +
        `${mean.toFixed(1)} dBm in ${held.length} of ${inHorizon.length} reports over ${Math.round(c.horizon_s / 60)} min (level steady to ${drift.toFixed(1)} dB): many transmitters at one spot near the probe`,
    };
  }
}
