/**
 * Running a scenario:
 *  - `WorldStream`: the world plus one frame builder per probe; `step(until, onFrame)` delivers every
 *    probe's GSMTAP datagrams up to `until` in time order (per probe). The building block of the rest.
 *  - `runWorld`: the streaming API — a whole scenario (or up to `until_ts_ms`) without files, with
 *    back-pressure (an `onFrame` that returns a promise is awaited at the end of the step).
 *  - `simulateToCaptures`: one pcap/pcapng per probe, the ground truth JSON, optionally the per-access
 *    NDJSON, all in one directory: `<dir>/<scenario>.<probe>.pcap`, `<dir>/<scenario>.truth.json`,
 *    `<dir>/<scenario>.accesses.ndjson`.
 *  - `runLive`: plays the world in wall-clock time (× speed) to edge agents over UDP.
 *
 * Memory is bounded: a step's events are held only until they are delivered.
 */
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fail, ok, silentLogger, type Logger, type Result } from '@simhound/protocol';
import type { Scenario } from './scenario.js';
import { createRandom } from './random.js';
import { World, scenarioStartMs } from './world/world.js';
import { ProbeFrameBuilder, type ProbeCounters } from './world/frames.js';
import type { AirEvent } from './world/air-events.js';
import type { AccessRecord, GroundTruth, TruthProbe } from './truth.js';
import { FN_MODULUS } from './world/radio.js';
import { GsmtapCaptureFileWriter, GsmtapUdpSender, type CaptureFormat, type CaptureStats } from './capture/index.js';

/** Receives one probe's datagram; the bytes are the caller's to keep. May return a promise (back-pressure). */
export type FrameHandler = (probeIndex: number, ts_ms: number, gsmtap: Uint8Array) => void | Promise<void>;

export interface WorldStreamOptions {
  start_ts_ms?: number;
  end_ts_ms?: number;
  onAccess?: (r: AccessRecord) => void;
  /** Emit dedicated-channel air events; default: when some probe decodes the SDCCH. */
  dedicated?: boolean;
}

export class WorldStream {
  readonly world: World;
  readonly builders: ProbeFrameBuilder[];
  private readonly idleCursor: number[][];
  private readonly anyIdleFill: boolean;
  private readonly assignmentsByOrigin: Record<string, number> = {};

  constructor(
    readonly scenario: Scenario,
    options: WorldStreamOptions = {},
  ) {
    this.world = new World(scenario, {
      start_ts_ms: options.start_ts_ms,
      end_ts_ms: options.end_ts_ms,
      recordAccess: options.onAccess,
      // Nobody hears the SDCCH: the world skips scheduling its messages (its behaviour is the same).
      dedicated: options.dedicated ?? scenario.probes.some((p) => p.channels.includes('sdcch')),
    });
    const rnd = createRandom(scenario.seed).fork('probes');
    this.builders = scenario.probes.map((p, k) => new ProbeFrameBuilder(this.world.cells, p, rnd.fork(`${p.site}/${p.probe}`), this.world.ctx.proj, this.world.geo, k, this.world.start_ts_ms));
    this.anyIdleFill = scenario.probes.some((p) => p.idle_fill);
    this.idleCursor = this.builders.map(() => this.world.cells.map((c) => c.blockAtOrAfter(this.world.start_ts_ms)));
  }

  get start_ts_ms(): number {
    return this.world.start_ts_ms;
  }

  get end_ts_ms(): number {
    return this.world.end_ts_ms;
  }

  /** Assignments on air per origin so far. */
  get assignments_by_origin(): Record<string, number> {
    return { ...this.assignmentsByOrigin };
  }

