/**
 * The hard negatives: places where many legitimate phones concentrate at one spot, built from the same
 * human model (humans.ts) with a schedule of who is present and how an event scales their activity.
 *
 *  - stadium / concert: arrivals over the 90 min before the start, low use during play, a half-time
 *    (intermission) burst, goal bursts, a final-whistle burst, leaving; arrivals from other location
 *    areas location-update on arrival (the LU wave).
 *  - station: rush-hour passenger flows in clumps (one per train), short dwell, LU wave on arrival.
 *  - office / factory: workers by shift (night shifts wrap midnight), breaks with a burst of use.
 *  - market: traders all day, visitors peaking mid-morning, on market days only.
 *  - call_centre: human agents on their own phones; inbound calls arrive at a Poisson rate with a
 *    call-centre intraday shape and are queued for free agents (answer to paging), agents also dial out;
 *    human talk and wrap-up times, lunch breaks, working hours.
 *  - small_cell: an operator's in-building cell; staff and visitors all camp on it (TA 0).
 *  - heavy_user: one person with tens of calls and hundreds of SMS a day, SMS in bursts.
 *  - train: runs along a route; passengers move with it, change cells and location-update in a wave
 *    at each location-area boundary.
 *
 * It schedules presence and scripted activity; radio procedures stay in access.ts.
 */
import type { SimCrowd, WeekdayName } from '../scenario.js';
import type { Random } from '../random.js';
import { DAY_MS, HOUR_MS, localDay, localHour, localMidnight, localWeekday, parseLocalDateTime, WEEKDAY_NAMES } from '../time/calendar.js';
import { timingAdvanceFor } from './radio.js';
import type { AccessEngine } from './access.js';
import { K_CROWD, K_VISIT, type WorldContext } from './context.js';
import type { HumanBehaviour, Modulation } from './humans.js';
import { ACT_MO_CALL, ACT_MO_SMS, ACT_MT_CALL, ACT_MT_SMS, MOBILITY_TRAIN, OWNER_CROWD, type SubscriberTable } from './subscribers.js';
import type { TruthCrowd } from '../truth.js';
import { Geography } from './geography.js';

/** Crowd timer codes (K_CROWD b). */
const C_DAY = 0;
const C_INBOUND = 1;
const C_AGENT_OUT = 2;
const C_SMS_BURST = 3;
const C_TRAIN_SEGMENT = 4;

interface Burst {
  from: number;
  to: number;
  factor: number;
}

interface CrowdRt {
  index: number;
  cfg: SimCrowd;
  x: number;
  y: number;
  radius: number;
  members: number[];
  cursor: number;
  /** Activity factor by time (sorted, non-overlapping windows); base outside them. */
  bursts: Burst[];
  base: number;
  max: number;
  active: Array<[number, number]>;
  /** Call centre: queued inbound calls (arrival times). */
  queue: number[];
  /** Train runs in progress. */
  runs: Array<TrainRun | undefined>;
  route: Array<[number, number]>;
}

interface TrainRun {
  members: number[];
  segment: number;
  t0: number;
}

export class Crowds implements Modulation {
  readonly list: CrowdRt[] = [];
  private readonly rnd: Random;
  private readonly subs: SubscriberTable;
  private readonly off: number;

  constructor(
    private readonly ctx: WorldContext,
    private readonly humans: HumanBehaviour,
    private readonly access: AccessEngine,
    private readonly opIndexByPlmn: Map<string, number>,
  ) {
    this.rnd = ctx.rnd.fork('crowds');
    this.subs = ctx.subs;
    this.off = ctx.scenario.utc_offset_h;
    ctx.on(K_VISIT, (i, arrive, t) => (arrive ? this.arrive(i, t) : this.leave(i, t)));
    ctx.on(K_CROWD, (c, code, t) => this.onTimer(c, code, t));
    const routes = new Map(ctx.scenario.routes.map((r) => [r.id, r.points.map(([lat, lon]) => [ctx.proj.x({ lat_deg: lat, lon_deg: lon }), ctx.proj.y({ lat_deg: lat, lon_deg: lon })] as [number, number])]));
    ctx.scenario.crowds.forEach((cfg, index) => {
      const isTrain = cfg.kind === 'train';
      const route = isTrain ? (routes.get(cfg.route) ?? []) : [];
      const x = isTrain ? (route[0]?.[0] ?? 0) : ctx.proj.x(cfg);
      const y = isTrain ? (route[0]?.[1] ?? 0) : ctx.proj.y(cfg);
      const rt: CrowdRt = {
        index, cfg, x, y, radius: isTrain ? 0 : cfg.radius_m, members: [], cursor: 0, bursts: [], base: 1, max: 1, active: [], queue: [], runs: [], route,
      };
      this.list.push(rt);
      this.build(rt);
    });
  }

