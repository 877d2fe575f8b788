/**
 * The simulated GSM world: cells, a human population spread over the area with a diurnal rhythm, and
 * hidden dens. It produces air events (system information, pagings, immediate assignments) in time
 * order, each access labelled with its origin, and the ground truth a scorer needs.
 *
 * Humans are aggregated into (cell, TA) buckets with Poisson arrivals whose rate follows the diurnal
 * profile (thinning). Dens are sets of ports that each dial at a near-fixed interval (machines), all at
 * the den's Timing Advance from each serving cell.
 */
import { createRandom, type Random } from '../random.js';
import { distanceM, destination, type LatLon } from '../geo.js';
import type { Scenario, SimCell, SimDen } from '../scenario.js';
import type { AirEvent, SimCause } from './air-events.js';
import { diurnalFactor, withinHours } from './diurnal.js';
import { timingAdvanceFor } from './radio.js';

/** System Information repetition (TS 45.002 §6.3.1.3: SI3/SI4 every 8 × 51-multiframes ≈ 1.88 s). */
const SI_PERIOD_MS = 8 * 51 * (120 / 26);

interface Process {
  next_ts: number;
  fire(ts: number, out: AirEvent[]): void;
}

export interface DenTruth {
  id: string;
  lat_deg: number;
  lon_deg: number;
  ports: number;
  serving: Array<{ cell_index: number; ci: number; mcc: string; mnc: string; lac: number; arfcn: number; distance_m: number; ta_steps: number }>;
}

export interface GroundTruth {
  scenario: string;
  seed: number;
  start_ts_ms: number;
  cells: SimCell[];
  dens: DenTruth[];
  /** Human subscribers per (cell CI, TA). */
  population: Array<{ ci: number; ta_steps: number; subscribers: number }>;
}

function operatorOf(c: SimCell): string {
  return `${c.mcc}${c.mnc}`;
}

export class World {
  readonly truth: GroundTruth;
  private readonly processes: Process[] = [];
  private cursor: number;
  private readonly rnd: Random;

  constructor(readonly scenario: Scenario, readonly start_ts_ms: number) {
    this.rnd = createRandom(scenario.seed);
    this.cursor = start_ts_ms;
    this.truth = { scenario: scenario.name, seed: scenario.seed, start_ts_ms, cells: scenario.cells, dens: [], population: [] };
    this.addSystemInformation();
    this.addPopulation();
    for (const den of scenario.dens) this.addDen(den);
  }

  /** Nearest cell of an operator to a point. */
  servingCell(p: LatLon, operator: string): { index: number; distance_m: number } | null {
    let best: { index: number; distance_m: number } | null = null;
    this.scenario.cells.forEach((c, index) => {
      if (operatorOf(c) !== operator) return;
      const d = distanceM(p, c);
      if (best === null || d < best.distance_m) best = { index, distance_m: d };
    });
    return best;
  }

  /** Every air event in [cursor, until), time-ordered; advances the cursor. */
  advance(until_ts_ms: number): AirEvent[] {
    const out: AirEvent[] = [];
    if (until_ts_ms <= this.cursor) return out;
    for (const p of this.processes) {
      while (p.next_ts < until_ts_ms) p.fire(p.next_ts, out);
    }
    this.cursor = until_ts_ms;
    out.sort((a, b) => a.ts_ms - b.ts_ms);
    return out;
  }

  private addSystemInformation(): void {
    const kinds = ['si3', 'si4', 'si1', 'si2', 'si13'] as const;
    this.scenario.cells.forEach((_c, cell_index) => {
      kinds.forEach((si, k) => {
        const period = si === 'si3' || si === 'si4' ? SI_PERIOD_MS : 2 * SI_PERIOD_MS;
        this.processes.push({
          next_ts: this.start_ts_ms + this.rnd.uniform(0, period) + k * 50,
          fire(ts, out) {
            out.push({ kind: 'system_information', ts_ms: ts, cell_index, si });
            this.next_ts = ts + period;
          },
        });
      });
    });
  }

