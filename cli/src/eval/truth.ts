/**
 * What the evaluation needs to know about a world: where the dens were heard from (serving cell, TA,
 * when), when they were active, and where the crowds (hard negatives) were. Read from the simulator's
 * ground truth (`<scenario>.truth.json`, simulator/src/truth.ts) or from anyone's truth file with the
 * same fields, so other people's worlds can be scored too (docs/evaluation.md documents the format).
 * Missing optional fields get safe defaults: a den without `active_intervals` is active for the whole
 * run; a serving entry without times holds for the whole run.
 */
import type { CellId } from '@simhound/protocol';

export interface EvalServing {
  cell: CellId;
  arfcn: number | null;
  ta_steps: number;
  from_ts_ms: number;
  to_ts_ms: number;
}

export interface EvalDen {
  id: string;
  type: string;
  ports: number | null;
  lat_deg: number | null;
  lon_deg: number | null;
  active_intervals: Array<[number, number]>;
  serving: EvalServing[];
}

export interface EvalCrowd {
  id: string;
  kind: string;
  serving: Array<{ cell: CellId; arfcn: number | null; ta_steps: number[] }>;
  active_intervals: Array<[number, number]>;
}

export interface EvalTruth {
  scenario: string;
  start_ts_ms: number;
  end_ts_ms: number;
  dens: EvalDen[];
  crowds: EvalCrowd[];
  /** Cells some probe decoded (`probes[].cells_heard`), as "mcc-mnc-lac-ci"; null when the truth does not say. */
  heard_cells: Set<string> | null;
}

export const cellKeyOf = (c: CellId) => `${c.mcc}-${c.mnc}-${c.lac}-${c.ci}`;

type Json = Record<string, unknown>;

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function cellOf(v: unknown): CellId | null {
  if (v === null || typeof v !== 'object') return null;
  const o = v as Json;
  if (typeof o.mcc !== 'string' || typeof o.mnc !== 'string' || typeof o.lac !== 'number' || typeof o.ci !== 'number') return null;
  return { mcc: o.mcc, mnc: o.mnc, lac: o.lac, ci: o.ci };
}

function intervals(v: unknown, start: number, end: number): Array<[number, number]> {
  if (!Array.isArray(v) || v.length === 0) return [[start, end]];
  return v
    .filter((x): x is [number, number] => Array.isArray(x) && typeof x[0] === 'number' && typeof x[1] === 'number')
    .map(([a, b]) => [a, b]);
}

/** Accepts the simulator's truth (and older shapes: serving entries with mcc/mnc/lac/ci at top level). */
export function readTruth(raw: unknown, fallbackEnd_ts_ms?: number): EvalTruth {
  const t = (raw ?? {}) as Json;
  const start = num(t.start_ts_ms, 0);
  const end = num(t.end_ts_ms, fallbackEnd_ts_ms ?? start + num(t.duration_s, 0) * 1000);
  const dens: EvalDen[] = [];
  for (const d of Array.isArray(t.dens) ? (t.dens as Json[]) : []) {
    const serving: EvalServing[] = [];
    for (const s of Array.isArray(d.serving) ? (d.serving as Json[]) : []) {
      const cell = cellOf(s.cell) ?? cellOf(s);
      if (cell === null || typeof s.ta_steps !== 'number') continue;
      serving.push({ cell, arfcn: typeof s.arfcn === 'number' ? s.arfcn : null, ta_steps: s.ta_steps, from_ts_ms: num(s.from_ts_ms, start), to_ts_ms: num(s.to_ts_ms, end) });
    }
    dens.push({
      id: String(d.id ?? `den-${dens.length + 1}`),
      type: String(d.type ?? (typeof d.ports === 'number' ? `ports-${d.ports}` : 'den')),
      ports: typeof d.ports === 'number' ? d.ports : null,
      lat_deg: typeof d.lat_deg === 'number' ? d.lat_deg : null,
      lon_deg: typeof d.lon_deg === 'number' ? d.lon_deg : null,
      active_intervals: intervals(d.active_intervals, start, end),
      serving,
    });
  }
  const crowds: EvalCrowd[] = [];
  for (const c of Array.isArray(t.crowds) ? (t.crowds as Json[]) : []) {
    const serving: EvalCrowd['serving'] = [];
    for (const s of Array.isArray(c.serving) ? (c.serving as Json[]) : []) {
      const cell = cellOf(s.cell) ?? cellOf(s);
      if (cell === null) continue;
      const tas = Array.isArray(s.ta_steps) ? (s.ta_steps as unknown[]).filter((x): x is number => typeof x === 'number') : typeof s.ta_steps === 'number' ? [s.ta_steps] : [];
      serving.push({ cell, arfcn: typeof s.arfcn === 'number' ? s.arfcn : null, ta_steps: tas });
    }
    crowds.push({ id: String(c.id ?? `crowd-${crowds.length + 1}`), kind: String(c.kind ?? 'crowd'), serving, active_intervals: intervals(c.active_intervals, start, end) });
  }
  let heard: Set<string> | null = null;
  if (Array.isArray(t.probes)) {
    for (const p of t.probes as Json[]) {
      if (!Array.isArray(p.cells_heard)) continue;
      heard ??= new Set();
      for (const h of p.cells_heard as Json[]) {
        const cell = cellOf(h.cell) ?? cellOf(h);
        if (cell !== null) heard.add(cellKeyOf(cell));
      }
    }
  }
  return { scenario: String(t.scenario ?? 'unnamed'), start_ts_ms: start, end_ts_ms: end, dens, crowds, heard_cells: heard };
}
