/**
 * Running a scenario: to a capture file (simulated time, as fast as the CPU allows) or live over UDP to
 * edge agents (wall-clock time, optionally sped up). Both write the ground truth beside their output.
 */
import { writeFileSync } from 'node:fs';
import { fail, ok, silentLogger, type Logger, type Result } from '@simhound/protocol';
import type { Scenario, SimProbe } from './scenario.js';
import { World, type GroundTruth } from './world/world.js';
import { ProbeFrameBuilder } from './world/frames.js';
import { createRandom } from './random.js';
import { GsmtapCaptureFileWriter, GsmtapUdpSender, type CaptureFormat, type CaptureStats } from './capture/index.js';

export interface CaptureRunOptions {
  path: string;
  format?: CaptureFormat;
  start_ts_ms?: number;
  duration_s?: number;
  /** Which probe's view to record (default: the first). */
  probe?: string;
  truth_path?: string;
}

export interface RunSummary {
  frames: number;
  assignments_by_origin: Record<string, number>;
  truth: GroundTruth;
}

function pickProbe(scenario: Scenario, name?: string): SimProbe | null {
  return name === undefined ? scenario.probes[0]! : (scenario.probes.find((p) => p.probe === name) ?? null);
}

export async function simulateToCapture(scenario: Scenario, options: CaptureRunOptions): Promise<Result<RunSummary & { capture: CaptureStats }, 'unknown_probe' | 'io_error'>> {
  const probe = pickProbe(scenario, options.probe);
  if (probe === null) return fail('unknown_probe', options.probe);
  const start = options.start_ts_ms ?? Date.UTC(2026, 0, 1);
  const end = start + (options.duration_s ?? scenario.duration_s) * 1000;
  const world = new World(scenario, start);
  const builder = new ProbeFrameBuilder(scenario.cells, probe, createRandom(scenario.seed).fork(`frames:${probe.probe}`));
  const opened = await GsmtapCaptureFileWriter.open(options.path, { format: options.format ?? 'pcap' });
  if (!opened.ok) return fail('io_error', opened.detail);
  const writer = opened.value;
  const byOrigin: Record<string, number> = {};
  let frames = 0;
  for (let t = start; t < end; t = Math.min(end, t + 60_000)) {
    for (const e of world.advance(Math.min(end, t + 60_000))) {
      const datagram = builder.build(e);
      if (datagram === null) continue;
      if (e.kind === 'assignment') byOrigin[e.origin] = (byOrigin[e.origin] ?? 0) + 1;
      frames++;
      const pending = writer.write(datagram, Math.round(e.ts_ms * 1000));
      if (pending) await pending;
    }
  }
  const closed = await writer.close();
  if (!closed.ok) return fail('io_error', closed.detail);
  if (options.truth_path) writeFileSync(options.truth_path, JSON.stringify(world.truth, null, 2));
  return ok({ frames, assignments_by_origin: byOrigin, truth: world.truth, capture: closed.value });
}

export interface LiveTarget {
  probe: string;
  host: string;
  port: number;
}

export interface LiveRun {
  readonly truth: GroundTruth;
  /** Frames sent per probe and assignments per origin so far. */
  counters(): { frames_sent: number; assignments_by_origin: Record<string, number> };
  stop(): Promise<void>;
}

/**
 * Plays the world in real time (× `speed`) to each probe's UDP target. Event times are the wall clock,
 * so live edge agents (which stamp frames on receipt) see the same timing the world made.
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
  const world = new World(scenario, wallStart);
  const outputs: Array<{ builder: ProbeFrameBuilder; sender: GsmtapUdpSender }> = [];
  for (const t of targets) {
    const probe = pickProbe(scenario, t.probe);
    if (probe === null) return fail('unknown_probe', t.probe);
    const sender = await GsmtapUdpSender.open({ host: t.host, port: t.port });
    if (!sender.ok) return fail('connect_failed', sender.detail);
    outputs.push({ builder: new ProbeFrameBuilder(scenario.cells, probe, createRandom(scenario.seed).fork(`frames:${probe.probe}`)), sender: sender.value });
  }
  if (options.truth_path) writeFileSync(options.truth_path, JSON.stringify(world.truth, null, 2));
  const byOrigin: Record<string, number> = {};
  let framesSent = 0;
  const tick = () => {
    const simNow = wallStart + (Date.now() - wallStart) * speed;
    for (const e of world.advance(simNow)) {
      if (e.kind === 'assignment') byOrigin[e.origin] = (byOrigin[e.origin] ?? 0) + 1;
      for (const o of outputs) {
        const d = o.builder.build(e);
        if (d !== null) {
          o.sender.send(d);
          framesSent++;
        }
      }
    }
  };
  const timer = setInterval(tick, stepMs);
  let stopped = false;
  log.info('simulator running', { scenario: scenario.name, probes: targets.map((t) => t.probe), speed, dens: world.truth.dens.length });
  return ok({
    truth: world.truth,
    counters: () => ({ frames_sent: framesSent, assignments_by_origin: { ...byOrigin } }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      for (const o of outputs) await o.sender.close();
    },
  });
}
