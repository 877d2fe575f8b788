/**
 * Hand-made slot snapshots for detector unit vectors: counts by traffic class at the slot, on the rest of
 * the cell and at the neighbouring TA steps, plus optional per-minute and hourly series.
 */
import { C_LU, C_MO_CALL, C_MT, C_SDCCH, TRAFFIC_CLASS_COUNT } from '../../src/features/traffic-class.js';
import type { SlotExpectation } from '../../src/features/baseline.js';
import type { SlotSnapshot } from '../../src/detect/types.js';

export interface Counts {
  mo?: number;
  sms?: number;
  mt?: number;
  lu?: number;
  extra?: Record<number, number>;
}

export function counts(c: Counts): Float64Array {
  const a = new Float64Array(TRAFFIC_CLASS_COUNT);
  a[C_MO_CALL] = c.mo ?? 0;
  a[C_SDCCH] = c.sms ?? 0;
  a[C_MT] = c.mt ?? 0;
  a[C_LU] = c.lu ?? 0;
  for (const [k, v] of Object.entries(c.extra ?? {})) a[Number(k)] = v;
  return a;
}

export interface SnapshotSpec {
  slot: Counts;
  others: Counts;
  neighbours?: Counts;
  horizon_s?: number;
  observed_s?: number;
  active_tas?: number;
  series?: number[];
  hourly?: number[];
  cellHourly?: number[];
  baseline?: SlotExpectation | null;
  auth_slot?: number[];
  cell_low_mt_ratio?: number | null;
  auth_others?: number[];
  ta_span?: number;
}

export function snapshot(spec: SnapshotSpec): SlotSnapshot {
  const slot = counts(spec.slot);
  const others = counts(spec.others);
  const cell = new Float64Array(TRAFFIC_CLASS_COUNT);
  for (let i = 0; i < cell.length; i++) cell[i] = slot[i]! + others[i]!;
  const horizon = spec.horizon_s ?? 3600;
  return {
    now_ms: 1_800_000_000_000,
    cell_key: '651-01-1010-20011-30',
    cell: { mcc: '651', mnc: '01', lac: 1010, ci: 20011 },
    arfcn: 30,
    neci: 1,
    ta_steps: 4,
    ta_span: spec.ta_span ?? 1,
    horizon_s: horizon,
    observed_s: spec.observed_s ?? horizon,
    slot,
    cell_total: cell,
    others,
    neighbours: counts(spec.neighbours ?? {}),
    neighbours_hour: counts(spec.neighbours ?? {}),
    neighbours_hour_s: spec.observed_s ?? horizon,
    active_tas: spec.active_tas ?? 10,
    series: () => Float64Array.from(spec.series ?? []),
    hourly: (_c, hours) => Float64Array.from((spec.hourly ?? []).slice(-hours)),
    cellHourly: (_c, hours) => Float64Array.from((spec.cellHourly ?? []).slice(-hours)),
    cell_low_mt_ratio: spec.cell_low_mt_ratio ?? null,
    baseline: spec.baseline ?? null,
    baseline_hours: spec.baseline?.hours ?? 0,
    auth_rtt_slot: spec.auth_slot ?? [],
    auth_rtt_others: spec.auth_others ?? [],
  };
}
