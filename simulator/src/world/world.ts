/**
 * The simulated GSM world: operators and cells (location areas, unsynchronised frame clocks, CCCH,
 * SDCCH and TCH capacity), individual subscribers living by the human model (humans.ts), crowds
 * (crowds.ts), dens (dens.ts), all reaching the network through the same radio procedures
 * (access.ts). It runs as a discrete-event simulation on one agenda and hands every downlink
 * transmission (System Information, paging, assignments, rejects, dedicated-channel messages) to a
 * sink in time order, and it can describe itself as ground truth.
 *
 * Memory stays bounded over multi-day runs: the agenda holds a few entries per subscriber plus what is
 * in flight. It must not encode frames (probes do) or do I/O.
 */
import type { Scenario, SimOperator } from '../scenario.js';
import { createRandom, type Random } from '../random.js';
import { LocalProjection } from '../geo.js';
import { localDay, localMidnight, parseLocalDateTime } from '../time/calendar.js';
import type { AccessRecord, GroundTruth, TruthProbe } from '../truth.js';
import { TRUTH_VERSION } from '../truth.js';
import type { AirEvent, AirSink, SystemInformationType } from './air-events.js';
import { AccessEngine } from './access.js';
import { CellRuntime } from './cells.js';
import { K_BCCH, K_KINDS, K_NCH, type Handler, type LocationArea, type WorldContext, type WorldCounters } from './context.js';
import { Crowds } from './crowds.js';
import { Dens } from './dens.js';
import { EventQueue } from './event-queue.js';
import { Geography } from './geography.js';
import { HumanBehaviour } from './humans.js';
import { addResidents } from './population.js';
import { BCCH_FIRST_FRAME, FN_MODULUS, frameStartMs } from './radio.js';
import { SubscriberTable } from './subscribers.js';

/** System Information by TC = (FN div 51) mod 8 (TS 45.002 §6.3.1.3; TC 5 repeats SI2 here). */
const BCCH_SCHEDULE: readonly SystemInformationType[] = ['si1', 'si2', 'si3', 'si4', 'si13', 'si2', 'si3', 'si4'];

export interface WorldOptions {
  /** Overrides the scenario's start (live runs start now). */
  start_ts_ms?: number;
  /** End of the run (default start + duration_s); used for truth intervals. */
  end_ts_ms?: number;
  /** Receives one record per answered/rejected channel request (the accesses sidecar). */
  recordAccess?: (r: AccessRecord) => void;
  /**
   * Emit dedicated-channel events (SDCCH messages, SACCH blocks); default true. Without them the world
   * behaves the same (same draws, same traffic) but skips their scheduling.
   */
  dedicated?: boolean;
}

/** Operator settings for every PLMN of the cells, the scenario's where given, defaults elsewhere. */
export function resolveOperators(scenario: Scenario): SimOperator[] {
  const plmns = [...new Set(scenario.cells.map((c) => `${c.mcc}${c.mnc}`))];
  return plmns.map((plmn) => {
    const given = scenario.operators.find((o) => o.plmn === plmn);
    if (given) return given;
    return {
      plmn,
      t3212_decihours: 30,
      ciphering: 'a5_1',
      auth_share: { location_update: 1, cm_service: 0.4, paging_response: 0.4 },
      tmsi_realloc_share: 0.1,
      imsi_paging_share: 0.05,
      paging_attempts: 3,
      t3113_s: 5,
      call_channel_needed: 'tch_f',
      ia_repetition: 0,
      nch: false,
      ia_extended: true,
      t3122_s: 10,
      network_delay_ms: { median: 120, sigma: 0.5 },
    } satisfies SimOperator;
  });
}

export function scenarioStartMs(scenario: Scenario): number {
  return parseLocalDateTime(scenario.start, scenario.utc_offset_h) ?? Date.UTC(2026, 2, 2);
}