  // ---- Modulation (humans.ts asks) ----
  factor(owner: number, t: number): number {
    const c = this.list[owner]!;
    for (const b of c.bursts) if (t >= b.from && t < b.to) return b.factor;
    return c.base;
  }

  max(owner: number): number {
    return this.list[owner]!.max;
  }

  private memberCount(cfg: SimCrowd): number {
    switch (cfg.kind) {
      case 'stadium':
      case 'concert':
        return cfg.attendance;
      case 'station': {
        const hours = cfg.rush_hours.reduce((s, [a, b]) => s + (b - a), 0);
        return Math.ceil((cfg.peak_passengers_per_h * (hours + cfg.off_peak_share * (17 - hours))) / 2) + 50;
      }
      case 'office':
      case 'factory':
        return cfg.workers;
      case 'market':
        return cfg.visitors + cfg.traders;
      case 'call_centre':
        return cfg.agents;
      case 'small_cell':
        return cfg.staff + cfg.visitors_per_day;
      case 'heavy_user':
        return 1;
      case 'train':
        return Math.ceil(cfg.passengers * cfg.runs_per_h * (cfg.service_hours[1] - cfg.service_hours[0]) * 0.6) + cfg.passengers;
    }
  }

  private build(c: CrowdRt): void {
    const cfg = c.cfg;
    const subs = this.subs;
    const n = this.memberCount(cfg);
    const smallCellOp = cfg.kind === 'small_cell' ? this.opIndexByPlmn.get(this.plmnOfCi(cfg.cell_ci)) : undefined;
    const shares = this.ctx.operators.map((o) => o.subscriber_share ?? 1);
    for (let k = 0; k < n; k++) {
      const op = smallCellOp ?? this.rnd.weighted(shares);
      const i = subs.add(OWNER_CROWD, c.index, op, this.rnd.int(0, 1e10));
      subs.tmsi[i] = this.rnd.int(1, 0xfffffffe);
      subs.tmsiValid[i] = 1;
      subs.present[i] = 0;
      subs.attached[i] = 1;
      if (cfg.kind === 'train') subs.mobility[i] = MOBILITY_TRAIN;
      subs.lossDb[i] = cfg.kind === 'small_cell' ? 20 : cfg.kind === 'office' || cfg.kind === 'factory' || cfg.kind === 'call_centre' ? 12 : 0;
      const factor = cfg.activity_factor;
      if (cfg.kind === 'heavy_user') {
        this.humans.initRates(i, 1, { [ACT_MO_CALL]: cfg.calls_per_day * 0.6, [ACT_MT_CALL]: cfg.calls_per_day * 0.4, [ACT_MO_SMS]: 0, [ACT_MT_SMS]: cfg.sms_per_day * 0.3 });
        subs.activity[i] = factor;
      } else if (cfg.kind === 'call_centre') {
        this.humans.initRates(i, 0.3 * factor);
      } else {
        this.humans.initRates(i, factor);
      }
      subs.moodKey[i] = this.humans.moodKeyAt(c.x, c.y);
      this.humans.startBurstChain(i, this.ctx.start_ts_ms);
      c.members.push(i);
    }
    this.setModulation(c);
    this.planStatic(c);
  }

  private plmnOfCi(ci: number): string {
    const cell = this.ctx.cells.find((x) => x.cfg.ci === ci);
    return cell?.plmn ?? '';
  }

