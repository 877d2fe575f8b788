/**
 * Den tracking: turns den candidates (detections with detector "den-candidate") from every probe, cell,
 * operator and detector into dens — one per physical site — and keeps their lifecycle and evidence.
 *
 * Association of a candidate (its place = serving cell + TA ring):
 *  1. a den already holding this place (same cell, TA within ±ta_tolerance) gets it — also a closed den,
 *     which is then reactivated (the same den, not a new one), and a merged den's survivor;
 *  2. else an open den seen within association_window_s whose geometry admits the new ring (the ring
 *     meets every ring the den already has, and the den's current 95 % ellipse, with slack for multipath
 *     and tower error) and whose activity is of a similar rate (within rate_ratio_max) gets it;
 *  3. else a new den.
 * Other detectors' detections at a den's place are kept as evidence; they never make a den.
 *
 * Lifecycle: suspected → confirmed (seen from ≥ 2 places or ≥ 2 probes, or persisting ≥
 * confirm_persistence_s) → dispatched → closed with an outcome (raided, nothing found, moved, duplicate).
 * Merge closes one den as a duplicate into another and moves its places and evidence; split moves chosen
 * places (and their evidence) into a new den. Each step writes a timeline entry.
 *
 * Must not locate (den-locator.ts does) and must not talk HTTP. Serialises its own work (one at a time).
 */
import { distanceM, type LatLon } from '@simhound/geo';
import { newMessageId, type CellId, type Logger } from '@simhound/protocol';
import type { DetectionRecord, ObservationRecord, Store } from '../store/store.js';
import { placeKey, type DenOutcome, type DenPlace, type DenRecord, type DenState } from './den-types.js';

export const DEN_CANDIDATE = 'den-candidate';

export interface DenTrackerConfig {
  association_window_s: number;
  ring_slack_m: number;
  rate_ratio_max: number;
  confirm_persistence_s: number;
  ta_tolerance: number;
}

export const DEN_TRACKER_DEFAULTS: DenTrackerConfig = {
  association_window_s: 3600,
  ring_slack_m: 300,
  rate_ratio_max: 6,
  confirm_persistence_s: 1800,
  ta_tolerance: 1,
};

export type DenAction = 'confirm' | 'dispatch' | 'close' | 'reopen';

export type DenChangeResult =
  | { ok: true; den: DenRecord }
  | { ok: false; reason: 'not_found' | 'bad_transition' | 'needs_outcome' | 'same_den' | 'no_such_places' | 'all_places' };

export interface TrackerEvents {
  /** A den's places changed (its location needs an update). */
  onPlacesChanged?(den_id: string): void;
  /** New uplink/bearing observations tied to a den. */
  onObservations?(den_id: string): void;
}

const SEVERITY_RANK = { low: 0, medium: 1, high: 2 } as const;

function ringsMeet(d: number, aLo: number, aHi: number, bLo: number, bHi: number, slack: number): boolean {
  // Some rA ∈ [aLo−s, aHi+s], rB ∈ [bLo−s, bHi+s] with |rA − rB| ≤ d ≤ rA + rB.
  if (d > aHi + bHi + 2 * slack) return false;
  return d >= Math.max(aLo - slack - (bHi + slack), bLo - slack - (aHi + slack));
}

function rateOf(d: DetectionRecord): number {
  const minutes = Math.max(1, (d.evidence.horizon_s ?? (d.window.end_ts_ms - d.window.start_ts_ms) / 1000) / 60);
  return (d.evidence.excess_count ?? d.evidence.event_count) / minutes;
}

export class DenTracker {
  readonly config: DenTrackerConfig;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly cellCache = new Map<string, LatLon | null>();
  counters = { candidates: 0, dens_created: 0, reactivated: 0, attached_by_place: 0, attached_by_geometry: 0, other_detections_attached: 0, observations_tied: 0, errors: 0 };

  constructor(
    private readonly store: Store,
    private readonly options: { config?: Partial<DenTrackerConfig>; clock?: () => number; log?: Logger; events?: TrackerEvents } = {},
  ) {
    this.config = { ...DEN_TRACKER_DEFAULTS, ...options.config };
  }

  private get now(): number {
    return (this.options.clock ?? Date.now)();
  }