export class World {
  readonly start_ts_ms: number;
  readonly end_ts_ms: number;
  readonly ctx: WorldContext;
  readonly counters: WorldCounters = {
    air_events: 0, accesses_started: 0, accesses_completed: 0, accesses_failed: 0, rach_bursts: 0, assignments: 0, rejects: 0, pages: 0, agch_drops: 0,
  };
  readonly cells: CellRuntime[];
  readonly geo: Geography;
  readonly subs = new SubscriberTable(1024);
  readonly humans: HumanBehaviour;
  readonly crowds: Crowds;
  readonly dens: Dens;
  readonly residents: number;
  private readonly queue = new EventQueue();
  private readonly handlers: Handler[] = new Array(K_KINDS);
  private sink: AirSink = () => {};
  private cursor: number;
  private readonly rnd: Random;

  constructor(
    readonly scenario: Scenario,
    options: WorldOptions = {},
  ) {
    this.start_ts_ms = options.start_ts_ms ?? scenarioStartMs(scenario);
    this.end_ts_ms = options.end_ts_ms ?? this.start_ts_ms + scenario.duration_s * 1000;
    this.cursor = this.start_ts_ms;
    this.rnd = createRandom(scenario.seed);
    const origin = {
      lat_deg: scenario.cells.reduce((s, c) => s + c.lat_deg, 0) / scenario.cells.length,
      lon_deg: scenario.cells.reduce((s, c) => s + c.lon_deg, 0) / scenario.cells.length,
    };
    const proj = new LocalProjection(origin);
    const operators = resolveOperators(scenario);
    const plmns = operators.map((o) => o.plmn);
    const opIndexByPlmn = new Map(plmns.map((p, i) => [p, i]));
    const las: LocationArea[] = [];
    const laIndex = new Map<string, number>();
    const cellRnd = this.rnd.fork('cells');
    this.cells = scenario.cells.map((c, i) => {
      const key = `${c.mcc}${c.mnc}:${c.lac}`;
      let la = laIndex.get(key);
      if (la === undefined) {
        la = las.length;
        laIndex.set(key, la);
        las.push({ mcc: c.mcc, mnc: c.mnc, lac: c.lac, cells: [] });
      }
      las[la]!.cells.push(i);
      const opIndex = opIndexByPlmn.get(`${c.mcc}${c.mnc}`)!;
      return new CellRuntime(i, c, opIndex, operators[opIndex]!, la, proj.x(c), proj.y(c), cellRnd.int(0, FN_MODULUS));
    });
    this.geo = new Geography(this.cells, operators.length);
    const self = this;
    this.ctx = {
      scenario,
      start_ts_ms: this.start_ts_ms,
      end_ts_ms: this.end_ts_ms,
      queue: this.queue,
      rnd: this.rnd.fork('engine'),
      proj,
      cells: this.cells,
      operators,
      plmns,
      las,
      geo: this.geo,
      subs: this.subs,
      counters: this.counters,
      origin: (sub: number) => self.originOf(sub),
      emit: (e: AirEvent) => {
        self.counters.air_events++;
        self.sink(e);
      },
      recordAccess: options.recordAccess ?? null,
      dedicated: options.dedicated ?? true,
      on: (kind: number, h: Handler) => {
        self.handlers[kind] = h;
      },
    };
    const access = new AccessEngine(this.ctx);
    this.humans = new HumanBehaviour(this.ctx, access);
    this.residents = addResidents(this.ctx, this.humans, opIndexByPlmn);
    this.crowds = new Crowds(this.ctx, this.humans, access, opIndexByPlmn);
    this.humans.modulation = this.crowds;
    this.dens = new Dens(this.ctx, this.humans, access, opIndexByPlmn);
    this.humans.scheduleMidnights(this.start_ts_ms);
    this.ctx.on(K_BCCH, (cell, _b, t) => this.broadcast(cell, t));
    for (const c of this.cells) this.queue.push(this.nextBcchBlock(c, this.start_ts_ms), K_BCCH, c.index, 0);
    this.ctx.on(K_NCH, (cell, _b, t) => this.notify(cell, t));
    for (const c of this.cells) if (c.op.nch) this.queue.push(c.blockTime(this.nchBlockAtOrAfter(c, this.start_ts_ms)), K_NCH, c.index, 0);
  }

  private originLabels: string[] | null = null;

  private originOf(sub: number): string {
    if (this.originLabels === null) {
      this.originLabels = [
        ...this.scenario.crowds.map((c) => `crowd:${c.id}`),
      ];
    }
    const kind = this.subs.ownerKind[sub];
    if (kind === 1) return this.originLabels[this.subs.owner[sub]!]!;
    if (kind === 2) return `den:${this.scenario.dens[this.subs.owner[sub]!]!.id}`;
    return 'human';
  }

