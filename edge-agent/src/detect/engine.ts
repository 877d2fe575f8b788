/**
 * The detection engine: decoded events → traffic tracker → (every tick of event time) slot snapshots
 * over several horizons → slot detectors → indicators → fusion → den candidates, with a lifecycle per
 * place (raised, updated while it holds, ended after a quiet spell) and learned baselines taught once an
 * hour by every place that is not flagged.
 *
 * Time is the events' clock, so a replay of a capture gives the same candidates the live run did.
 * Horizons are evaluated at a cadence that matches their length (a 1-min horizon every tick, the hour
 * every two minutes), and only where there is demand to judge, so the cost follows the traffic, not the
 * number of TA steps × cells.
 *
 * It must not publish or print: candidates and indicators go to the sinks it is given.
 */
import { TA_STEP_M, type CellId } from '@simhound/protocol';
import type { GsmEvent } from '../gsm/events.js';
import { CellBaseline, MemoryBaselineStore, type BaselineStore, type HourCounts } from '../features/baseline.js';
import { BIN_MS, HORIZON_BINS, HORIZON_COUNT, HOUR_MS, hourOf, type SlotRing } from '../features/slot-ring.js';
import {
  C_LU, C_MO_CALL, C_MO_MIXED, C_MT, C_ORIG_CLOSE, C_SDCCH, TRAFFIC_CLASS_COUNT, TRAFFIC_CLASS_NAMES, accesses, originating,
} from '../features/traffic-class.js';
import { TrafficTracker, type CellTrack, type SessionFacts, type TrackerLimits } from '../features/traffic-tracker.js';
import { fuse, FUSION_DEFAULTS, LARGE_ASYMMETRY_EFFECT, type FusionConfig, type FusionVerdict, type PlaceActivity } from './fusion.js';
import type { DetectionDraft, Indicator, SlotDetector, SlotSnapshot } from './types.js';

export const DEN_CANDIDATE_DETECTOR = 'den-candidate';
export const DEN_CANDIDATE_VERSION = 1;

const ORIGINATING = [C_MO_CALL, C_MO_MIXED, C_SDCCH];
const NC = TRAFFIC_CLASS_COUNT;
/** How often each horizon is evaluated, in ticks (1 tick = 10 s): 1 and 5 min every tick, 15 min every 3, 60 min every 12. */
const HORIZON_CADENCE = [1, 1, 3, 12];
/** Least originating demand at a place over a horizon before detectors look at it. */
const MIN_ORIGINATING = [6, 8, 10, 12];

export interface EngineOptions {
  detectors: readonly SlotDetector[];
  fusion?: FusionConfig;
  /** Seconds of event time between evaluations. */
  tick_s?: number;
  /** Re-emit an active candidate this often (its score and evidence move on). */
  update_interval_s?: number;
  /** A candidate whose place has not held for this long ends (a later one is a new episode). */
  end_after_s?: number;
  baselines?: BaselineStore;
  utc_offset_h?: number;
  tracker?: Partial<TrackerLimits>;
  /** Den candidates (detections with detector "den-candidate"). */
  onCandidate(d: DetectionDraft): void;
  /**
   * Distance between two cells' BTS when both positions are known (cell database; the caller brings its
   * geodesy): lets multi-operator check that two places' TA rings intersect. Without it, coincidence in
   * time alone counts, as weaker evidence.
   */
  cellDistanceM?(a: CellId, b: CellId): number | null;
  /** Run multi-operator@1 (default true). */
  multiOperator?: boolean;
  /** Every indicator as it is found (debugging, `replay --indicators`). */
  onIndicator?(place: PlaceKey, indicator: Indicator): void;
  /**
   * The probe's own TA step to a cell (its distance to the BTS over 553.5 m), when its position and the
   * cell's are known: probe-level signatures (uplink-multislot: transmitters near the probe) then count
   * only for places within one step of it; without it, for every place.
   */
  probeTaSteps?(cell: CellId | null, cellKey: string): number | null;
  /** A probe-level signature counts for this long after its last report. Default 120 s. */
  probe_signature_hold_s?: number;
}

export interface PlaceKey {
  cell_key: string;
  cell: CellId | null;
  arfcn: number;
  ta_steps: number;
  ta_span: number;
}

