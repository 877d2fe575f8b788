/**
 * How people use their phones, one subscriber at a time (residents and crowd members alike):
 *
 *  - Heterogeneity: each subscriber's activity level is lognormal (mean 1, sigma `activity_sigma`),
 *    with their own call/SMS and originating/terminating leanings, and a day-to-day factor.
 *  - Rhythm: the weekly profile (hour × day type) thins a Poisson candidate stream (Lewis–Shedler).
 *  - Burstiness: a two-state Markov chain (high/low activity) modulates each subscriber, after Jiang et
 *    al. (2016), "Two-state Markov-chain Poisson nature of individual cellphone call statistics".
 *  - Follow-ups: SMS replies, redials after unanswered or failed calls, call-backs after missed calls.
 *  - Registration: periodic location updating on T3212 (restarted after every dedicated connection),
 *    power-off overnight for some (IMSI detach, then IMSI attach in the morning), location updates
 *    when a trip crosses into another location area.
 *  - Mobility: commuters (home → work → home on weekdays), walkers and drivers make trips; a trip is a
 *    straight line at walking, minibus or car speed, checked every 30–60 s for a new location area.
 *
 * Crowd members use the same model; crowds.ts says when they are present and how an event scales them.
 * It must not encode frames or decide radio procedures (access.ts does).
 */
import type { Scenario } from '../scenario.js';
import { DEFAULT_WEEKLY_PROFILE } from '../scenario.js';
import { hashInts, hashedNormal, type Random } from '../random.js';
import { localDay, localHour, localMidnight, localWeekday, HOUR_MS } from '../time/calendar.js';
import type { AccessEngine, AccessResult } from './access.js';
import { K_ACT, K_BURST, K_DAY, K_FOLLOW, K_LA_CHECK, K_LU, K_POWER, K_TRIP, K_TRIP_TICK, type WorldContext } from './context.js';
import { MOVING } from './geography.js';
import { ActivityProfile } from './profiles.js';
import {
  ACT_EMERGENCY, ACT_GPRS, ACT_KINDS, ACT_MO_CALL, ACT_MO_SMS, ACT_MT_CALL, ACT_MT_SMS, ACT_USSD,
  MOBILITY_COMMUTER, MOBILITY_DRIVER, MOBILITY_STATIC, MOBILITY_WALKER, OWNER_RESIDENT, type SubscriberTable,
} from './subscribers.js';

const DAY_MS_PER_EVENT = 86_400_000;
/** The common factor's exponent is clipped at this many sigmas (so thinning has a finite maximum). */
const MOOD_CLIP = 2.5;
/** Ring time of an unanswered call before the caller gives up, s (median). */
const RING_UNANSWERED_S = 25;
const RING_ANSWERED_S = 8;

/** How a crowd scales its members' activity; residents have none. */
export interface Modulation {
  factor(owner: number, t: number): number;
  max(owner: number): number;
}

interface Trip {
  depart: number;
  x: number;
  y: number;
  speed_mps: number;
}

export class HumanBehaviour {
  readonly profile: ActivityProfile;
  private readonly pop: Scenario['population'];
  private readonly subs: SubscriberTable;
  private readonly rnd: Random;
  private readonly highFactor: number;
  private readonly lowFactor: number;
  private readonly trips = new Map<number, Trip[]>();
  private readonly moodMax: number;
  private readonly tripTick = new Map<number, number>();
  modulation: Modulation | null = null;

  constructor(
    private readonly ctx: WorldContext,
    private readonly access: AccessEngine,
  ) {
    this.pop = ctx.scenario.population;
    this.subs = ctx.subs;
    this.rnd = ctx.rnd.fork('humans');
    this.profile = new ActivityProfile(this.pop.profile ?? DEFAULT_WEEKLY_PROFILE(), ctx.scenario.utc_offset_h);
    const b = this.pop.burst;
    const pHigh = b.mean_high_min / (b.mean_high_min + b.mean_low_min);
    this.highFactor = b.high_factor;
    // Stationary mean of the modulation is 1: pHigh·h + (1 − pHigh)·l = 1.
    this.lowFactor = Math.max(0.05, (1 - pHigh * b.high_factor) / (1 - pHigh));
    const cm = this.pop.common;
    const sTot = Math.sqrt(cm.sigma_day ** 2 + cm.sigma_slow ** 2);
    this.moodMax = Math.exp(MOOD_CLIP * sTot - (sTot * sTot) / 2);
    ctx.on(K_ACT, (a, g, t) => this.onActivity(a, g, t));
    ctx.on(K_BURST, (a, _b, t) => this.onBurstSwitch(a, t));
    ctx.on(K_LU, (a, token, t) => this.onPeriodicTimer(a, token, t));
    ctx.on(K_LA_CHECK, (a, _b, t) => this.checkLocationArea(a, t));
    ctx.on(K_POWER, (a, on, t) => this.onPower(a, on === 1, t));
    ctx.on(K_TRIP, (a, i, t) => this.onTrip(a, i, t));
    ctx.on(K_TRIP_TICK, (a, token, t) => this.onTripTick(a, token, t));
    ctx.on(K_FOLLOW, (a, kind, t) => this.onFollowUp(a, kind, t));
    ctx.on(K_DAY, (_a, _b, t) => this.onMidnight(t));
  }

