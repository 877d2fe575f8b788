/** Local time: scenario dates in a fixed UTC offset, weekdays, hours, ranges that wrap midnight. */
import { describe, expect, it } from 'vitest';
import { hourInRange, hourOfWeek, localDay, localHour, localMidnight, localWeekday, parseLocalDateTime, weekdayName } from '../../src/time/calendar.js';

describe('calendar', () => {
  it('reads local date-times in the scenario offset', () => {
    expect(parseLocalDateTime('2026-03-02T00:00:00', 2)).toBe(Date.UTC(2026, 2, 1, 22));
    expect(parseLocalDateTime('2026-03-02', 0)).toBe(Date.UTC(2026, 2, 2));
    expect(parseLocalDateTime('2026-03-02T15:30', -5)).toBe(Date.UTC(2026, 2, 2, 20, 30));
  });
  it('rejects dates that do not exist or are not dates', () => {
    expect(parseLocalDateTime('2026-02-30T00:00:00', 0)).toBeNull();
    expect(parseLocalDateTime('2026-13-01', 0)).toBeNull();
    expect(parseLocalDateTime('yesterday', 0)).toBeNull();
    expect(parseLocalDateTime('2026-03-02T25:00', 0)).toBeNull();
  });
  it('gives local hour, weekday and hour of week', () => {
    const t = parseLocalDateTime('2026-03-02T09:30:00', 2)!; // a Monday
    expect(localHour(t, 2)).toBeCloseTo(9.5, 9);
    expect(localWeekday(t, 2)).toBe(1);
    expect(weekdayName(t, 2)).toBe('mon');
    expect(hourOfWeek(t, 2)).toBe(9);
    const sun = parseLocalDateTime('2026-03-08T23:59:00', 2)!;
    expect(weekdayName(sun, 2)).toBe('sun');
    expect(hourOfWeek(sun, 2)).toBe(167);
    expect(localMidnight(localDay(t, 2), 2)).toBe(parseLocalDateTime('2026-03-02', 2));
  });
  it('handles hour ranges that wrap midnight', () => {
    expect(hourInRange(23, 20, 6)).toBe(true);
    expect(hourInRange(3, 20, 6)).toBe(true);
    expect(hourInRange(12, 20, 6)).toBe(false);
    expect(hourInRange(12, 0, 24)).toBe(true);
    expect(hourInRange(8, 8, 18)).toBe(true);
    expect(hourInRange(18, 8, 18)).toBe(false);
  });
});