  /** Activity windows that do not depend on the day plan. */
  private setModulation(c: CrowdRt): void {
    const cfg = c.cfg;
    const MIN = 60_000;
    switch (cfg.kind) {
      case 'stadium':
      case 'concert': {
        c.base = 1.3;
        for (const e of cfg.events) {
          const s = parseLocalDateTime(e.start, this.off)!;
          const d = e.duration_min * MIN;
          if (cfg.kind === 'stadium') {
            const half = Math.min(45 * MIN, d / 2);
            c.bursts.push({ from: s, to: s + half, factor: 0.6 });
            c.bursts.push({ from: s + half, to: s + half + 15 * MIN, factor: 4 });
            c.bursts.push({ from: s + half + 15 * MIN, to: s + d, factor: 0.6 });
            const goals = e.goals ?? this.rnd.int(0, 5);
            for (let g = 0; g < goals; g++) {
              const playing = this.rnd.chance(0.5) ? s + this.rnd.uniform(0, half - 3 * MIN) : s + half + 15 * MIN + this.rnd.uniform(0, d - half - 18 * MIN);
              c.bursts.push({ from: playing, to: playing + 3 * MIN, factor: 3.5 });
            }
          } else {
            c.bursts.push({ from: s, to: s + d / 2, factor: 0.5 });
            c.bursts.push({ from: s + d / 2, to: s + d / 2 + 20 * MIN, factor: 3.5 });
            c.bursts.push({ from: s + d / 2 + 20 * MIN, to: s + d + 20 * MIN, factor: 0.5 });
          }
          c.bursts.push({ from: s + d, to: s + d + 10 * MIN, factor: 5 });
          c.bursts.push({ from: s + d + 10 * MIN, to: s + d + 60 * MIN, factor: 2 });
        }
        break;
      }
      case 'station':
        c.base = 1.5;
        break;
      case 'office':
        c.base = 1;
        break;
      case 'factory':
        c.base = 0.5;
        break;
      case 'market':
        c.base = 1.2;
        break;
      case 'train':
        c.base = 1.2;
        break;
      case 'small_cell':
      case 'heavy_user':
      case 'call_centre':
        c.base = 1;
        break;
    }
    // Overlapping goal windows: the later-listed (burst) window wins; sort by start for lookup.
    c.bursts.sort((a, b) => a.from - b.from);
    c.max = Math.max(c.base, ...c.bursts.map((b) => b.factor), cfg.kind === 'office' ? 3 : 1, cfg.kind === 'factory' ? 4 : 1);
  }

  /** Schedules what is known up front (stadium events) and the daily planning timer. */
  private planStatic(c: CrowdRt): void {
    const cfg = c.cfg;
    const start = this.ctx.start_ts_ms;
    const end = this.ctx.end_ts_ms;
    if (cfg.kind === 'stadium' || cfg.kind === 'concert') {
      for (const e of cfg.events) {
        const s = parseLocalDateTime(e.start, this.off)!;
        const d = e.duration_min * 60_000;
        const arrivalMs = cfg.arrival_min * 60_000;
        const leaveMs = cfg.leave_min * 60_000;
        c.active.push([s - arrivalMs, s + d + leaveMs]);
        if (s + d + leaveMs < start || s - arrivalMs > end) continue;
        for (const i of c.members) {
          // Arrivals grow toward the start (Beta(2.5, 1)-like); leaving spreads after the end.
          const arrive = s - arrivalMs * (1 - Math.pow(this.rnd.next(), 1 / 2.5)) + this.rnd.uniform(0, 5 * 60_000);
          const leave = s + d + 2 * 60_000 + this.rnd.exponential(leaveMs / 3);
          this.scheduleVisit(i, arrive, Math.min(leave, s + d + leaveMs));
        }
      }
      return;
    }
    if (cfg.kind === 'heavy_user') {
      const i = c.members[0]!;
      c.active.push([start, end]);
      this.scheduleVisit(i, start, Number.POSITIVE_INFINITY);
      this.scheduleSmsBurst(c, start);
      return;
    }
    // Daily plans: the day before (night shifts still on at the start), the day containing the start,
    // then every local midnight.
    const day = localDay(start, this.off);
    if (cfg.kind === 'office' || cfg.kind === 'factory') this.planDay(c, localMidnight(day - 1, this.off), start);
    this.planDay(c, localMidnight(day, this.off), start);
    this.ctx.queue.push(localMidnight(day + 1, this.off), K_CROWD, c.index, C_DAY);
  }