  /** Runs the world up to `until` and delivers every probe's frames in time order; returns pending promises. */
  step(until: number, onFrame: FrameHandler): Array<Promise<void>> {
    const pending: Array<Promise<void>> = [];
    const deliver = (k: number, ts: number, bytes: Uint8Array | null) => {
      if (bytes === null) return;
      const r = onFrame(k, ts, bytes);
      if (r) pending.push(r);
    };
    const byOrigin = this.assignmentsByOrigin;
    if (!this.anyIdleFill) {
      const builders = this.builders;
      this.world.advance(until, (e) => {
        if (e.kind === 'assignment' && !e.repeat) for (const a of e.entries) byOrigin[a.origin] = (byOrigin[a.origin] ?? 0) + 1;
        for (let k = 0; k < builders.length; k++) deliver(k, e.ts_ms, builders[k]!.build(e));
      });
      return pending;
    }
    const events: AirEvent[] = [];
    this.world.advance(until, (e) => {
      if (e.kind === 'assignment' && !e.repeat) for (const a of e.entries) byOrigin[a.origin] = (byOrigin[a.origin] ?? 0) + 1;
      events.push(e);
    });
    this.builders.forEach((b, k) => {
      if (!b.probe.idle_fill) {
        for (const e of events) deliver(k, e.ts_ms, b.build(e));
        return;
      }
      // Idle CCCH blocks of the heard cells, merged with the real events by time.
      const used = new Set<string>();
      for (const e of events) if (e.kind === 'paging' || e.kind === 'assignment' || e.kind === 'assignment_reject' || e.kind === 'nch') used.add(`${e.cell_index}:${e.fn}`);
      const fills: Array<{ ts: number; cell: number; fn: number }> = [];
      this.world.cells.forEach((cell, ci) => {
        let blk = this.idleCursor[k]![ci]!;
        for (;;) {
          const ts = cell.blockTime(blk);
          if (ts >= until) break;
          const fn = cell.blockStartFrame(blk) % FN_MODULUS;
          if (!used.has(`${ci}:${fn}`) && !cell.ledger.has(blk)) fills.push({ ts, cell: ci, fn });
          blk++;
        }
        this.idleCursor[k]![ci] = blk;
      });
      fills.sort((a, b) => a.ts - b.ts);
      let f = 0;
      for (const e of events) {
        while (f < fills.length && fills[f]!.ts < e.ts_ms) {
          const x = fills[f++]!;
          deliver(k, x.ts, b.idleFill(x.cell, x.ts, x.fn));
        }
        deliver(k, e.ts_ms, b.build(e));
      }
      while (f < fills.length) {
        const x = fills[f++]!;
        deliver(k, x.ts, b.idleFill(x.cell, x.ts, x.fn));
      }
    });
    return pending;
  }

  /** Probes as the truth describes them (cells heard so far, with mean levels). */
  probeTruth(): TruthProbe[] {
    const cells = this.world.cells;
    return this.builders.map((b) => {
      const p = b.probe;
      return {
        site: p.site,
        probe: p.probe,
        position: p.route === undefined ? { lat_deg: p.lat_deg!, lon_deg: p.lon_deg! } : null,
        route: p.route ? p.route.points.map(([a, c]) => [a, c] as [number, number]) : null,
        channels: [...p.channels],
        cells_heard: [...b.everHeard.entries()]
          .sort((x, y) => x[0] - y[0])
          .map(([ci, e]) => {
            const c = cells[ci]!.cfg;
            return { cell: { mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci }, arfcn: c.arfcn, level_dbm: Math.round((e.sum / e.n) * 10) / 10 };
          }),
      };
    });
  }

  truth(accesses_file: string | null = null): GroundTruth {
    return this.world.truth(this.probeTruth(), accesses_file);
  }

  probeCounters(): ProbeCounters[] {
    return this.builders.map((b) => ({ ...b.counters, not_encodable: { ...b.counters.not_encodable } }));
  }
}

export interface RunWorldOptions {
  onFrame: FrameHandler;
  /** Stop before this time (default: the scenario's end). */
  until_ts_ms?: number;
  start_ts_ms?: number;
  /** Per-access ground truth, in time order. */
  onAccess?: (r: AccessRecord) => void;
  /** Simulated time per step (default 60 s). */
  step_ms?: number;
}

export interface RunSummary {
  start_ts_ms: number;
  end_ts_ms: number;
  frames_per_probe: number[];
  assignments_by_origin: Record<string, number>;
  probes: ProbeCounters[];
  truth: GroundTruth;
}

/** The streaming API: runs a scenario and hands every probe's frames to `onFrame`, in time order per probe. */
export async function runWorld(scenario: Scenario, options: RunWorldOptions): Promise<RunSummary> {
  const start = options.start_ts_ms ?? scenarioStartMs(scenario);
  const end = start + scenario.duration_s * 1000;
  const stream = new WorldStream(scenario, { start_ts_ms: start, end_ts_ms: end, onAccess: options.onAccess });
  const until = Math.min(options.until_ts_ms ?? end, end);
  const stepMs = options.step_ms ?? 60_000;
  const frames = scenario.probes.map(() => 0);
  const onFrame: FrameHandler = (k, ts, bytes) => {
    frames[k]!++;
    return options.onFrame(k, ts, bytes);
  };
  for (let t = start; t < until; ) {
    t = Math.min(until, t + stepMs);
    const pending = stream.step(t, onFrame);
    if (pending.length > 0) await Promise.all(pending);
  }
  return { start_ts_ms: start, end_ts_ms: until, frames_per_probe: frames, assignments_by_origin: stream.assignments_by_origin, probes: stream.probeCounters(), truth: stream.truth() };
}

export interface CaptureRunOptions {
  /** Output directory (created). */
  out_dir: string;
  format?: CaptureFormat;
  start_ts_ms?: number;
  duration_s?: number;
  /** Also write `<scenario>.accesses.ndjson`. */
  accesses?: boolean;
}

export interface CaptureRunResult extends RunSummary {
  files: { captures: string[]; truth: string; accesses: string | null };
  capture: CaptureStats[];
}