interface Episode {
  first_seen_ts_ms: number;
  last_hold_ts_ms: number;
  last_emit_ts_ms: number;
  severity: FusionVerdict['severity'];
}

const SEVERITY_RANK = { low: 0, medium: 1, high: 2 } as const;

export class DetectionEngine {
  readonly tracker: TrafficTracker;
  private readonly baselines = new Map<string, CellBaseline>();
  private readonly store: BaselineStore;
  private readonly tickMs: number;
  private readonly updateMs: number;
  private readonly endMs: number;
  private readonly fusionConfig: FusionConfig;
  private nextTick = -Infinity;
  private tickCount = 0;
  private lastHour = -1;
  private readonly episodes = new Map<string, Episode>();
  private readonly flagged = new Map<string, Set<number>>();
  /** Per place (cell, TA, span): the indicators of each horizon at its last evaluation. */
  private readonly placeCache = new Map<string, Array<Map<string, Indicator>>>();
  /** Places that showed a den-like indicator at the previous tick (for multi-operator). */
  private denLikePrev: PlaceKey[] = [];
  // Reused buffers (the engine runs on every tick).
  private readonly slotBuf = new Float64Array(NC);
  private readonly cellBuf = new Float64Array(NC);
  private readonly othersBuf = new Float64Array(NC);
  private readonly neighbourBuf = new Float64Array(NC);
  private readonly neighbourHourBuf = new Float64Array(NC);
  /** Probe-level signatures (uplink-multislot) by detector, with the event time of their last report. */
  private readonly probeSignatures = new Map<string, { indicator: Indicator; ts_ms: number }>();
  candidates = 0;
  indicators = 0;

  constructor(private readonly options: EngineOptions) {
    this.tracker = new TrafficTracker(options.tracker);
    this.store = options.baselines ?? new MemoryBaselineStore();
    this.tickMs = (options.tick_s ?? 10) * 1000;
    this.updateMs = (options.update_interval_s ?? 600) * 1000;
    this.endMs = (options.end_after_s ?? 1800) * 1000;
    this.fusionConfig = options.fusion ?? FUSION_DEFAULTS;
  }

  add(event: GsmEvent): void {
    this.advance(event.ts_ms);
    this.tracker.add(event);
  }

  addSession(facts: SessionFacts): void {
    this.advance(facts.ts_ms);
    this.tracker.addSession(facts);
  }

  /**
   * A signature about the probe rather than one place (uplink-multislot from the SDR): fused as a machine
   * signature at places near the probe (see `probeTaSteps`) until `probe_signature_hold_s` after its
   * last report. Pass null to withdraw a detector's signature (its test no longer holds).
   */
  addProbeSignature(detector: string, indicator: Indicator | null, ts_ms: number): void {
    if (indicator === null) this.probeSignatures.delete(detector);
    else this.probeSignatures.set(detector, { indicator, ts_ms });
  }

  /** Move the clock (live sources call this on a timer so quiet air still closes ticks). */
  advance(ts_ms: number): void {
    if (this.nextTick === -Infinity) {
      this.nextTick = (Math.floor(ts_ms / this.tickMs) + 1) * this.tickMs;
      this.lastHour = hourOf(ts_ms);
      return;
    }
    // Catch up tick by tick, but never evaluate more than an hour of empty ticks after a long gap.
    if (ts_ms >= this.nextTick + HOUR_MS) this.nextTick = Math.floor(ts_ms / this.tickMs) * this.tickMs - HOUR_MS;
    while (ts_ms >= this.nextTick) {
      this.evaluate(this.nextTick);
      this.nextTick += this.tickMs;
    }
  }

  /** Evaluate once more at the current time (end of a capture). */
  flush(): void {
    if (this.tracker.now_ms > 0) this.evaluate(this.tracker.now_ms);
    this.saveBaselines();
  }

  saveBaselines(): void {
    for (const [key, b] of this.baselines) this.store.save(key, b.json);
  }

  private baselineOf(cell: CellTrack): CellBaseline {
    let b = this.baselines.get(cell.key);
    if (b === undefined) {
      b = new CellBaseline(this.store.load(cell.key), this.options.utc_offset_h ?? 0);
      this.baselines.set(cell.key, b);
    }
    return b;
  }

