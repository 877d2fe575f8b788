/**
 * Learned baselines: what a cell and each of its TA slots normally carry, learned online from hourly
 * counts, so that "more than usual" means more than usual *for this place at this hour of the week*.
 *
 * Model (per cell, for originating demand; per slot, shares of it):
 *   expected_cell(hour) = level × profile(hour of week)
 *   expected_slot(hour) = share_slot × expected_cell(hour)
 * - `level` is an EWMA of the cell's de-seasonalised hourly count (warms up within hours);
 * - the profile is per hour of week, shrunk toward an hour-of-day profile and, before that has data, a
 *   default urban shape — so a new probe is useful on its first day and sharp after a few weeks;
 * - a slot's share of the cell, its answered-paging share and its location-update share are ratios of
 *   exponentially decayed sums (time constant ~1 day): robust, and they converge in hours;
 * - dispersion: an EWMA of squared Pearson residuals per slot, giving the negative-binomial size the
 *   count tests use (floored: humans are never less dispersed than Poisson).
 * A slot that is flagged (an active indicator or candidate on it) does not teach its baseline, and its
 * counts are left out of the cell's level, so a den cannot teach itself into "normal".
 *
 * State is plain JSON per cell, saved through a BaselineStore (memory or SQLite) so it survives restarts.
 * Must not look at individual events: it sees only hourly totals the engine gives it.
 */

export const DEFAULT_HOURLY_PROFILE: readonly number[] = [
  0.12, 0.08, 0.06, 0.05, 0.05, 0.08, 0.2, 0.45, 0.7, 0.85, 0.9, 0.95, 1, 0.95, 0.9, 0.9, 0.95, 1, 1, 0.95, 0.8, 0.6, 0.4, 0.22,
];

export interface HourCounts {
  orig: number;
  mt: number;
  lu: number;
}

interface SlotBaselineState {
  /** Decayed sums. */
  orig: number;
  mt: number;
  lu: number;
  /** Decayed sum of the cell's originating count over the same hours (share denominator). */
  cell_orig: number;
  /** EWMA of squared Pearson residuals of hourly originating counts. */
  dispersion: number;
  hours: number;
}

export interface CellBaselineState {
  v: 1;
  level: number;
  level_hours: number;
  how: number[];
  how_n: number[];
  hod: number[];
  hod_n: number[];
  slots: Record<string, SlotBaselineState>;
  updated_hour: number;
}

export interface BaselineStore {
  load(cellKey: string): CellBaselineState | null;
  save(cellKey: string, state: CellBaselineState): void;
}

export class MemoryBaselineStore implements BaselineStore {
  private readonly states = new Map<string, string>();
  load(cellKey: string): CellBaselineState | null {
    const s = this.states.get(cellKey);
    return s === undefined ? null : (JSON.parse(s) as CellBaselineState);
  }
  save(cellKey: string, state: CellBaselineState): void {
    this.states.set(cellKey, JSON.stringify(state));
  }
}

/** Exponential decay per hour of the slot sums: time constant 24 h. */
const DECAY_PER_HOUR = Math.exp(-1 / 24);
const LEVEL_ALPHA = 0.15;
const PROFILE_ALPHA = 0.25;
const DISPERSION_ALPHA = 0.1;
/** Humans are never treated as less dispersed than this (variance / mean of hourly counts). */
const MIN_DISPERSION = 1.5;
const HOURS_PER_WEEK = 168;

