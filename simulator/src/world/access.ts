/**
 * The radio procedures every mobile goes through, identical for a phone and a SIM-box port, so that
 * only behaviour (who, when, how often, from where) tells them apart:
 *
 *  - RACH: CHANNEL REQUEST bursts with a cause-coded RA and a random reference (TS 44.018 §3.3.1.1.2):
 *    a burst is decoded with a probability set by the uplink margin and RACH collisions; undecoded
 *    bursts are retransmitted after S + rand(T) slots up to max_retrans times, and every decoded burst
 *    gets its own answer — so a late answer makes a second, wasted ("phantom") assignment.
 *  - The BSC answers on the CCCH: an Immediate Assignment (Extended) with the measured TA and an
 *    SDCCH (or a PDCH for GPRS), or an Immediate Assignment Reject with T3122 when no SDCCH is free.
 *  - On the SDCCH, at the real block timing of an SDCCH/8 subchannel: the UA echoing the initial L3
 *    message, Authentication Request (the SIM's answer time — tens of ms for a phone, a network round
 *    trip for a remote SIM bank — sets when the next message comes), Ciphering Mode Command, then the
 *    procedure's own exchanges (visible only when the operator does not cipher), Channel Release; I
 *    frames carry the LAPDm N(S)/N(R) the exchange implies. The channel's SACCH (sacch.ts) runs from
 *    activation until ciphering starts or the channel is released.
 *  - Paging for mobile-terminated traffic: in every cell of the subscriber's location area, in its
 *    paging group, repeated after T3113; the answer to paging comes from the cell it camps on.
 *
 * It must not decide behaviour (when to call, whom to page); the behaviour models call it.
 */
import type { EstablishmentCause } from '@simhound/protocol';
import type { SimOperator } from '../scenario.js';
import { encodeChannelRequestRa, inferableEstablishmentCause, type ChannelRequestCause } from '../encode/index.js';
import type { AssignmentEntry, DedicatedMessage, PagedIdentity, RejectEntry, SimChannelNeeded, SimIdentity, SimProcedure } from './air-events.js';
import type { CcchBlock, CellRuntime } from './cells.js';
import { K_ACCESS, K_CCCH, K_DEFER, K_FREE_SDCCH, K_FREE_TCH, K_PAGE, type WorldContext } from './context.js';
import { Geography, MOVING } from './geography.js';
import { FN_MODULUS, FRAME_MS, frameStartMs, measuredTimingAdvance } from './radio.js';
import { SacchScheduler } from './sacch.js';

const BLOCK_MS = 4 * FRAME_MS;
/** RACH: Tx-integer 32 slots; S = 217 slots for a non-combined CCCH (TS 44.018 table 3.3.1.1.2.1). */
const RACH_T = 32;
const RACH_S = 217;
/** max_retrans 4 (the SI default here): five bursts in all. */
const RACH_MAX_RETRANS = 4;
/** T3126: how long the mobile waits for an answer after its last burst. */
const T3126_MS = 5000;
/** T3101: an assigned SDCCH nobody takes is released after this. */
const T3101_MS = 3000;
/** Chance the mobile misses a CCCH block addressed to it (fading). */
const MS_CCCH_MISS = 0.02;
/** TA estimation error of one access burst, in steps (about a quarter bit). */
export const TA_NOISE_STEPS = 0.15;
/** A mobile retries a rejected access this many times (each after T3122). */
const MAX_REJECT_ROUNDS = 2;
/** Time a phone's SIM takes to answer an authentication challenge (lognormal), ms. */
export const PHONE_SIM_MEDIAN_MS = 40;
export const PHONE_SIM_SIGMA = 0.5;
/**
 * The network asks for the IMEISV in the Ciphering Mode Command (Cipher Response bit), as the operator
 * of the Vodafone DE capture in shared/data does.
 */
const IMEISV_REQUESTED = true;

const ST_RACH = 0;
const ST_TIMEOUT = 1;
const ST_RESTART = 2;
const ST_RELEASE = 3;
const ST_GRANT = 100;
const ST_MESSAGE = 1000;

export interface AccessResult {
  /** The mobile got a channel and completed the procedure. */
  ok: boolean;
  /** For calls: a traffic channel was available. */
  tch: boolean;
  cell: number;
}

export interface AccessOptions {
  /** For answers to paging: the page's Channel Needed. */
  channelNeeded?: SimChannelNeeded;
  /** Identity to present (default: TMSI if valid, else IMSI). */
  identity?: SimIdentity;
  /** For calls: how long the call holds its traffic channel after setup (0 = none). */
  holdMs?: number;
  /** Time the SIM needs to answer authentication, ms (default: a phone's). */
  simDelayMs?: number;
  /** Force the cell (dens in Poll/Fixed mode); default: the best cell where the mobile is. */
  cell?: number;
  done?: (result: AccessResult, t: number) => void;
}