  private evaluate(now: number): void {
    this.tracker.advanceTo(now);
    const hour = hourOf(now - 1);
    if (hour > this.lastHour) {
      this.teachBaselines(this.lastHour);
      this.lastHour = hour;
    }
    this.tickCount++;
    const held = new Set<string>();
    const denLike: PlaceKey[] = [];
    for (const cell of this.tracker.cells.values()) {
      const baseline = this.baselineOf(cell);
      const spread = cellMtSpread(cell);
      for (const [ta, ring] of cell.slots) {
        for (const span of [1, 2]) {
          const rings = span === 1 ? [ring] : cell.slots.has(ta + 1) ? [ring, cell.slots.get(ta + 1)!] : null;
          if (rings === null) continue;
          // Indicators per horizon; a horizon not due this tick keeps its last verdict (it is re-judged
          // at its own cadence), so every horizon is fused with coherent data.
          const placeKey = `${cell.key}|${ta}|${span}`;
          let perHorizon = this.placeCache.get(placeKey);
          if (perHorizon === undefined) this.placeCache.set(placeKey, (perHorizon = HORIZON_BINS.map(() => new Map<string, Indicator>())));
          for (let h = 0; h < HORIZON_COUNT; h++) {
            if (this.tickCount % HORIZON_CADENCE[h]! !== 0) continue;
            const fresh = new Map<string, Indicator>();
            const snapshot = this.snapshot(now, cell, ta, span, rings, h, baseline, lowMtRatio(spread, ta, span));
            if (snapshot !== null) {
              for (const d of this.options.detectors) {
                const ind = d.evaluate(snapshot);
                if (ind === null) continue;
                this.indicators++;
                fresh.set(d.name, ind);
              }
            }
            perHorizon[h] = fresh;
          }
          // Best of each detector over all horizons (signatures often need the long ones).
          const best = new Map<string, Indicator>();
          for (const m of perHorizon) for (const [name, ind] of m) if ((best.get(name)?.evidence ?? -1) < ind.evidence) best.set(name, ind);
          if (best.size === 0) {
            this.placeCache.delete(placeKey);
            continue;
          }
          for (const probe of this.probeSignaturesAt(now, cell, ta, span)) best.set(probe.detector, probe);
          const place: PlaceKey = { cell_key: cell.key, cell: cell.cell, arfcn: cell.arfcn, ta_steps: ta, ta_span: span };
          const asymBest = best.get('mo-mt-asymmetry');
          let multi: Indicator | null = null;
          if (asymBest !== undefined) {
            if ((asymBest.facts.mt_share ?? 1) <= LARGE_ASYMMETRY_EFFECT * (asymBest.facts.mt_share_expected ?? 0)) denLike.push(place);
            multi = this.options.multiOperator === false ? null : multiOperatorIndicator(place, this.denLikePrev, this.options.cellDistanceM);
            if (multi !== null) best.set(multi.detector, multi);
          }
          if (this.options.onIndicator) for (const ind of best.values()) this.options.onIndicator(place, ind);
          // Fuse each horizon that has demand evidence (asymmetry or volume) with the signatures of all
          // horizons; keep the strongest verdict.
          let verdict: FusionVerdict | null = null;
          let verdictActivity: PlaceActivity | null = null;
          for (let h = 0; h < HORIZON_COUNT; h++) {
            const at = perHorizon[h]!;
            if (!at.has('mo-mt-asymmetry') && !at.has('ccch-burst') && !at.has('ta-concentration')) continue;
            const map = new Map(at);
            for (const [name, ind] of best) if (!map.has(name) && name !== 'mo-mt-asymmetry' && name !== 'ccch-burst') map.set(name, ind);
            const activity = this.activity(now, cell, rings, h, map);
            const v = fuse(map, activity, this.fusionConfig);
            if (v !== null && (verdict === null || v.score > verdict.score)) {
              verdict = v;
              verdictActivity = activity;
            }
          }
          if (verdict !== null && verdictActivity !== null) {
            // One episode per primary TA: a pair is keyed by its busier step.
            const primary = span === 1 || originating(sumsOf(rings[0]!, HORIZON_COUNT - 1)) >= originating(sumsOf(rings[1]!, HORIZON_COUNT - 1)) ? ta : ta + 1;
            const key = `${cell.key}|${primary}`;
            held.add(key);
            this.hold(now, key, primary, place, verdict, cell, rings, verdictActivity);
          }
          const found = best;
          // A place with strong den-like evidence does not teach its baseline this hour.
          if (found.get('mo-mt-asymmetry')?.level === 'strong' || found.get('ccch-burst')?.level === 'strong') this.flag(cell.key, ta, span);
        }
      }
    }
    this.denLikePrev = denLike;
    // Episodes that stopped holding: end them after a quiet spell.
    for (const [key, ep] of this.episodes) if (!held.has(key) && now - ep.last_hold_ts_ms > this.endMs) this.episodes.delete(key);
  }