  /** Run tasks one after another (association must see the previous task's dens). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  async cellPosition(cell: CellId | null): Promise<LatLon | null> {
    if (cell === null) return null;
    const key = `${cell.mcc}-${cell.mnc}-${cell.lac}-${cell.ci}`;
    if (!this.cellCache.has(key)) {
      const c = await this.store.findCell(cell);
      this.cellCache.set(key, c ? { lat_deg: c.lat_deg, lon_deg: c.lon_deg } : null);
    }
    return this.cellCache.get(key)!;
  }

  /** Feed one stored detection. Returns the den it went to (null: not a den's). */
  onDetection(rec: DetectionRecord): Promise<string | null> {
    return this.serial(async () => {
      try {
        return rec.detector === DEN_CANDIDATE ? await this.candidate(rec) : await this.otherDetection(rec);
      } catch (e) {
        this.counters.errors++;
        this.options.log?.error('den tracking failed', { id: rec.id, error: (e as Error).message });
        return null;
      }
    });
  }

  private async resolve(id: string): Promise<DenRecord | null> {
    let den = await this.store.dens.getDen(id);
    for (let hops = 0; den !== null && den.merged_into !== null && hops < 16; hops++) den = await this.store.dens.getDen(den.merged_into);
    return den;
  }

  private async placeMatches(cell: CellId | null, arfcn: number, ta: number, span: number): Promise<DenPlace[]> {
    const t = this.config.ta_tolerance;
    return this.store.dens.findPlaces({ cell, arfcn, ta_min: ta - t, ta_max: ta + span - 1 + t });
  }

  private async candidate(rec: DetectionRecord): Promise<string> {
    this.counters.candidates++;
    const span = rec.evidence.ta_span_steps ?? 1;
    const firstSeen = rec.evidence.first_seen_ts_ms ?? rec.window.start_ts_ms;
    let den: DenRecord | null = null;
    let how: 'place' | 'geometry' | 'new' = 'new';
    for (const p of await this.placeMatches(rec.cell, rec.arfcn, rec.ta_steps, span)) {
      const d = await this.resolve(p.den_id);
      if (d !== null && (den === null || d.last_seen_ts_ms > den.last_seen_ts_ms)) den = d;
    }
    if (den !== null) how = 'place';
    else {
      den = await this.byGeometry(rec, firstSeen);
      if (den !== null) how = 'geometry';
    }
    const now = this.now;
    if (den === null) {
      den = {
        id: newMessageId(now), state: 'suspected', outcome: null, merged_into: null, created_ts_ms: now, updated_ts_ms: now,
        first_seen_ts_ms: firstSeen, last_seen_ts_ms: rec.window.end_ts_ms, max_score: rec.score, max_severity: rec.severity, reactivations: 0, estimate: null,
      };
      await this.store.dens.insertDen(den);
      this.counters.dens_created++;
      await this.timeline(den.id, now, 'state', { to: 'suspected', reason: `new den from ${rec.site}/${rec.probe} ${placeKey(rec)}` });
    } else if (how === 'place') this.counters.attached_by_place++;
    else this.counters.attached_by_geometry++;

    if (den.state === 'closed' && den.outcome !== 'duplicate') {
      den.reactivations++;
      const from = den.outcome;
      den.state = 'suspected';
      den.outcome = null;
      this.counters.reactivated++;
      await this.timeline(den.id, now, 'reactivated', { from_outcome: from, place: placeKey(rec), detection_id: rec.id });
    }
    den.first_seen_ts_ms = Math.min(den.first_seen_ts_ms, firstSeen);
    den.last_seen_ts_ms = Math.max(den.last_seen_ts_ms, rec.window.end_ts_ms);
    den.max_score = Math.max(den.max_score, rec.score);
    if (SEVERITY_RANK[rec.severity] > SEVERITY_RANK[den.max_severity]) den.max_severity = rec.severity;
    den.updated_ts_ms = now;

    const key = placeKey(rec);
    const existing = (await this.store.dens.listPlaces(den.id)).find((p) => placeKey(p) === key);
    const place: DenPlace = {
      den_id: den.id,
      cell: rec.cell,
      arfcn: rec.arfcn,
      ta_steps: rec.ta_steps,
      ta_span: Math.max(span, existing?.ta_span ?? 0),
      range_min_m: Math.min(rec.range_min_m, existing?.range_min_m ?? Infinity),
      range_max_m: Math.max(rec.range_max_m, existing?.range_max_m ?? 0),
      first_seen_ts_ms: Math.min(firstSeen, existing?.first_seen_ts_ms ?? Infinity),
      last_seen_ts_ms: Math.max(rec.window.end_ts_ms, existing?.last_seen_ts_ms ?? 0),
      detections: (existing?.detections ?? 0) + 1,
      rate_per_min: rateOf(rec),
      probes: [...new Set([...(existing?.probes ?? []), `${rec.site}/${rec.probe}`])],
      detectors: [...new Set([...(existing?.detectors ?? []), ...(rec.evidence.indicators ?? []).map((i) => `${i.detector}@${i.detector_version}`)])],
    };
    await this.store.dens.upsertPlace(place);
    await this.store.dens.addEvidence({
      den_id: den.id, ts_ms: rec.window.end_ts_ms, kind: 'detection', ref_table: 'detections', ref_id: rec.id, site: rec.site, probe: rec.probe,
      detector: rec.detector, detector_version: rec.detector_version,
      summary: {
        place: key, how, score: rec.score, severity: rec.severity, ta_steps: rec.ta_steps, ta_span_steps: span,
        range_min_m: rec.range_min_m, range_max_m: rec.range_max_m, fusion_rule: rec.evidence.fusion_rule ?? null,
        indicators: (rec.evidence.indicators ?? []).map((i) => ({ detector: i.detector, detector_version: i.detector_version, level: i.level, p_log10: i.p_log10 })),
        event_count: rec.evidence.event_count, excess_count: rec.evidence.excess_count ?? null,
      },
    });
    await this.autoConfirm(den, rec);
    await this.store.dens.updateDen(den);
    if (!existing || existing.range_min_m !== place.range_min_m || existing.range_max_m !== place.range_max_m) this.options.events?.onPlacesChanged?.(den.id);
    return den.id;
  }

