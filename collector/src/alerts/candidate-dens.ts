/**
 * A DenSource made of den candidates alone, until the den tracker (collector/src/dens, association of
 * candidates from several cells, operators and probes into one den, with location) is on main: each
 * (cell, TA) place the edge publishes `den-candidate` detections for is one den. Its lifecycle follows
 * its alert: dispatched and closed when the alert is; a candidate whose window ends after the close
 * reactivates it (as the den tracker does). Location: the serving cell's position from the cell
 * database, within the TA ring's outer radius.
 *
 * State is rebuilt at start from stored detections (`load`) and the alerts' own closing times; it is
 * otherwise in memory. Evidence entries point at the stored signed detection envelopes.
 * Must not decide tiers or send anything.
 */
import type { CellId, DetectionBody, ParsedEnvelope, Severity } from '@simhound/protocol';
import type { DetectionRecord, Store } from '../store/store.js';
import type { AlertOutcome, LatLon } from './alert-types.js';
import type { AlertDen, AlertDenEvidence, AlertDenPlace, DenLifecycleState, DenSource, EvidenceRefTable } from './den-view.js';

export const DEN_CANDIDATE_DETECTOR = 'den-candidate';
const EVIDENCE_PER_DEN = 2000;
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

export function candidatePlaceKey(d: { cell: CellId | null; arfcn: number; ta_steps: number }): string {
  return `${d.cell ? `${d.cell.mcc}-${d.cell.mnc}-${d.cell.lac}-${d.cell.ci}` : `arfcn-${d.arfcn}`}@${d.ta_steps}`;
}

export const candidateDenId = (d: { cell: CellId | null; arfcn: number; ta_steps: number }) => `candidates:${candidatePlaceKey(d)}`;

/** Originating accesses per minute above the baseline in a candidate (its excess over its horizon). */
export function candidateRate(d: DetectionBody): number {
  const minutes = Math.max(1, (d.evidence.horizon_s ?? (d.window.end_ts_ms - d.window.start_ts_ms) / 1000) / 60);
  return (d.evidence.excess_count ?? d.evidence.event_count) / minutes;
}

interface CandidateDen {
  id: string;
  place: Omit<AlertDenPlace, 'probes' | 'detectors'>;
  probes: Set<string>;
  detectors: Set<string>;
  score: number;
  severity: Severity;
  evidence: AlertDenEvidence[];
  state: DenLifecycleState;
  outcome: AlertOutcome | null;
  closed_ts_ms: number | null;
  reactivations: number;
}

export class CandidateDenSource implements DenSource {
  readonly kind = 'den-candidates' as const;
  private readonly dens = new Map<string, CandidateDen>();
  private readonly listeners: Array<(den_id: string) => void> = [];
  private readonly cellPositions = new Map<string, LatLon | null>();
  private chain: Promise<unknown> = Promise.resolve();
  counters = { candidates: 0, reactivated: 0, ignored: 0 };

  constructor(private readonly store: Store) {}

  onChange(listener: (den_id: string) => void): void {
    this.listeners.push(listener);
  }

  private emit(id: string): void {
    for (const l of this.listeners) l(id);
  }

  /** Rebuild from stored candidates of the last `lookback_ms` and the alerts' closing state. Returns the den ids. */
  async load(now_ms: number, lookback_ms: number, limit = 100_000): Promise<string[]> {
    const rows = await this.store.listDetections({ since_ts_ms: now_ms - lookback_ms, limit });
    for (const rec of rows.reverse()) if (rec.detector === DEN_CANDIDATE_DETECTOR) await this.apply(rec, false);
    for (const den of this.dens.values()) {
      const alert = await this.store.alerts.getAlertByDen(den.id);
      den.reactivations = alert?.den_reactivations ?? 0;
      if (alert === null) continue;
      if (alert.state === 'dispatched') den.state = 'dispatched';
      if (alert.state === 'closed' && alert.outcome_ts_ms !== null) {
        den.state = 'closed';
        den.outcome = alert.outcome;
        den.closed_ts_ms = alert.outcome_ts_ms;
        // Activity after the close that the alerts did not take in (a stop in between): reactivated.
        if (den.place.last_seen_ts_ms > alert.outcome_ts_ms) this.reactivate(den);
      }
    }
    return [...this.dens.keys()];
  }

  /** Ingest's accepted-message hook. */
  onAccepted(env: ParsedEnvelope, received_ts_ms: number): void {
    if (env.kind !== 'detection' || env.body.detector !== DEN_CANDIDATE_DETECTOR) return;
    const rec: DetectionRecord = { id: env.id, site: env.site, probe: env.probe, ts_ms: env.ts_ms, seq: env.seq, received_ts_ms, ...env.body };
    const run = this.chain.then(() => this.apply(rec, true));
    this.chain = run.catch(() => undefined);
  }

  /** Wait until accepted candidates are applied (tests, shutdown). */
  async idle(): Promise<void> {
    await this.chain;
  }

  private reactivate(den: CandidateDen): void {
    den.state = 'suspected';
    den.outcome = null;
    den.closed_ts_ms = null;
    den.reactivations++;
    this.counters.reactivated++;
  }

