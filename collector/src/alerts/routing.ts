/**
 * Who gets an alert: on-call rosters by area (a district from a GeoJSON file, an inline polygon, or
 * anywhere) and tier; within a roster, the shift on call at that local time and its chain (on call first,
 * then the next on-call, up to the supervisor); the escalation level picks the person in the chain.
 * Quiet hours hold only low-tier personal pushes, until the quiet hours end.
 * A den without a location (not yet located, no cell position) goes to the rosters for anywhere only.
 *
 * Point-in-polygon (holes, multipolygons) is @turf/boolean-point-in-polygon: district files are GeoJSON.
 * Must not do I/O (the caller reads the districts file) and must not send anything.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { fail, ok, type Result } from '@simhound/protocol';
import type { AlertRecipient, AlertTier, DenLocation } from './alert-types.js';
import { WEEKDAYS, type OfficerConfig, type RosterConfig, type ShiftConfig, type Weekday } from './alert-config.js';

export type DistrictMap = ReadonlyMap<string, Polygon | MultiPolygon>;

/** Districts from a GeoJSON FeatureCollection (name from properties.name). */
export function parseDistricts(geojson: unknown): Result<DistrictMap, 'bad_geojson'> {
  const fc = geojson as { type?: string; features?: Array<Feature<Polygon | MultiPolygon, { name?: unknown }>> };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return fail('bad_geojson', 'not a GeoJSON FeatureCollection');
  const out = new Map<string, Polygon | MultiPolygon>();
  for (const [i, f] of fc.features.entries()) {
    const name = f?.properties?.name;
    const type = f?.geometry?.type;
    if (typeof name !== 'string' || name === '') return fail('bad_geojson', `feature ${i}: no properties.name`);
    if (type !== 'Polygon' && type !== 'MultiPolygon') return fail('bad_geojson', `feature ${i} (${name}): geometry ${String(type)}, expected Polygon or MultiPolygon`);
    out.set(name, f.geometry);
  }
  return ok(out);
}

export interface LocalTime {
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
  seconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_OF: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

export function localTime(timezone: string, ts_ms: number): LocalTime {
  let f = formatters.get(timezone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ts_ms)).map((p) => [p.type, p.value]));
  return { weekday: WEEKDAY_OF[parts.weekday!] ?? 'mon', minutes: Number(parts.hour) * 60 + Number(parts.minute), seconds: Number(parts.second) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function withinSpan(minutes: number, from: string, to: string): boolean {
  const a = minutesOf(from);
  const b = minutesOf(to);
  return a <= b ? minutes >= a && minutes < b : minutes >= a || minutes < b;
}

function shiftCovers(shift: ShiftConfig, t: LocalTime): boolean {
  if (shift.days !== undefined && !shift.days.includes(t.weekday)) return false;
  if (shift.from !== undefined && shift.to !== undefined && !withinSpan(t.minutes, shift.from, shift.to)) return false;
  return true;
}

export interface RouterConfig {
  timezone: string;
  officers: readonly OfficerConfig[];
  rosters: readonly RosterConfig[];
}

export class AlertRouter {
  private readonly officers: Map<string, OfficerConfig>;

  constructor(private readonly config: RouterConfig, private readonly districts: DistrictMap = new Map()) {
    this.officers = new Map(config.officers.map((o) => [o.name, o]));
  }

  officer(name: string): OfficerConfig | undefined {
    return this.officers.get(name);
  }

  /** District names a point lies in (for the case file and the UI). */
  districtsOf(point: { lat_deg: number; lon_deg: number }): string[] {
    return [...this.districts].filter(([, g]) => booleanPointInPolygon([point.lon_deg, point.lat_deg], g)).map(([n]) => n);
  }

  private inArea(roster: RosterConfig, location: DenLocation | null): boolean {
    const area = roster.area;
    if ('any' in area) return true;
    if (location === null) return false;
    const pt: [number, number] = [location.point.lon_deg, location.point.lat_deg];
    if ('districts' in area) {
      return area.districts.some((name) => {
        const g = this.districts.get(name);
        return g !== undefined && booleanPointInPolygon(pt, g);
      });
    }
    const ring = area.polygon.map((p) => [p.lon_deg, p.lat_deg]);
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) ring.push([...first]);
    return booleanPointInPolygon(pt, { type: 'Polygon', coordinates: [ring] });
  }

  rostersFor(location: DenLocation | null, tier: AlertTier): RosterConfig[] {
    return this.config.rosters.filter((r) => r.tiers.includes(tier) && this.inArea(r, location));
  }

  private chainNow(roster: RosterConfig, now_ms: number): readonly string[] | null {
    const t = localTime(this.config.timezone, now_ms);
    return roster.shifts.find((s) => shiftCovers(s, t))?.chain ?? null;
  }

  /** The highest escalation level any matching roster's chain has now (0: nobody above the first). */
  maxLevel(location: DenLocation | null, tier: AlertTier, now_ms: number): number {
    let max = 0;
    for (const r of this.rostersFor(location, tier)) {
      const chain = this.chainNow(r, now_ms);
      if (chain !== null) max = Math.max(max, chain.length - 1);
    }
    return max;
  }

  /** Who is on call at this level, one per matching roster (the chain's last when it is shorter), deduplicated. */
  recipients(location: DenLocation | null, tier: AlertTier, level: number, now_ms: number): AlertRecipient[] {
    const out = new Map<string, AlertRecipient>();
    for (const r of this.rostersFor(location, tier)) {
      const chain = this.chainNow(r, now_ms);
      if (chain === null) continue;
      const officer = chain[Math.min(level, chain.length - 1)]!;
      if (!out.has(officer)) out.set(officer, { officer, roster: r.name, level });
    }
    return [...out.values()];
  }

  /**
   * For a low-tier alert to an officer in quiet hours: when the quiet hours end (ms), else null.
   * Medium and high tiers are never held.
   */
  quietUntil(officerName: string, tier: AlertTier, now_ms: number): number | null {
    if (tier !== 'low') return null;
    const q = this.officers.get(officerName)?.quiet_hours;
    if (q === undefined) return null;
    const t = localTime(this.config.timezone, now_ms);
    if (!withinSpan(t.minutes, q.from, q.to)) return null;
    const minutesLeft = (minutesOf(q.to) - t.minutes + 1440) % 1440;
    return now_ms + minutesLeft * 60_000 - t.seconds * 1000 - (now_ms % 1000);
  }
}

export { WEEKDAYS };