  private async byGeometry(rec: DetectionRecord, firstSeen: number): Promise<DenRecord | null> {
    const cellPos = await this.cellPosition(rec.cell);
    if (cellPos === null) return null;
    const open = (await this.store.dens.listDens({ since_ts_ms: firstSeen - this.config.association_window_s * 1000, limit: 200 })).filter((d) => d.state !== 'closed');
    const rate = rateOf(rec);
    const s = this.config.ring_slack_m;
    let best: { den: DenRecord; score: number } | null = null;
    for (const den of open) {
      const places = await this.store.dens.listPlaces(den.id);
      let ok = places.length > 0;
      let known = 0;
      for (const p of places) {
        const pos = await this.cellPosition(p.cell);
        if (pos === null) continue;
        known++;
        if (p.cell && rec.cell && p.cell.mcc === rec.cell.mcc && p.cell.mnc === rec.cell.mnc && p.cell.lac === rec.cell.lac && p.cell.ci === rec.cell.ci) {
          ok = false; // same cell, another TA: another place on that cell is another site
          break;
        }
        if (!ringsMeet(distanceM(pos, cellPos), p.range_min_m, p.range_max_m, rec.range_min_m, rec.range_max_m, s)) {
          ok = false;
          break;
        }
      }
      if (!ok || known === 0) continue;
      const rates = places.map((p) => p.rate_per_min).filter((r) => r > 0);
      const denRate = rates.length ? Math.max(...rates) : 0;
      if (denRate > 0 && rate > 0 && Math.max(rate / denRate, denRate / rate) > this.config.rate_ratio_max) continue;
      let score = 0;
      if (den.estimate !== null) {
        const dc = distanceM(cellPos, den.estimate.ml_point);
        const a = den.estimate.ellipse_95.semi_major_m;
        if (dc + a < rec.range_min_m - s || dc - a > rec.range_max_m + s) continue;
        const mid = (rec.range_min_m + rec.range_max_m) / 2;
        score = Math.abs(dc - mid);
      }
      if (best === null || score < best.score) best = { den, score };
    }
    return best?.den ?? null;
  }

  private async otherDetection(rec: DetectionRecord): Promise<string | null> {
    const span = rec.evidence.ta_span_steps ?? 1;
    for (const p of await this.placeMatches(rec.cell, rec.arfcn, rec.ta_steps, span)) {
      const den = await this.resolve(p.den_id);
      if (den === null) continue;
      this.counters.other_detections_attached++;
      await this.store.dens.addEvidence({
        den_id: den.id, ts_ms: rec.window.end_ts_ms, kind: 'detection', ref_table: 'detections', ref_id: rec.id, site: rec.site, probe: rec.probe,
        detector: rec.detector, detector_version: rec.detector_version,
        summary: { place: placeKey(rec), how: 'evidence', score: rec.score, severity: rec.severity, ta_steps: rec.ta_steps, event_count: rec.evidence.event_count, p_value: rec.evidence.p_value },
      });
      return den.id;
    }
    return null;
  }

