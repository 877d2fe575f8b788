/**
 * What the world's parts share while it runs: the agenda, the cells and location areas, the
 * subscriber table, the access engine, the sink for air events and the per-access log. Event kinds are
 * numbered here so the parts can schedule each other's events without importing each other.
 *
 * Types and constants only.
 */
import type { Scenario, SimOperator } from '../scenario.js';
import type { Random } from '../random.js';
import type { AirEvent } from './air-events.js';
import type { CellRuntime } from './cells.js';
import type { EventQueue } from './event-queue.js';
import type { Geography } from './geography.js';
import type { SubscriberTable } from './subscribers.js';
import type { LocalProjection } from '../geo.js';
import type { AccessRecord } from '../truth.js';

export const K_BCCH = 1;
export const K_CCCH = 2;
export const K_ACCESS = 3;
export const K_PAGE = 4;
export const K_FREE_SDCCH = 5;
export const K_FREE_TCH = 6;
export const K_ACT = 10;
export const K_BURST = 11;
export const K_LU = 12;
export const K_POWER = 13;
export const K_TRIP = 14;
export const K_TRIP_TICK = 15;
export const K_DAY = 16;
export const K_VISIT = 17;
export const K_CROWD = 18;
export const K_FOLLOW = 19;
export const K_DEN = 20;
export const K_LA_CHECK = 21;
export const K_DEFER = 22;
export const K_SACCH = 23;
export const K_NCH = 24;
export const K_KINDS = 32;

export interface LocationArea {
  readonly mcc: string;
  readonly mnc: string;
  readonly lac: number;
  readonly cells: number[];
}

export type Handler = (a: number, b: number, t: number) => void;

export interface WorldCounters {
  air_events: number;
  accesses_started: number;
  accesses_completed: number;
  accesses_failed: number;
  rach_bursts: number;
  assignments: number;
  rejects: number;
  pages: number;
  agch_drops: number;
}

export interface WorldContext {
  readonly scenario: Scenario;
  readonly start_ts_ms: number;
  readonly end_ts_ms: number;
  readonly queue: EventQueue;
  readonly rnd: Random;
  readonly proj: LocalProjection;
  readonly cells: readonly CellRuntime[];
  readonly operators: readonly SimOperator[];
  readonly plmns: readonly string[];
  readonly las: readonly LocationArea[];
  readonly geo: Geography;
  readonly subs: SubscriberTable;
  readonly counters: WorldCounters;
  /** Origin label of a subscriber ("human", "den:<id>", "crowd:<id>"). */
  origin(sub: number): string;
  emit(event: AirEvent): void;
  /**
   * Whether dedicated-channel events (SDCCH messages, SACCH blocks) are emitted: false when no probe
   * follows the SDCCH, which saves their scheduling. The world's behaviour is the same either way.
   */
  readonly dedicated: boolean;
  /** Per-access ground truth; null when not recorded. */
  readonly recordAccess: ((r: AccessRecord) => void) | null;
  on(kind: number, handler: Handler): void;
}
