/**
 * Keeps a location engine (geo/locator.ts) per den and feeds it from the store: one TA ring per serving
 * cell of the den (its places on that cell merged into one band), the uplink bursts the edge tied to the
 * den's places (fixed probes at their status position, moving probes at the position in each burst),
 * bearings on the den's ARFCNs that point near it, and the configured prior. Updates are incremental: only
 * observations not seen before are added. Each update stores the estimate on the den and, when it moved
 * or shrank, an 'estimate' entry on the den's timeline.
 *
 * Must not associate detections with dens (den-tracker.ts does).
 */
import { bearingDeg, distanceM, type LatLon } from '@simhound/geo';
import type { Logger } from '@simhound/protocol';
import type { ObservationRecord, Store } from '../store/store.js';
import { BuiltUpPrior } from '../geo/built-up-prior.js';
import { Locator, type BearingInput, type LocationEstimate, type LocatorConfig, type RingInput } from '../geo/locator.js';
import { foxHuntStep, type FoxHuntStep } from '../geo/next-best.js';
import type { DenEstimateSummary, DenPlace } from './den-types.js';

export interface DenLocatorOptions {
  locator?: Partial<LocatorConfig>;
  /** Built-up areas (GeoJSON, lon/lat); each den's engine moves them into its own plane. */
  prior?: { geojson: unknown; outside_weight: number } | null;
  /** How far before a den's first sighting its observations are still used, seconds. */
  lookback_s?: number;
  clock?: () => number;
  log?: Logger;
}

interface DenGeo {
  locator: Locator;
  ringsKey: string;
  seen: Set<string>;
  since_ts_ms: number;
  burstCursor: number;
  bearingsKey: string;
  last: LocationEstimate | null;
  lastEvidenceTs: number;
  lastEvidenceArea: number;
}

const LATE_MS = 600_000;

export function summarise(e: LocationEstimate, ts_ms: number): DenEstimateSummary {
  return {
    ts_ms,
    ml_point: e.ml_point,
    mean_point: e.mean_point,
    ellipse_95: e.ellipse_95,
    hpd95_area_m2: e.hpd95_area_m2,
    path_loss: e.path_loss,
    inputs: e.inputs,
    compute_ms: Math.round(e.compute_ms * 10) / 10,
  };
}

const within = (o: ObservationRecord & { type: 'uplink_burst' }, places: readonly DenPlace[], tol: number) =>
  o.ta_steps !== undefined &&
  places.some((p) => {
    const cellOk = o.cell ? p.cell !== null && p.cell.mcc === o.cell.mcc && p.cell.mnc === o.cell.mnc && p.cell.lac === o.cell.lac && p.cell.ci === o.cell.ci : p.arfcn === o.arfcn;
    return cellOk && o.ta_steps! >= p.ta_steps - tol && o.ta_steps! <= p.ta_steps + p.ta_span - 1 + tol;
  });

export class DenLocator {
  private readonly dens = new Map<string, DenGeo>();
  private readonly cellPositions = new Map<string, LatLon | null>();
  counters = { updates: 0, bursts_used: 0, bearings_used: 0, failures: 0 };

  constructor(
    private readonly store: Store,
    private readonly options: DenLocatorOptions = {},
  ) {}

  private async cellPosition(p: DenPlace): Promise<LatLon | null> {
    if (p.cell === null) return null;
    const key = `${p.cell.mcc}-${p.cell.mnc}-${p.cell.lac}-${p.cell.ci}`;
    if (!this.cellPositions.has(key)) {
      const c = await this.store.findCell(p.cell);
      this.cellPositions.set(key, c ? { lat_deg: c.lat_deg, lon_deg: c.lon_deg } : null);
    }
    return this.cellPositions.get(key)!;
  }

