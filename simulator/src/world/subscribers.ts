/**
 * Every simulated SIM — residents, crowd members, den SIMs — as columns of typed arrays, so a city of
 * tens of thousands of individual subscribers costs a few megabytes and no per-subscriber objects.
 * Holds identity (IMSI, current TMSI), registration (attached, location area, periodic-update deadline),
 * where the SIM is (a fixed point, or a trip between two points), and the activity state the behaviour
 * models keep per subscriber.
 *
 * Storage only: the behaviour lives in humans.ts, crowds.ts and dens.ts.
 */
import type { SimIdentity } from './air-events.js';

export const OWNER_RESIDENT = 0;
export const OWNER_CROWD = 1;
export const OWNER_DEN = 2;

export const MOBILITY_STATIC = 0;
export const MOBILITY_COMMUTER = 1;
export const MOBILITY_WALKER = 2;
export const MOBILITY_DRIVER = 3;
export const MOBILITY_TRAIN = 4;

/** Activity kinds a subscriber's rates are split over (index into the rate columns). */
export const ACT_MO_CALL = 0;
export const ACT_MT_CALL = 1;
export const ACT_MO_SMS = 2;
export const ACT_MT_SMS = 3;
export const ACT_USSD = 4;
export const ACT_EMERGENCY = 5;
export const ACT_GPRS = 6;
export const ACT_KINDS = 7;

type F64 = Float64Array;
type I32 = Int32Array;
type U8 = Uint8Array;
type F32 = Float32Array;

export class SubscriberTable {
  size = 0;
  private cap: number;

