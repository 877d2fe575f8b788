/**
 * SIM-box dens (GOIP gateways, cat-pool modem banks), modelled from vendor manuals and seizure reports
 * (see docs/simulator.md and /shared GOIP-BEHAVIOUR.md):
 *
 *  - Ports are radios: one call (or one SMS) at a time each; calls come from the VoIP side as fast as
 *    the port can place them: holding time (many unanswered or short scam calls, some conversations),
 *    then a dialler gap sized so a port averages `calls_per_port_per_h` ("over a dozen calls a minute"
 *    for a 32-port box at the default 25 per port-hour).
 *  - SMS blasts, a few MT calls/SMS to den SIMs, optional port inter-calling (vendors' "HBS").
 *  - SIM rotation by rule: after N calls, or when the operator blocks the SIM; the old SIM detaches, the
 *    new one IMSI-attaches with its IMSI and gets a new TMSI.
 *  - Operating hours (24/7, office, night, custom, explicit periods); idle SIMs stay registered and keep
 *    location-updating on T3212.
 *  - Cell mode: Auto (best cell), Poll (each port hops among up to four strongest cells at random
 *    intervals, GoIP manual), Fixed (one cell).
 *  - Remote SIM banks: the authentication answer waits for a network round trip to the SIM.
 *  - Building loss (a basement den), SIMs of several operators, and a van that moves every day (power
 *    off while driving, IMSI attach of every SIM on arrival).
 *
 * All SIMs of one den share one spot (same shadowing and multipath), hence one TA per serving cell.
 * It must not encode frames; it drives access.ts like any mobile.
 */
import type { SimDen } from '../scenario.js';
import type { Random } from '../random.js';
import { hashInts } from '../random.js';
import { HOUR_MS, hourInRange, localHour, localWeekday, parseLocalDateTime, WEEKDAY_NAMES } from '../time/calendar.js';
import { TA_NOISE_STEPS, type AccessEngine, type AccessResult } from './access.js';
import { K_DEN, type WorldContext } from './context.js';
import type { HumanBehaviour } from './humans.js';
import { likelyTimingAdvances, timingAdvanceFor } from './radio.js';
import { OWNER_DEN, type SubscriberTable } from './subscribers.js';
import type { TruthDen, TruthServing } from '../truth.js';
import { mergeIntervals } from './crowds.js';

const D_CALL = 0;
const D_SMS = 1;
const D_MT = 2;
const D_INTER = 3;
const D_POLL = 4;
const D_MOVE = 5;
const D_ARRIVE = 6;

interface Port {
  sim: number;
  op: number;
  busyUntil: number;
  /** Forced cell (Poll/Fixed); −1 = best cell. */
  cell: number;
  pollCells: number[];
  /** The port stopped (its SIM stock ran out). */
  dead: boolean;
}

interface Den {
  index: number;
  cfg: SimDen;
  ports: Port[];
  /** Unused SIMs per operator index. */
  stock: number[][];
  sims: number;
  x: number;
  y: number;
  key: number;
  site: number;
  sites: Array<{ x: number; y: number }>;
  powered: boolean;
  track: Array<{ from: number; to: number; x: number; y: number }>;
  /** Serving-cell intervals: per cell, list of [from, to). */
  serving: Map<number, Array<[number, number]>>;
  openServing: Map<string, number>;
  meanHoldMs: number;
  active: Array<[number, number]> | null;
}

export function denPorts(cfg: SimDen): number {
  if (cfg.ports !== undefined) return cfg.ports;
  const goip = /^goip-([0-9]+)$/.exec(cfg.type);
  if (goip) return Number(goip[1]);
  const n = Number(/^cat-pool-([0-9]+)$/.exec(cfg.type)?.[1] ?? 8);
  return n <= 64 ? n : Math.max(8, Math.round(n / 8));
}

export function denSims(cfg: SimDen): number {
  if (cfg.sims !== undefined) return cfg.sims;
  const pool = /^cat-pool-([0-9]+)$/.exec(cfg.type);
  const ports = denPorts(cfg);
  if (pool) return Math.max(ports, Number(pool[1]));
  return cfg.rotation ? ports * 10 : ports;
}

const lognormalMean = (m: { median: number; sigma: number }) => m.median * Math.exp((m.sigma * m.sigma) / 2);

export class Dens {
  readonly list: Den[] = [];
  private readonly rnd: Random;
  private readonly subs: SubscriberTable;
  private readonly off: number;