  /**
   * Draws a subscriber's personal rates (events per ms at profile 1). `scale` multiplies every kind;
   * `overrides` replaces per-day means of some kinds (heavy user).
   */
  initRates(i: number, scale = 1, overrides?: Partial<Record<number, number>>): void {
    const r = this.pop.rates_per_day;
    const rnd = this.rnd;
    const s = this.pop.activity_sigma;
    const subs = this.subs;
    subs.activity[i] = scale * rnd.lognormal(-(s * s) / 2, s);
    const callBias = rnd.lognormal(-0.125, 0.5);
    const smsBias = rnd.lognormal(-0.125, 0.5);
    const mtBias = rnd.lognormal(-0.08, 0.4);
    const gprsUser = rnd.chance(this.pop.gprs_share);
    const perDay = [
      r.mo_call * callBias / mtBias,
      r.mt_call * callBias * mtBias,
      r.mo_sms * smsBias / mtBias,
      r.mt_sms * smsBias * mtBias,
      r.ussd,
      r.emergency,
      gprsUser && this.pop.gprs_share > 0 ? r.gprs / this.pop.gprs_share : 0,
    ];
    if (overrides) for (const [k, v] of Object.entries(overrides)) perDay[Number(k)] = v!;
    let sum = 0;
    for (let k = 0; k < ACT_KINDS; k++) {
      const v = perDay[k]! / DAY_MS_PER_EVENT;
      subs.rates[i * ACT_KINDS + k] = v;
      sum += v;
    }
    subs.rateSum[i] = sum;
    subs.dualRate[i] = rnd.chance(this.pop.dual_rate_share) ? 1 : 0;
    subs.burstHigh[i] = rnd.chance(this.pop.burst.mean_high_min / (this.pop.burst.mean_high_min + this.pop.burst.mean_low_min)) ? 1 : 0;
  }

  /** Starts the subscriber's high/low activity switching (once, at creation). */
  startBurstChain(i: number, t: number): void {
    const b = this.pop.burst;
    if (this.subs.rateSum[i]! > 0) this.ctx.queue.push(t + this.rnd.exponential((this.subs.burstHigh[i] ? b.mean_high_min : b.mean_low_min) * 60_000), K_BURST, i, 0);
  }

  /** Puts a present subscriber on the agenda: activity and periodic updating. */
  activate(i: number, t: number, luPhase = true): void {
    const subs = this.subs;
    subs.gen[i] = (subs.gen[i]! + 1) | 0;
    if (subs.rateSum[i]! > 0) this.scheduleNext(i, t);
    this.startPeriodicTimer(i, t, luPhase);
  }

  /** Arms T3212 for a registered subscriber: a random phase (already registered) or a full period. */
  startPeriodicTimer(i: number, t: number, randomPhase: boolean): void {
    const cell = this.homeCell(i, t);
    if (cell < 0) return;
    const t3212 = this.ctx.cells[cell]!.op.t3212_decihours * 360_000;
    if (t3212 <= 0) return;
    const subs = this.subs;
    subs.luDue[i] = t + (randomPhase ? this.rnd.uniform(0, t3212) : t3212);
    subs.luToken[i] = (subs.luToken[i]! + 1) | 0;
    this.ctx.queue.push(subs.luDue[i]!, K_LU, i, subs.luToken[i]!);
  }

