/**
 * The rotator kit, through johnny-five on a StandardFirmata board: a servo turns a directional antenna
 * in steps (through gearing, `azimuth_per_servo_deg`, so a 180° servo can cover the full circle); at
 * each step it waits `settle_ms`, then averages the uplink levels fed in during the rest of the dwell
 * (from the probe MCU's `uplink_activity`, or an SDR); after the sweep it estimates the bearing
 * (bearing.ts) and emits a `bearing` observation with the probe's position. Three LEDs show the state
 * (green ok, yellow blinking while searching, red when the level says the den is near) and an active
 * buzzer ticks faster as the level rises (fox-hunt.ts).
 * johnny-five is loaded only when a kit connects, so importing this package does not pull it in.
 * Must not: transmit (the kit only moves an antenna), or emit a bearing without a position.
 */
import { EventEmitter } from 'node:events';
import { fail, ok, silentLogger, type BearingObservation, type Logger, type Position, type Result } from '@simhound/protocol';
import type { Board, Led, Servo } from 'johnny-five';
import { estimateBearing, type BearingFailure, type SweepSample } from './bearing.js';
import { DEFAULT_FOX_HUNT_LEVELS, kitState, tickIntervalMs, type FoxHuntLevels, type KitState } from './fox-hunt.js';

export interface RotatorPins {
  servo: number;
  led_ok: number;
  led_searching: number;
  led_near: number;
  buzzer: number;
}

export const DEFAULT_ROTATOR_PINS: RotatorPins = { servo: 9, led_ok: 5, led_searching: 6, led_near: 7, buzzer: 8 };

export interface RotatorKitOptions {
  /** A Firmata-compatible IO object (mock-firmata in tests) … */
  io?: unknown;
  /** … or the serial path of a StandardFirmata board (use /dev/serial/by-id/…). */
  port?: string;
  pins?: Partial<RotatorPins>;
  step_deg?: number;
  settle_ms?: number;
  dwell_ms?: number;
  azimuth_per_servo_deg?: number;
  heading_offset_deg?: number;
  beamwidth_deg?: number;
  levels?: FoxHuntLevels;
  position: () => Position | null;
  log?: Logger;
  now?: () => number;
  connect_timeout_ms?: number;
}