  /**
   * Feed one stored observation message: uplink bursts the edge tied to a (cell, TA) — through the
   * Immediate Assignment's request reference — go to the den holding that place. One timeline entry per
   * message and den. Returns the dens touched.
   */
  onObservations(message_id: string, site: string, probe: string, items: readonly ObservationRecord[]): Promise<string[]> {
    return this.serial(async () => {
      const perDen = new Map<string, { bursts: number; rssi_min: number; rssi_max: number; first: number; last: number; moving: boolean }>();
      for (const o of items) {
        if (o.type !== 'uplink_burst' || o.ta_steps === undefined) continue;
        const cell = o.cell ?? null;
        const places = await this.placeMatches(cell, o.arfcn, o.ta_steps, 1);
        if (places.length === 0) continue;
        const den = await this.resolve(places[0]!.den_id);
        if (den === null) continue;
        let agg = perDen.get(den.id);
        if (agg === undefined) perDen.set(den.id, (agg = { bursts: 0, rssi_min: Infinity, rssi_max: -Infinity, first: o.ts_ms, last: o.ts_ms, moving: false }));
        agg.bursts++;
        agg.rssi_min = Math.min(agg.rssi_min, o.rssi_dbm);
        agg.rssi_max = Math.max(agg.rssi_max, o.rssi_dbm);
        agg.first = Math.min(agg.first, o.ts_ms);
        agg.last = Math.max(agg.last, o.ts_ms);
        agg.moving ||= o.position !== undefined;
      }
      for (const [den_id, a] of perDen) {
        this.counters.observations_tied += a.bursts;
        await this.store.dens.addEvidence({
          den_id, ts_ms: a.last, kind: 'observation', ref_table: 'observation_messages', ref_id: message_id, site, probe, detector: null, detector_version: null,
          summary: { uplink_bursts: a.bursts, rssi_min_dbm: a.rssi_min, rssi_max_dbm: a.rssi_max, first_ts_ms: a.first, moving: a.moving },
        });
        this.options.events?.onObservations?.(den_id);
      }
      return [...perDen.keys()];
    });
  }

  private async autoConfirm(den: DenRecord, rec: DetectionRecord): Promise<void> {
    if (den.state !== 'suspected') return;
    const places = await this.store.dens.listPlaces(den.id);
    const cells = new Set(places.map((p) => (p.cell ? `${p.cell.mcc}-${p.cell.mnc}-${p.cell.lac}-${p.cell.ci}` : `arfcn-${p.arfcn}`)));
    const probes = new Set(places.flatMap((p) => p.probes));
    // Persistence of the current episode (the edge's candidate holds since first_seen_ts_ms).
    const episode_ms = rec.window.end_ts_ms - (rec.evidence.first_seen_ts_ms ?? rec.window.start_ts_ms);
    const reason = cells.size >= 2 ? `seen from ${cells.size} places` : probes.size >= 2 ? `seen by ${probes.size} probes` : episode_ms >= this.config.confirm_persistence_s * 1000 ? `persisted ${Math.round(episode_ms / 60000)} min` : null;
    if (reason === null) return;
    den.state = 'confirmed';
    await this.timeline(den.id, this.now, 'state', { from: 'suspected', to: 'confirmed', reason, by: 'tracker' });
  }

  private async timeline(den_id: string, ts_ms: number, kind: 'state' | 'merge' | 'split' | 'reactivated' | 'note', summary: Record<string, unknown>): Promise<void> {
    await this.store.dens.addEvidence({ den_id, ts_ms, kind, ref_table: null, ref_id: null, site: null, probe: null, detector: null, detector_version: null, summary });
  }