  private scheduleVisit(i: number, arrive: number, leave: number): void {
    const start = this.ctx.start_ts_ms;
    if (leave <= start) return;
    this.ctx.queue.push(Math.max(arrive, start), K_VISIT, i, 1);
    if (Number.isFinite(leave)) this.ctx.queue.push(leave, K_VISIT, i, 0);
  }

  private dayName(dayStart: number): WeekdayName {
    return WEEKDAY_NAMES[localWeekday(dayStart + HOUR_MS, this.off)]! as WeekdayName;
  }

  private nextMember(c: CrowdRt, from = 0, to = c.members.length): number {
    const span = to - from;
    const i = c.members[from + (c.cursor++ % span)]!;
    return i;
  }

  /** Plans one local day of a daily crowd from `from` on. */
  private planDay(c: CrowdRt, dayStart: number, from: number): void {
    const cfg = c.cfg;
    const rnd = this.rnd;
    const at = (h: number) => dayStart + h * HOUR_MS;
    const MIN = 60_000;
    const day = this.dayName(dayStart);
    const visit = (i: number, a: number, l: number) => {
      if (l > from) this.scheduleVisit(i, Math.max(a, from), l);
    };
    // Windows that ended more than a day ago no longer matter (long live runs).
    c.bursts = c.bursts.filter((b) => b.to > from - 24 * HOUR_MS);
    switch (cfg.kind) {
      case 'office':
      case 'factory': {
        if (!cfg.days.includes(day)) return;
        const perShift = Math.ceil(c.members.length / cfg.shifts.length);
        cfg.shifts.forEach(([sh, eh], s) => {
          const end = eh > sh ? eh : eh + 24;
          c.active.push([at(sh) - cfg.arrival_spread_min * MIN, at(end) + 30 * MIN]);
          for (let k = s * perShift; k < Math.min(c.members.length, (s + 1) * perShift); k++) {
            const i = c.members[k]!;
            const a = at(sh) + rnd.normal(-cfg.arrival_spread_min / 3, cfg.arrival_spread_min / 3) * MIN;
            const l = at(end) + Math.abs(rnd.normal(0, 15)) * MIN;
            visit(i, a, l);
          }
          for (const b of cfg.breaks) {
            const bh = b >= sh ? b : b + 24;
            if (bh < sh || bh > end) continue;
            c.bursts.push({ from: at(bh), to: at(bh) + 30 * MIN, factor: cfg.kind === 'factory' ? 4 : 3 });
          }
          c.bursts.push({ from: at(sh) - 30 * MIN, to: at(sh) + 15 * MIN, factor: 1.5 });
        });
        c.bursts.sort((a, b) => a.from - b.from);
        return;
      }
      case 'market': {
        if (!cfg.days.includes(day)) return;
        const [h0, h1] = cfg.hours;
        c.active.push([at(h0 - 0.5), at(h1 + 0.5)]);
        for (let k = 0; k < cfg.traders; k++) visit(c.members[k]!, at(h0 - 0.6) + rnd.normal(0, 15) * MIN, at(h1 + 0.3) + rnd.normal(0, 15) * MIN);
        for (let k = 0; k < cfg.visitors; k++) {
          // Triangular arrival density peaking a third of the way into the market hours.
          const u = rnd.next();
          const peak = 1 / 3;
          const f = u < peak ? Math.sqrt(u * peak) : 1 - Math.sqrt((1 - u) * (1 - peak));
          const a = at(h0 + f * (h1 - h0));
          const stay = rnd.lognormalMedian(cfg.visit_min.median, cfg.visit_min.sigma) * MIN;
          visit(c.members[cfg.traders + k]!, a, Math.min(a + stay, at(h1 + 0.5)));
        }
        return;
      }
      case 'small_cell': {
        const [h0, h1] = cfg.hours;
        c.active.push([at(h0 - 0.5), at(h1 + 0.5)]);
        for (let k = 0; k < cfg.staff; k++) visit(c.members[k]!, at(h0 - 0.5) + rnd.normal(0, 10) * MIN, at(h1 + 0.3) + rnd.normal(0, 10) * MIN);
        const wd = localWeekday(dayStart + HOUR_MS, this.off);
        const visitors = Math.round(cfg.visitors_per_day * (wd === 6 ? 1.4 : wd === 0 ? 0.8 : 1));
        for (let k = 0; k < Math.min(visitors, cfg.visitors_per_day); k++) {
          // Shoppers: a lunchtime and an after-work peak.
          const h = rnd.chance(0.45) ? rnd.normal(12.8, 1.2) : rnd.chance(0.6) ? rnd.normal(17.5, 1.1) : rnd.uniform(h0, h1);
          const a = at(Math.min(Math.max(h, h0), h1 - 0.3));
          const stay = rnd.lognormalMedian(cfg.visit_min.median, cfg.visit_min.sigma) * MIN;
          visit(c.members[cfg.staff + k]!, a, Math.min(a + stay, at(h1 + 0.3)));
        }
        return;
      }
      case 'call_centre': {
        const range = this.workingRange(cfg.hours, dayStart);
        if (range === null) return;
        const [h0, h1] = range;
        c.active.push([at(h0), at(h1)]);
        for (const i of c.members) {
          const a = at(h0) + rnd.normal(-5, 6) * MIN;
          const l = at(h1) + Math.abs(rnd.normal(5, 5)) * MIN;
          visit(i, a, l);
          const out = cfg.outbound_calls_per_agent_per_h;
          if (out > 0) this.ctx.queue.push(Math.max(from, a) + rnd.exponential(3_600_000 / out), K_CROWD, c.index, C_AGENT_OUT | (i << 3));
        }
        if (cfg.inbound_calls_per_agent_per_h > 0) this.ctx.queue.push(Math.max(from, at(h0)), K_CROWD, c.index, C_INBOUND);
        return;
      }
      case 'station': {
        const onDay = cfg.days.includes(day);
        c.active.push([at(5), at(22)]);
        const interval = 60 / cfg.trains_per_h;
        for (let m = 5 * 60; m < 22 * 60; m += interval) {
          const h = m / 60;
          const rush = onDay && cfg.rush_hours.some(([a, b]) => h >= a && h < b);
          const flow = cfg.peak_passengers_per_h * (rush ? 1 : cfg.off_peak_share);
          const perTrain = rnd.poisson(flow / cfg.trains_per_h / 2);
          const trainAt = at(h) + rnd.normal(0, 1.5) * MIN;
          // Alighting passengers arrive together and leave after their dwell.
          for (let k = 0; k < perTrain; k++) {
            const a = trainAt + rnd.uniform(0, 3) * MIN;
            visit(this.nextMember(c), a, a + rnd.lognormalMedian(cfg.dwell_min.median, cfg.dwell_min.sigma) * MIN);
          }
          // Boarding passengers arrive spread out and leave with the train.
          const boarding = rnd.poisson(flow / cfg.trains_per_h / 2);
          for (let k = 0; k < boarding; k++) {
            const a = trainAt - rnd.lognormalMedian(cfg.dwell_min.median, cfg.dwell_min.sigma) * MIN;
            visit(this.nextMember(c), a, trainAt + 2 * MIN);
          }
        }
        return;
      }
      case 'train': {
        const [h0, h1] = cfg.service_hours;
        c.active.push([at(h0), at(h1 + 1)]);
        for (let h = h0; h < h1; h += 1 / cfg.runs_per_h) {
          const depart = at(h);
          if (depart < from) continue;
          const run: TrainRun = { members: [], segment: -1, t0: depart };
          const n = rnd.poisson(cfg.passengers);
          for (let k = 0; k < n; k++) run.members.push(this.nextMember(c));
          c.runs.push(run);
          this.ctx.queue.push(depart, K_CROWD, c.index, C_TRAIN_SEGMENT | ((c.runs.length - 1) << 3));
        }
        return;
      }
      case 'stadium':
      case 'concert':
      case 'heavy_user':
        return;
    }
  }