  /** The cell a subscriber camps on now (cached for fixed positions), or −1. */
  homeCell(i: number, t: number): number {
    const subs = this.subs;
    if (!subs.moving(i, t) && subs.cell[i]! >= 0) return subs.cell[i]!;
    const x = subs.positionX(i, t);
    const y = subs.positionY(i, t);
    const moving = subs.moving(i, t);
    const sel = this.ctx.geo.select(x, y, subs.op[i]!, moving ? MOVING : subs.key[i]!, subs.lossDb[i]!, subs.regLa[i]!);
    if (sel === null) return -1;
    if (!moving) {
      subs.cell[i] = sel.cell;
      subs.cellDist[i] = sel.distance_m;
      subs.cellLevel[i] = sel.level_dbm;
    }
    return sel.cell;
  }

  /**
   * The neighbourhood's common activity factor at t (mean 1): a day level and slow swings interpolated
   * between 30-minute knots, both from hashed normals so every subscriber of the neighbourhood sees the same.
   */
  mood(key: number, t: number): number {
    const cm = this.pop.common;
    if (cm.sigma_day === 0 && cm.sigma_slow === 0) return 1;
    const day = localDay(t, this.ctx.scenario.utc_offset_h);
    const zDay = hashedNormal(key, day, 0xda1);
    const knots = t / (cm.knot_min * 60_000);
    const k = Math.floor(knots);
    const f = knots - k;
    const zSlow = ((1 - f) * hashedNormal(key, k, 0x51) + f * hashedNormal(key, k + 1, 0x51)) / Math.sqrt((1 - f) ** 2 + f * f);
    const sTot = Math.sqrt(cm.sigma_day ** 2 + cm.sigma_slow ** 2);
    const x = Math.min(cm.sigma_day * zDay + cm.sigma_slow * zSlow, MOOD_CLIP * sTot);
    return Math.exp(x - (sTot * sTot) / 2);
  }

  /** Neighbourhood key of a point (the common-factor grid). */
  moodKeyAt(x: number, y: number): number {
    const m = this.pop.common.cell_m;
    return hashInts(Math.floor(x / m), Math.floor(y / m), 0x300d) | 0;
  }

  private burstFactor(i: number): number {
    return this.subs.burstHigh[i] ? this.highFactor : this.lowFactor;
  }

  private scheduleNext(i: number, t: number): void {
    const subs = this.subs;
    const owner = subs.owner[i]!;
    const modMax = subs.ownerKind[i] === OWNER_RESIDENT || this.modulation === null ? 1 : this.modulation.max(owner);
    const rate = subs.rateSum[i]! * subs.activity[i]! * subs.dayFactor[i]! * this.burstFactor(i) * this.profile.max * modMax * this.moodMax;
    if (!(rate > 0)) return;
    this.ctx.queue.push(t + this.rnd.exponential(1 / rate), K_ACT, i, subs.gen[i]!);
  }

  private onBurstSwitch(i: number, t: number): void {
    const subs = this.subs;
    subs.burstHigh[i] = subs.burstHigh[i] ? 0 : 1;
    const b = this.pop.burst;
    this.ctx.queue.push(t + this.rnd.exponential((subs.burstHigh[i] ? b.mean_high_min : b.mean_low_min) * 60_000), K_BURST, i, 0);
    if (subs.present[i]) {
      subs.gen[i] = (subs.gen[i]! + 1) | 0;
      this.scheduleNext(i, t);
    }
  }

  private onActivity(i: number, gen: number, t: number): void {
    const subs = this.subs;
    if (gen !== subs.gen[i] || !subs.present[i]) return;
    const day = localDay(t, this.ctx.scenario.utc_offset_h);
    if (day !== subs.day[i]) {
      subs.day[i] = day;
      const s = this.pop.day_sigma;
      subs.dayFactor[i] = this.rnd.lognormal(-(s * s) / 2, s);
      subs.gen[i] = (subs.gen[i]! + 1) | 0;
      this.scheduleNext(i, t);
      return;
    }
    this.scheduleNext(i, t);
    let accept = (this.profile.at(t) / this.profile.max) * (this.mood(subs.moodKey[i]!, t) / this.moodMax);
    if (subs.ownerKind[i] !== OWNER_RESIDENT && this.modulation) {
      const o = subs.owner[i]!;
      accept *= this.modulation.factor(o, t) / this.modulation.max(o);
    }
    if (this.rnd.next() >= accept) return;
    // Which kind of activity, in proportion to this subscriber's rates.
    let x = this.rnd.next() * subs.rateSum[i]!;
    let kind = 0;
    for (; kind < ACT_KINDS - 1; kind++) {
      x -= subs.rates[i * ACT_KINDS + kind]!;
      if (x < 0) break;
    }
    this.perform(i, kind, t);
  }