  constructor(
    private readonly ctx: WorldContext,
    private readonly humans: HumanBehaviour,
    private readonly access: AccessEngine,
    private readonly opIndexByPlmn: Map<string, number>,
  ) {
    this.rnd = ctx.rnd.fork('dens');
    this.subs = ctx.subs;
    this.off = ctx.scenario.utc_offset_h;
    ctx.on(K_DEN, (d, b, t) => this.onTimer(d, b, t));
    ctx.scenario.dens.forEach((cfg, index) => this.build(cfg, index));
  }

  private build(cfg: SimDen, index: number): void {
    const ctx = this.ctx;
    const rnd = this.rnd.fork(cfg.id);
    const sites = cfg.van
      ? cfg.van.sites.map((s) => ({ x: ctx.proj.x(s), y: ctx.proj.y(s) }))
      : [{ x: ctx.proj.x({ lat_deg: cfg.lat_deg!, lon_deg: cfg.lon_deg! }), y: ctx.proj.y({ lat_deg: cfg.lat_deg!, lon_deg: cfg.lon_deg! }) }];
    const ops = (cfg.operators ?? ctx.plmns).map((o) => (typeof o === 'string' ? { plmn: o, share: 1 } : o));
    const opIdx = ops.map((o) => this.opIndexByPlmn.get(o.plmn)!);
    const shares = ops.map((o) => o.share);
    const nPorts = denPorts(cfg);
    const nSims = denSims(cfg);
    const c = cfg.call;
    const meanHold =
      c.unanswered_share * lognormalMean(c.ring_s) +
      c.short_share * (8 + lognormalMean(c.short_s)) +
      (1 - c.unanswered_share - c.short_share) * (8 + lognormalMean(c.talk_s));
    const den: Den = {
      index, cfg, ports: [], stock: opIdx.map(() => []), sims: nSims, x: sites[0]!.x, y: sites[0]!.y,
      key: hashInts(index, 0, 0xd3), site: 0, sites, powered: true, track: [], serving: new Map(), openServing: new Map(),
      meanHoldMs: meanHold * 1000, active: null,
    };
    if (cfg.active) den.active = cfg.active.map((a) => [parseLocalDateTime(a.from, this.off)!, parseLocalDateTime(a.to, this.off)!]);
    // Ports split over operators by share; each operator's SIM stock in proportion.
    const portOps: number[] = [];
    const total = shares.reduce((a, b) => a + b, 0);
    for (let p = 0; p < nPorts; p++) {
      // Largest-remainder assignment keeps the split exact and deterministic.
      let best = 0;
      let bestGap = -Infinity;
      shares.forEach((s, k) => {
        const gap = ((p + 1) * s) / total - portOps.filter((x) => x === k).length;
        if (gap > bestGap) {
          bestGap = gap;
          best = k;
        }
      });
      portOps.push(best);
    }
    const simsPerOp = opIdx.map((_o, k) => Math.max(portOps.filter((x) => x === k).length, Math.round((nSims * shares[k]!) / total)));
    const start = ctx.start_ts_ms;
    opIdx.forEach((op, k) => {
      for (let s = 0; s < simsPerOp[k]!; s++) {
        const i = this.subs.add(OWNER_DEN, index, op, rnd.int(0, 1e10));
        this.subs.key[i] = den.key;
        this.subs.lossDb[i] = cfg.attenuation_db;
        this.subs.dualRate[i] = 1;
        den.stock[k]!.push(i);
      }
    });
    this.list.push(den);
    den.track.push({ from: start, to: ctx.end_ts_ms, x: den.x, y: den.y });
    for (let p = 0; p < nPorts; p++) {
      const k = portOps[p]!;
      const sim = den.stock[k]!.shift()!;
      const port: Port = { sim, op: opIdx[k]!, busyUntil: 0, cell: -1, pollCells: [], dead: false };
      den.ports.push(port);
      this.insertSim(den, port, sim, start, false);
      if (cfg.cell_mode === 'fixed') {
        const fixed = ctx.cells.findIndex((cc) => cc.cfg.ci === cfg.fixed_ci && cc.opIndex === port.op);
        port.cell = fixed;
      } else if (cfg.cell_mode === 'poll') {
        port.pollCells = ctx.geo.strongest(den.x, den.y, port.op, den.key, cfg.attenuation_db, cfg.poll.cells).map((s) => s.cell);
        port.cell = port.pollCells.length > 0 ? rnd.pick(port.pollCells) : -1;
        ctx.queue.push(start + rnd.uniform(cfg.poll.min_s, cfg.poll.max_s) * 1000, K_DEN, index, D_POLL | (p << 4));
      }
      this.openServingFor(den, port, start);
      ctx.queue.push(start + rnd.uniform(0, 3_600_000 / Math.max(1, cfg.calls_per_port_per_h)), K_DEN, index, D_CALL | (p << 4));
      if (cfg.sms_per_port_per_h > 0) ctx.queue.push(start + rnd.uniform(0, (3_600_000 * cfg.sms_burst) / cfg.sms_per_port_per_h), K_DEN, index, D_SMS | (p << 4));
    }
    const mtRate = this.mtRatePerMs(den);
    if (mtRate > 0) ctx.queue.push(start + rnd.exponential(1 / mtRate), K_DEN, index, D_MT);
    if (cfg.inter_calling) ctx.queue.push(start + rnd.exponential(3_600_000 / (cfg.inter_calling.calls_per_port_per_h * nPorts)), K_DEN, index, D_INTER);
    if (cfg.van) this.scheduleMove(den, start);
  }