  /** A person moves a den along its lifecycle. */
  changeState(id: string, action: DenAction, opts: { outcome?: DenOutcome; note?: string; user?: string } = {}): Promise<DenChangeResult> {
    return this.serial(async () => {
      const den = await this.store.dens.getDen(id);
      if (den === null) return { ok: false, reason: 'not_found' } as const;
      const allowed: Record<DenAction, readonly DenState[]> = {
        confirm: ['suspected'],
        dispatch: ['suspected', 'confirmed'],
        close: ['suspected', 'confirmed', 'dispatched'],
        reopen: ['closed'],
      };
      if (!allowed[action].includes(den.state) || (action === 'reopen' && den.outcome === 'duplicate')) return { ok: false, reason: 'bad_transition' } as const;
      if (action === 'close' && (opts.outcome === undefined || opts.outcome === 'duplicate')) return { ok: false, reason: 'needs_outcome' } as const;
      const from = den.state;
      den.state = action === 'confirm' ? 'confirmed' : action === 'dispatch' ? 'dispatched' : action === 'close' ? 'closed' : 'suspected';
      den.outcome = action === 'close' ? opts.outcome! : null;
      den.updated_ts_ms = this.now;
      await this.store.dens.updateDen(den);
      await this.timeline(id, den.updated_ts_ms, 'state', { from, to: den.state, outcome: den.outcome, note: opts.note ?? null, by: opts.user ?? null });
      return { ok: true, den } as const;
    });
  }

  /** Merge den `from` into den `into`: `from` is closed as a duplicate; its places and evidence move. */
  merge(from: string, into: string, user?: string): Promise<DenChangeResult> {
    return this.serial(async () => {
      if (from === into) return { ok: false, reason: 'same_den' } as const;
      const a = await this.store.dens.getDen(from);
      const b = await this.store.dens.getDen(into);
      if (a === null || b === null || b.merged_into !== null) return { ok: false, reason: 'not_found' } as const;
      const now = this.now;
      await this.store.dens.movePlaces(from, into);
      await this.store.dens.moveEvidence(from, into);
      a.state = 'closed';
      a.outcome = 'duplicate';
      a.merged_into = into;
      a.updated_ts_ms = now;
      b.first_seen_ts_ms = Math.min(a.first_seen_ts_ms, b.first_seen_ts_ms);
      b.last_seen_ts_ms = Math.max(a.last_seen_ts_ms, b.last_seen_ts_ms);
      b.max_score = Math.max(a.max_score, b.max_score);
      if (SEVERITY_RANK[a.max_severity] > SEVERITY_RANK[b.max_severity]) b.max_severity = a.max_severity;
      b.updated_ts_ms = now;
      await this.store.dens.updateDen(a);
      await this.store.dens.updateDen(b);
      await this.timeline(from, now, 'merge', { into, by: user ?? null });
      await this.timeline(into, now, 'merge', { from, by: user ?? null });
      this.options.events?.onPlacesChanged?.(into);
      return { ok: true, den: b } as const;
    });
  }

  /** Split the places `keys` (placeKey) of den `id` into a new den (their evidence goes with them). */
  split(id: string, keys: readonly string[], user?: string): Promise<DenChangeResult> {
    return this.serial(async () => {
      const den = await this.store.dens.getDen(id);
      if (den === null) return { ok: false, reason: 'not_found' } as const;
      const places = await this.store.dens.listPlaces(id);
      const moving = places.filter((p) => keys.includes(placeKey(p)));
      if (moving.length === 0) return { ok: false, reason: 'no_such_places' } as const;
      if (moving.length === places.length) return { ok: false, reason: 'all_places' } as const;
      const now = this.now;
      const fresh: DenRecord = {
        id: newMessageId(now), state: 'suspected', outcome: null, merged_into: null, created_ts_ms: now, updated_ts_ms: now,
        first_seen_ts_ms: Math.min(...moving.map((p) => p.first_seen_ts_ms)), last_seen_ts_ms: Math.max(...moving.map((p) => p.last_seen_ts_ms)),
        max_score: den.max_score, max_severity: den.max_severity, reactivations: 0, estimate: null,
      };
      await this.store.dens.insertDen(fresh);
      const movedKeys = moving.map(placeKey);
      await this.store.dens.movePlaces(id, fresh.id, movedKeys);
      await this.store.dens.moveEvidence(id, fresh.id, movedKeys);
      await this.timeline(id, now, 'split', { to: fresh.id, places: movedKeys, by: user ?? null });
      await this.timeline(fresh.id, now, 'split', { from: id, places: movedKeys, by: user ?? null });
      den.updated_ts_ms = now;
      await this.store.dens.updateDen(den);
      await this.store.dens.setEstimate(id, null);
      this.options.events?.onPlacesChanged?.(id);
      this.options.events?.onPlacesChanged?.(fresh.id);
      return { ok: true, den: fresh } as const;
    });
  }

  /** Wait for queued work (tests, shutdown). */
  async idle(): Promise<void> {
    await this.chain;
  }
}