  private nextBcchBlock(c: CellRuntime, t: number): number {
    const f = Math.ceil(t / (120 / 26) - 1e-6) + c.fnOffset;
    const r = ((f % 51) + 51) % 51;
    const target = f + ((BCCH_FIRST_FRAME - r + 51) % 51);
    return frameStartMs(target, c.fnOffset);
  }

  private broadcast(cellIndex: number, t: number): void {
    const c = this.cells[cellIndex]!;
    const abs = Math.round(t / (120 / 26)) + c.fnOffset;
    const tc = Math.floor(abs / 51) % 8;
    this.ctx.emit({ kind: 'bcch', ts_ms: t, cell_index: cellIndex, fn: abs % FN_MODULUS, si: BCCH_SCHEDULE[tc]! });
    this.queue.push(frameStartMs(abs + 51, c.fnOffset), K_BCCH, cellIndex, 0);
  }

  /** The NCH block (CCCH block 0, as SI1 announces) of the first 51-multiframe whose block 0 starts at or after t. */
  private nchBlockAtOrAfter(c: CellRuntime, t: number): number {
    const b = c.blockAtOrAfter(t);
    return b % 9 === 0 ? b : (Math.floor(b / 9) + 1) * 9;
  }

  /**
   * Block 0 of a cell with an NCH: an empty Notification/NCH (no group call goes on in the simulated
   * networks), unless an assignment or reject takes the block — AGCH comes first, as in the Vodafone DE
   * capture (one Immediate Assignment at FN mod 51 = 6 among 24 Notifications there).
   */
  private notify(cellIndex: number, t: number): void {
    const c = this.cells[cellIndex]!;
    const block = c.blockAtOrAfter(t);
    if (!c.ledger.has(block) && c.lastCcchBlockSent !== block) {
      this.ctx.emit({ kind: 'nch', ts_ms: t, cell_index: cellIndex, fn: c.blockStartFrame(block) % FN_MODULUS });
    }
    this.queue.push(c.blockTime(block + 9), K_NCH, cellIndex, 0);
  }

  /** Runs every event before `until_ts_ms`, handing air events to `sink` in time order. */
  advance(until_ts_ms: number, sink: AirSink): void {
    if (until_ts_ms <= this.cursor) return;
    this.sink = sink;
    const q = this.queue;
    const handlers = this.handlers;
    while (q.peekTime() < until_ts_ms) {
      q.pop();
      const h = handlers[q.kind];
      if (h !== undefined) h(q.a, q.b, q.time);
    }
    this.cursor = until_ts_ms;
    this.sink = () => {};
  }

  get now(): number {
    return this.cursor;
  }

  /** Entries on the agenda (memory check). */
  get agendaSize(): number {
    return this.queue.size;
  }

  /** Ground truth as of now (dens' serving intervals grow while the world runs). */
  truth(probes: TruthProbe[], accesses_file: string | null = null): GroundTruth {
    const s = this.scenario;
    let movers = 0;
    for (let i = 0; i < this.residents; i++) if (this.subs.mobility[i] !== 0) movers++;
    return {
      version: TRUTH_VERSION,
      scenario: s.name,
      seed: s.seed,
      start_ts_ms: this.start_ts_ms,
      end_ts_ms: this.end_ts_ms,
      utc_offset_h: s.utc_offset_h,
      cells: s.cells.map((c) => ({
        mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci, arfcn: c.arfcn, lat_deg: c.lat_deg, lon_deg: c.lon_deg, kind: c.kind, tx_power_dbm: c.tx_power_dbm, azimuth_deg: c.azimuth_deg ?? null,
      })),
      probes,
      dens: this.dens.truth(),
      crowds: this.crowds.truth(),
      population: { subscribers: this.residents, movers },
      accesses_file,
    };
  }

  /** Local midnight starting the day of t (exposed for tests). */
  localMidnightOf(t: number): number {
    return localMidnight(localDay(t, this.scenario.utc_offset_h), this.scenario.utc_offset_h);
  }
}
