/**
 * Storage of dens, their places and evidence timelines — part of the collector's Store (Store.dens), so
 * a PostgreSQL store brings its own implementation and passes the same tests. Types only.
 */
import type { CellId } from '@simhound/protocol';
import type { DenEvidenceInput, DenEvidenceRecord, DenPlace, DenRecord, DenState, EvidenceRefTable } from './den-types.js';

export interface DenQuery {
  state?: DenState;
  /** Dens seen at or after this time. */
  since_ts_ms?: number;
  /** Dens that existed at this time (created before it). */
  at_ts_ms?: number;
  include_merged?: boolean;
  limit: number;
}

export interface DenStore {
  insertDen(den: DenRecord): Promise<void>;
  /** Everything but the estimate (the locator owns that: setEstimate). */
  updateDen(den: DenRecord): Promise<void>;
  setEstimate(id: string, estimate: DenRecord['estimate']): Promise<void>;
  getDen(id: string): Promise<DenRecord | null>;
  /** Newest activity first. */
  listDens(query: DenQuery): Promise<DenRecord[]>;
  upsertPlace(place: DenPlace): Promise<void>;
  listPlaces(den_id: string): Promise<DenPlace[]>;
  /** Places (of any den) on this cell (or ARFCN when the cell is unknown) whose TA is within [ta_min, ta_max]. */
  findPlaces(query: { cell: CellId | null; arfcn: number; ta_min: number; ta_max: number }): Promise<DenPlace[]>;
  /** Move places (all, or those with these place keys) from one den to another. */
  movePlaces(from_den: string, to_den: string, keys?: readonly string[]): Promise<number>;
  addEvidence(entry: DenEvidenceInput): Promise<number>;
  /** Oldest first. */
  listEvidence(den_id: string, query: { until_ts_ms?: number; kinds?: readonly string[]; limit: number }): Promise<DenEvidenceRecord[]>;
  /** Re-point evidence rows (all, or those whose summary.place is one of these keys) to another den. */
  moveEvidence(from_den: string, to_den: string, placeKeys?: readonly string[]): Promise<number>;
  /** The signed envelope (JSON text) a piece of evidence refers to, as stored at ingest. */
  getEnvelopeJson(table: EvidenceRefTable, id: string): Promise<string | null>;
}