  /** A SIM goes into a port: already registered at the start, or a fresh IMSI attach. */
  private insertSim(den: Den, port: Port, sim: number, t: number, fresh: boolean): void {
    const subs = this.subs;
    subs.place(sim, den.x, den.y);
    subs.key[sim] = den.key;
    subs.present[sim] = 1;
    subs.off[sim] = 0;
    if (!fresh) {
      subs.tmsi[sim] = this.rnd.int(1, 0xfffffffe);
      subs.tmsiValid[sim] = 1;
      subs.attached[sim] = 1;
      const cell = port.cell >= 0 ? port.cell : this.humans.homeCell(sim, t);
      subs.regLa[sim] = cell >= 0 ? this.ctx.cells[cell]!.laIndex : -1;
      this.humans.startPeriodicTimer(sim, t, true);
      return;
    }
    subs.tmsiValid[sim] = 0;
    subs.attached[sim] = 0;
    subs.regLa[sim] = -1;
    port.busyUntil = Math.max(port.busyUntil, t + 30_000);
    const delay = this.rnd.uniform(5000, 20_000);
    this.access.start(t + delay, sim, 'lu_imsi_attach', {
      cell: port.cell >= 0 ? port.cell : undefined,
      simDelayMs: this.simDelay(den),
      done: (r, t2) => {
        if (r.ok) this.humans.startPeriodicTimer(sim, t2, false);
        port.busyUntil = t2;
      },
    });
  }

  private simDelay(den: Den): number | undefined {
    const rs = den.cfg.remote_sim;
    if (!rs) return undefined;
    return this.rnd.lognormalMedian(rs.rtt_ms.median, rs.rtt_ms.sigma) + this.rnd.lognormalMedian(40, 0.5);
  }

  private mtRatePerMs(den: Den): number {
    return (den.ports.length * (den.cfg.mt_calls_per_sim_per_day + den.cfg.mt_sms_per_sim_per_day)) / 86_400_000;
  }

  /** Whether the den works (places traffic) at t. */
  isActive(den: Den, t: number): boolean {
    if (!den.powered) return false;
    if (den.active && !den.active.some(([a, b]) => t >= a && t < b)) return false;
    return hoursActive(den.cfg.hours, t, this.off);
  }

  private onTimer(d: number, b: number, t: number): void {
    const den = this.list[d]!;
    const code = b & 15;
    const p = b >>> 4;
    switch (code) {
      case D_CALL:
        return this.portCall(den, p, t);
      case D_SMS:
        return this.portSms(den, p, t);
      case D_MT:
        return this.mtTraffic(den, t);
      case D_INTER:
        return this.interCall(den, t);
      case D_POLL:
        return this.pollSwitch(den, p, t);
      case D_MOVE:
        return this.depart(den, t);
      case D_ARRIVE:
        return this.arriveAtSite(den, t);
    }
  }

  /** Next time from t at which the den is active (scanning in 5-minute steps, a week ahead), or +∞. */
  private nextActive(den: Den, t: number): number {
    const lastExplicit = den.active ? Math.max(...den.active.map(([, b]) => b)) : 0;
    const horizon = Math.max(t + 8 * 24 * HOUR_MS, Math.min(lastExplicit, t + 400 * 24 * HOUR_MS));
    for (let s = t; s < horizon; s += 300_000) if (this.isActive(den, s)) return s;
    return Number.POSITIVE_INFINITY;
  }