interface Grant {
  block: CcchBlock;
  reject: boolean;
  sdcch: number;
  wait_s: number;
  received: boolean;
}

interface PlannedMessage {
  t: number;
  /** Null: sent, but ciphered (a probe cannot read it). */
  message: DedicatedMessage | null;
  ns: number;
  nr: number;
}

class Access {
  constructor(readonly id: number) {}
  gen = 0;
  active = false;
  sub = -1;
  cell = -1;
  op!: SimOperator;
  procedure: SimProcedure = 'mo_call';
  requestCause: ChannelRequestCause = 'originating_call_tch_f';
  cause: EstablishmentCause = 'originating_call';
  distance = 0;
  excess = 0;
  level = 0;
  attempt = 0;
  round = 0;
  gotChannel = false;
  rejected = false;
  sdcch = -1;
  grants: Grant[] = [];
  plan: PlannedMessage[] = [];
  identity: SimIdentity = { type: 'tmsi', tmsi: 0 };
  options: AccessOptions = {};
  newTmsi = -1;
}

export class AccessEngine {
  private readonly pool: Access[] = [];
  private readonly free: number[] = [];
  private readonly sacch: SacchScheduler | null;

  constructor(private readonly ctx: WorldContext) {
    this.sacch = ctx.dedicated ? new SacchScheduler(ctx) : null;
    ctx.on(K_ACCESS, (a, b, t) => this.step(a, b, t));
    ctx.on(K_CCCH, (a, b, t) => this.transmitBlock(a, b, t));
    ctx.on(K_FREE_SDCCH, (a, b, t) => ctx.cells[a]!.releaseSdcch(b, t));
    ctx.on(K_FREE_TCH, (a) => ctx.cells[a]!.releaseTch());
    ctx.on(K_PAGE, (pid, _b, t) => this.pageTimeout(pid, t));
    ctx.on(K_DEFER, (id) => {
      const f = this.deferred.get(id);
      this.deferred.delete(id);
      f?.();
    });
  }

  /** Schedules the transmission of a CCCH block the ledger just opened. */
  private readonly scheduleBlock = (cell: CellRuntime) => (blk: CcchBlock) => {
    this.ctx.queue.push(blk.ts_ms, K_CCCH, cell.index, blk.block - this.baseBlock(cell));
  };

  private baseBlocks: number[] = [];
  private baseBlock(cell: CellRuntime): number {
    let b = this.baseBlocks[cell.index];
    if (b === undefined) this.baseBlocks[cell.index] = b = cell.blockAtOrAfter(this.ctx.start_ts_ms) - 9;
    return b;
  }

  private transmitBlock(cellIndex: number, rel: number, t: number): void {
    const cell = this.ctx.cells[cellIndex]!;
    const blk = cell.take(rel + this.baseBlock(cell));
    if (blk === undefined) return;
    const fn = cell.blockStartFrame(blk.block) % FN_MODULUS;
    const c = blk.content;
    const ctx = this.ctx;
    if (c.kind === 'ia') {
      ctx.counters.assignments += c.entries.length;
      ctx.emit({ kind: 'assignment', ts_ms: t, cell_index: cellIndex, fn, entries: c.entries, repeat: c.repeat });
      if (ctx.recordAccess && !c.repeat) {
        for (const e of c.entries) {
          ctx.recordAccess({
            ts_ms: t, mcc: cell.cfg.mcc, mnc: cell.cfg.mnc, lac: cell.cfg.lac, ci: cell.cfg.ci, arfcn: cell.cfg.arfcn,
            ta_steps: e.ta_steps, cause: e.cause, procedure: e.procedure, origin: e.origin, sub: e.sub, message: 'assignment', attempt: e.attempt,
          });
        }
      }
    } else if (c.kind === 'iar') {
      ctx.counters.rejects += c.entries.length;
      ctx.emit({ kind: 'assignment_reject', ts_ms: t, cell_index: cellIndex, fn, entries: c.entries });
      if (ctx.recordAccess) {
        for (const e of c.entries) {
          ctx.recordAccess({
            ts_ms: t, mcc: cell.cfg.mcc, mnc: cell.cfg.mnc, lac: cell.cfg.lac, ci: cell.cfg.ci, arfcn: cell.cfg.arfcn,
            ta_steps: null, cause: e.cause, procedure: e.procedure, origin: e.origin, sub: e.sub, message: 'reject', attempt: 0,
          });
        }
      }
    } else {
      ctx.counters.pages += c.pages.length;
      ctx.emit({ kind: 'paging', ts_ms: t, cell_index: cellIndex, fn, pages: c.pages });
    }
  }