  /** One ring per located cell: the union of the den's TA bands on it. */
  private async rings(places: readonly DenPlace[]): Promise<Array<RingInput & { key: string }>> {
    const byCell = new Map<string, RingInput & { key: string }>();
    for (const p of places) {
      const pos = await this.cellPosition(p);
      if (pos === null) continue;
      const key = `${p.cell!.mcc}-${p.cell!.mnc}-${p.cell!.lac}-${p.cell!.ci}`;
      const r = byCell.get(key);
      if (r === undefined) byCell.set(key, { key, cell: pos, range_min_m: p.range_min_m, range_max_m: p.range_max_m, label: key });
      else {
        r.range_min_m = Math.min(r.range_min_m, p.range_min_m);
        r.range_max_m = Math.max(r.range_max_m, p.range_max_m);
      }
    }
    return [...byCell.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  forget(den_id: string): void {
    this.dens.delete(den_id);
  }

  /** The den's engine, brought up to date with the store. Null when nothing locates it yet. */
  async update(den_id: string): Promise<{ estimate: LocationEstimate; locator: Locator } | null> {
    try {
      return await this.updateInner(den_id);
    } catch (e) {
      this.counters.failures++;
      this.options.log?.error('den location update failed', { den_id, error: (e as Error).message });
      return null;
    }
  }

  private async updateInner(den_id: string): Promise<{ estimate: LocationEstimate; locator: Locator } | null> {
    const den = await this.store.dens.getDen(den_id);
    if (den === null) return null;
    const places = await this.store.dens.listPlaces(den_id);
    const rings = await this.rings(places);
    const ringsKey = rings.map((r) => `${r.key}:${r.range_min_m}:${r.range_max_m}`).join('|');
    let g = this.dens.get(den_id);
    if (g === undefined) {
      if (rings.length === 0) return null;
      const origin = { lat_deg: rings.reduce((a, r) => a + r.cell.lat_deg, 0) / rings.length, lon_deg: rings.reduce((a, r) => a + r.cell.lon_deg, 0) / rings.length };
      const locator = new Locator(origin, this.options.locator);
      if (this.options.prior) {
        const prior = BuiltUpPrior.fromGeoJson(this.options.prior.geojson, locator.projection, { outside_weight: this.options.prior.outside_weight });
        if (prior.ok) locator.setPrior(prior.value);
        else this.options.log?.warn('prior GeoJSON not used', { reason: prior.reason });
      }
      const since = den.first_seen_ts_ms - (this.options.lookback_s ?? 3600) * 1000;
      g = { locator, ringsKey: '', seen: new Set(), since_ts_ms: since, burstCursor: since, bearingsKey: '', last: null, lastEvidenceTs: 0, lastEvidenceArea: Infinity };
      this.dens.set(den_id, g);
    }
    if (g.ringsKey !== ringsKey) {
      g.locator.setRings(rings);
      g.ringsKey = ringsKey;
    }

    // Uplink bursts tied to the den's places (new ones only).
    const probes = new Map((await this.store.listProbes()).map((p) => [`${p.site}/${p.probe}`, p.status?.position ?? null]));
    const fresh = await this.store.listObservations({ type: 'uplink_burst', since_ts_ms: g.burstCursor, limit: 200_000 });
    const add: Array<{ position: LatLon; rssi_dbm: number; probe: string; moving: boolean }> = [];
    for (const o of fresh) {
      // Re-read the last 10 minutes each time (late batches); the seen set drops repeats.
      g.burstCursor = Math.max(g.burstCursor, o.ts_ms - LATE_MS);
      const key = `${o.message_id}:${o.idx}`;
      if (g.seen.has(key) || o.type !== 'uplink_burst') continue;
      g.seen.add(key);
      if (!within(o, places, 1)) continue;
      const probe = `${o.site}/${o.probe}`;
      const position = o.position ?? probes.get(probe) ?? null;
      if (position === null) continue;
      add.push({ position, rssi_dbm: o.rssi_dbm, probe, moving: o.position !== undefined });
    }
    if (add.length > 0) {
      g.locator.addBursts(add);
      this.counters.bursts_used += add.length;
    }

    // Bearings on the den's ARFCNs that point near its current estimate (or any, before one exists).
    const arfcns = new Set(places.map((p) => p.arfcn));
    const bearings: BearingInput[] = [];
    for (const o of await this.store.listObservations({ type: 'bearing', since_ts_ms: g.since_ts_ms, limit: 10_000 })) {
      if (o.type !== 'bearing' || (o.arfcn !== undefined && !arfcns.has(o.arfcn))) continue;
      if (g.last !== null) {
        const to = bearingDeg(o.position, g.last.ml_point);
        const off = Math.abs(((to - o.bearing_deg + 540) % 360) - 180);
        if (off > Math.max(3 * o.bearing_std_deg, 10) && distanceM(o.position, g.last.ml_point) > g.last.ellipse_95.semi_major_m) continue;
      }
      bearings.push({ position: o.position, bearing_deg: o.bearing_deg, bearing_std_deg: o.bearing_std_deg, label: `${o.site}/${o.probe}` });
    }
    const bearingsKey = bearings.map((b) => `${b.label}:${b.bearing_deg}:${b.position.lat_deg}:${b.position.lon_deg}`).join('|');
    if (bearingsKey !== g.bearingsKey) {
      g.locator.setBearings(bearings);
      g.bearingsKey = bearingsKey;
      this.counters.bearings_used = bearings.length;
    }

    const estimate = g.locator.estimate();
    g.last = estimate;
    this.counters.updates++;
    const now = (this.options.clock ?? Date.now)();
    const summary = summarise(estimate, now);
    await this.store.dens.setEstimate(den_id, summary);
    const shrank = estimate.hpd95_area_m2 < 0.8 * g.lastEvidenceArea || estimate.hpd95_area_m2 > 1.25 * g.lastEvidenceArea;
    if (shrank || now - g.lastEvidenceTs >= 60_000) {
      g.lastEvidenceTs = now;
      g.lastEvidenceArea = estimate.hpd95_area_m2;
      await this.store.dens.addEvidence({ den_id, ts_ms: now, kind: 'estimate', ref_table: null, ref_id: null, site: null, probe: null, detector: null, detector_version: null, summary: { ...summary } });
    }
    return { estimate, locator: g.locator };
  }

  /** The den's engine if it has one (after an update); builds it from the store otherwise. */
  async locatorFor(den_id: string): Promise<{ estimate: LocationEstimate; locator: Locator } | null> {
    const g = this.dens.get(den_id);
    if (g?.last) return { estimate: g.last, locator: g.locator };
    return this.update(den_id);
  }

  /** Fox-hunt guidance for a unit at `at`. */
  async guidance(den_id: string, at: LatLon): Promise<FoxHuntStep | null> {
    const l = await this.locatorFor(den_id);
    if (l === null) return null;
    return foxHuntStep(l.locator, l.estimate, at);
  }
}
