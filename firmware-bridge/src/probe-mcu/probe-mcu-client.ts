/**
 * Host side of the probe MCU: runs the receive stages over a (reconnecting) serial link, sends
 * commands one at a time and waits for their ACK (matched by sequence number) with a timeout and
 * retries, and keeps the device configured: on every (re)open and whenever the firmware says HELLO on
 * its own (it restarted), it re-applies threshold and report rate and starts sampling. Turns REPORT
 * frames into `uplink_activity` observations. Counts rejected frames by reason, frames lost (gaps in
 * the device's frame sequence), restarts, and the device's own error counters.
 * A silence watchdog covers a HELLO that was lost on the line: when a configured device sends nothing
 * for three report periods (at least 2 s), the client reconfigures it.
 * Must not: block, throw on bad bytes, or send anything but the documented commands.
 */
import { EventEmitter } from 'node:events';
import { ReasonCounter, fail, ok, silentLogger, type Logger, type Result, type UplinkActivityObservation } from '@simhound/protocol';
import type { ByteLink } from '../serial/reconnecting-port.js';
import { CMD, TDMA_FRAME_MS, encodeFrame, u16le, type AckFrame, type DeviceErrors, type DeviceFrame, type HelloFrame, type ReportFrame } from '../protocol/frames.js';
import { createFramePipeline, type FrameRejection, type FrameSplitter } from '../stream/frame-stages.js';
import { DETECTOR_PRESETS, type DetectorCalibration } from './calibration.js';
import { uplinkActivityOf } from './uplink-activity.js';

export type CommandFailure = 'timeout' | 'bad_argument' | 'unknown_command' | 'port_closed' | 'stopped';

export interface ProbeMcuClientOptions {
  link: ByteLink;
  name?: string;
  threshold_adc?: number;
  frames_per_report?: number;
  calibration?: DetectorCalibration;
  ack_timeout_ms?: number;
  retries?: number;
  log?: Logger;
  now?: () => number;
}

export interface ProbeMcuStats {
  frames: number;
  reports: number;
  lost_frames: number;
  restarts: number;
  configured: number;
  command_failures: Record<string, number>;
  rejected: Record<string, number>;
  device_errors: DeviceErrors | null;
  last_frame_ts_ms: number | null;
}

interface PendingCommand {
  type: number;
  seq: number;
  resolve: (r: Result<AckFrame, CommandFailure>) => void;
  timer: NodeJS.Timeout | null;
}

export class ProbeMcuClient extends EventEmitter {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly rejects = new ReasonCounter<FrameRejection>();
  private readonly commandFailures = new ReasonCounter<CommandFailure>();
  private splitter!: FrameSplitter;
  private cmdSeq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private pending: PendingCommand | null = null;
  private lastDeviceSeq: number | null = null;
  private running = false;
  private configuring = false;
  device: HelloFrame | null = null;
  deviceErrors: DeviceErrors | null = null;
  threshold_adc: number;
  frames_per_report: number;
  readonly calibration: DetectorCalibration;
  private counts = { frames: 0, reports: 0, lost_frames: 0, restarts: 0, configured: 0 };
  private lastFrameTs: number | null = null;
  private configuredOnce = false;
  /** False after an explicit STOP: the watchdog then leaves a silent device alone. */
  private wantSampling = true;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly onData = (chunk: Buffer) => this.splitter.write(chunk);
  private readonly onOpen = () => {
    this.newPipeline();
    this.lastDeviceSeq = null;
    void this.configure('open');
  };
  private readonly onClose = () => this.failPending('port_closed');

  constructor(private readonly options: ProbeMcuClientOptions) {
    super();
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.threshold_adc = options.threshold_adc ?? 300;
    this.frames_per_report = options.frames_per_report ?? 10;
    this.calibration = options.calibration ?? DETECTOR_PRESETS.ad8313;
    this.newPipeline();
  }

  start(): void {
    this.running = true;
    this.options.link.on('data', this.onData);
    this.options.link.on('open', this.onOpen);
    this.options.link.on('close', this.onClose);
    if (this.options.link.isOpen()) void this.configure('start');
    this.watchdog = setInterval(() => this.checkSilence(), 500);
  }

  private checkSilence(): void {
    if (!this.configuredOnce || !this.wantSampling || this.configuring || !this.options.link.isOpen()) return;
    const limit = Math.max(2000, 3 * this.frames_per_report * TDMA_FRAME_MS);
    if (this.lastFrameTs !== null && this.now() - this.lastFrameTs > limit) {
      this.log.warn('probe MCU silent; reconfiguring', { silent_ms: this.now() - this.lastFrameTs });
      this.lastFrameTs = this.now();
      void this.configure('silence');
    }
  }

  async stop(): Promise<void> {
    if (this.running && this.options.link.isOpen()) await this.command(CMD.STOP);
    this.running = false;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.failPending('stopped');
    this.options.link.off('data', this.onData);
    this.options.link.off('open', this.onOpen);
    this.options.link.off('close', this.onClose);
  }

  stats(): ProbeMcuStats {
    return {
      ...this.counts,
      command_failures: this.commandFailures.toJSON(),
      rejected: this.rejects.toJSON(),
      device_errors: this.deviceErrors,
      last_frame_ts_ms: this.lastFrameTs,
    };
  }