  private portCall(den: Den, p: number, t: number): void {
    const port = den.ports[p]!;
    if (port.dead) return;
    const cfg = den.cfg;
    if (cfg.calls_per_port_per_h <= 0) return;
    if (!this.isActive(den, t)) {
      const next = this.nextActive(den, t + 1);
      if (Number.isFinite(next)) this.ctx.queue.push(next + this.rnd.uniform(0, 60_000), K_DEN, den.index, D_CALL | (p << 4));
      return;
    }
    if (port.busyUntil > t) {
      this.ctx.queue.push(port.busyUntil + this.rnd.uniform(500, 2000), K_DEN, den.index, D_CALL | (p << 4));
      return;
    }
    const c = cfg.call;
    const u = this.rnd.next();
    const rnd = this.rnd;
    const hold =
      u < c.unanswered_share
        ? rnd.lognormalMedian(c.ring_s.median, c.ring_s.sigma) * 1000
        : u < c.unanswered_share + c.short_share
          ? 8000 + rnd.lognormalMedian(c.short_s.median, c.short_s.sigma) * 1000
          : 8000 + rnd.lognormalMedian(c.talk_s.median, c.talk_s.sigma) * 1000;
    const sim = port.sim;
    port.busyUntil = t + 120_000; // until the access reports back
    this.access.start(t, sim, 'mo_call', {
      holdMs: hold,
      cell: port.cell >= 0 ? port.cell : undefined,
      simDelayMs: this.simDelay(den),
      done: (r: AccessResult, t2: number) => {
        port.busyUntil = t2 + (r.ok && r.tch ? hold : 0);
        if (r.ok) this.afterCall(den, port, t2);
        const cycle = 3_600_000 / cfg.calls_per_port_per_h;
        const gap = Math.max(2000, cycle - den.meanHoldMs - 4000);
        const next = port.busyUntil + this.rnd.lognormalMedian(gap, 0.35);
        this.ctx.queue.push(next, K_DEN, den.index, D_CALL | (p << 4));
      },
    });
  }

  /** Counts a call on the port's SIM and rotates the SIM when the rule says so. */
  private afterCall(den: Den, port: Port, t: number): void {
    const rot = den.cfg.rotation;
    if (!rot) return;
    const sim = port.sim;
    const calls = (this.callCount.get(sim) ?? 0) + 1;
    this.callCount.set(sim, calls);
    if (calls < rot.after_calls && !this.rnd.chance(rot.block_probability)) return;
    const opK = this.opKey(den, port.op);
    const next = den.stock[opK]?.shift();
    if (rot.detach_old) this.access.start(port.busyUntil + 1000, sim, 'imsi_detach', { cell: port.cell >= 0 ? port.cell : undefined });
    const subs = this.subs;
    subs.present[sim] = 0;
    subs.luToken[sim] = (subs.luToken[sim]! + 1) | 0; // the old SIM is gone: no more periodic updates
    if (next === undefined) {
      port.dead = true;
      return;
    }
    port.sim = next;
    this.insertSim(den, port, next, Math.max(t, port.busyUntil + 5000), true);
    this.closeServing(den, port, t);
    this.openServingFor(den, port, t);
  }

  private readonly callCount = new Map<number, number>();

  private opKey(den: Den, op: number): number {
    const ops = (den.cfg.operators ?? this.ctx.plmns).map((o) => (typeof o === 'string' ? o : o.plmn));
    return ops.findIndex((plmn) => this.opIndexByPlmn.get(plmn) === op);
  }