  /** Live probe-level signatures that apply to the place (cell, ta … ta + span − 1). */
  private probeSignaturesAt(now: number, cell: CellTrack, ta: number, span: number): Indicator[] {
    if (this.probeSignatures.size === 0) return [];
    const holdMs = (this.options.probe_signature_hold_s ?? 120) * 1000;
    const probeTa = this.options.probeTaSteps?.(cell.cell, cell.key) ?? null;
    if (probeTa !== null && (ta > probeTa + 1 || ta + span - 1 < probeTa - 1)) return [];
    const out: Indicator[] = [];
    for (const s of this.probeSignatures.values()) if (now - s.ts_ms <= holdMs && s.ts_ms - now <= holdMs) out.push(s.indicator);
    return out;
  }

  private flag(cellKey: string, ta: number, span: number): void {
    let set = this.flagged.get(cellKey);
    if (set === undefined) this.flagged.set(cellKey, (set = new Set()));
    for (let i = 0; i < span; i++) set.add(ta + i);
  }

  private teachBaselines(hour: number): void {
    if (hour < 0) return;
    for (const cell of this.tracker.cells.values()) {
      const counts = new Map<number, HourCounts>();
      for (const [ta, ring] of cell.slots) {
        const c = hourCounts(ring, hour);
        if (c !== null) counts.set(ta, c);
      }
      const flagged = this.flagged.get(cell.key) ?? new Set<number>();
      for (const key of this.episodes.keys()) {
        const [cellKey, ta] = splitPlaceKey(key);
        if (cellKey === cell.key) flagged.add(ta);
      }
      this.baselineOf(cell).observeHour(hour, counts, flagged);
    }
    this.flagged.clear();
    if (hour % 6 === 0) this.saveBaselines();
  }

  private snapshot(now: number, cell: CellTrack, ta: number, span: number, rings: SlotRing[], h: number, baseline: CellBaseline, lowMtRatio: number | null): SlotSnapshot | null {
    const slot = this.slotBuf.fill(0);
    for (const r of rings) r.addSumsInto(h, slot);
    if (originating(slot) < MIN_ORIGINATING[h]!) return null;
    const cellTotal = cell.ring.sumsInto(h, this.cellBuf);
    const others = this.othersBuf;
    for (let c = 0; c < NC; c++) others[c] = Math.max(0, cellTotal[c]! - slot[c]!);
    const neighbours = this.neighbourBuf.fill(0);
    for (const k of [ta - 2, ta - 1, ta + span, ta + span + 1]) cell.slots.get(k)?.addSumsInto(h, neighbours);
    // The neighbours' rate over the last hour is a steadier expectation than the same few seconds.
    const neighboursHour = this.neighbourHourBuf.fill(0);
    for (const k of [ta - 2, ta - 1, ta + span, ta + span + 1]) cell.slots.get(k)?.addSumsInto(HORIZON_COUNT - 1, neighboursHour);
    let activeTas = 0;
    for (const r of cell.slots.values()) if (accesses(sumsOf(r, h)) > 0) activeTas++;
    const horizonMs = HORIZON_BINS[h]! * BIN_MS;
    const observed = Math.min(horizonMs, now - cell.ring.first_ts_ms);
    const authSlot: number[] = [];
    const authOthers: number[] = [];
    for (const [k, samples] of cell.authRtt) (k >= ta && k < ta + span ? authSlot : authOthers).push(...samples);
    const perMinute = h > 0;
    const groups = perMinute ? HORIZON_BINS[h]! / 6 : 6;
    return {
      now_ms: now,
      cell_key: cell.key,
      cell: cell.cell,
      arfcn: cell.arfcn,
      neci: cell.neci,
      ta_steps: ta,
      ta_span: span,
      horizon_s: horizonMs / 1000,
      observed_s: Math.max(BIN_MS, observed) / 1000,
      slot,
      cell_total: cellTotal,
      others,
      neighbours,
      neighbours_hour: neighboursHour,
      neighbours_hour_s: Math.max(BIN_MS, Math.min(HORIZON_BINS[HORIZON_COUNT - 1]! * BIN_MS, now - cell.ring.first_ts_ms)) / 1000,
      active_tas: activeTas,
      cell_low_mt_ratio: lowMtRatio,
      series: (classes) => combinedSeries(rings, classes, perMinute ? 6 : 1, groups),
      hourly: (classes, hours) => combinedHourly(rings, classes, hours),
      cellHourly: (classes, hours) => cell.ring.hourlySeries(classes, hours),
      baseline: baseline.slot(ta, hourOf(now)),
      baseline_hours: baseline.hoursObserved,
      auth_rtt_slot: authSlot,
      auth_rtt_others: authOthers,
    };
  }

