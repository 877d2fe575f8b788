/**
 * What an alert needs from a den, and nothing more: its id, score and severity, whether it is active,
 * its size, where it is, its places, probes and detectors, and the evidence that points at stored signed
 * records — plus the two hooks through which a dispatch and an outcome recorded on the alert are
 * recorded on the den too (one action, one record on each side, never two diverging ones).
 *
 * tracked-dens.ts implements it over the collector's dens (collector/src/dens); tests may bring their own.
 * Types only.
 */
import type { CellId, Result, Severity } from '@simhound/protocol';
import type { AlertOutcome, DenLocation, LatLon } from './alert-types.js';

export interface AlertDenPlace {
  /** `<mcc>-<mnc>-<lac>-<ci>@<ta>` (or `arfcn-<n>@<ta>` when the cell is unknown). */
  key: string;
  cell: CellId | null;
  arfcn: number;
  ta_steps: number;
  range_min_m: number;
  range_max_m: number;
  cell_position: LatLon | null;
  first_seen_ts_ms: number;
  last_seen_ts_ms: number;
  /** Originating accesses per minute above the baseline at this place, in the latest candidate. */
  rate_per_min: number;
  probes: string[];
  detectors: string[];
}

import type { EvidenceRefTable } from '../dens/den-types.js';

export type { EvidenceRefTable };

export interface AlertDenEvidence {
  ts_ms: number;
  kind: string;
  ref_table: EvidenceRefTable | null;
  ref_id: string | null;
  site: string | null;
  probe: string | null;
  detector: string | null;
  detector_version: number | null;
  summary: Record<string, unknown>;
}

export type DenLifecycleState = 'suspected' | 'confirmed' | 'dispatched' | 'closed';

/** The den refused an action taken on its alert (then the alert does not change either). */
export type DenActionRejection = 'den_refused';

export interface AlertDen {
  id: string;
  state: DenLifecycleState;
  outcome: AlertOutcome | null;
  /** Highest candidate score (0–1). */
  score: number;
  severity: Severity;
  first_seen_ts_ms: number;
  last_seen_ts_ms: number;
  /** Times the den came back after being closed. */
  reactivations: number;
  places: AlertDenPlace[];
  probes: string[];
  /** `name@version` of every detector whose evidence made the den (the fusion's and its indicators'). */
  detectors: string[];
  location: DenLocation | null;
}

export interface DenSource {
  readonly kind: 'dens' | 'test';
  get(den_id: string): Promise<AlertDen | null>;
  /** Oldest first. */
  evidence(den_id: string, limit: number): Promise<AlertDenEvidence[]>;
  /** The signed envelope (JSON text, as stored at ingest) a piece of evidence refers to. */
  envelopeJson(table: EvidenceRefTable, id: string): Promise<string | null>;
  /** Called with a den's id whenever the den changed (new candidate, new place, state change). */
  onChange(listener: (den_id: string) => void): void;
  /** The alert's dispatch, recorded on the den (first: a den that refuses keeps the alert as it was). */
  recordDispatch(den_id: string, by: string, note: string | null, ts_ms: number): Promise<Result<void, DenActionRejection>>;
  /** The alert's outcome, recorded on the den (it is closed with the same outcome). */
  recordOutcome(den_id: string, outcome: AlertOutcome, by: string, note: string | null, ts_ms: number): Promise<Result<void, DenActionRejection>>;
}