  private portSms(den: Den, p: number, t: number): void {
    const port = den.ports[p]!;
    const cfg = den.cfg;
    const period = (3_600_000 * cfg.sms_burst) / cfg.sms_per_port_per_h;
    const again = (at: number) => this.ctx.queue.push(at, K_DEN, den.index, D_SMS | (p << 4));
    if (port.dead) return;
    if (!this.isActive(den, t)) {
      const next = this.nextActive(den, t + 1);
      if (Number.isFinite(next)) again(next + this.rnd.uniform(0, period));
      return;
    }
    if (port.busyUntil > t) {
      again(port.busyUntil + this.rnd.uniform(1000, 5000));
      return;
    }
    // A blast: SMS one after another on the port, each its own dedicated connection.
    let remaining = cfg.sms_burst;
    port.busyUntil = t + 3_600_000;
    const sendOne = (at: number) => {
      this.access.start(at, port.sim, 'mo_sms', {
        cell: port.cell >= 0 ? port.cell : undefined,
        simDelayMs: this.simDelay(den),
        done: (_r, t2) => {
          remaining--;
          if (remaining > 0 && this.isActive(den, t2)) sendOne(t2 + this.rnd.lognormalMedian(1500, 0.3));
          else {
            port.busyUntil = t2;
            again(t + period * this.rnd.lognormalMedian(1, 0.2));
          }
        },
      });
    };
    sendOne(t);
  }

  /** Calls and SMS to den SIMs from outside (few): pages at the den, answered by the port. */
  private mtTraffic(den: Den, t: number): void {
    const cfg = den.cfg;
    const rate = this.mtRatePerMs(den);
    this.ctx.queue.push(t + this.rnd.exponential(1 / rate), K_DEN, den.index, D_MT);
    if (!den.powered) return;
    const port = this.rnd.pick(den.ports);
    if (port.dead) return;
    const isCall = this.rnd.chance(cfg.mt_calls_per_sim_per_day / (cfg.mt_calls_per_sim_per_day + cfg.mt_sms_per_sim_per_day));
    const sim = port.sim;
    if (isCall && port.busyUntil > t) return; // busy: the caller gets "busy", no page
    const hold = 8000 + this.rnd.lognormalMedian(15_000, 0.7);
    this.access.page(t, sim, isCall ? 'call' : 'sms', true, (t2, channelNeeded, identity) => {
      if (isCall) port.busyUntil = Math.max(port.busyUntil, t2 + 60_000);
      this.access.start(t2, sim, isCall ? 'mt_call' : 'mt_sms', {
        channelNeeded, identity, holdMs: isCall ? hold : 0,
        cell: port.cell >= 0 ? port.cell : undefined,
        simDelayMs: this.simDelay(den),
        done: (r, t3) => {
          if (isCall) port.busyUntil = t3 + (r.tch ? hold : 0);
        },
      });
    }, () => {});
  }

  /** HBS inter-calling: one idle port calls another; both SIMs show traffic, the callee is paged. */
  private interCall(den: Den, t: number): void {
    const cfg = den.cfg;
    const rate = cfg.inter_calling!.calls_per_port_per_h * den.ports.length;
    this.ctx.queue.push(t + this.rnd.exponential(3_600_000 / rate), K_DEN, den.index, D_INTER);
    if (!this.isActive(den, t)) return;
    const free = den.ports.filter((p) => !p.dead && p.busyUntil <= t);
    if (free.length < 2) return;
    const a = this.rnd.pick(free);
    const others = free.filter((p) => p !== a && p.op === a.op);
    if (others.length === 0) return;
    const b = this.rnd.pick(others);
    const hold = 8000 + this.rnd.lognormalMedian(60_000, 0.8);
    a.busyUntil = t + 120_000;
    b.busyUntil = t + 120_000;
    this.access.start(t, a.sim, 'mo_call', {
      holdMs: hold,
      cell: a.cell >= 0 ? a.cell : undefined,
      simDelayMs: this.simDelay(den),
      done: (r, t2) => {
        a.busyUntil = t2 + (r.tch ? hold : 0);
        if (!r.ok) {
          b.busyUntil = t2;
          return;
        }
        this.access.page(t2 + 1500, b.sim, 'call', true, (t3, channelNeeded, identity) => {
          this.access.start(t3, b.sim, 'mt_call', {
            channelNeeded, identity, holdMs: hold,
            cell: b.cell >= 0 ? b.cell : undefined,
            simDelayMs: this.simDelay(den),
            done: (r2, t4) => {
              b.busyUntil = t4 + (r2.tch ? hold : 0);
            },
          });
        }, (t3) => {
          b.busyUntil = t3;
        });
      },
    });
  }

