/**
 * Creates the resident population: each subscriber gets an operator (by market share), a home (by the
 * weight of residential/mixed areas), a workplace if a commuter (business/mixed areas), a mobility
 * type, personal rates (humans.ts), an IMSI and TMSI, and is registered where it camps at the start
 * (location area, periodic-update phase, powered off if it is night and it switches off overnight).
 *
 * It must not schedule anything beyond what humans.ts does on activation.
 */
import type { WorldContext } from './context.js';
import type { HumanBehaviour } from './humans.js';
import { localDay, localMidnight } from '../time/calendar.js';
import { MOBILITY_COMMUTER, MOBILITY_DRIVER, MOBILITY_STATIC, MOBILITY_WALKER, OWNER_RESIDENT } from './subscribers.js';

export function addResidents(ctx: WorldContext, humans: HumanBehaviour, opIndexByPlmn: Map<string, number>): number {
  const s = ctx.scenario;
  const pop = s.population;
  const rnd = ctx.rnd.fork('residents');
  const subs = ctx.subs;
  const centroid = {
    lat_deg: s.cells.reduce((a, c) => a + c.lat_deg, 0) / s.cells.length,
    lon_deg: s.cells.reduce((a, c) => a + c.lon_deg, 0) / s.cells.length,
  };
  const areas = (pop.areas ?? [{ ...(pop.center ?? centroid), radius_m: pop.radius_m, weight: 1, kind: 'mixed' as const }]).map((a) => ({
    x: ctx.proj.x(a),
    y: ctx.proj.y(a),
    r: a.radius_m,
    w: a.weight,
    kind: a.kind,
  }));
  const homes = areas.filter((a) => a.kind !== 'business');
  const works = areas.filter((a) => a.kind !== 'residential');
  const homeAreas = homes.length > 0 ? homes : areas;
  const workAreas = works.length > 0 ? works : areas;
  const homeW = homeAreas.map((a) => a.w);
  const workW = workAreas.map((a) => a.w);
  const shares = ctx.operators.map((o) => o.subscriber_share ?? 1);
  void opIndexByPlmn;
  const m = pop.mobility;
  const point = (a: { x: number; y: number; r: number }): [number, number] => {
    const ang = rnd.uniform(0, 2 * Math.PI);
    const r = a.r * Math.sqrt(rnd.next());
    return [a.x + r * Math.cos(ang), a.y + r * Math.sin(ang)];
  };
  const start = ctx.start_ts_ms;
  const first = subs.size;
  for (let k = 0; k < pop.subscribers; k++) {
    const op = rnd.weighted(shares);
    const i = subs.add(OWNER_RESIDENT, -1, op, rnd.int(0, 1e10));
    const [hx, hy] = point(homeAreas[rnd.weighted(homeW)]!);
    subs.homeX[i] = hx;
    subs.homeY[i] = hy;
    subs.place(i, hx, hy);
    subs.moodKey[i] = humans.moodKeyAt(hx, hy);
    const u = rnd.next();
    const mob = u < m.commuters ? MOBILITY_COMMUTER : u < m.commuters + m.walkers ? MOBILITY_WALKER : u < m.commuters + m.walkers + m.drivers ? MOBILITY_DRIVER : MOBILITY_STATIC;
    subs.mobility[i] = mob;
    const [wx, wy] = mob === MOBILITY_COMMUTER ? point(workAreas[rnd.weighted(workW)]!) : [hx, hy];
    subs.workX[i] = wx;
    subs.workY[i] = wy;
    subs.tmsi[i] = rnd.int(1, 0xfffffffe);
    subs.tmsiValid[i] = 1;
    subs.present[i] = 1;
    subs.attached[i] = 1;
    humans.initRates(i);
    if (rnd.chance(pop.night_off_share) && humans.setNightOff(i, start)) {
      subs.off[i] = 1;
      subs.attached[i] = 0;
    }
  }
  // Trips already under way or done on the first day put commuters where they are at the start.
  humans.planDay(localMidnight(localDay(start, s.utc_offset_h), s.utc_offset_h), start);
  for (let i = first; i < subs.size; i++) {
    const cell = humans.homeCell(i, start);
    subs.regLa[i] = cell >= 0 ? ctx.cells[cell]!.laIndex : -1;
    humans.startBurstChain(i, start);
    humans.activate(i, start, true);
  }
  return subs.size - first;
}