  /** Send one command and wait for its ACK (retried on timeout). Commands never run concurrently. */
  command(type: number, payload: Uint8Array = new Uint8Array(0)): Promise<Result<AckFrame, CommandFailure>> {
    if (type === CMD.STOP) this.wantSampling = false;
    else if (type === CMD.START) this.wantSampling = true;
    const run = async (): Promise<Result<AckFrame, CommandFailure>> => {
      let last: Result<AckFrame, CommandFailure> = fail('timeout');
      for (let attempt = 0; attempt <= (this.options.retries ?? 2); attempt++) {
        last = await this.sendOnce(type, payload);
        if (last.ok || last.reason !== 'timeout') break;
      }
      if (!last.ok) this.commandFailures.add(last.reason);
      return last;
    };
    const p = this.chain.then(run, run);
    this.chain = p;
    return p;
  }

  setThreshold(adc: number) {
    this.threshold_adc = adc;
    return this.command(CMD.SET_THRESHOLD, u16le(adc));
  }

  setReportRate(frames: number) {
    this.frames_per_report = frames;
    return this.command(CMD.SET_REPORT_RATE, u16le(frames));
  }

  /** Ask the device for its error counters; resolves with them (or null). */
  async readDeviceErrors(timeout_ms = 2000): Promise<DeviceErrors | null> {
    const got = new Promise<DeviceErrors | null>((resolve) => {
      const t = setTimeout(() => resolve(null), timeout_ms);
      this.once('errors', (e: DeviceErrors) => {
        clearTimeout(t);
        resolve(e);
      });
    });
    const ack = await this.command(CMD.GET_ERRORS);
    return ack.ok ? got : null;
  }

  private sendOnce(type: number, payload: Uint8Array): Promise<Result<AckFrame, CommandFailure>> {
    if (!this.options.link.isOpen()) return Promise.resolve(fail('port_closed'));
    return new Promise((resolve) => {
      const seq = (this.cmdSeq = (this.cmdSeq + 1) & 0xff);
      const pending: PendingCommand = { type, seq, resolve, timer: null };
      pending.timer = setTimeout(() => {
        if (this.pending === pending) this.pending = null;
        resolve(fail('timeout'));
      }, this.options.ack_timeout_ms ?? 500);
      this.pending = pending;
      this.options.link.write(encodeFrame(type, seq, payload));
    });
  }

  private failPending(reason: CommandFailure): void {
    const p = this.pending;
    this.pending = null;
    if (p) {
      if (p.timer) clearTimeout(p.timer);
      p.resolve(fail(reason));
    }
  }

  private newPipeline(): void {
    const { input, output } = createFramePipeline(this.rejects);
    this.splitter = input;
    output.on('data', (f: DeviceFrame) => this.onFrame(f));
  }

  /** Bring the device to the configured state: threshold, report rate, start. */
  private async configure(why: string): Promise<boolean> {
    if (!this.running || this.configuring) return false;
    this.configuring = true;
    try {
      const steps = [
        () => this.command(CMD.HELLO),
        () => this.command(CMD.SET_THRESHOLD, u16le(this.threshold_adc)),
        () => this.command(CMD.SET_REPORT_RATE, u16le(this.frames_per_report)),
        () => this.command(CMD.START),
      ];
      for (const step of steps) {
        const r = await step();
        if (!r.ok) {
          this.log.warn('probe MCU configuration failed', { why, reason: r.reason });
          return false;
        }
      }
      this.counts.configured++;
      this.configuredOnce = true;
      this.log.info('probe MCU configured', { why, firmware: this.device?.firmware_version });
      return true;
    } finally {
      this.configuring = false;
    }
  }

  private onFrame(f: DeviceFrame): void {
    this.counts.frames++;
    this.lastFrameTs = this.now();
    if (this.lastDeviceSeq !== null && f.type !== 'hello') {
      const gap = (f.seq - this.lastDeviceSeq - 1 + 256) & 0xff;
      this.counts.lost_frames += gap;
    }
    this.lastDeviceSeq = f.seq;
    switch (f.type) {
      case 'ack': {
        const p = this.pending;
        if (p && p.seq === f.command_seq && p.type === f.command) {
          this.pending = null;
          if (p.timer) clearTimeout(p.timer);
          p.resolve(f.status === 'ok' ? ok(f) : fail(f.status === 'bad_argument' ? 'bad_argument' : 'unknown_command'));
        }
        break;
      }
      case 'hello': {
        const unsolicited = this.pending?.type !== CMD.HELLO;
        this.device = f;
        this.emit('hello', f);
        if (unsolicited && f.seq === 0) {
          // The firmware greets only after a reset: it lost its configuration.
          this.counts.restarts++;
          this.log.warn('probe MCU restarted; reconfiguring');
          void this.configure('restart');
        }
        break;
      }
      case 'report': {
        this.counts.reports++;
        this.emit('report', f satisfies ReportFrame);
        if (this.device) this.emit('activity', uplinkActivityOf(f, { ...this.device, threshold_adc: this.threshold_adc }, this.calibration, this.now(), this.options.name) satisfies UplinkActivityObservation);
        break;
      }
      case 'errors': {
        const { type: _t, seq: _s, ...errors } = f;
        this.deviceErrors = errors;
        this.emit('errors', errors);
        break;
      }
    }
  }
}