  private addPopulation(): void {
    const pop = this.scenario.population;
    const operators = [...new Set(this.scenario.cells.map(operatorOf))];
    const buckets = new Map<string, { cell_index: number; ta_steps: number; tmsis: number[] }>();
    const r = this.rnd.fork('population');
    for (let i = 0; i < pop.subscribers; i++) {
      // Uniform over the disc: radius ∝ sqrt(u).
      const where = destination(pop.center, r.uniform(0, 360), pop.radius_m * Math.sqrt(r.next()));
      const serving = this.servingCell(where, r.pick(operators));
      if (serving === null) continue;
      const ta_steps = timingAdvanceFor(serving.distance_m);
      const key = `${serving.index}:${ta_steps}`;
      let b = buckets.get(key);
      if (b === undefined) buckets.set(key, (b = { cell_index: serving.index, ta_steps, tmsis: [] }));
      b.tmsis.push(r.int(1, 0xffffffff));
    }
    for (const b of buckets.values()) {
      this.truth.population.push({ ci: this.scenario.cells[b.cell_index]!.ci, ta_steps: b.ta_steps, subscribers: b.tmsis.length });
      const n = b.tmsis.length;
      this.addHumanProcess(b, 'mo_call', n * pop.mo_calls_per_h);
      this.addHumanProcess(b, 'mo_sms', n * pop.mo_sms_per_h);
      this.addHumanProcess(b, 'mt_call', n * pop.mt_calls_per_h);
      this.addHumanProcess(b, 'mt_sms', n * pop.mt_sms_per_h);
      this.addHumanProcess(b, 'lu', n * pop.location_updates_per_h);
    }
  }

  private addHumanProcess(
    b: { cell_index: number; ta_steps: number; tmsis: number[] },
    what: 'mo_call' | 'mo_sms' | 'mt_call' | 'mt_sms' | 'lu',
    peakPerH: number,
  ): void {
    if (peakPerH <= 0) return;
    const meanGapMs = 3_600_000 / peakPerH;
    const r = this.rnd.fork(`human:${b.cell_index}:${b.ta_steps}:${what}`);
    const { diurnal } = this.scenario.population;
    const offset = this.scenario.utc_offset_h;
    const rndDelay = () => r.uniform(15, 60);
    this.processes.push({
      next_ts: this.start_ts_ms + r.exponential(meanGapMs),
      fire(ts, out) {
        this.next_ts = ts + r.exponential(meanGapMs);
        // Thinning: accept with the current diurnal factor (profile peak is 1).
        if (r.next() >= diurnalFactor(diurnal, ts, offset)) return;
        const assign = (at: number, cause: SimCause) =>
          out.push({ kind: 'assignment', ts_ms: at, cell_index: b.cell_index, ta_steps: b.ta_steps, cause, request_ts_ms: at - rndDelay(), origin: 'human' });
        switch (what) {
          case 'mo_call': return void assign(ts, 'originating_call');
          case 'mo_sms': return void assign(ts, 'other_sdcch');
          case 'lu': return void assign(ts, 'location_updating');
          case 'mt_call':
          case 'mt_sms': {
            out.push({ kind: 'paging', ts_ms: ts, cell_index: b.cell_index, tmsi: r.pick(b.tmsis), channel_needed: what === 'mt_call' ? 'tch_f' : 'sdcch' });
            // Answer to paging: TS 44.018 table 9.1.8.2 — TCH/F needed → 100xxxxx/0010xxxx, SDCCH → 0001xxxx.
            assign(ts + r.uniform(250, 900), what === 'mt_call' ? 'answer_to_paging' : 'other_sdcch');
            return;
          }
        }
      },
    });
  }

  private addDen(den: SimDen): void {
    const operators = den.operators ?? [...new Set(this.scenario.cells.map(operatorOf))];
    const serving: DenTruth['serving'] = [];
    for (const op of operators) {
      const s = this.servingCell(den, op);
      if (s === null) continue;
      const c = this.scenario.cells[s.index]!;
      serving.push({ cell_index: s.index, ci: c.ci, mcc: c.mcc, mnc: c.mnc, lac: c.lac, arfcn: c.arfcn, distance_m: s.distance_m, ta_steps: timingAdvanceFor(s.distance_m) });
    }
    this.truth.dens.push({ id: den.id, lat_deg: den.lat_deg, lon_deg: den.lon_deg, ports: den.ports, serving });
    if (serving.length === 0) return;
    const perPortPerH = den.calls_per_port_per_h + den.sms_per_port_per_h;
    if (perPortPerH <= 0) return;
    const intervalMs = 3_600_000 / perPortPerH;
    const callShare = den.calls_per_port_per_h / perPortPerH;
    const offset = this.scenario.utc_offset_h;
    for (let port = 0; port < den.ports; port++) {
      const r = this.rnd.fork(`den:${den.id}:${port}`);
      const s = serving[port % serving.length]!; // ports hold SIMs of each operator in turn
      this.processes.push({
        next_ts: this.start_ts_ms + r.uniform(0, intervalMs),
        fire(ts, out) {
          this.next_ts = ts + intervalMs * (1 + r.uniform(-den.interval_jitter, den.interval_jitter));
          if (!withinHours(ts, offset, den.hours)) return;
          const cause: SimCause = r.next() < callShare ? 'originating_call' : 'other_sdcch';
          out.push({ kind: 'assignment', ts_ms: ts, cell_index: s.cell_index, ta_steps: s.ta_steps, cause, request_ts_ms: ts - r.uniform(15, 60), origin: `den:${den.id}` });
        },
      });
    }
  }
}