  private readonly deferred = new Map<number, () => void>();
  private nextDeferred = 1;

  /**
   * Starts a procedure for subscriber `sub` at time t. A mobile runs one RR connection at a time: while
   * one is in progress a new request waits a few seconds (a periodic update is dropped: the timer
   * restarts when the connection ends).
   */
  start(t: number, sub: number, procedure: SimProcedure, options: AccessOptions = {}): void {
    const ctx = this.ctx;
    const subs = ctx.subs;
    const barred = procedure !== 'emergency' && t < subs.waitUntil[sub]!;
    if (subs.connected[sub]! > 0 || barred) {
      if (procedure === 'lu_periodic') return;
      const id = this.nextDeferred++;
      this.deferred.set(id, () => this.start(ctx.queue.time, sub, procedure, options));
      ctx.queue.push(Math.max(t, barred ? subs.waitUntil[sub]! : t) + ctx.rnd.uniform(2000, 6000), K_DEFER, id, 0);
      return;
    }
    const opIndex = subs.op[sub]!;
    const x = subs.positionX(sub, t);
    const y = subs.positionY(sub, t);
    const moving = subs.moving(sub, t);
    const placeKey = moving ? MOVING : subs.key[sub]!;
    let cellIndex = options.cell ?? -1;
    let distance = 0;
    let level = 0;
    if (cellIndex < 0 && !moving && subs.cell[sub]! >= 0) {
      cellIndex = subs.cell[sub]!;
      distance = subs.cellDist[sub]!;
      level = subs.cellLevel[sub]!;
    } else if (cellIndex < 0) {
      const sel = ctx.geo.select(x, y, opIndex, placeKey, subs.lossDb[sub]!, subs.regLa[sub]!);
      if (sel === null) {
        ctx.counters.accesses_failed++;
        options.done?.({ ok: false, tch: false, cell: -1 }, t);
        return;
      }
      cellIndex = sel.cell;
      distance = sel.distance_m;
      level = sel.level_dbm;
      if (!moving) {
        subs.cell[sub] = cellIndex;
        subs.cellDist[sub] = distance;
        subs.cellLevel[sub] = level;
      }
    } else {
      const lv = ctx.geo.level(ctx.cells[cellIndex]!, x, y, placeKey, subs.lossDb[sub]!);
      distance = lv.distance;
      level = lv.level;
    }
    const a = this.allocate();
    a.sub = sub;
    a.cell = cellIndex;
    const cell = ctx.cells[cellIndex]!;
    a.op = cell.op;
    a.procedure = procedure;
    a.options = options;
    a.distance = distance;
    a.level = level;
    a.excess = ctx.geo.excessDelayM(moving ? Geography.placeKey(x, y) : placeKey, cellIndex);
    a.identity = options.identity ?? subs.identity(sub, cell.plmn);
    a.requestCause = this.requestCauseFor(procedure, sub, cell);
    const neci = cell.cfg.neci === 1;
    a.cause = inferableEstablishmentCause({
      cause: a.requestCause,
      neci,
      random: 0,
      channel_needed: options.channelNeeded ?? 'any',
      ms_capability: subs.dualRate[sub] ? 'dual_rate' : 'full_rate_only',
    });
    ctx.counters.accesses_started++;
    subs.connected[sub] = subs.connected[sub]! + 1;
    // The first burst goes out within max(T, 8) slots of the decision (TS 44.018 §3.3.1.1.2).
    this.schedule(a, t + ctx.rnd.int(0, RACH_T) * FRAME_MS, ST_RACH);
  }

  private requestCauseFor(procedure: SimProcedure, sub: number, cell: CellRuntime): ChannelRequestCause {
    switch (procedure) {
      case 'mo_call':
        return this.ctx.subs.dualRate[sub] && cell.cfg.neci === 1 ? 'originating_speech_call_tch_h' : 'originating_call_tch_f';
      case 'emergency':
        return 'emergency_call';
      case 'mo_sms':
      case 'ussd':
      case 'imsi_detach':
        return 'other_sdcch_procedure';
      case 'mt_call':
      case 'mt_sms':
        return 'answer_to_paging';
      case 'lu_normal':
      case 'lu_periodic':
      case 'lu_imsi_attach':
        return 'location_updating';
      case 'gprs':
        return this.ctx.rnd.chance(0.6) ? 'packet_one_phase' : 'packet_single_block';
    }
  }

