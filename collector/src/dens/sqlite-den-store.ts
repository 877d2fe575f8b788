/**
 * The SQLite implementation of DenStore, on the collector store's database handle (same file, same WAL,
 * tables from den-migrations.ts). Must not decide anything about dens (the tracker does).
 */
import type Database from 'better-sqlite3';
import type { CellId } from '@simhound/protocol';
import type { DenQuery, DenStore } from './den-store.js';
import { placeKey, type DenEvidenceInput, type DenEvidenceRecord, type DenPlace, type DenRecord, type EvidenceRefTable } from './den-types.js';

type Row = Record<string, unknown>;

const REF_TABLES: Record<EvidenceRefTable, string> = {
  detections: 'SELECT envelope_json FROM detections WHERE id = ?',
  windows: 'SELECT envelope_json FROM windows WHERE id = ?',
  observation_messages: 'SELECT envelope_json FROM observation_messages WHERE id = ?',
};

function denFromRow(r: Row): DenRecord {
  return {
    id: r.id as string,
    state: r.state as DenRecord['state'],
    outcome: (r.outcome as DenRecord['outcome']) ?? null,
    merged_into: (r.merged_into as string | null) ?? null,
    created_ts_ms: r.created_ts_ms as number,
    updated_ts_ms: r.updated_ts_ms as number,
    first_seen_ts_ms: r.first_seen_ts_ms as number,
    last_seen_ts_ms: r.last_seen_ts_ms as number,
    max_score: r.max_score as number,
    max_severity: r.max_severity as DenRecord['max_severity'],
    reactivations: r.reactivations as number,
    estimate: r.estimate_json ? JSON.parse(r.estimate_json as string) : null,
  };
}

function placeFromRow(r: Row): DenPlace {
  return {
    den_id: r.den_id as string,
    cell: r.mcc === null ? null : { mcc: r.mcc as string, mnc: r.mnc as string, lac: r.lac as number, ci: r.ci as number },
    arfcn: r.arfcn as number,
    ta_steps: r.ta_steps as number,
    ta_span: r.ta_span as number,
    range_min_m: r.range_min_m as number,
    range_max_m: r.range_max_m as number,
    first_seen_ts_ms: r.first_seen_ts_ms as number,
    last_seen_ts_ms: r.last_seen_ts_ms as number,
    detections: r.detections as number,
    rate_per_min: r.rate_per_min as number,
    probes: JSON.parse(r.probes_json as string),
    detectors: JSON.parse(r.detectors_json as string),
  };
}

export class SqliteDenStore implements DenStore {
  constructor(private readonly db: Database.Database) {}

  private denParams(d: DenRecord) {
    return { ...d, estimate_json: d.estimate === null ? null : JSON.stringify(d.estimate) };
  }

  async insertDen(den: DenRecord): Promise<void> {
    this.db.prepare(`INSERT INTO dens (id, state, outcome, merged_into, created_ts_ms, updated_ts_ms, first_seen_ts_ms, last_seen_ts_ms, max_score, max_severity, reactivations, estimate_json)
      VALUES (@id, @state, @outcome, @merged_into, @created_ts_ms, @updated_ts_ms, @first_seen_ts_ms, @last_seen_ts_ms, @max_score, @max_severity, @reactivations, @estimate_json)`).run(this.denParams(den));
  }

  async updateDen(den: DenRecord): Promise<void> {
    this.db.prepare(`UPDATE dens SET state = @state, outcome = @outcome, merged_into = @merged_into, updated_ts_ms = @updated_ts_ms,
      first_seen_ts_ms = @first_seen_ts_ms, last_seen_ts_ms = @last_seen_ts_ms, max_score = @max_score, max_severity = @max_severity,
      reactivations = @reactivations WHERE id = @id`).run(this.denParams(den));
  }

  async setEstimate(id: string, estimate: DenRecord['estimate']): Promise<void> {
    this.db.prepare('UPDATE dens SET estimate_json = ? WHERE id = ?').run(estimate === null ? null : JSON.stringify(estimate), id);
  }

  async getDen(id: string): Promise<DenRecord | null> {
    const r = this.db.prepare('SELECT * FROM dens WHERE id = ?').get(id) as Row | undefined;
    return r ? denFromRow(r) : null;
  }

  async listDens(q: DenQuery): Promise<DenRecord[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (q.state !== undefined) { clauses.push('state = ?'); params.push(q.state); }
    if (q.since_ts_ms !== undefined) { clauses.push('last_seen_ts_ms >= ?'); params.push(q.since_ts_ms); }
    if (q.at_ts_ms !== undefined) { clauses.push('first_seen_ts_ms <= ?'); params.push(q.at_ts_ms); }
    if (!q.include_merged) clauses.push('merged_into IS NULL');
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return (this.db.prepare(`SELECT * FROM dens ${where} ORDER BY last_seen_ts_ms DESC, id LIMIT ?`).all(...params, q.limit) as Row[]).map(denFromRow);
  }

  async upsertPlace(p: DenPlace): Promise<void> {
    this.db.prepare(`INSERT INTO den_places (den_id, place_key, mcc, mnc, lac, ci, arfcn, ta_steps, ta_span, range_min_m, range_max_m,
        first_seen_ts_ms, last_seen_ts_ms, detections, rate_per_min, probes_json, detectors_json)
      VALUES (@den_id, @place_key, @mcc, @mnc, @lac, @ci, @arfcn, @ta_steps, @ta_span, @range_min_m, @range_max_m,
        @first_seen_ts_ms, @last_seen_ts_ms, @detections, @rate_per_min, @probes_json, @detectors_json)
      ON CONFLICT (den_id, place_key) DO UPDATE SET ta_span = excluded.ta_span, range_min_m = excluded.range_min_m, range_max_m = excluded.range_max_m,
        first_seen_ts_ms = excluded.first_seen_ts_ms, last_seen_ts_ms = excluded.last_seen_ts_ms, detections = excluded.detections,
        rate_per_min = excluded.rate_per_min, probes_json = excluded.probes_json, detectors_json = excluded.detectors_json`).run({
      ...p,
      place_key: placeKey(p),
      mcc: p.cell?.mcc ?? null, mnc: p.cell?.mnc ?? null, lac: p.cell?.lac ?? null, ci: p.cell?.ci ?? null,
      probes_json: JSON.stringify(p.probes),
      detectors_json: JSON.stringify(p.detectors),
    });
  }