  private onFollowUp(i: number, kind: number, t: number): void {
    if (!this.subs.present[i]) return;
    this.perform(i, kind, t);
  }

  private follow(i: number, kind: number, t: number, medianMs: number, sigma: number): void {
    this.ctx.queue.push(t + this.rnd.lognormalMedian(medianMs, sigma), K_FOLLOW, i, kind);
  }

  /** Schedules activity `kind` of subscriber `i` at time `t` (scripted behaviour of crowds). */
  performAt(i: number, kind: number, t: number): void {
    this.ctx.queue.push(t, K_FOLLOW, i, kind);
  }

  /** A location-area check of subscriber `i` at `t + delay` (trains). */
  checkLocationAreaLater(i: number, t: number, delay: number): void {
    this.ctx.queue.push(t + delay, K_LA_CHECK, i, 0);
  }

  /** One activity of a subscriber at t (also used by crowds for scripted behaviour). */
  perform(i: number, kind: number, t: number): void {
    const subs = this.subs;
    if (subs.off[i]) return;
    const pop = this.pop;
    const rnd = this.rnd;
    const busy = subs.busyUntil[i]! > t;
    switch (kind) {
      case ACT_MO_CALL: {
        if (busy) return;
        const answered = !rnd.chance(pop.unanswered_share);
        const hold = answered ? rnd.lognormalMedian(RING_ANSWERED_S * 1000, 0.4) + this.talkMs() : rnd.lognormalMedian(RING_UNANSWERED_S * 1000, 0.3);
        this.access.start(t, i, 'mo_call', {
          holdMs: hold,
          done: (r: AccessResult, t2: number) => {
            if ((!r.ok || !r.tch || !answered) && rnd.chance(pop.redial_probability)) this.follow(i, ACT_MO_CALL, t2 + (r.tch ? hold : 0), 30_000, 0.6);
          },
        });
        return;
      }
      case ACT_MT_CALL: {
        if (busy || !subs.attached[i]) return;
        const reachable = !rnd.chance(pop.unreachable_share);
        const answered = !rnd.chance(pop.unanswered_share);
        const hold = answered ? rnd.lognormalMedian(RING_ANSWERED_S * 1000, 0.4) + this.talkMs() : rnd.lognormalMedian(RING_UNANSWERED_S * 1000, 0.3);
        this.access.page(t, i, 'call', reachable, (t2, channelNeeded, identity) => {
          this.access.start(t2, i, 'mt_call', {
            channelNeeded, identity, holdMs: hold,
            done: (r, t3) => {
              if (r.ok && !answered && rnd.chance(0.3)) this.follow(i, ACT_MO_CALL, t3 + hold, 180_000, 1);
            },
          });
        }, () => {});
        return;
      }
      case ACT_MO_SMS:
        this.access.start(t, i, 'mo_sms', {
          done: (r, t2) => {
            if (r.ok && rnd.chance(pop.reply_probability)) this.follow(i, ACT_MT_SMS, t2, 90_000, 1);
          },
        });
        return;
      case ACT_MT_SMS: {
        if (!subs.attached[i]) return;
        if (busy) return; // delivered on the ongoing connection: nothing on the CCCH
        const reachable = !rnd.chance(pop.unreachable_share);
        this.access.page(t, i, 'sms', reachable, (t2, channelNeeded, identity) => {
          this.access.start(t2, i, 'mt_sms', {
            channelNeeded, identity,
            done: (r, t3) => {
              if (r.ok && rnd.chance(pop.reply_probability)) this.follow(i, ACT_MO_SMS, t3, 90_000, 1);
            },
          });
        }, () => {});
        return;
      }
      case ACT_USSD:
        if (!busy) this.access.start(t, i, 'ussd');
        return;
      case ACT_EMERGENCY:
        if (!busy) this.access.start(t, i, 'emergency', { holdMs: this.talkMs() * 2 });
        return;
      case ACT_GPRS: {
        // A packet session: one or a few uplink TBFs a few seconds apart, each a new packet access.
        const tbfs = 1 + Math.min(6, Math.floor(rnd.exponential(1.5)));
        let at = t;
        for (let k = 0; k < tbfs; k++) {
          this.access.start(at, i, 'gprs');
          at += rnd.lognormalMedian(8000, 0.7);
        }
        return;
      }
    }
  }

  private talkMs(): number {
    const h = this.pop.call_holding_s;
    return this.rnd.lognormalMedian(h.median * 1000, h.sigma);
  }