  /** Steadiness and excess of a place over horizon `h` (for fusion). */
  private activity(now: number, cell: CellTrack, rings: SlotRing[], h: number, found: ReadonlyMap<string, Indicator>): PlaceActivity {
    // Judge steadiness over the part of the horizon the probe actually observed (6 blocks of it).
    const observedMs = Math.min(HORIZON_BINS[h]! * BIN_MS, now - cell.ring.first_ts_ms);
    const observedBins = Math.max(6, Math.floor(observedMs / BIN_MS));
    const perBlock = Math.max(1, Math.floor(observedBins / 6));
    const series = combinedSeries(rings, ORIGINATING, perBlock, 6);
    let total = 0;
    let max = 0;
    let active = 0;
    for (const v of series) {
      total += v;
      if (v > max) max = v;
      if (v > 0) active++;
    }
    const asym = found.get('mo-mt-asymmetry');
    const burst = found.get('ccch-burst');
    const excess = asym?.facts.excess_count ?? (burst ? Math.max(0, (burst.facts.event_count ?? 0) - (burst.facts.baseline_count ?? 0)) : 0);
    const sums = new Float64Array(NC);
    for (const r of rings) r.addSumsInto(h, sums);
    return {
      originating: originating(sums),
      close_pairs: sums[C_ORIG_CLOSE]!,
      active_blocks: active,
      max_block_share: total > 0 ? max / total : 1,
      excess_count: excess,
      minutes: Math.max(1, observedMs / 60_000),
    };
  }

  private hold(now: number, key: string, primary: number, place: PlaceKey, verdict: FusionVerdict, cell: CellTrack, rings: SlotRing[], activity: PlaceActivity): void {
    let ep = this.episodes.get(key);
    const fresh = ep === undefined;
    if (ep === undefined) {
      // The same TA judged as a single step and as a pair: one episode per primary TA.
      ep = { first_seen_ts_ms: now, last_hold_ts_ms: now, last_emit_ts_ms: -Infinity, severity: verdict.severity };
      this.episodes.set(key, ep);
    }
    ep.last_hold_ts_ms = now;
    const escalated = SEVERITY_RANK[verdict.severity] > SEVERITY_RANK[ep.severity];
    if (!fresh && !escalated && now - ep.last_emit_ts_ms < this.updateMs) return;
    if (escalated) ep.severity = verdict.severity;
    ep.last_emit_ts_ms = now;
    this.candidates++;
    this.options.onCandidate(this.candidateBody(now, primary, place, verdict, ep, cell, rings, activity));
  }

