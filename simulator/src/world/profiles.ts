/**
 * Daily and weekly rhythm of human activity: a relative rate by local hour for weekdays, Saturdays and
 * Sundays, interpolated between hour centres so rates change smoothly, normalised so that the weekday
 * mean is 1 (then `rates_per_day` are weekday means). Weekend rows keep their level relative to it.
 *
 * Pure; it knows nothing of subscribers.
 */
import type { WeeklyProfile } from '../scenario.js';
import { HOUR_MS, localHour, localWeekday } from '../time/calendar.js';

export class ActivityProfile {
  /** 7 × 24 values, Sunday first (local weekday numbering), weekday mean = 1. */
  private readonly table = new Float64Array(7 * 24);
  readonly max: number;

  constructor(
    profile: WeeklyProfile,
    private readonly utc_offset_h: number,
  ) {
    const mean = profile.weekday.reduce((a, b) => a + b, 0) / 24;
    const scale = mean > 0 ? 1 / mean : 0;
    for (let wd = 0; wd < 7; wd++) {
      const row = wd === 0 ? profile.sunday : wd === 6 ? profile.saturday : profile.weekday;
      for (let h = 0; h < 24; h++) this.table[wd * 24 + h] = row[h]! * scale;
    }
    let max = 0;
    for (const v of this.table) max = Math.max(max, v);
    this.max = max;
  }

  /** Relative rate at `ts_ms` (weekday mean 1), linear between hour centres, across day boundaries. */
  at(ts_ms: number): number {
    const h = localHour(ts_ms, this.utc_offset_h) - 0.5;
    const wd = localWeekday(ts_ms, this.utc_offset_h);
    let i = wd * 24 + Math.floor(h);
    const frac = h - Math.floor(h);
    if (i < 0) i += 168;
    const a = this.table[i % 168]!;
    const b = this.table[(i + 1) % 168]!;
    return a + (b - a) * frac;
  }

  /** Mean of the profile over [from, to) sampled every 5 minutes (for tests and truth summaries). */
  meanOver(from: number, to: number): number {
    let sum = 0;
    let n = 0;
    for (let t = from; t < to; t += HOUR_MS / 12) {
      sum += this.at(t);
      n++;
    }
    return n > 0 ? sum / n : 0;
  }
}
