/**
 * The alerts' DenSource over the collector's real dens (collector/src/dens): the den tracker's dens with
 * their places, lifecycle, reactivations and evidence timeline, and the locator's estimate as the
 * location (point and 95 % ellipse; the serving cell of the den's tightest place until there is one).
 * An alert's dispatch and outcome go through the tracker's own state change (the den's timeline records
 * who and when), and every den change (candidate, state change on the den page, merge, split, new
 * estimate) is handed on to the alert service.
 *
 * Must not decide tiers or send anything; must not change a den except through the tracker.
 */
import { fail, ok, type Result } from '@simhound/protocol';
import type { Store } from '../store/store.js';
import type { DenService } from '../dens/den-service.js';
import { DEN_CANDIDATE } from '../dens/den-tracker.js';
import { placeKey, type DenPlace, type DenRecord } from '../dens/den-types.js';
import type { AlertOutcome, DenLocation } from './alert-types.js';
import type { AlertDen, AlertDenEvidence, AlertDenPlace, DenActionRejection, DenSource, EvidenceRefTable } from './den-view.js';

/** How many detection entries of a den's timeline are read for its detector versions. */
const DETECTOR_SCAN = 2000;

export class TrackedDenSource implements DenSource {
  readonly kind = 'dens' as const;

  constructor(
    private readonly store: Store,
    private readonly dens: DenService,
  ) {}

  onChange(listener: (den_id: string) => void): void {
    this.dens.onDenChanged(listener);
  }

  /** Ids of dens seen since `since_ts_ms` (all states; merged ones too, so their alerts follow). */
  async recent(since_ts_ms: number, limit = 10_000): Promise<string[]> {
    return (await this.store.dens.listDens({ since_ts_ms, include_merged: true, limit })).map((d) => d.id);
  }

  private async place(p: DenPlace): Promise<AlertDenPlace> {
    return {
      key: placeKey(p), cell: p.cell, arfcn: p.arfcn, ta_steps: p.ta_steps, range_min_m: p.range_min_m, range_max_m: p.range_max_m,
      cell_position: await this.dens.tracker.cellPosition(p.cell),
      first_seen_ts_ms: p.first_seen_ts_ms, last_seen_ts_ms: p.last_seen_ts_ms, rate_per_min: p.rate_per_min, probes: [...p.probes].sort(), detectors: [...p.detectors].sort(),
    };
  }

  private static location(den: DenRecord, places: readonly AlertDenPlace[]): DenLocation | null {
    const e = den.estimate;
    if (e !== null) {
      const el = e.ellipse_95;
      return {
        point: e.ml_point,
        ellipse_95: { semi_major_m: el.semi_major_m, semi_minor_m: el.semi_minor_m, orientation_deg: el.orientation_deg, centre: el.centre },
        source: 'estimate',
        accuracy_m: el.semi_major_m,
      };
    }
    // No estimate yet: the serving cell of the tightest ring (routing needs a point; the officer sees it is only the cell).
    const known = places.filter((p) => p.cell_position !== null).sort((a, b) => a.range_max_m - b.range_max_m);
    const best = known[0];
    return best ? { point: best.cell_position!, ellipse_95: null, source: 'serving_cell', accuracy_m: best.range_max_m } : null;
  }

  async get(den_id: string): Promise<AlertDen | null> {
    const den = await this.store.dens.getDen(den_id);
    if (den === null) return null;
    const places = await Promise.all((await this.store.dens.listPlaces(den_id)).map((p) => this.place(p)));
    places.sort((a, b) => b.last_seen_ts_ms - a.last_seen_ts_ms || a.key.localeCompare(b.key));
    const detectors = new Set(places.flatMap((p) => p.detectors));
    for (const e of await this.store.dens.listEvidence(den_id, { kinds: ['detection'], limit: DETECTOR_SCAN })) {
      if (e.detector === DEN_CANDIDATE && e.detector_version !== null) detectors.add(`${e.detector}@${e.detector_version}`);
    }
    return {
      id: den.id,
      state: den.state,
      outcome: den.outcome,
      score: den.max_score,
      severity: den.max_severity,
      first_seen_ts_ms: den.first_seen_ts_ms,
      last_seen_ts_ms: den.last_seen_ts_ms,
      reactivations: den.reactivations,
      places,
      probes: [...new Set(places.flatMap((p) => p.probes))].sort(),
      detectors: [...detectors].sort(),
      location: TrackedDenSource.location(den, places),
    };
  }

  async evidence(den_id: string, limit: number): Promise<AlertDenEvidence[]> {
    return (await this.store.dens.listEvidence(den_id, { limit })).map(({ id: _id, den_id: _den, ...e }) => e);
  }

  envelopeJson(table: EvidenceRefTable, id: string): Promise<string | null> {
    return this.store.dens.getEnvelopeJson(table, id);
  }

  async recordDispatch(den_id: string, by: string, note: string | null): Promise<Result<void, DenActionRejection>> {
    const den = await this.store.dens.getDen(den_id);
    if (den === null) return fail('den_refused', `den ${den_id} is gone`);
    if (den.state === 'dispatched') return ok(undefined);
    const r = await this.dens.tracker.changeState(den_id, 'dispatch', { user: by, ...(note !== null ? { note } : {}) });
    return r.ok ? ok(undefined) : fail('den_refused', `the den (${den.state}) cannot be dispatched: ${r.reason}`);
  }

  async recordOutcome(den_id: string, outcome: AlertOutcome, by: string, note: string | null): Promise<Result<void, DenActionRejection>> {
    if (outcome === 'duplicate') return fail('den_refused', 'a duplicate den is closed by merging it into the den it duplicates (POST /api/dens/:id/merge); its alert follows');
    const den = await this.store.dens.getDen(den_id);
    if (den === null) return fail('den_refused', `den ${den_id} is gone`);
    if (den.state === 'closed' && den.outcome === outcome) return ok(undefined);
    const r = await this.dens.tracker.changeState(den_id, 'close', { outcome, user: by, ...(note !== null ? { note } : {}) });
    return r.ok ? ok(undefined) : fail('den_refused', `the den (${den.state}) cannot be closed: ${r.reason}`);
  }
}