  private candidateBody(now: number, primary: number, place: PlaceKey, verdict: FusionVerdict, ep: Episode, cell: CellTrack, rings: SlotRing[], activity: PlaceActivity): DetectionDraft {
    const horizonS = Math.max(...verdict.indicators.map((i) => i.horizon_s));
    const h = Math.max(0, HORIZON_BINS.findIndex((b) => b * BIN_MS >= Math.min(horizonS, 3600) * 1000));
    const slot = new Float64Array(NC);
    for (const r of rings) r.addSumsInto(h, slot);
    const cellTotal = cell.ring.sumsInto(h, new Float64Array(NC));
    const countByClass: Record<string, number> = {};
    for (let c = 0; c < NC; c++) if (slot[c]! > 0) countByClass[TRAFFIC_CLASS_NAMES[c]!] = Math.round(slot[c]!);
    let activeTas = 0;
    for (const r of cell.slots.values()) if (accesses(sumsOf(r, h)) > 0) activeTas++;
    const asym = verdict.indicators.find((i) => i.detector === 'mo-mt-asymmetry');
    const orig = originating(slot);
    const expected = Math.max(0, orig - activity.excess_count);
    const pLog10 = Math.max(...verdict.indicators.map((i) => i.evidence));
    return {
      detector: DEN_CANDIDATE_DETECTOR,
      detector_version: DEN_CANDIDATE_VERSION,
      cell: place.cell,
      arfcn: place.arfcn,
      ta_steps: primary,
      range_min_m: place.ta_steps * TA_STEP_M,
      range_max_m: (place.ta_steps + place.ta_span) * TA_STEP_M,
      score: Math.round(verdict.score * 1000) / 1000,
      severity: ep.severity,
      window: { start_ts_ms: Math.round(now - horizonS * 1000), end_ts_ms: Math.round(now) },
      evidence: {
        count_by_class: countByClass,
        event_count: Math.round(orig),
        baseline_count: Math.round(expected * 100) / 100,
        p_value: 10 ** -pLog10,
        cell_event_count: Math.round(originating(cellTotal)),
        active_ta_count: activeTas,
        thresholds: { ...this.fusionConfig },
        fusion_rule: verdict.rule,
        indicators: verdict.indicators.map((i) => ({
          detector: i.detector,
          detector_version: i.detector_version,
          p_log10: Math.round(i.evidence * 100) / 100,
          level: i.level,
          horizon_s: i.horizon_s,
          reason: i.reason.slice(0, 400),
          facts: roundFacts(i.facts),
        })),
        ta_span_steps: place.ta_span,
        horizon_s: horizonS,
        first_seen_ts_ms: Math.round(ep.first_seen_ts_ms),
        excess_count: Math.round(activity.excess_count * 10) / 10,
        ...(asym ? { mt_share: clamp01(asym.facts.mt_share), mt_share_expected: clamp01(asym.facts.mt_share_expected) } : {}),
      },
    };
  }
}

/**
 * multi-operator@1 — places where almost nobody answers pagings, at the same moment, on cells of
 * different operators whose TA rings intersect when the cells' positions are known. A box holding SIMs
 * of several operators is seen from each operator's serving cell at the distance of that cell. Evidence:
 * moderate (4) on coincidence alone, strong (8) when the rings are known to intersect; none when they are
 * known not to. Fusion counts only the strong form as a machine signature: a crowd is seen by every
 * operator's cell too, so coincidence alone only adds to the score.
 * Must not fire on: two dens far apart (rings do not intersect), one operator's two cells (same operator).
 */
export const MULTI_OPERATOR = { name: 'multi-operator', version: 1 } as const;

function multiOperatorIndicator(
  place: PlaceKey,
  others: readonly PlaceKey[],
  cellDistanceM: EngineOptions['cellDistanceM'],
): Indicator | null {
  if (place.cell === null) return null;
  let best: Indicator | null = null;
  for (const o of others) {
    if (o.cell === null || (o.cell.mcc === place.cell.mcc && o.cell.mnc === place.cell.mnc)) continue;
    const d = cellDistanceM?.(place.cell, o.cell) ?? null;
    let evidence = 4;
    let intersect = -1;
    if (d !== null) {
      const r1 = [place.ta_steps * TA_STEP_M, (place.ta_steps + place.ta_span) * TA_STEP_M] as const;
      const r2 = [o.ta_steps * TA_STEP_M, (o.ta_steps + o.ta_span) * TA_STEP_M] as const;
      // Two annuli meet when the centre distance fits between their nearest and farthest reach (± 1 TA for multipath).
      const slack = TA_STEP_M;
      const meets = d <= r1[1] + r2[1] + slack && d >= Math.max(r1[0] - r2[1], r2[0] - r1[1]) - slack;
      if (!meets) continue;
      evidence = 8;
      intersect = 1;
    }
    if (best === null || evidence > best.evidence) {
      best = {
        detector: MULTI_OPERATOR.name,
        detector_version: MULTI_OPERATOR.version,
        horizon_s: 0,
        evidence,
        level: evidence >= 8 ? 'strong' : 'moderate',
        facts: { other_ci: o.cell.ci, other_ta_steps: o.ta_steps, rings_intersect: intersect },
        reason: `den-like demand at the same time on ${o.cell.mcc}-${o.cell.mnc} cell ${o.cell.ci} TA ${o.ta_steps}${intersect === 1 ? ', whose ring crosses this one' : ''}`,
      };
    }
  }
  return best;
}