  private allocate(): Access {
    const id = this.free.pop();
    let a: Access;
    if (id === undefined) {
      a = new Access(this.pool.length);
      this.pool.push(a);
    } else {
      a = this.pool[id]!;
    }
    a.gen = (a.gen + 1) & 0x7ffff;
    a.active = true;
    a.attempt = 0;
    a.round = 0;
    a.gotChannel = false;
    a.rejected = false;
    a.sdcch = -1;
    a.grants = [];
    a.plan = [];
    a.newTmsi = -1;
    return a;
  }

  private schedule(a: Access, t: number, step: number): void {
    this.ctx.queue.push(t, K_ACCESS, a.id, (a.gen << 12) | step);
  }

  private step(id: number, b: number, t: number): void {
    const a = this.pool[id]!;
    if (!a.active || (b >>> 12) !== a.gen) return;
    const step = b & 0xfff;
    if (step === ST_RACH) this.rach(a, t);
    else if (step === ST_TIMEOUT) {
      if (!a.gotChannel && !a.rejected) this.finish(a, t, false);
    } else if (step === ST_RESTART) {
      if (a.gotChannel) return;
      if (a.round > MAX_REJECT_ROUNDS) {
        this.finish(a, t, false);
        return;
      }
      a.rejected = false;
      a.attempt = 0;
      this.rach(a, t);
    } else if (step === ST_RELEASE) this.release(a, t);
    else if (step >= ST_MESSAGE) {
      const m = a.plan[step - ST_MESSAGE];
      if (m?.message) {
        const cell = this.ctx.cells[a.cell]!;
        const ch = cell.sdcchChannel(a.sdcch);
        this.ctx.emit({
          kind: 'dedicated', ts_ms: t, cell_index: a.cell, fn: frameAt(t, cell.fnOffset), timeslot: ch.timeslot, subchannel: ch.subchannel,
          message: m.message, ns: m.ns, nr: m.nr, origin: this.ctx.origin(a.sub),
        });
      }
    } else if (step >= ST_GRANT) this.grantReceived(a, a.grants[step - ST_GRANT]!, t);
  }

  private rach(a: Access, t: number): void {
    if (a.gotChannel || a.rejected) return;
    const ctx = this.ctx;
    const cell = ctx.cells[a.cell]!;
    a.attempt++;
    ctx.counters.rach_bursts++;
    const random = ctx.rnd.int(0, 256);
    const raResult = encodeChannelRequestRa({
      cause: a.requestCause,
      neci: cell.cfg.neci === 1,
      random,
      channel_needed: a.options.channelNeeded ?? 'any',
      ms_capability: ctx.subs.dualRate[a.sub] ? 'dual_rate' : 'full_rate_only',
    });
    const ra = raResult.ok ? raResult.value : 0;
    const collision = cell.rachCollisionProbability(t);
    const pDecode = ctx.geo.accessDecodeProbability(cell, a.level) * (1 - collision);
    if (ctx.rnd.next() < pDecode) this.answer(a, cell, t, ra);
    if (a.attempt <= RACH_MAX_RETRANS) {
      this.schedule(a, t + (RACH_S + ctx.rnd.int(0, RACH_T) + 1) * FRAME_MS, ST_RACH);
    } else {
      this.schedule(a, t + T3126_MS, ST_TIMEOUT);
    }
  }