  /** Working [start_h, end_h] of a call centre on the day starting at `dayStart`, or null. */
  private workingRange(hours: Extract<SimCrowd, { kind: 'call_centre' }>['hours'], dayStart: number): [number, number] | null {
    const day = this.dayName(dayStart);
    if (hours === '24/7') return [0, 24];
    if (hours === 'office') return ['mon', 'tue', 'wed', 'thu', 'fri'].includes(day) ? [8, 18] : null;
    if (hours === 'night') return [20, 30];
    if (!hours.days.includes(day)) return null;
    return hours.end_h > hours.start_h ? [hours.start_h, hours.end_h] : [hours.start_h, hours.end_h + 24];
  }

  // ---- Presence ----
  private arrive(i: number, t: number): void {
    const subs = this.subs;
    if (subs.present[i]) return;
    const c = this.list[subs.owner[i]!]!;
    const rnd = this.rnd;
    if (c.cfg.kind !== 'train') {
      const a = rnd.uniform(0, 2 * Math.PI);
      const r = c.radius * Math.sqrt(rnd.next());
      subs.place(i, c.x + r * Math.cos(a), c.y + r * Math.sin(a));
    }
    subs.present[i] = 1;
    subs.off[i] = 0;
    subs.attached[i] = 1;
    const cell = this.humans.homeCell(i, t);
    const ownLa = cell >= 0 ? this.ctx.cells[cell]!.laIndex : -1;
    const fromElsewhere = c.cfg.kind !== 'heavy_user' && c.cfg.kind !== 'train' && rnd.chance(c.cfg.from_other_la_share);
    const otherLas = fromElsewhere ? this.otherLas(ownLa, subs.op[i]!) : [];
    subs.regLa[i] = otherLas.length > 0 ? rnd.pick(otherLas) : ownLa;
    this.humans.activate(i, t, true);
    if (subs.regLa[i] !== ownLa && ownLa >= 0) this.access.start(t + rnd.uniform(2000, 60_000), i, 'lu_normal');
  }