/** Calls a TA step needs in the last hour to say where its answered-paging share sits. */
const MIN_CALLS_FOR_SPREAD = 40;

/** Per TA step with enough calls in the last hour: its MT share of calls divided by the cell's. */
function cellMtSpread(cell: CellTrack): Array<[number, number]> {
  const h = HORIZON_COUNT - 1;
  const total = cell.ring.sumsInto(h, new Float64Array(NC));
  const cellCalls = total[C_MO_CALL]! + total[C_MO_MIXED]! + total[C_MT]!;
  if (cellCalls <= 0) return [];
  const q0 = total[C_MT]! / cellCalls;
  if (!(q0 > 0)) return [];
  const out: Array<[number, number]> = [];
  const buf = new Float64Array(NC);
  for (const [ta, r] of cell.slots) {
    r.sumsInto(h, buf);
    const calls = buf[C_MO_CALL]! + buf[C_MO_MIXED]! + buf[C_MT]!;
    if (calls >= MIN_CALLS_FOR_SPREAD) out.push([ta, buf[C_MT]! / calls / q0]);
  }
  return out.sort((a, b) => a[1] - b[1]);
}

/**
 * How low people's places in the cell go: the 10th percentile of the spread, leaving out the place being
 * judged (a den must not set its own yardstick). Null with fewer than 3 other steps.
 */
function lowMtRatio(spread: ReadonlyArray<[number, number]>, ta: number, span: number): number | null {
  const others = spread.filter(([t]) => t < ta || t >= ta + span);
  if (others.length < 3) return null;
  return others[Math.floor(0.1 * (others.length - 1))]![1];
}

function clamp01(v: number | undefined): number {
  return Math.min(1, Math.max(0, v ?? 0));
}

function roundFacts(facts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(facts)) if (Number.isFinite(v)) out[k] = Math.round(v * 1000) / 1000;
  return out;
}

function splitPlaceKey(key: string): [string, number] {
  const i = key.lastIndexOf('|');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}

const scratch = new Float64Array(NC);
function sumsOf(ring: SlotRing, h: number): Float64Array {
  return ring.sumsInto(h, scratch);
}

function combinedSeries(rings: SlotRing[], classes: readonly number[], binsPerGroup: number, groups: number): Float64Array {
  const out = rings[0]!.series(classes, binsPerGroup, groups);
  for (let i = 1; i < rings.length; i++) {
    const more = rings[i]!.series(classes, binsPerGroup, groups);
    for (let g = 0; g < groups; g++) out[g]! += more[g]!;
  }
  return out;
}

function combinedHourly(rings: SlotRing[], classes: readonly number[], hours: number): Float64Array {
  const out = rings[0]!.hourlySeries(classes, hours);
  for (let i = 1; i < rings.length; i++) {
    const more = rings[i]!.hourlySeries(classes, hours);
    for (let g = 0; g < out.length; g++) out[g]! += more[g]!;
  }
  return out;
}

/** One complete hour's originating / MT / LU counts of a slot, or null when the ring no longer holds it. */
function hourCounts(ring: SlotRing, hour: number): HourCounts | null {
  const back = ring.lastHour - hour;
  if (back < 1 || back >= 160) return null;
  // hourlySeries(…, n) starts n hours before the ring's current hour: n = back starts at `hour`.
  const orig = ring.hourlySeries(ORIGINATING, back)[0]!;
  const mt = ring.hourlySeries([C_MT], back)[0]!;
  const lu = ring.hourlySeries([C_LU], back)[0]!;
  return { orig, mt, lu };
}
