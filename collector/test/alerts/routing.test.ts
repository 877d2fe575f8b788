import { describe, expect, it } from 'vitest';
import { AlertRouter, localTime, parseDistricts, type DenLocation, type RosterConfig } from '../../src/index.js';

// Two districts as rough boxes around Maseru and Berea (lon, lat GeoJSON order), one with a hole.
const districts = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'Maseru' }, geometry: { type: 'Polygon', coordinates: [[[27.40, -29.40], [27.60, -29.40], [27.60, -29.25], [27.40, -29.25], [27.40, -29.40]], [[27.50, -29.34], [27.52, -29.34], [27.52, -29.32], [27.50, -29.32], [27.50, -29.34]]] } },
    { type: 'Feature', properties: { name: 'Berea' }, geometry: { type: 'MultiPolygon', coordinates: [[[[27.60, -29.25], [27.80, -29.25], [27.80, -29.05], [27.60, -29.05], [27.60, -29.25]]]] } },
  ],
};
const at = (lat_deg: number, lon_deg: number): DenLocation => ({ point: { lat_deg, lon_deg }, ellipse_95: null, source: 'estimate', accuracy_m: 100 });

const officers = [
  { name: 'ana' }, { name: 'bob' }, { name: 'chief' }, { name: 'night' },
  { name: 'berea-1' }, { name: 'desk', quiet_hours: { from: '22:00', to: '06:30' } },
];
const rosters: RosterConfig[] = [
  {
    name: 'maseru', area: { districts: ['Maseru'] }, tiers: ['high', 'medium', 'low'],
    shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00', chain: ['ana', 'bob', 'chief'] }, { chain: ['night', 'chief'] }],
  },
  { name: 'berea', area: { polygon: [{ lat_deg: -29.25, lon_deg: 27.60 }, { lat_deg: -29.25, lon_deg: 27.80 }, { lat_deg: -29.05, lon_deg: 27.80 }, { lat_deg: -29.05, lon_deg: 27.60 }] }, tiers: ['high', 'medium', 'low'], shifts: [{ chain: ['berea-1'] }] },
  { name: 'duty-desk', area: { any: true }, tiers: ['low'], shifts: [{ chain: ['desk'] }] },
];

function router(): AlertRouter {
  const d = parseDistricts(districts);
  if (!d.ok) throw new Error(d.detail);
  return new AlertRouter({ timezone: 'Africa/Maseru', officers, rosters }, d.value);
}

// Africa/Maseru is UTC+2 all year. 2026-11-25 is a Wednesday.
const WED_0900_LOCAL = Date.UTC(2026, 10, 25, 7, 0);
const WED_2300_LOCAL = Date.UTC(2026, 10, 25, 21, 0);
const SAT_1000_LOCAL = Date.UTC(2026, 10, 28, 8, 0);

describe('alert routing', () => {
  it('reads local weekday and time in the deployment time zone', () => {
    expect(localTime('Africa/Maseru', WED_0900_LOCAL)).toEqual({ weekday: 'wed', minutes: 9 * 60, seconds: 0 });
    expect(localTime('Africa/Maseru', Date.UTC(2026, 10, 25, 22, 30))).toMatchObject({ weekday: 'thu', minutes: 30 });
  });

  it('routes by district (holes excluded) and by polygon; a den without location only to rosters for anywhere', () => {
    const r = router();
    expect(r.rostersFor(at(-29.30, 27.45), 'high').map((x) => x.name)).toEqual(['maseru']);
    expect(r.rostersFor(at(-29.33, 27.51), 'high').map((x) => x.name)).toEqual([]); // in the hole
    expect(r.rostersFor(at(-29.10, 27.70), 'medium').map((x) => x.name)).toEqual(['berea']);
    expect(r.rostersFor(at(-29.10, 27.70), 'low').map((x) => x.name)).toEqual(['berea', 'duty-desk']);
    expect(r.rostersFor(null, 'high')).toEqual([]);
    expect(r.rostersFor(null, 'low').map((x) => x.name)).toEqual(['duty-desk']);
    expect(r.districtsOf({ lat_deg: -29.10, lon_deg: 27.70 })).toEqual(['Berea']);
  });

  it('picks the shift on call now and the person at the escalation level, the last of the chain when it is shorter', () => {
    const r = router();
    const maseru = at(-29.30, 27.45);
    expect(r.recipients(maseru, 'high', 0, WED_0900_LOCAL)).toEqual([{ officer: 'ana', roster: 'maseru', level: 0 }]);
    expect(r.recipients(maseru, 'high', 1, WED_0900_LOCAL).map((x) => x.officer)).toEqual(['bob']);
    expect(r.recipients(maseru, 'high', 5, WED_0900_LOCAL).map((x) => x.officer)).toEqual(['chief']);
    expect(r.maxLevel(maseru, 'high', WED_0900_LOCAL)).toBe(2);
    expect(r.recipients(maseru, 'high', 0, WED_2300_LOCAL).map((x) => x.officer)).toEqual(['night']);
    expect(r.recipients(maseru, 'high', 0, SAT_1000_LOCAL).map((x) => x.officer)).toEqual(['night']);
    expect(r.maxLevel(maseru, 'high', SAT_1000_LOCAL)).toBe(1);
  });

  it('holds only low-tier pushes in quiet hours, until they end', () => {
    const r = router();
    expect(r.quietUntil('desk', 'low', WED_2300_LOCAL)).toBe(Date.UTC(2026, 10, 26, 4, 30)); // 06:30 local
    expect(r.quietUntil('desk', 'medium', WED_2300_LOCAL)).toBeNull();
    expect(r.quietUntil('desk', 'high', WED_2300_LOCAL)).toBeNull();
    expect(r.quietUntil('desk', 'low', WED_0900_LOCAL)).toBeNull();
    expect(r.quietUntil('ana', 'low', WED_2300_LOCAL)).toBeNull();
    expect(r.quietUntil('desk', 'low', Date.UTC(2026, 10, 26, 2, 15, 42))).toBe(Date.UTC(2026, 10, 26, 4, 30)); // 04:15:42 local
  });

  it('rejects a district file that is not polygons with names', () => {
    expect(parseDistricts({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [] } }] })).toMatchObject({ ok: false, reason: 'bad_geojson' });
    expect(parseDistricts({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'x' }, geometry: { type: 'Point', coordinates: [0, 0] } }] })).toMatchObject({ ok: false, reason: 'bad_geojson' });
    expect(parseDistricts([1, 2])).toMatchObject({ ok: false, reason: 'bad_geojson' });
  });
});