export type SweepFailure = BearingFailure | 'busy' | 'not_connected' | 'no_position';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RotatorKit extends EventEmitter {
  private board: Board | null = null;
  private servo: Servo | null = null;
  private leds: { ok: Led; searching: Led; near: Led } | null = null;
  private buzzer: Led | null = null;
  private sweeping = false;
  private level: number | null = null;
  private collecting: number[] | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private shownState: KitState | null = null;
  private readonly pins: RotatorPins;
  private readonly log: Logger;
  private readonly now: () => number;
  readonly stats = { sweeps: 0, bearings: 0, failures: {} as Record<string, number>, ticks: 0 };

  constructor(private readonly options: RotatorKitOptions) {
    super();
    this.pins = { ...DEFAULT_ROTATOR_PINS, ...options.pins };
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  get state(): KitState {
    return kitState(this.sweeping, this.level, this.board !== null, this.options.levels ?? DEFAULT_FOX_HUNT_LEVELS);
  }

  async connect(): Promise<void> {
    const five = (await import('johnny-five')).default;
    const board = new five.Board({ io: this.options.io, port: this.options.port, repl: false, debug: false, timeout: this.options.connect_timeout_ms ?? 10_000 });
    await new Promise<void>((resolve, reject) => {
      board.once('ready', () => resolve());
      // johnny-five may emit several errors for one failed connection: keep a listener for all of
      // them (an unheard 'error' event would throw).
      board.on('error', (e: unknown) => {
        const err = e instanceof Error ? e : new Error(typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : String(e));
        if (this.board === board) this.log.warn('rotator board error', { error: err.message });
        reject(err);
      });
    });
    this.board = board;
    this.servo = new five.Servo({ pin: this.pins.servo, range: [0, 180], startAt: 0, board });
    this.leds = { ok: new five.Led({ pin: this.pins.led_ok, board }), searching: new five.Led({ pin: this.pins.led_searching, board }), near: new five.Led({ pin: this.pins.led_near, board }) };
    this.buzzer = new five.Led({ pin: this.pins.buzzer, board });
    this.showState();
    this.scheduleTick();
    this.log.info('rotator kit ready', { pins: this.pins });
  }

  /** Feed one uplink level (dBm), e.g. each `uplink_activity`'s peak_rssi_dbm. */
  feedLevel(level_dbm: number): void {
    if (!Number.isFinite(level_dbm)) return;
    this.level = level_dbm;
    this.collecting?.push(level_dbm);
    this.showState();
  }

  /** Servo angle for an antenna azimuth (clockwise from north). */
  servoAngleFor(azimuth_deg: number): number {
    const rel = (((azimuth_deg - (this.options.heading_offset_deg ?? 0)) % 360) + 360) % 360;
    return rel / (this.options.azimuth_per_servo_deg ?? 2);
  }

  /** One full sweep → a bearing observation (also emitted as 'bearing'), or why not. */
  async sweep(): Promise<Result<BearingObservation, SweepFailure>> {
    if (!this.board || !this.servo) return this.failed('not_connected');
    if (this.sweeping) return this.failed('busy');
    this.sweeping = true;
    this.stats.sweeps++;
    this.showState();
    const step = this.options.step_deg ?? 10;
    const settle = this.options.settle_ms ?? 300;
    const dwell = Math.max(settle + 1, this.options.dwell_ms ?? 800);
    const perServo = this.options.azimuth_per_servo_deg ?? 2;
    const span = Math.min(360, 180 * perServo);
    const samples: SweepSample[] = [];
    try {
      for (let rel = 0; rel < span - 1e-9; rel += step) {
        const azimuth = ((this.options.heading_offset_deg ?? 0) + rel) % 360;
        this.servo.to(rel / perServo);
        await sleep(settle);
        this.collecting = [];
        await sleep(dwell - settle);
        const got = this.collecting;
        this.collecting = null;
        if (got.length > 0) samples.push({ azimuth_deg: azimuth, rssi_dbm: got.reduce((a, b) => a + b, 0) / got.length });
      }
      this.servo.to(0);
    } finally {
      this.collecting = null;
      this.sweeping = false;
      this.showState();
    }
    const est = estimateBearing(samples, { beamwidth_deg: this.options.beamwidth_deg ?? 60 });
    if (!est.ok) return this.failed(est.reason, est.detail);
    const position = this.options.position();
    if (position === null) return this.failed('no_position');
    const obs: BearingObservation = { type: 'bearing', ts_ms: this.now(), ...est.value, position };
    this.stats.bearings++;
    this.emit('bearing', obs);
    return ok(obs);
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    if (this.leds) for (const led of Object.values(this.leds)) led.stop().off();
    this.buzzer?.off();
    const board = this.board;
    this.board = null;
    const transport = board?.io.transport;
    if (this.options.port && transport?.close) await new Promise<void>((r) => transport.close!(() => r()));
  }

  private failed(reason: SweepFailure, detail?: string): Result<BearingObservation, SweepFailure> {
    this.stats.failures[reason] = (this.stats.failures[reason] ?? 0) + 1;
    this.log.warn('sweep gave no bearing', { reason, detail });
    return fail(reason, detail);
  }

  private showState(): void {
    const state = this.state;
    if (!this.leds || state === this.shownState) return;
    this.shownState = state;
    const { ok: green, searching: yellow, near: red } = this.leds;
    green.stop().off();
    yellow.stop().off();
    red.stop().off();
    if (state === 'ok') green.on();
    else if (state === 'searching') yellow.blink(250);
    else if (state === 'den_near') red.on();
    this.emit('state', state);
  }

  private scheduleTick(): void {
    if (!this.board) return;
    const interval = tickIntervalMs(this.level, this.options.levels ?? DEFAULT_FOX_HUNT_LEVELS);
    this.tickTimer = setTimeout(() => {
      if (interval !== null && this.buzzer) {
        this.buzzer.on();
        this.stats.ticks++;
        setTimeout(() => this.buzzer?.off(), Math.min(15, interval / 2));
      }
      this.scheduleTick();
    }, interval ?? 200);
  }
}