  /** GoIP "Poll": the port moves to another of the strongest cells after a random interval. */
  private pollSwitch(den: Den, p: number, t: number): void {
    const port = den.ports[p]!;
    const cfg = den.cfg;
    this.ctx.queue.push(t + this.rnd.uniform(cfg.poll.min_s, cfg.poll.max_s) * 1000, K_DEN, den.index, D_POLL | (p << 4));
    if (port.dead || !den.powered || port.pollCells.length < 2) return;
    const choices = port.pollCells.filter((c) => c !== port.cell);
    const next = this.rnd.pick(choices);
    this.closeServing(den, port, t);
    port.cell = next;
    this.openServingFor(den, port, t);
    const subs = this.subs;
    const sim = port.sim;
    if (subs.attached[sim] && this.ctx.cells[next]!.laIndex !== subs.regLa[sim]) {
      this.access.start(Math.max(t, port.busyUntil) + 1000, sim, 'lu_normal', { cell: next, simDelayMs: this.simDelay(den) });
    }
  }

  private scheduleMove(den: Den, from: number): void {
    const van = den.cfg.van!;
    const day = Math.floor((from + this.off * HOUR_MS) / 86_400_000);
    let at = day * 86_400_000 - this.off * HOUR_MS + van.move_at_h * HOUR_MS;
    if (at <= from) at += 86_400_000;
    this.ctx.queue.push(at, K_DEN, den.index, D_MOVE);
  }

  /** The van leaves: power off (SIMs vanish without detaching), drive to the next site. */
  private depart(den: Den, t: number): void {
    const van = den.cfg.van!;
    den.powered = false;
    const last = den.track[den.track.length - 1]!;
    last.to = t;
    for (const port of den.ports) {
      this.closeServing(den, port, t);
      this.subs.present[port.sim] = 0;
    }
    this.ctx.queue.push(t + van.drive_min * 60_000, K_DEN, den.index, D_ARRIVE);
  }

  private arriveAtSite(den: Den, t: number): void {
    if (den.powered) return;
    den.site = (den.site + 1) % den.sites.length;
    den.x = den.sites[den.site]!.x;
    den.y = den.sites[den.site]!.y;
    den.key = hashInts(den.index, den.site, 0xd3);
    den.powered = true;
    den.track.push({ from: t, to: this.ctx.end_ts_ms, x: den.x, y: den.y });
    for (const port of den.ports) {
      if (port.dead) continue;
      const subs = this.subs;
      const sim = port.sim;
      subs.place(sim, den.x, den.y);
      subs.key[sim] = den.key;
      subs.present[sim] = 1;
      if (den.cfg.cell_mode === 'poll') {
        port.pollCells = this.ctx.geo.strongest(den.x, den.y, port.op, den.key, den.cfg.attenuation_db, den.cfg.poll.cells).map((s) => s.cell);
        port.cell = port.pollCells.length > 0 ? this.rnd.pick(port.pollCells) : -1;
      }
      this.openServingFor(den, port, t);
      port.busyUntil = t + 90_000;
      // Modules boot one after another and attach.
      this.access.start(t + this.rnd.uniform(10_000, 80_000), sim, 'lu_imsi_attach', {
        cell: port.cell >= 0 ? port.cell : undefined,
        simDelayMs: this.simDelay(den),
        done: (r, t2) => {
          port.busyUntil = t2;
          if (r.ok) this.humans.startPeriodicTimer(sim, t2, false);
        },
      });
    }
    this.scheduleMove(den, t);
  }

  private cellOf(den: Den, port: Port): number {
    if (port.cell >= 0) return port.cell;
    return this.ctx.geo.select(den.x, den.y, port.op, den.key, den.cfg.attenuation_db)?.cell ?? -1;
  }

  private openServingFor(den: Den, port: Port, t: number): void {
    const cell = this.cellOf(den, port);
    if (cell < 0) return;
    const key = `${den.ports.indexOf(port)}`;
    den.openServing.set(key, cell);
    const list = den.serving.get(cell) ?? [];
    list.push([t, Number.POSITIVE_INFINITY]);
    den.serving.set(cell, list);
  }

  private closeServing(den: Den, port: Port, t: number): void {
    const key = `${den.ports.indexOf(port)}`;
    const cell = den.openServing.get(key);
    if (cell === undefined) return;
    den.openServing.delete(key);
    const list = den.serving.get(cell);
    const open = list?.find((iv) => iv[1] === Number.POSITIVE_INFINITY);
    if (open) open[1] = t;
  }