  ownerKind!: U8;
  /** Crowd or den index (−1 for residents). */
  owner!: I32;
  op!: U8;
  mobility!: U8;
  msin!: F64;
  tmsi!: F64;
  tmsiValid!: U8;
  attached!: U8;
  present!: U8;
  /** Location area (index) the SIM last registered in; −1 = none. */
  regLa!: I32;
  luDue!: F64;
  busyUntil!: F64;
  /** Trip: position is (fromX,fromY) before tripStart, interpolated until tripEnd, (x,y) after. */
  x!: F64;
  y!: F64;
  fromX!: F64;
  fromY!: F64;
  tripStart!: F64;
  tripEnd!: F64;
  homeX!: F64;
  homeY!: F64;
  workX!: F64;
  workY!: F64;
  /** Cached serving cell for the current fixed position (−1 = recompute). */
  cell!: I32;
  cellDist!: F64;
  cellLevel!: F64;
  /** The phone is switched off (after an IMSI detach, until the next IMSI attach). */
  off!: U8;
  /** Key of the subscriber's fixed spot for shadowing and multipath (SIMs in one box share it). */
  key!: I32;
  /** Token of the live periodic-update timer (older timer events are stale). */
  luToken!: I32;
  /** Accesses in progress (the mobile is in dedicated mode or trying to be). */
  connected!: U8;
  /** Key of the neighbourhood whose common activity swings the subscriber shares. */
  moodKey!: I32;
  /** T3122 after a reject: no new access (but emergency calls) before this time. */
  waitUntil!: F64;
  /** Extra attenuation (building loss) in dB. */
  lossDb!: F32;
  activity!: F64;
  dayFactor!: F64;
  day!: I32;
  burstHigh!: U8;
  gen!: I32;
  dualRate!: U8;
  /** Per-activity rate (events per ms at profile 1), ACT_KINDS per subscriber. */
  rates!: F64;
  /** Sum of `rates` per subscriber. */
  rateSum!: F64;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.allocate(this.cap);
  }

  private allocate(cap: number): void {
    const f64 = (old?: F64) => {
      const a = new Float64Array(cap);
      if (old) a.set(old.subarray(0, Math.min(old.length, cap)));
      return a;
    };
    const f32 = (old?: F32) => {
      const a = new Float32Array(cap);
      if (old) a.set(old);
      return a;
    };
    const i32 = (old?: I32) => {
      const a = new Int32Array(cap);
      if (old) a.set(old);
      return a;
    };
    const u8 = (old?: U8) => {
      const a = new Uint8Array(cap);
      if (old) a.set(old);
      return a;
    };
    this.ownerKind = u8(this.ownerKind);
    this.owner = i32(this.owner);
    this.op = u8(this.op);
    this.mobility = u8(this.mobility);
    this.msin = f64(this.msin);
    this.tmsi = f64(this.tmsi);
    this.tmsiValid = u8(this.tmsiValid);
    this.attached = u8(this.attached);
    this.present = u8(this.present);
    this.regLa = i32(this.regLa);
    this.luDue = f64(this.luDue);
    this.busyUntil = f64(this.busyUntil);
    this.x = f64(this.x);
    this.y = f64(this.y);
    this.fromX = f64(this.fromX);
    this.fromY = f64(this.fromY);
    this.tripStart = f64(this.tripStart);
    this.tripEnd = f64(this.tripEnd);
    this.homeX = f64(this.homeX);
    this.homeY = f64(this.homeY);
    this.workX = f64(this.workX);
    this.workY = f64(this.workY);
    this.cell = i32(this.cell);
    this.cellDist = f64(this.cellDist);
    this.cellLevel = f64(this.cellLevel);
    this.off = u8(this.off);
    this.key = i32(this.key);
    this.luToken = i32(this.luToken);
    this.connected = u8(this.connected);
    this.moodKey = i32(this.moodKey);
    this.waitUntil = f64(this.waitUntil);
    this.lossDb = f32(this.lossDb);
    this.activity = f64(this.activity);
    this.dayFactor = f64(this.dayFactor);
    this.day = i32(this.day);
    this.burstHigh = u8(this.burstHigh);
    this.gen = i32(this.gen);
    this.dualRate = u8(this.dualRate);
    const rates = new Float64Array(cap * ACT_KINDS);
    if (this.rates) rates.set(this.rates);
    this.rates = rates;
    this.rateSum = f64(this.rateSum);
  }

  /** Appends a subscriber with neutral state; returns its index. */
  add(ownerKind: number, owner: number, op: number, msin: number): number {
    if (this.size === this.cap) {
      this.cap *= 2;
      this.allocate(this.cap);
    }
    const i = this.size++;
    this.ownerKind[i] = ownerKind;
    this.owner[i] = owner;
    this.op[i] = op;
    this.msin[i] = msin;
    this.regLa[i] = -1;
    this.cell[i] = -1;
    this.tripStart[i] = Number.NEGATIVE_INFINITY;
    this.tripEnd[i] = Number.NEGATIVE_INFINITY;
    this.activity[i] = 1;
    this.dayFactor[i] = 1;
    this.day[i] = -1;
    this.key[i] = (Math.imul(i + 1, 0x9e3779b1) ^ 0x2545f491) | 0;
    return i;
  }

  /** Position at `ts_ms` (a trip in progress is interpolated linearly). */
  positionX(i: number, ts_ms: number): number {
    const t0 = this.tripStart[i]!;
    const t1 = this.tripEnd[i]!;
    if (ts_ms >= t1 || t1 <= t0) return this.x[i]!;
    if (ts_ms <= t0) return this.fromX[i]!;
    return this.fromX[i]! + ((this.x[i]! - this.fromX[i]!) * (ts_ms - t0)) / (t1 - t0);
  }

  positionY(i: number, ts_ms: number): number {
    const t0 = this.tripStart[i]!;
    const t1 = this.tripEnd[i]!;
    if (ts_ms >= t1 || t1 <= t0) return this.y[i]!;
    if (ts_ms <= t0) return this.fromY[i]!;
    return this.fromY[i]! + ((this.y[i]! - this.fromY[i]!) * (ts_ms - t0)) / (t1 - t0);
  }

  moving(i: number, ts_ms: number): boolean {
    return ts_ms < this.tripEnd[i]! && ts_ms > this.tripStart[i]!;
  }

  /** Starts a straight trip from the current position to (x, y) between t0 and t1. */
  startTrip(i: number, t0: number, t1: number, x: number, y: number): void {
    this.fromX[i] = this.positionX(i, t0);
    this.fromY[i] = this.positionY(i, t0);
    this.x[i] = x;
    this.y[i] = y;
    this.tripStart[i] = t0;
    this.tripEnd[i] = t1;
    this.cell[i] = -1;
  }

  /** Places the subscriber at a fixed point (no trip). */
  place(i: number, x: number, y: number): void {
    this.x[i] = x;
    this.y[i] = y;
    this.tripStart[i] = Number.NEGATIVE_INFINITY;
    this.tripEnd[i] = Number.NEGATIVE_INFINITY;
    this.cell[i] = -1;
  }

  imsiDigits(i: number, plmn: string): string {
    const msinDigits = 15 - plmn.length;
    return plmn + String(this.msin[i]!).padStart(msinDigits, '0').slice(-msinDigits);
  }

  imsiMod1000(i: number): number {
    return this.msin[i]! % 1000;
  }

  /** The identity a mobile presents: its TMSI when it has one, else its IMSI. */
  identity(i: number, plmn: string): SimIdentity {
    return this.tmsiValid[i] ? { type: 'tmsi', tmsi: this.tmsi[i]! } : { type: 'imsi', digits: this.imsiDigits(i, plmn) };
  }
}