export function hourOfWeek(hour: number, utcOffsetH: number): number {
  // Unix epoch hour 0 was a Thursday; shift so that 0 is Monday 00:00 local.
  const local = hour + Math.round(utcOffsetH) + 3 * 24;
  return ((local % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

function freshState(): CellBaselineState {
  return {
    v: 1,
    level: 0,
    level_hours: 0,
    how: Array.from({ length: HOURS_PER_WEEK }, (_, i) => DEFAULT_HOURLY_PROFILE[i % 24]!),
    how_n: new Array<number>(HOURS_PER_WEEK).fill(0),
    hod: [...DEFAULT_HOURLY_PROFILE],
    hod_n: new Array<number>(24).fill(0),
    slots: {},
    updated_hour: -1,
  };
}

export interface SlotExpectation {
  /** Expected originating count per hour at this slot now. */
  orig_per_h: number;
  /** Negative-binomial size for hourly counts (Infinity = Poisson). */
  nb_size: number;
  /** Long-run share of the cell's originating demand at this slot. */
  share: number;
  /** Long-run answered-paging share of the slot's (originating + answered-paging) accesses. */
  mt_share: number;
  /** Long-run location updates per originating access at this slot. */
  lu_per_orig: number;
  /** Hours of history behind the slot estimate. */
  hours: number;
  /** Decayed originating count behind the share (its precision). */
  support: number;
}

export class CellBaseline {
  private readonly state: CellBaselineState;

  constructor(state: CellBaselineState | null, private readonly utcOffsetH: number) {
    this.state = state ?? freshState();
  }

  get json(): CellBaselineState {
    return this.state;
  }

  get hoursObserved(): number {
    return this.state.level_hours;
  }

  private profile(hour: number): number {
    const s = this.state;
    const how = hourOfWeek(hour, this.utcOffsetH);
    const hod = how % 24;
    const w = s.how_n[how]! / (s.how_n[how]! + 2);
    return Math.max(0.02, w * s.how[how]! + (1 - w) * s.hod[hod]!);
  }

  /** Expected originating count of the whole cell in the given hour. */
  cellExpectedPerHour(hour: number): number {
    return this.state.level * this.profile(hour);
  }

  /**
   * Learn one complete hour. `slots` maps TA → that hour's counts; `flagged` TAs teach nothing and are
   * left out of the cell's level.
   */
  observeHour(hour: number, slots: ReadonlyMap<number, HourCounts>, flagged: ReadonlySet<number>): void {
    const s = this.state;
    if (hour <= s.updated_hour) return;
    // Decay slot sums for the hours that passed (also the silent ones).
    const gap = s.updated_hour < 0 ? 1 : Math.min(24 * 14, hour - s.updated_hour);
    const decay = DECAY_PER_HOUR ** gap;
    for (const slot of Object.values(s.slots)) {
      slot.orig *= decay;
      slot.mt *= decay;
      slot.lu *= decay;
      slot.cell_orig *= decay;
    }
    s.updated_hour = hour;

    let cellOrig = 0;
    for (const [ta, c] of slots) if (!flagged.has(ta)) cellOrig += c.orig;
    const prof = this.profile(hour);
    // Level (de-seasonalised), then the profile (seasonal ratio to the level).
    const deseason = cellOrig / prof;
    s.level = s.level_hours === 0 ? deseason : s.level + LEVEL_ALPHA * (deseason - s.level);
    s.level_hours += 1;
    if (s.level > 0) {
      const how = hourOfWeek(hour, this.utcOffsetH);
      const ratio = Math.min(5, cellOrig / s.level);
      s.how[how] = s.how_n[how] === 0 ? ratio : s.how[how]! + PROFILE_ALPHA * (ratio - s.how[how]!);
      s.how_n[how] = s.how_n[how]! + 1;
      const hod = how % 24;
      s.hod[hod] = s.hod[hod]! + PROFILE_ALPHA * (ratio - s.hod[hod]!);
      s.hod_n[hod] = s.hod_n[hod]! + 1;
    }

    for (const [ta, c] of slots) {
      if (flagged.has(ta)) continue;
      const key = String(ta);
      let slot = s.slots[key];
      const expectedBefore = slot && slot.cell_orig > 0 ? (slot.orig / slot.cell_orig) * cellOrig : null;
      if (slot === undefined) s.slots[key] = slot = { orig: 0, mt: 0, lu: 0, cell_orig: 0, dispersion: MIN_DISPERSION, hours: 0 };
      if (expectedBefore !== null && expectedBefore > 0.5) {
        const pearson = (c.orig - expectedBefore) ** 2 / expectedBefore;
        slot.dispersion += DISPERSION_ALPHA * (Math.min(50, pearson) - slot.dispersion);
      }
      slot.orig += c.orig;
      slot.mt += c.mt;
      slot.lu += c.lu;
      slot.hours += 1;
    }
    // Every known slot saw this hour's cell total in its share denominator (also those with no traffic).
    for (const [key, slot] of Object.entries(s.slots)) if (!flagged.has(Number(key))) slot.cell_orig += cellOrig;
  }

  /** The slot's learned expectation, or null before it has any history. */
  slot(ta: number, hour: number): SlotExpectation | null {
    const slot = this.state.slots[String(ta)];
    if (slot === undefined || slot.cell_orig <= 0) return null;
    const share = slot.orig / slot.cell_orig;
    const orig_per_h = share * this.cellExpectedPerHour(hour);
    const phi = Math.max(MIN_DISPERSION, slot.dispersion);
    // NB: variance = μ + μ²/r = φ·μ  →  r = μ / (φ − 1)
    const nb_size = orig_per_h > 0 ? orig_per_h / (phi - 1) : Number.POSITIVE_INFINITY;
    return {
      orig_per_h,
      nb_size,
      share,
      mt_share: slot.mt + slot.orig > 0 ? slot.mt / (slot.mt + slot.orig) : Number.NaN,
      lu_per_orig: slot.orig > 0 ? slot.lu / slot.orig : Number.NaN,
      hours: slot.hours,
      support: slot.orig,
    };
  }
}