  private otherLas(la: number, op: number): number[] {
    const plmn = this.ctx.plmns[op];
    const out: number[] = [];
    this.ctx.las.forEach((area, k) => {
      if (k !== la && `${area.mcc}${area.mnc}` === plmn) out.push(k);
    });
    return out;
  }

  private leave(i: number, t: number): void {
    const subs = this.subs;
    if (!subs.present[i]) return;
    subs.present[i] = 0;
    subs.gen[i] = (subs.gen[i]! + 1) | 0;
    void t;
  }

  // ---- Timers ----
  private onTimer(ci: number, b: number, t: number): void {
    const c = this.list[ci]!;
    const code = b & 7;
    const arg = b >>> 3;
    switch (code) {
      case C_DAY: {
        const day = localDay(t + 1000, this.off);
        this.planDay(c, localMidnight(day, this.off), t);
        this.ctx.queue.push(localMidnight(day + 1, this.off), K_CROWD, ci, C_DAY);
        return;
      }
      case C_INBOUND:
        return this.inbound(c, t);
      case C_AGENT_OUT:
        return this.agentOutbound(c, arg, t);
      case C_SMS_BURST:
        return this.smsBurst(c, t);
      case C_TRAIN_SEGMENT:
        return this.trainSegment(c, arg, t);
    }
  }

  /** Intraday shape of call-centre inbound traffic: mid-morning and mid-afternoon peaks. */
  private callCentreShape(t: number): number {
    const h = localHour(t, this.off);
    return 0.6 + 0.5 * Math.exp(-((h - 10.5) ** 2) / 2) + 0.35 * Math.exp(-((h - 14.5) ** 2) / 2);
  }

  private agentFree(i: number, t: number): boolean {
    return this.subs.present[i] === 1 && this.subs.busyUntil[i]! <= t && !this.onLunch(i, t);
  }

  private onLunch(i: number, t: number): boolean {
    const h = localHour(t, this.off);
    const start = 11.75 + ((i * 37) % 120) / 60; // staggered 11:45–13:45
    return h >= start && h < start + 0.75;
  }