  private onPeriodicTimer(i: number, token: number, t: number): void {
    const subs = this.subs;
    if (token !== subs.luToken[i]) return;
    if (subs.connected[i]) {
      // In dedicated mode the timer is stopped; it restarts when the connection ends.
      this.ctx.queue.push(t + 30_000, K_LU, i, token);
      return;
    }
    const due = subs.luDue[i]!;
    if (due > t + 1) {
      this.ctx.queue.push(due, K_LU, i, token);
      return;
    }
    const cell = this.homeCell(i, t);
    const t3212 = cell >= 0 ? this.ctx.cells[cell]!.op.t3212_decihours * 360_000 : 0;
    if (t3212 <= 0) return;
    subs.luDue[i] = t + t3212;
    this.ctx.queue.push(t + t3212, K_LU, i, token);
    if (!subs.present[i] || subs.off[i] || !subs.attached[i]) return;
    if (subs.busyUntil[i]! > t) return; // in a call: the timer restarts when it ends
    this.access.start(t, i, 'lu_periodic');
  }

  /** Phone switched off (IMSI detach) or on (IMSI attach). */
  private onPower(i: number, on: boolean, t: number): void {
    const subs = this.subs;
    if (!subs.present[i]) return;
    if (on) {
      if (!subs.off[i]) return;
      subs.off[i] = 0;
      this.access.start(t, i, 'lu_imsi_attach');
    } else {
      if (subs.off[i]) return;
      if (subs.attached[i]) this.access.start(t, i, 'imsi_detach');
      subs.off[i] = 1;
    }
  }

  /** Plans the local day starting at `dayStart` for every resident: power cycles and trips. */
  planDay(dayStart: number, from: number): void {
    const subs = this.subs;
    const off = this.ctx.scenario.utc_offset_h;
    const wd = localWeekday(dayStart + HOUR_MS, off);
    const rnd = this.rnd;
    for (let i = 0; i < subs.size; i++) {
      if (subs.ownerKind[i] !== OWNER_RESIDENT) continue;
      if (this.nightOff.has(i)) {
        const offAt = dayStart + rnd.normal(22.7, 0.8) * HOUR_MS;
        const onAt = dayStart + rnd.normal(6.3, 0.6) * HOUR_MS;
        if (onAt >= from) this.ctx.queue.push(onAt, K_POWER, i, 1);
        if (offAt >= from) this.ctx.queue.push(offAt, K_POWER, i, 0);
      }
      const mob = subs.mobility[i]!;
      if (mob === MOBILITY_STATIC) continue;
      const trips = this.tripsFor(i, mob, dayStart, wd);
      if (trips.length === 0) continue;
      this.trips.set(i, trips);
      trips.forEach((trip, k) => {
        if (trip.depart >= from) this.ctx.queue.push(trip.depart, K_TRIP, i, k);
        else this.applyPastTrip(i, trip, from);
      });
    }
  }

  private readonly nightOff = new Set<number>();

  /** Marks a resident as one who switches the phone off overnight; returns whether it is off at t. */
  setNightOff(i: number, t: number): boolean {
    this.nightOff.add(i);
    const h = localHour(t, this.ctx.scenario.utc_offset_h);
    return h >= 22.7 || h < 6.3;
  }

  private applyPastTrip(i: number, trip: Trip, now: number): void {
    const subs = this.subs;
    const x0 = subs.positionX(i, trip.depart);
    const y0 = subs.positionY(i, trip.depart);
    const dur = (Math.hypot(trip.x - x0, trip.y - y0) / trip.speed_mps) * 1000;
    if (trip.depart + dur <= now) subs.place(i, trip.x, trip.y);
    else {
      subs.startTrip(i, trip.depart, trip.depart + dur, trip.x, trip.y);
      this.scheduleTick(i, now);
    }
  }

