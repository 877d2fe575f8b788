/**
 * A den: one physical SIM-box site, built from den candidates that several probes, cells, operators and
 * detectors reported, with its lifecycle, its places (the (cell, TA) slots it was seen in), its latest
 * location estimate and an evidence timeline that points at the signed envelopes it came from.
 * Types only.
 */
import type { CellId } from '@simhound/protocol';

export const DEN_STATES = ['suspected', 'confirmed', 'dispatched', 'closed'] as const;
export type DenState = (typeof DEN_STATES)[number];

export const DEN_OUTCOMES = ['raided', 'nothing_found', 'moved', 'duplicate'] as const;
export type DenOutcome = (typeof DEN_OUTCOMES)[number];

export interface DenEstimateSummary {
  ts_ms: number;
  ml_point: { lat_deg: number; lon_deg: number };
  mean_point: { lat_deg: number; lon_deg: number };
  ellipse_95: { centre: { lat_deg: number; lon_deg: number }; semi_major_m: number; semi_minor_m: number; orientation_deg: number };
  hpd95_area_m2: number;
  path_loss: { p1m_dbm: number; exponent: number; p1m_sigma_db: number; exponent_sigma: number; rms_residual_db: number } | null;
  inputs: { rings: number; rssi_bins: number; bursts: number; bearings: number; prior: boolean };
  compute_ms: number;
}

export interface DenRecord {
  id: string;
  state: DenState;
  outcome: DenOutcome | null;
  merged_into: string | null;
  created_ts_ms: number;
  updated_ts_ms: number;
  first_seen_ts_ms: number;
  last_seen_ts_ms: number;
  max_score: number;
  max_severity: 'low' | 'medium' | 'high';
  reactivations: number;
  estimate: DenEstimateSummary | null;
}

/** A (cell, TA) slot a den was seen in. */
export interface DenPlace {
  den_id: string;
  cell: CellId | null;
  arfcn: number;
  ta_steps: number;
  ta_span: number;
  range_min_m: number;
  range_max_m: number;
  first_seen_ts_ms: number;
  last_seen_ts_ms: number;
  detections: number;
  /** Originating accesses per minute at this place in the latest candidate (den activity). */
  rate_per_min: number;
  probes: string[];
  detectors: string[];
}

export const EVIDENCE_KINDS = ['detection', 'observation', 'estimate', 'state', 'merge', 'split', 'reactivated', 'note'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Where the signed envelope of a piece of evidence is kept. */
export type EvidenceRefTable = 'detections' | 'windows' | 'observation_messages';

export interface DenEvidenceInput {
  den_id: string;
  ts_ms: number;
  kind: EvidenceKind;
  ref_table: EvidenceRefTable | null;
  ref_id: string | null;
  site: string | null;
  probe: string | null;
  detector: string | null;
  detector_version: number | null;
  summary: Record<string, unknown>;
}

export type DenEvidenceRecord = DenEvidenceInput & { id: number };

export const placeKey = (p: { cell: CellId | null; arfcn: number; ta_steps: number }) =>
  `${p.cell ? `${p.cell.mcc}-${p.cell.mnc}-${p.cell.lac}-${p.cell.ci}` : `arfcn-${p.arfcn}`}@${p.ta_steps}`;