  private inbound(c: CrowdRt, t: number): void {
    const cfg = c.cfg;
    if (cfg.kind !== 'call_centre') return;
    const dayStart = localMidnight(localDay(t, this.off), this.off);
    const range = this.workingRange(cfg.hours, dayStart);
    const h = (t - dayStart) / HOUR_MS;
    if (range === null || h >= range[1]) return;
    if (h >= range[0]) {
      // Drop callers who gave up waiting (patience ~ lognormal, median 90 s).
      c.queue = c.queue.filter((arrived) => t - arrived < 90_000 * Math.exp(0.6 * this.rnd.normal()));
      c.queue.push(t);
      this.dispatchQueue(c, t);
    }
    const rate = cfg.agents * cfg.inbound_calls_per_agent_per_h * 0.8 * this.callCentreShape(t);
    this.ctx.queue.push(t + this.rnd.exponential(3_600_000 / rate), K_CROWD, c.index, C_INBOUND);
  }

  private dispatchQueue(c: CrowdRt, t: number): void {
    const cfg = c.cfg;
    if (cfg.kind !== 'call_centre') return;
    while (c.queue.length > 0) {
      const agent = c.members.find((i) => this.agentFree(i, t));
      if (agent === undefined) return;
      c.queue.shift();
      const talk = this.rnd.lognormalMedian(cfg.handle_s.median, cfg.handle_s.sigma) * 1000;
      const wrap = this.rnd.lognormalMedian(cfg.wrap_up_s.median, cfg.wrap_up_s.sigma) * 1000;
      this.subs.busyUntil[agent] = t + 60_000; // reserved while it is paged
      this.access.page(t, agent, 'call', true, (t2, channelNeeded, identity) => {
        this.access.start(t2, agent, 'mt_call', {
          channelNeeded, identity, holdMs: 4000 + talk,
          done: (_r, t3) => {
            this.subs.busyUntil[agent] = t3 + 4000 + talk + wrap;
          },
        });
      }, (t2) => {
        this.subs.busyUntil[agent] = t2;
      });
    }
  }

  private agentOutbound(c: CrowdRt, i: number, t: number): void {
    const cfg = c.cfg;
    if (cfg.kind !== 'call_centre' || !this.subs.present[i]) return;
    if (this.agentFree(i, t) && c.queue.length === 0) {
      const talk = this.rnd.lognormalMedian(cfg.handle_s.median * 0.7, cfg.handle_s.sigma) * 1000;
      const unanswered = this.rnd.chance(0.3);
      const hold = unanswered ? this.rnd.lognormalMedian(25_000, 0.3) : 6000 + talk;
      const wrap = this.rnd.lognormalMedian(cfg.wrap_up_s.median, cfg.wrap_up_s.sigma) * 1000;
      this.subs.busyUntil[i] = t + 60_000;
      this.access.start(t, i, 'mo_call', {
        holdMs: hold,
        done: (_r, t2) => {
          this.subs.busyUntil[i] = t2 + hold + wrap;
        },
      });
    }
    this.ctx.queue.push(t + this.rnd.exponential(3_600_000 / cfg.outbound_calls_per_agent_per_h), K_CROWD, c.index, C_AGENT_OUT | (i << 3));
  }

  private scheduleSmsBurst(c: CrowdRt, t: number): void {
    const cfg = c.cfg;
    if (cfg.kind !== 'heavy_user') return;
    const burstsPerDay = (cfg.sms_per_day * 0.7) / cfg.sms_burst_size;
    if (burstsPerDay <= 0) return;
    // Thinned by the population profile: bursts follow the person's day.
    const max = this.humans.profile.max;
    let at = t;
    for (;;) {
      at += this.rnd.exponential(DAY_MS / burstsPerDay / max);
      if (this.rnd.next() < this.humans.profile.at(at) / max) break;
    }
    this.ctx.queue.push(at, K_CROWD, c.index, C_SMS_BURST);
  }

  private smsBurst(c: CrowdRt, t: number): void {
    const cfg = c.cfg;
    if (cfg.kind !== 'heavy_user') return;
    const i = c.members[0]!;
    let at = t;
    for (let k = 0; k < cfg.sms_burst_size; k++) {
      this.humans.performAt(i, ACT_MO_SMS, at);
      at += this.rnd.lognormalMedian(4500, 0.3);
    }
    this.scheduleSmsBurst(c, t);
  }