  private tripsFor(i: number, mob: number, dayStart: number, weekday: number): Trip[] {
    const subs = this.subs;
    const rnd = this.rnd;
    const hx = subs.homeX[i]!;
    const hy = subs.homeY[i]!;
    const at = (h: number) => dayStart + h * HOUR_MS;
    const trips: Trip[] = [];
    const weekend = weekday === 0 || weekday === 6;
    if (mob === MOBILITY_COMMUTER) {
      if (!weekend) {
        const speed = rnd.uniform(5, 8); // minibus taxi through town, m/s
        trips.push({ depart: at(rnd.normal(7.1, 0.5)), x: subs.workX[i]!, y: subs.workY[i]!, speed_mps: speed });
        trips.push({ depart: at(rnd.normal(17.2, 0.6)), x: hx, y: hy, speed_mps: speed });
      } else if (rnd.chance(weekday === 6 ? 0.5 : 0.3)) {
        const [x, y] = this.randomPointNear(hx, hy, 4000);
        const h = rnd.uniform(9, 15);
        trips.push({ depart: at(h), x, y, speed_mps: 6 });
        trips.push({ depart: at(h + rnd.uniform(1, 3.5)), x: hx, y: hy, speed_mps: 6 });
      }
    } else if (mob === MOBILITY_WALKER) {
      const n = 1 + rnd.int(0, 2);
      let h = rnd.uniform(7.5, 11);
      for (let k = 0; k < n && h < 20; k++) {
        const [x, y] = this.randomPointNear(hx, hy, 1500);
        trips.push({ depart: at(h), x, y, speed_mps: 1.3 });
        h += rnd.uniform(0.6, 2.5);
        trips.push({ depart: at(h), x: hx, y: hy, speed_mps: 1.3 });
        h += rnd.uniform(1, 4);
      }
    } else if (mob === MOBILITY_DRIVER) {
      const n = 2 + rnd.int(0, 3);
      let h = rnd.uniform(7, 9);
      for (let k = 0; k < n && h < 20; k++) {
        const [x, y] = this.randomPointNear(hx, hy, 6000);
        trips.push({ depart: at(h), x, y, speed_mps: rnd.uniform(7, 11) });
        h += rnd.uniform(0.5, 2.5);
      }
      trips.push({ depart: at(Math.max(h, 17)), x: hx, y: hy, speed_mps: 9 });
    }
    trips.sort((a, b) => a.depart - b.depart);
    return trips;
  }

  private randomPointNear(x: number, y: number, radius: number): [number, number] {
    const a = this.rnd.uniform(0, 2 * Math.PI);
    const r = radius * Math.sqrt(this.rnd.next());
    return [x + r * Math.cos(a), y + r * Math.sin(a)];
  }

  private onTrip(i: number, k: number, t: number): void {
    const trip = this.trips.get(i)?.[k];
    if (trip === undefined) return;
    const subs = this.subs;
    const x0 = subs.positionX(i, t);
    const y0 = subs.positionY(i, t);
    const dur = (Math.hypot(trip.x - x0, trip.y - y0) / trip.speed_mps) * 1000;
    if (dur < 1000) return;
    subs.startTrip(i, t, t + dur, trip.x, trip.y);
    this.scheduleTick(i, t);
  }

  private scheduleTick(i: number, t: number): void {
    const token = ((this.tripTick.get(i) ?? 0) + 1) & 0x3fffffff;
    this.tripTick.set(i, token);
    const period = this.subs.mobility[i] === MOBILITY_WALKER ? 60_000 : 30_000;
    this.ctx.queue.push(Math.min(t + period, this.subs.tripEnd[i]! + 1), K_TRIP_TICK, i, token);
  }

  /** During a trip: a new location area means a normal location update. */
  private onTripTick(i: number, token: number, t: number): void {
    if (this.tripTick.get(i) !== token) return;
    const subs = this.subs;
    this.checkLocationArea(i, t);
    if (t < subs.tripEnd[i]!) this.scheduleTick(i, t);
    else this.tripTick.delete(i);
  }

  /** If the subscriber now camps in another location area than it registered in, it updates. */
  checkLocationArea(i: number, t: number): void {
    const subs = this.subs;
    if (!subs.present[i] || subs.off[i] || !subs.attached[i]) return;
    const cell = this.homeCell(i, t);
    if (cell < 0) return;
    if (this.ctx.cells[cell]!.laIndex !== subs.regLa[i] && subs.busyUntil[i]! <= t) this.access.start(t, i, 'lu_normal');
  }

  private onMidnight(t: number): void {
    const day = localDay(t + 1000, this.ctx.scenario.utc_offset_h);
    this.planDay(localMidnight(day, this.ctx.scenario.utc_offset_h), t);
    this.ctx.queue.push(localMidnight(day + 1, this.ctx.scenario.utc_offset_h), K_DAY, 0, 0);
  }

  /** Schedules the first midnight after `t` (the first day is planned by the caller). */
  scheduleMidnights(t: number): void {
    const day = localDay(t, this.ctx.scenario.utc_offset_h);
    this.ctx.queue.push(localMidnight(day + 1, this.ctx.scenario.utc_offset_h), K_DAY, 0, 0);
  }

}