  private async cellPosition(cell: CellId | null): Promise<LatLon | null> {
    if (cell === null) return null;
    const key = `${cell.mcc}-${cell.mnc}-${cell.lac}-${cell.ci}`;
    if (!this.cellPositions.has(key)) {
      const c = await this.store.findCell(cell);
      this.cellPositions.set(key, c ? { lat_deg: c.lat_deg, lon_deg: c.lon_deg } : null);
    }
    return this.cellPositions.get(key)!;
  }

  private async apply(rec: DetectionRecord, notify: boolean): Promise<void> {
    this.counters.candidates++;
    const id = candidateDenId(rec);
    const firstSeen = rec.evidence.first_seen_ts_ms ?? rec.window.start_ts_ms;
    let den = this.dens.get(id);
    if (den === undefined) {
      den = {
        id,
        place: {
          key: candidatePlaceKey(rec), cell: rec.cell, arfcn: rec.arfcn, ta_steps: rec.ta_steps, range_min_m: rec.range_min_m, range_max_m: rec.range_max_m,
          cell_position: await this.cellPosition(rec.cell), first_seen_ts_ms: firstSeen, last_seen_ts_ms: rec.window.end_ts_ms, rate_per_min: candidateRate(rec),
        },
        probes: new Set(), detectors: new Set(), score: rec.score, severity: rec.severity, evidence: [], state: 'suspected', outcome: null, closed_ts_ms: null, reactivations: 0,
      };
      this.dens.set(id, den);
    }
    if (den.state === 'closed' && den.closed_ts_ms !== null && rec.window.end_ts_ms > den.closed_ts_ms) this.reactivate(den);
    const p = den.place;
    p.first_seen_ts_ms = Math.min(p.first_seen_ts_ms, firstSeen);
    if (rec.window.end_ts_ms >= p.last_seen_ts_ms) p.rate_per_min = candidateRate(rec);
    p.last_seen_ts_ms = Math.max(p.last_seen_ts_ms, rec.window.end_ts_ms);
    p.range_min_m = Math.min(p.range_min_m, rec.range_min_m);
    p.range_max_m = Math.max(p.range_max_m, rec.range_max_m);
    den.score = Math.max(den.score, rec.score);
    if (SEVERITY_RANK[rec.severity] > SEVERITY_RANK[den.severity]) den.severity = rec.severity;
    den.probes.add(`${rec.site}/${rec.probe}`);
    den.detectors.add(`${rec.detector}@${rec.detector_version}`);
    for (const i of rec.evidence.indicators ?? []) den.detectors.add(`${i.detector}@${i.detector_version}`);
    den.evidence.push({
      ts_ms: rec.window.end_ts_ms, kind: 'detection', ref_table: 'detections', ref_id: rec.id, site: rec.site, probe: rec.probe,
      detector: rec.detector, detector_version: rec.detector_version,
      summary: {
        place: p.key, score: rec.score, severity: rec.severity, ta_steps: rec.ta_steps, range_min_m: rec.range_min_m, range_max_m: rec.range_max_m,
        fusion_rule: rec.evidence.fusion_rule ?? null, event_count: rec.evidence.event_count, excess_count: rec.evidence.excess_count ?? null,
        first_seen_ts_ms: firstSeen, window: rec.window,
        indicators: (rec.evidence.indicators ?? []).map((i) => ({ detector: i.detector, detector_version: i.detector_version, level: i.level, p_log10: i.p_log10, reason: i.reason })),
      },
    });
    if (den.evidence.length > EVIDENCE_PER_DEN) den.evidence.splice(0, den.evidence.length - EVIDENCE_PER_DEN);
    if (notify) this.emit(id);
  }

  async get(den_id: string): Promise<AlertDen | null> {
    const den = this.dens.get(den_id);
    if (den === undefined) return null;
    const p = den.place;
    return {
      id: den.id,
      state: den.state,
      outcome: den.outcome,
      score: den.score,
      severity: den.severity,
      first_seen_ts_ms: p.first_seen_ts_ms,
      last_seen_ts_ms: p.last_seen_ts_ms,
      reactivations: den.reactivations,
      places: [{ ...p, probes: [...den.probes].sort(), detectors: [...den.detectors].sort() }],
      probes: [...den.probes].sort(),
      detectors: [...den.detectors].sort(),
      location: p.cell_position ? { point: p.cell_position, ellipse_95: null, source: 'serving_cell', accuracy_m: p.range_max_m } : null,
    };
  }

  async evidence(den_id: string, limit: number): Promise<AlertDenEvidence[]> {
    return (this.dens.get(den_id)?.evidence ?? []).slice(-limit);
  }

  envelopeJson(table: EvidenceRefTable, id: string): Promise<string | null> {
    return this.store.alerts.storedEnvelopeJson(table, id);
  }

  async recordDispatch(den_id: string): Promise<void> {
    const den = this.dens.get(den_id);
    if (den !== undefined && den.state !== 'closed') den.state = 'dispatched';
  }

  async recordOutcome(den_id: string, outcome: AlertOutcome, _by: string, _note: string | null, ts_ms: number): Promise<void> {
    const den = this.dens.get(den_id);
    if (den === undefined) return;
    den.state = 'closed';
    den.outcome = outcome;
    den.closed_ts_ms = ts_ms;
  }
}