  /** The BSC's answer to a decoded burst: an SDCCH/PDCH and an assignment, or a reject. */
  private answer(a: Access, cell: CellRuntime, t: number, ra: number): void {
    const ctx = this.ctx;
    const requestFn = frameAt(t, cell.fnOffset);
    const ready = t + ctx.rnd.lognormalMedian(40, 0.4); // BTS → BSC channel activation → BTS
    const origin = ctx.origin(a.sub);
    const ta = measuredTimingAdvance(a.distance, a.excess, ctx.rnd.normal(0, TA_NOISE_STEPS));
    const schedule = this.scheduleBlock(cell);
    if (a.procedure === 'gprs') {
      const entry: AssignmentEntry = {
        ta_steps: ta, ra, request_fn: requestFn,
        channel: { type: 'pdch', timeslot: 6 + ctx.rnd.int(0, 2), tfi: ctx.rnd.int(0, 32), usf: ctx.rnd.int(0, 7) },
        cause: a.cause, procedure: a.procedure, origin, sub: a.sub, attempt: a.attempt,
      };
      const blk = cell.placeAssignment(ready, entry, false, schedule);
      if (blk === null) {
        ctx.counters.agch_drops++;
        return;
      }
      this.addGrant(a, { block: blk, reject: false, sdcch: -1, wait_s: 0, received: false });
      return;
    }
    const sdcch = cell.allocateSdcch(ready);
    if (sdcch < 0) {
      const entry: RejectEntry = { ra, request_fn: requestFn, wait_s: cell.op.t3122_s, cause: a.cause, procedure: a.procedure, origin, sub: a.sub };
      const blk = cell.placeReject(ready, entry, schedule);
      if (blk === null) {
        ctx.counters.agch_drops++;
        return;
      }
      this.addGrant(a, { block: blk, reject: true, sdcch: -1, wait_s: cell.op.t3122_s, received: false });
      return;
    }
    const ch = cell.sdcchChannel(sdcch);
    const entry: AssignmentEntry = {
      ta_steps: ta, ra, request_fn: requestFn,
      channel: { type: 'sdcch8', timeslot: ch.timeslot, subchannel: ch.subchannel },
      cause: a.cause, procedure: a.procedure, origin, sub: a.sub, attempt: a.attempt,
    };
    const blk = cell.placeAssignment(ready, entry, false, schedule);
    if (blk === null) {
      ctx.counters.agch_drops++;
      cell.releaseSdcch(sdcch, ready);
      return;
    }
    if (cell.op.ia_repetition > 0 && ctx.rnd.chance(cell.op.ia_repetition)) {
      cell.placeAssignment(blk.ts_ms + FRAME_MS, entry, true, schedule);
    }
    // The channel is active (and its SACCH on air) from here, whether or not the mobile ever comes.
    this.sacch?.activate(cell, sdcch, ready, ta, a.sub);
    this.addGrant(a, { block: blk, reject: false, sdcch, wait_s: 0, received: false });
  }

  private addGrant(a: Access, g: Grant): void {
    a.grants.push(g);
    this.schedule(a, g.block.ts_ms + BLOCK_MS, ST_GRANT + a.grants.length - 1);
  }

  private grantReceived(a: Access, g: Grant, t: number): void {
    const ctx = this.ctx;
    const cell = ctx.cells[a.cell]!;
    g.received = true;
    const missed = ctx.rnd.chance(MS_CCCH_MISS);
    if (a.gotChannel || missed) {
      // Nobody takes this channel: it is released when T3101 expires.
      if (g.sdcch >= 0) ctx.queue.push(t + T3101_MS, K_FREE_SDCCH, a.cell, g.sdcch);
      return;
    }
    if (g.reject) {
      // TS 44.018 §3.3.1.1.3.2: stop sending bursts, start T3122; an assignment for another of the
      // last requests that still arrives is taken; further rejects are ignored.
      if (a.rejected) return;
      a.rejected = true;
      a.round++;
      ctx.subs.waitUntil[a.sub] = t + g.wait_s * 1000;
      this.schedule(a, t + g.wait_s * 1000, ST_RESTART);
      return;
    }
    a.gotChannel = true;
    a.rejected = false;
    if (a.procedure === 'gprs') {
      this.finish(a, t, true);
      return;
    }
    a.sdcch = g.sdcch;
    this.planDedicated(a, cell, g.block.ts_ms);
  }

  private dlBlockAtOrAfter(cell: CellRuntime, sdcch: number, t: number): number {
    return blockAtOrAfter(t, cell.fnOffset, (4 * (sdcch % 8)) % 51);
  }

  private ulBlockAtOrAfter(cell: CellRuntime, sdcch: number, t: number): number {
    return blockAtOrAfter(t, cell.fnOffset, (4 * (sdcch % 8) + 15) % 51);
  }