  private trainSegment(c: CrowdRt, runIndex: number, t: number): void {
    const run = c.runs[runIndex];
    if (run === undefined) return;
    const cfg = c.cfg;
    if (cfg.kind !== 'train') return;
    const subs = this.subs;
    const route = c.route;
    run.segment++;
    if (run.segment === 0) {
      // Boarding at the first station.
      for (const i of run.members) {
        subs.place(i, route[0]![0], route[0]![1]);
        this.arrive(i, t);
      }
    } else {
      for (const i of run.members) this.humans.checkLocationAreaLater(i, t, this.rnd.uniform(0, 20_000));
    }
    if (run.segment >= route.length - 1) {
      for (const i of run.members) this.leave(i, t);
      c.runs[runIndex] = undefined;
      return;
    }
    const [x0, y0] = route[run.segment]!;
    const [x1, y1] = route[run.segment + 1]!;
    const dur = (Math.hypot(x1 - x0, y1 - y0) / (cfg.speed_kmh / 3.6)) * 1000;
    for (const i of run.members) {
      subs.place(i, x0, y0);
      subs.startTrip(i, t, t + dur, x1, y1);
    }
    // Location areas are checked along the way at the segment ends and every 2 minutes.
    const checks = Math.floor(dur / 120_000);
    for (let k = 1; k <= checks; k++) {
      for (const i of run.members) this.humans.checkLocationAreaLater(i, t + k * 120_000, this.rnd.uniform(0, 20_000));
    }
    this.ctx.queue.push(t + dur, K_CROWD, c.index, C_TRAIN_SEGMENT | (runIndex << 3));
  }

  /** Ground truth of the crowds: place, members, when, and the cells/TAs their members use. */
  truth(): TruthCrowd[] {
    const ctx = this.ctx;
    return this.list.map((c) => {
      const ll = ctx.proj.toLatLon(c.x, c.y);
      const serving = new Map<number, Map<number, number>>();
      let samples = 0;
      const pointsOnRoute = c.route.length >= 2;
      for (let k = 0; k < 600; k++) {
        let x: number;
        let y: number;
        if (pointsOnRoute) {
          const s = this.rnd.int(0, c.route.length - 1);
          const f = this.rnd.next();
          x = c.route[s]![0] + (c.route[s + 1]![0] - c.route[s]![0]) * f;
          y = c.route[s]![1] + (c.route[s + 1]![1] - c.route[s]![1]) * f;
        } else {
          const a = this.rnd.uniform(0, 2 * Math.PI);
          const r = c.radius * Math.sqrt(this.rnd.next());
          x = c.x + r * Math.cos(a);
          y = c.y + r * Math.sin(a);
        }
        const i = c.members[k % c.members.length]!;
        const key = pointsOnRoute ? Geography.placeKey(x, y) : this.rnd.int(0, 2 ** 31);
        const sel = ctx.geo.select(x, y, ctx.subs.op[i]!, key, ctx.subs.lossDb[i]!);
        if (sel === null) continue;
        const ta = timingAdvanceFor(sel.distance_m + ctx.geo.excessDelayM(key, sel.cell));
        const m = serving.get(sel.cell) ?? new Map<number, number>();
        m.set(ta, (m.get(ta) ?? 0) + 1);
        serving.set(sel.cell, m);
        samples++;
      }
      const cells = [...serving.entries()]
        .map(([cell, tas]) => {
          const cfg = ctx.cells[cell]!.cfg;
          const kept = [...tas.entries()].filter(([, n]) => n >= Math.max(2, samples * 0.01)).map(([ta]) => ta).sort((a, b) => a - b);
          return { cell: { mcc: cfg.mcc, mnc: cfg.mnc, lac: cfg.lac, ci: cfg.ci }, arfcn: cfg.arfcn, ta_steps: kept };
        })
        .filter((s) => s.ta_steps.length > 0);
      const active = mergeIntervals(c.active.map(([a, b]) => [Math.max(a, ctx.start_ts_ms), Math.min(b, ctx.end_ts_ms)] as [number, number]).filter(([a, b]) => b > a));
      return {
        id: c.cfg.id,
        kind: c.cfg.kind,
        lat_deg: ll.lat_deg,
        lon_deg: ll.lon_deg,
        radius_m: c.radius,
        members: c.members.length,
        active_intervals: active,
        serving: cells,
      };
    });
  }
}

export function mergeIntervals(list: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