  async listPlaces(den_id: string): Promise<DenPlace[]> {
    return (this.db.prepare('SELECT * FROM den_places WHERE den_id = ? ORDER BY first_seen_ts_ms').all(den_id) as Row[]).map(placeFromRow);
  }

  async findPlaces(q: { cell: CellId | null; arfcn: number; ta_min: number; ta_max: number }): Promise<DenPlace[]> {
    const rows = q.cell === null
      ? this.db.prepare('SELECT * FROM den_places WHERE arfcn = ? AND ta_steps BETWEEN ? AND ?').all(q.arfcn, q.ta_min, q.ta_max)
      : this.db.prepare('SELECT * FROM den_places WHERE mcc = ? AND mnc = ? AND lac = ? AND ci = ? AND ta_steps BETWEEN ? AND ?')
        .all(q.cell.mcc, q.cell.mnc, q.cell.lac, q.cell.ci, q.ta_min, q.ta_max);
    return (rows as Row[]).map(placeFromRow);
  }

  async movePlaces(from_den: string, to_den: string, keys?: readonly string[]): Promise<number> {
    return this.db.transaction(() => {
      const rows = (this.db.prepare('SELECT * FROM den_places WHERE den_id = ?').all(from_den) as Row[]).filter((r) => keys === undefined || keys.includes(r.place_key as string));
      let moved = 0;
      for (const r of rows) {
        const existing = this.db.prepare('SELECT * FROM den_places WHERE den_id = ? AND place_key = ?').get(to_den, r.place_key) as Row | undefined;
        if (existing) {
          // Both dens saw this place: keep one row with the union of what they saw.
          this.db.prepare(`UPDATE den_places SET first_seen_ts_ms = MIN(first_seen_ts_ms, ?), last_seen_ts_ms = MAX(last_seen_ts_ms, ?), detections = detections + ?
            WHERE den_id = ? AND place_key = ?`).run(r.first_seen_ts_ms, r.last_seen_ts_ms, r.detections, to_den, r.place_key);
          this.db.prepare('DELETE FROM den_places WHERE den_id = ? AND place_key = ?').run(from_den, r.place_key);
        } else {
          this.db.prepare('UPDATE den_places SET den_id = ? WHERE den_id = ? AND place_key = ?').run(to_den, from_den, r.place_key);
        }
        moved++;
      }
      return moved;
    })();
  }

  async addEvidence(e: DenEvidenceInput): Promise<number> {
    const place = typeof e.summary.place === 'string' ? e.summary.place : null;
    const r = this.db.prepare(`INSERT INTO den_evidence (den_id, ts_ms, kind, ref_table, ref_id, site, probe, detector, detector_version, place_key, summary_json)
      VALUES (@den_id, @ts_ms, @kind, @ref_table, @ref_id, @site, @probe, @detector, @detector_version, @place_key, @summary_json)`)
      .run({ ...e, place_key: place, summary_json: JSON.stringify(e.summary) });
    return Number(r.lastInsertRowid);
  }

  async listEvidence(den_id: string, q: { until_ts_ms?: number; kinds?: readonly string[]; limit: number }): Promise<DenEvidenceRecord[]> {
    const clauses = ['den_id = ?'];
    const params: unknown[] = [den_id];
    if (q.until_ts_ms !== undefined) { clauses.push('ts_ms <= ?'); params.push(q.until_ts_ms); }
    if (q.kinds !== undefined && q.kinds.length > 0) { clauses.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`); params.push(...q.kinds); }
    const rows = this.db.prepare(`SELECT * FROM (SELECT * FROM den_evidence WHERE ${clauses.join(' AND ')} ORDER BY ts_ms DESC, id DESC LIMIT ?) ORDER BY ts_ms, id`).all(...params, q.limit) as Row[];
    return rows.map((r) => ({
      id: r.id as number,
      den_id: r.den_id as string,
      ts_ms: r.ts_ms as number,
      kind: r.kind as DenEvidenceRecord['kind'],
      ref_table: (r.ref_table as EvidenceRefTable | null) ?? null,
      ref_id: (r.ref_id as string | null) ?? null,
      site: (r.site as string | null) ?? null,
      probe: (r.probe as string | null) ?? null,
      detector: (r.detector as string | null) ?? null,
      detector_version: (r.detector_version as number | null) ?? null,
      summary: JSON.parse(r.summary_json as string),
    }));
  }

  async moveEvidence(from_den: string, to_den: string, placeKeys?: readonly string[]): Promise<number> {
    if (placeKeys === undefined) return this.db.prepare('UPDATE den_evidence SET den_id = ? WHERE den_id = ?').run(to_den, from_den).changes;
    let n = 0;
    for (const k of placeKeys) n += this.db.prepare('UPDATE den_evidence SET den_id = ? WHERE den_id = ? AND place_key = ?').run(to_den, from_den, k).changes;
    return n;
  }

  async getEnvelopeJson(table: EvidenceRefTable, id: string): Promise<string | null> {
    const r = this.db.prepare(REF_TABLES[table]).get(id) as { envelope_json: string } | undefined;
    return r?.envelope_json ?? null;
  }
}