  /**
   * Lays out the dedicated-channel conversation at SDCCH/8 block timing and schedules it. Every
   * random draw happens whether or not the messages are emitted (the world must not depend on its
   * audience). LAPDm sequence numbers: after SABM/UA both sides count from 0; each I frame of the
   * network (downlink) carries N(S) = its own count and N(R) = the mobile's I frames received so far.
   * SMS transfer runs on SAPI 3, a separate LAPDm link, so it does not advance SAPI 0's counts.
   */
  private planDedicated(a: Access, cell: CellRuntime, iaTime: number): void {
    const ctx = this.ctx;
    const op = cell.op;
    const rnd = ctx.rnd;
    const net = () => rnd.lognormalMedian(op.network_delay_ms.median, op.network_delay_ms.sigma);
    const dl = (t: number) => this.dlBlockAtOrAfter(cell, a.sdcch, t);
    const ul = (t: number) => this.ulBlockAtOrAfter(cell, a.sdcch, t);
    const plan: PlannedMessage[] = [];
    const lai = { mcc: cell.cfg.mcc, mnc: cell.cfg.mnc, lac: cell.cfg.lac };
    const ciphered = op.ciphering === 'a5_1';
    let visible = true;
    /** I frames sent by the network and by the mobile on SAPI 0 (mod 8 when written). */
    let vs = 0;
    let vr = 0;
    const say = (t: number, message: DedicatedMessage) => {
      plan.push({ t, message: visible ? message : null, ns: vs & 7, nr: vr & 7 });
      if (message.type !== 'ua_initial') vs++;
    };
    const heard = () => vr++;

    // SABM with the initial message on the first uplink block after tuning; the BTS's UA echoes it.
    let t = ul(iaTime + BLOCK_MS + 2 * FRAME_MS);
    t = dl(t + BLOCK_MS + 5);
    say(t, { type: 'ua_initial', initial: this.initialMessage(a, cell) });
    let cursor = t + BLOCK_MS;
    const proc = a.procedure;
    const isLu = proc === 'lu_normal' || proc === 'lu_periodic' || proc === 'lu_imsi_attach';
    const isPagingResponse = proc === 'mt_call' || proc === 'mt_sms';
    const isCall = proc === 'mo_call' || proc === 'mt_call' || proc === 'emergency';
    const isSms = proc === 'mo_sms' || proc === 'mt_sms';

    if (proc !== 'imsi_detach') {
      const authShare = isLu ? op.auth_share.location_update : isPagingResponse ? op.auth_share.paging_response : proc === 'emergency' ? 0 : op.auth_share.cm_service;
      if (rnd.chance(authShare)) {
        t = dl(cursor + net());
        say(t, { type: 'authentication_request', cksn: rnd.int(0, 7), rand: randomBytes(rnd, 16) });
        const simDelay = a.options.simDelayMs ?? rnd.lognormalMedian(PHONE_SIM_MEDIAN_MS, PHONE_SIM_SIGMA);
        t = ul(t + BLOCK_MS + simDelay); // Authentication Response
        heard();
        cursor = t + BLOCK_MS;
      }
      if (ciphered) {
        t = dl(cursor + net());
        say(t, { type: 'ciphering_mode_command', algorithm: 'a5_1', imeisv_requested: IMEISV_REQUESTED });
        visible = false;
        t = ul(t + BLOCK_MS + 10); // Ciphering Mode Complete, the mobile's first ciphered frame
        heard();
        cursor = t + BLOCK_MS;
        // TS 44.018 §3.4.7.2: the network transmits in the new mode once it has received that frame.
        this.sacch?.cipheredFrom(cell, a.sdcch, cursor);
      }
      const realloc = isLu ? proc !== 'lu_periodic' || rnd.chance(op.tmsi_realloc_share) : rnd.chance(op.tmsi_realloc_share);
      if (realloc) a.newTmsi = rnd.int(1, 0xfffffffe);
      if (isLu) {
        t = dl(cursor + net());
        say(t, { type: 'location_updating_accept', lai, tmsi: a.newTmsi >= 0 ? a.newTmsi : null });
        cursor = t + BLOCK_MS;
        if (a.newTmsi >= 0) {
          cursor = ul(cursor + 20) + BLOCK_MS; // TMSI Reallocation Complete
          heard();
        }
      } else {
        if (!isPagingResponse) {
          t = dl(cursor + net());
          say(t, { type: 'cm_service_accept' });
          cursor = t + BLOCK_MS;
        }
        if (a.newTmsi >= 0) {
          t = dl(cursor + net());
          say(t, { type: 'tmsi_reallocation_command', lai, tmsi: a.newTmsi });
          cursor = ul(t + BLOCK_MS + 20) + BLOCK_MS;
          heard();
        }
        // The procedure's own exchanges (CP-DATA/CP-ACK, REGISTER/FACILITY, SETUP/CALL PROCEEDING …).
        const exchanges = isCall ? 2 : proc === 'ussd' ? 1 + rnd.int(1, 4) : 3;
        for (let i = 0; i < exchanges; i++) {
          cursor = ul(cursor + (proc === 'ussd' && i > 0 ? rnd.lognormalMedian(6000, 0.5) : 20)) + BLOCK_MS;
          cursor = dl(cursor + net()) + BLOCK_MS;
          if (!isSms) {
            vr++;
            vs++;
          }
        }
      }
    }
    let releaseAt: number;
    if (isCall) {
      // ASSIGNMENT COMMAND moves the call to a TCH; the SDCCH is freed once the mobile is there.
      t = dl(cursor + net());
      releaseAt = t + 3 * BLOCK_MS;
    } else {
      t = dl(cursor + net());
      say(t, { type: 'channel_release' });
      releaseAt = t + 2 * BLOCK_MS;
    }
    a.plan = plan;
    if (ctx.dedicated) {
      plan.forEach((m, i) => {
        if (m.message) this.schedule(a, m.t, ST_MESSAGE + i);
      });
    }
    this.schedule(a, releaseAt, ST_RELEASE);
  }