  truth(): TruthDen[] {
    const ctx = this.ctx;
    const end = ctx.end_ts_ms;
    return this.list.map((den) => {
      const cfg = den.cfg;
      const first = ctx.proj.toLatLon(den.sites[0]!.x, den.sites[0]!.y);
      const serving: TruthServing[] = [];
      for (const [cell, ivs] of den.serving) {
        const c = ctx.cells[cell]!;
        const merged = mergeIntervals(ivs.map(([a, b]) => [a, Math.min(b, end)] as [number, number]).filter(([a, b]) => b > a));
        for (const [a, b] of merged) {
          // The site the den was at during this interval.
          const site = den.track.find((s) => a >= s.from && a < s.to) ?? den.track[0]!;
          const key = hashInts(den.index, den.sites.findIndex((p) => p.x === site.x && p.y === site.y), 0xd3);
          const d = Math.hypot(site.x - c.x, site.y - c.y);
          const excess = ctx.geo.excessDelayM(key, cell);
          serving.push({
            cell: { mcc: c.cfg.mcc, mnc: c.cfg.mnc, lac: c.cfg.lac, ci: c.cfg.ci },
            arfcn: c.cfg.arfcn,
            ta_steps: timingAdvanceFor(d + excess),
            ta_steps_observed: likelyTimingAdvances(d, excess, TA_NOISE_STEPS),
            distance_m: Math.round(d),
            from_ts_ms: a,
            to_ts_ms: b,
          });
        }
      }
      serving.sort((a, b) => a.from_ts_ms - b.from_ts_ms || a.cell.ci - b.cell.ci);
      const powered = mergeIntervals(den.track.map((s) => [s.from, Math.min(s.to, end)] as [number, number]).filter(([a, b]) => b > a));
      const active: Array<[number, number]> = [];
      for (const [a, b] of powered) {
        let open: number | null = null;
        for (let t = a; t < b; t += 60_000) {
          const on = (den.active === null || den.active.some(([x, y]) => t >= x && t < y)) && hoursActive(cfg.hours, t, this.off);
          if (on && open === null) open = t;
          if (!on && open !== null) {
            active.push([open, t]);
            open = null;
          }
        }
        if (open !== null) active.push([open, b]);
      }
      const ops = (cfg.operators ?? ctx.plmns).map((o) => (typeof o === 'string' ? o : o.plmn));
      return {
        id: cfg.id,
        type: cfg.type,
        ports: den.ports.length,
        sims: den.sims,
        lat_deg: first.lat_deg,
        lon_deg: first.lon_deg,
        track: cfg.van
          ? den.track.map((s) => {
              const ll = ctx.proj.toLatLon(s.x, s.y);
              return { from_ts_ms: s.from, to_ts_ms: Math.min(s.to, end), lat_deg: ll.lat_deg, lon_deg: ll.lon_deg };
            })
          : null,
        operators: ops,
        active_intervals: cfg.calls_per_port_per_h > 0 || cfg.sms_per_port_per_h > 0 ? active : [],
        powered_intervals: powered,
        serving,
        behaviour: {
          hours: typeof cfg.hours === 'string' ? cfg.hours : `${cfg.hours.days.join(',')} ${cfg.hours.start_h}-${cfg.hours.end_h}`,
          calls_per_port_per_h: cfg.calls_per_port_per_h,
          sms_per_port_per_h: cfg.sms_per_port_per_h,
          rotation: cfg.rotation ? { after_calls: cfg.rotation.after_calls, block_probability: cfg.rotation.block_probability } : null,
          inter_calling: cfg.inter_calling !== undefined,
          remote_sim: cfg.remote_sim !== undefined,
          cell_mode: cfg.cell_mode,
          attenuation_db: cfg.attenuation_db,
          moving: cfg.van !== undefined,
          mt_calls_per_sim_per_day: cfg.mt_calls_per_sim_per_day,
        },
      };
    });
  }
}

/** Whether a den's weekly hours include t. */
export function hoursActive(hours: SimDen['hours'], t: number, off: number): boolean {
  if (hours === '24/7') return true;
  const h = localHour(t, off);
  const wd = localWeekday(t, off);
  if (hours === 'office') return wd >= 1 && wd <= 5 && h >= 8 && h < 18;
  if (hours === 'night') return h >= 20 || h < 6;
  // A window that wraps midnight belongs to the day it starts on.
  const wraps = hours.end_h < hours.start_h;
  const startDay = wraps && h < hours.end_h ? (wd + 6) % 7 : wd;
  if (!hours.days.includes(WEEKDAY_NAMES[startDay]!)) return false;
  return hourInRange(h, hours.start_h, hours.end_h);
}
