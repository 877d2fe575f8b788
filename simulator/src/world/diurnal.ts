/** Diurnal modulation: the rate multiplier at a moment, from a 24-hour profile in local time. */

export function localHour(ts_ms: number, utc_offset_h: number): number {
  const h = (ts_ms / 3_600_000 + utc_offset_h) % 24;
  return h < 0 ? h + 24 : h;
}

/** Profile value at `ts_ms`, linearly interpolated between hour centres so rates change smoothly. */
export function diurnalFactor(profile: readonly number[], ts_ms: number, utc_offset_h: number): number {
  const h = localHour(ts_ms, utc_offset_h) - 0.5;
  const i = Math.floor(h);
  const frac = h - i;
  const a = profile[((i % 24) + 24) % 24]!;
  const b = profile[(((i + 1) % 24) + 24) % 24]!;
  return a + (b - a) * frac;
}

export function withinHours(ts_ms: number, utc_offset_h: number, hours: readonly [number, number]): boolean {
  const [start, end] = hours;
  if (end - start >= 24 || (start === 0 && end === 24)) return true;
  const h = localHour(ts_ms, utc_offset_h);
  return start <= end ? h >= start && h < end : h >= start || h < end;
}