  private initialMessage(a: Access, cell: CellRuntime): Extract<DedicatedMessage, { type: 'ua_initial' }>['initial'] {
    const subs = this.ctx.subs;
    switch (a.procedure) {
      case 'mo_call':
        return { kind: 'cm_service_request', service: 'mo_call', identity: a.identity };
      case 'emergency':
        return { kind: 'cm_service_request', service: 'emergency_call', identity: a.identity };
      case 'mo_sms':
        return { kind: 'cm_service_request', service: 'sms', identity: a.identity };
      case 'ussd':
        return { kind: 'cm_service_request', service: 'ss_activation', identity: a.identity };
      case 'mt_call':
      case 'mt_sms':
        return { kind: 'paging_response', identity: a.identity };
      case 'imsi_detach':
        return { kind: 'imsi_detach_indication', identity: a.identity };
      case 'lu_normal':
      case 'lu_periodic':
      case 'lu_imsi_attach': {
        const la = subs.regLa[a.sub]! >= 0 ? this.ctx.las[subs.regLa[a.sub]!]! : { mcc: cell.cfg.mcc, mnc: cell.cfg.mnc, lac: cell.cfg.lac };
        return {
          kind: 'location_updating_request',
          lu_type: a.procedure === 'lu_normal' ? 'normal' : a.procedure === 'lu_periodic' ? 'periodic' : 'imsi_attach',
          identity: a.identity,
          previous_lai: { mcc: la.mcc, mnc: la.mnc, lac: la.lac },
        };
      }
      case 'gprs':
        return { kind: 'cm_service_request', service: 'sms', identity: a.identity };
    }
  }

  /** Frees (after T3101) the SDCCHs of grants the mobile will never take; clears the list. */
  private abandonGrants(a: Access, t: number, keep: Grant | null): void {
    for (const g of a.grants) {
      if (g === keep || g.received || g.sdcch < 0) continue;
      g.received = true;
      this.ctx.queue.push(Math.max(t, g.block.ts_ms) + T3101_MS, K_FREE_SDCCH, a.cell, g.sdcch);
    }
    a.grants = [];
  }

  private release(a: Access, t: number): void {
    const ctx = this.ctx;
    const cell = ctx.cells[a.cell]!;
    if (a.sdcch >= 0) cell.releaseSdcch(a.sdcch, t);
    a.sdcch = -1;
    this.finish(a, t, true);
  }

  private finish(a: Access, t: number, ok: boolean): void {
    const ctx = this.ctx;
    const subs = ctx.subs;
    const sub = a.sub;
    const cell = ctx.cells[a.cell]!;
    let tch = false;
    if (ok) {
      ctx.counters.accesses_completed++;
      const proc = a.procedure;
      if (proc === 'lu_normal' || proc === 'lu_periodic' || proc === 'lu_imsi_attach') {
        subs.regLa[sub] = cell.laIndex;
        subs.attached[sub] = 1;
      }
      if (proc === 'imsi_detach') subs.attached[sub] = 0;
      if (a.newTmsi >= 0) {
        subs.tmsi[sub] = a.newTmsi;
        subs.tmsiValid[sub] = 1;
      }
      const hold = a.options.holdMs ?? 0;
      if ((proc === 'mo_call' || proc === 'mt_call' || proc === 'emergency') && hold > 0) {
        tch = cell.takeTch();
        if (tch) {
          ctx.queue.push(t + hold, K_FREE_TCH, a.cell, 0);
          subs.busyUntil[sub] = Math.max(subs.busyUntil[sub]!, t + hold);
        }
      }
      // T3212 restarts when the mobile returns to idle mode (TS 24.008 §4.4.2).
      if (proc !== 'gprs' && proc !== 'imsi_detach') {
        const t3212 = cell.op.t3212_decihours * 360_000;
        if (t3212 > 0) subs.luDue[sub] = (tch ? t + (a.options.holdMs ?? 0) : t) + t3212;
      }
    } else {
      ctx.counters.accesses_failed++;
    }
    a.active = false;
    a.gen = (a.gen + 1) & 0x7ffff;
    this.abandonGrants(a, t, null);
    if (subs.connected[sub]! > 0) subs.connected[sub] = subs.connected[sub]! - 1;
    const done = a.options.done;
    a.options = {};
    a.plan = [];
    this.free.push(a.id);
    done?.({ ok, tch, cell: a.cell }, t);
  }