/** Buffered line writer with back-pressure (for the NDJSON sidecar). */
class LineWriter {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly stream: WriteStream) {}
  write(line: string): Promise<void> | undefined {
    this.buf.push(line);
    this.size += line.length;
    if (this.size < 1 << 20) return undefined;
    return this.flush();
  }
  flush(): Promise<void> | undefined {
    if (this.buf.length === 0) return undefined;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (this.stream.write(chunk)) return undefined;
    return once(this.stream, 'drain').then(() => undefined);
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}

/** Writes one capture per probe, the truth and (optionally) the per-access NDJSON. */
export async function simulateToCaptures(scenario: Scenario, options: CaptureRunOptions): Promise<Result<CaptureRunResult, 'io_error'>> {
  const format = options.format ?? 'pcap';
  mkdirSync(options.out_dir, { recursive: true });
  const base = join(options.out_dir, scenario.name);
  const captures = scenario.probes.map((p) => `${base}.${p.probe}.${format}`);
  const writers: GsmtapCaptureFileWriter[] = [];
  for (const path of captures) {
    const w = await GsmtapCaptureFileWriter.open(path, { format });
    if (!w.ok) return fail('io_error', w.detail);
    writers.push(w.value);
  }
  const accessesPath = options.accesses ? `${base}.accesses.ndjson` : null;
  const lines = accessesPath ? new LineWriter(createWriteStream(accessesPath)) : null;
  const pendingLines: Array<Promise<void>> = [];
  const sc = options.duration_s !== undefined ? { ...scenario, duration_s: options.duration_s } : scenario;
  const summary = await runWorld(sc, {
    start_ts_ms: options.start_ts_ms,
    onFrame: (k, ts, bytes) => writers[k]!.write(bytes, Math.round(ts * 1000)),
    onAccess: lines
      ? (r) => {
          const p = lines.write(`${JSON.stringify(r)}\n`);
          if (p) pendingLines.push(p);
        }
      : undefined,
  });
  await Promise.all(pendingLines);
  const stats: CaptureStats[] = [];
  for (const w of writers) {
    const closed = await w.close();
    if (!closed.ok) return fail('io_error', closed.detail);
    stats.push(closed.value);
  }
  if (lines) await lines.close();
  const truthPath = `${base}.truth.json`;
  const truth = { ...summary.truth, accesses_file: accessesPath ? `${scenario.name}.accesses.ndjson` : null };
  writeFileSync(truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  return ok({ ...summary, truth, files: { captures, truth: truthPath, accesses: accessesPath }, capture: stats });
}

export interface LiveTarget {
  probe: string;
  host: string;
  port: number;
}

export interface LiveRun {
  /** Ground truth as of now. */
  readonly truth: GroundTruth;
  /** Frames sent and assignments per origin so far. */
  counters(): { frames_sent: number; assignments_by_origin: Record<string, number> };
  stop(): Promise<void>;
}

/**
 * Plays the world in real time (× `speed`) to each target probe's UDP port. Event times are the wall
 * clock, so live edge agents (which stamp frames on receipt) see the timing the world made.
 */
export async function runLive(
  scenario: Scenario,
  targets: LiveTarget[],
  options: { speed?: number; step_ms?: number; log?: Logger; truth_path?: string } = {},
): Promise<Result<LiveRun, 'unknown_probe' | 'connect_failed'>> {
  const log = options.log ?? silentLogger;
  const speed = options.speed ?? 1;
  const stepMs = options.step_ms ?? 100;
  const wallStart = Date.now();
  const senders = new Map<number, GsmtapUdpSender>();
  for (const t of targets) {
    const k = scenario.probes.findIndex((p) => p.probe === t.probe);
    if (k < 0) return fail('unknown_probe', t.probe);
    const sender = await GsmtapUdpSender.open({ host: t.host, port: t.port });
    if (!sender.ok) {
      for (const s of senders.values()) await s.close();
      return fail('connect_failed', sender.detail);
    }
    senders.set(k, sender.value);
  }
  const stream = new WorldStream(scenario, { start_ts_ms: wallStart, end_ts_ms: wallStart + scenario.duration_s * 1000 });
  if (options.truth_path) writeFileSync(options.truth_path, `${JSON.stringify(stream.truth(), null, 2)}\n`);
  let framesSent = 0;
  const onFrame: FrameHandler = (k, _ts, bytes) => {
    const s = senders.get(k);
    if (s === undefined) return;
    s.send(bytes);
    framesSent++;
  };
  const tick = () => stream.step(wallStart + (Date.now() - wallStart) * speed, onFrame);
  const timer = setInterval(tick, stepMs);
  let stopped = false;
  log.info('simulator running', { scenario: scenario.name, probes: targets.map((t) => t.probe), speed, dens: scenario.dens.length });
  return ok({
    get truth() {
      return stream.truth();
    },
    counters: () => ({ frames_sent: framesSent, assignments_by_origin: stream.assignments_by_origin }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      for (const s of senders.values()) await s.close();
    },
  });
}