  /**
   * Pages `sub` in every cell of its location area (paging group blocks), repeating after T3113 up to
   * the operator's attempts. `answers` says whether the mobile will respond; on the first page its cell
   * carries, it starts an answer-to-paging access. `done(ok)` reports the outcome.
   */
  page(t: number, sub: number, kind: 'call' | 'sms', answers: boolean, onAnswer: (t: number, channelNeeded: SimChannelNeeded, identity: SimIdentity) => void, onFail: (t: number) => void): void {
    const req = new PageRequest(sub, kind, answers, onAnswer, onFail);
    this.pageAttempt(req, t);
  }

  private pageRequests = new Map<number, PageRequest>();
  private nextPageId = 1;

  private pageAttempt(req: PageRequest, t: number): void {
    const ctx = this.ctx;
    const subs = ctx.subs;
    const sub = req.sub;
    const la = subs.regLa[sub]!;
    if (la < 0 || !subs.attached[sub]) {
      req.onFail(t);
      return;
    }
    const area = ctx.las[la]!;
    const op = ctx.cells[area.cells[0]!]!.op;
    req.attempt++;
    const plmn = `${area.mcc}${area.mnc}`;
    const useImsi = !subs.tmsiValid[sub] || ctx.rnd.chance(op.imsi_paging_share);
    const identity: SimIdentity = useImsi ? { type: 'imsi', digits: subs.imsiDigits(sub, plmn) } : { type: 'tmsi', tmsi: subs.tmsi[sub]! };
    const channelNeeded: SimChannelNeeded = req.kind === 'sms' ? 'sdcch' : op.call_channel_needed;
    const page: PagedIdentity = { identity, channel_needed: channelNeeded };
    // The cell the mobile listens to now.
    let listening = -1;
    if (req.answers && subs.present[sub]) {
      const x = subs.positionX(sub, t);
      const y = subs.positionY(sub, t);
      if (!subs.moving(sub, t) && subs.cell[sub]! >= 0) listening = subs.cell[sub]!;
      else listening = ctx.geo.select(x, y, subs.op[sub]!, subs.moving(sub, t) ? MOVING : subs.key[sub]!, subs.lossDb[sub]!, la)?.cell ?? -1;
    }
    let last = t;
    let heardAt = -1;
    const mod = subs.imsiMod1000(sub);
    for (const ci of area.cells) {
      const cell = ctx.cells[ci]!;
      const blk = cell.placePage(t, mod, page, this.scheduleBlock(cell));
      last = Math.max(last, blk.ts_ms);
      if (ci === listening) heardAt = blk.ts_ms;
    }
    const id = this.nextPageId++;
    this.pageRequests.set(id, req);
    if (heardAt >= 0 && !ctx.rnd.chance(MS_CCCH_MISS)) {
      req.answered = true;
      const respondAt = heardAt + BLOCK_MS + ctx.rnd.lognormalMedian(30, 0.5);
      req.onAnswer(respondAt, channelNeeded, identity);
      this.pageRequests.delete(id);
      return;
    }
    ctx.queue.push(last + op.t3113_s * 1000, K_PAGE, id, 0);
  }

  private pageTimeout(id: number, t: number): void {
    const r = this.pageRequests.get(id);
    if (r === undefined) return;
    this.pageRequests.delete(id);
    const area = this.ctx.las[this.ctx.subs.regLa[r.sub]!];
    const op = area ? this.ctx.cells[area.cells[0]!]!.op : undefined;
    if (op !== undefined && r.attempt < op.paging_attempts) this.pageAttempt(r, t);
    else r.onFail(t);
  }
}

class PageRequest {
  attempt = 0;
  answered = false;
  constructor(
    readonly sub: number,
    readonly kind: 'call' | 'sms',
    readonly answers: boolean,
    readonly onAnswer: (t: number, channelNeeded: SimChannelNeeded, identity: SimIdentity) => void,
    readonly onFail: (t: number) => void,
  ) {}
}

function frameAt(t: number, offset: number): number {
  return (Math.floor(t / FRAME_MS + 1e-6) + offset) % FN_MODULUS;
}

/** Start time of the first frame ≥ t whose number mod 51 is `phase`. */
function blockAtOrAfter(t: number, offset: number, phase: number): number {
  const f = Math.ceil(t / FRAME_MS - 1e-6) + offset;
  const r = ((f % 51) + 51) % 51;
  const target = f + ((phase - r + 51) % 51);
  return frameStartMs(target, offset);
}

function randomBytes(rnd: { int(a: number, b: number): number }, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd.int(0, 256);
  return out;
}
