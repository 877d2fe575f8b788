/**
 * Runs one configured `iq` source inside the edge agent: a recording (read once, as fast as the
 * pipeline goes) or an rtl_tcp stream (monitor one tuning, cycle a schedule, or sweep the band), and
 * turns its events into observations for the agent's batcher. The agent calls `startIqSource` and
 * keeps the returned handle; everything SDR-specific stays in this folder.
 *
 * It must not publish or exit the process: `observe` and `onFatal` are the agent's.
 */
import { fail, ok, silentLogger, type Logger, type Observation, type Position, type Result } from '@simhound/protocol';
import { planBandScan, type ScanStep } from './band-scan-plan.js';
import type { IqEvent } from './events.js';
import { IqPipeline, type IqPipelineOptions } from './iq-pipeline.js';
import type { IqSourceConfig } from './iq-source-config.js';
import { IqObservationMapper } from './observations.js';
import { prepareFftBackend } from './dsp/fft-engine.js';
import { resolveIqFile } from './sources/iq-file-metadata.js';
import { replayResolved } from './sources/iq-file-source.js';
import { RtlTcpClient } from './sources/rtl-tcp-client.js';

export interface IqSourceContext {
  log?: Logger;
  /** Where observations go (the agent's batcher). */
  observe: (o: Observation) => void;
  position?: () => Position | null;
  /** The source cannot go on (rtl_tcp stall with exit_on_stall): the agent should exit non-zero. */
  onFatal?: (error: Error) => void;
  /** Every event, before mapping (tests, logs). */
  onEvent?: (e: IqEvent) => void;
}

export interface IqSourceHealth {
  state: 'ok' | 'idle' | 'error' | 'finished';
  frames_total: number;
  events_total: number;
  rejected_total: number;
  rejected_by_reason: Record<string, number>;
  last_frame_ts_ms: number | null;
}

export interface RunningIqSource {
  /** Resolves when a recording has been read; null for live sources. */
  readonly done: Promise<void> | null;
  health(): IqSourceHealth;
  stop(): Promise<void>;
  /** The live rtl_tcp client and its pipeline (tests, status). */
  readonly client: RtlTcpClient | null;
  readonly pipeline: IqPipeline | null;
}

export const RTL_SDR_DEFAULT_RATE_HZ = 2_400_000;
/** A client more than this far behind real time cannot keep up: rtl_tcp then drops samples (health: slow_consumer). */
const SLOW_CONSUMER_LAG_S = 1;
/**
 * rtl_tcp applies a retune to the samples the dongle makes after the command arrives; the samples the
 * client has not read yet (its lag behind real time: at start-up, while the JIT warms, it can be a few
 * hundred ms) still carry the old tuning, so they are dropped with the settle time. Capped: beyond it
 * rtl_tcp drops samples anyway.
 */
function inFlightSamples(lagS: number, rate: number): number {
  return Math.round(Math.min(lagS, SLOW_CONSUMER_LAG_S) * rate);
}

function pipelineSettings(sc: IqSourceConfig): Partial<IqPipelineOptions> {
  return {
    calibration_db: sc.calibration_db,
    report_interval_s: sc.report_interval_s,
    fft_size: sc.fft_size,
    fft_backend: sc.fft_backend,
    burst_on_db: sc.burst_threshold_db,
    adjacent_rejection_db: sc.adjacent_rejection_db,
    iq_correction: sc.iq_correction,
    noise_floor_dbfs: sc.noise_floor_dbfs ?? null,
    max_freq_error_hz: sc.max_freq_error_hz,
    sync_arfcn: sc.sync_arfcn ?? null,
  };
}

export async function startIqSource(sc: IqSourceConfig, ctx: IqSourceContext): Promise<Result<RunningIqSource, string>> {
  if ((sc.path === undefined) === (sc.rtl_tcp === undefined)) return fail('bad_config', `iq source ${sc.name}: give exactly one of path and rtl_tcp`);
  const log = (ctx.log ?? silentLogger).child('iq');
  try {
    await prepareFftBackend(sc.fft_backend);
  } catch (e) {
    return fail('fft_backend_unavailable', `iq source ${sc.name}: cannot load ${sc.fft_backend}: ${(e as Error).message}`);
  }
  const mapper = new IqObservationMapper(sc.uplink_bursts, ctx.position ?? (() => null));
  let events = 0;
  let lastEventTs: number | null = null;
  const onEvent = (e: IqEvent) => {
    events++;
    lastEventTs = e.ts_ms;
    ctx.onEvent?.(e);
    if (e.type === 'tdma_sync') log.debug('tdma sync', { arfcn: e.arfcn, source: e.source, bsic: e.bsic, fn: e.fn, freq_offset_hz: e.freq_offset_hz });
    const o = mapper.map(e);
    if (o !== null) ctx.observe(o);
  };
  return sc.path !== undefined ? startFile(sc, sc.path, log, mapper, onEvent, () => ({ events, lastEventTs })) : startRtlTcp(sc, ctx, log, mapper, onEvent, () => ({ events, lastEventTs }));
}

async function startFile(
  sc: IqSourceConfig, path: string, log: Logger, mapper: IqObservationMapper, onEvent: (e: IqEvent) => void,
  counts: () => { events: number; lastEventTs: number | null },
): Promise<Result<RunningIqSource, string>> {
  if (sc.mode === 'scan') return fail('bad_config', `iq source ${sc.name}: scan mode needs rtl_tcp (a recording has one tuning)`);
  const meta = resolveIqFile(path, { format: sc.format, sample_rate_hz: sc.sample_rate_hz, center_freq_hz: sc.center_freq_hz });
  if (!meta.ok) return fail(meta.reason, `iq source ${sc.name}: ${meta.detail ?? meta.reason}`);
  let state: IqSourceHealth['state'] = 'ok';
  let frames = 0;
  const problems: Record<string, number> = {};
  // A recording without a timestamp is replayed as if it started now.
  const resolved = { ...meta.value, start_ts_ms: meta.value.start_ts_ms ?? Date.now() };
  const done = replayResolved(resolved, { band: sc.band, pipeline: pipelineSettings(sc), onEvent }).then((r) => {
    if (!r.ok) {
      state = 'error';
      problems[r.reason] = 1;
      log.error('cannot replay IQ recording', { path, reason: r.reason, detail: r.detail });
      return;
    }
    frames = r.value.frames;
    Object.assign(problems, r.value.problems);
    state = 'finished';
    log.info('IQ recording finished', { path, frames: r.value.frames, events: r.value.events, bursts: r.value.bursts, sch_decoded: r.value.sch_decoded });
  });
  return ok({
    done,
    client: null,
    pipeline: null,
    health: () => {
      const rejected = { ...problems, ...(mapper.suppressed > 0 ? { uplink_bursts_suppressed: mapper.suppressed } : {}) };
      return { state, frames_total: frames, events_total: counts().events, rejected_total: Object.values(rejected).reduce((a, b) => a + b, 0), rejected_by_reason: rejected, last_frame_ts_ms: counts().lastEventTs };
    },
    stop: async () => {
      await done;
    },
  });
}

function startRtlTcp(
  sc: IqSourceConfig, ctx: IqSourceContext, log: Logger, mapper: IqObservationMapper, onEvent: (e: IqEvent) => void,
  counts: () => { events: number; lastEventTs: number | null },
): Result<RunningIqSource, string> {
  const rtl = sc.rtl_tcp!;
  const rate = sc.sample_rate_hz ?? RTL_SDR_DEFAULT_RATE_HZ;
  // Tunings to visit: one (monitor), a schedule, or the band scan's steps.
  let steps: Array<{ center_freq_hz: number; dwell_s: number; scan?: ScanStep }>;
  if (sc.mode === 'scan') {
    steps = planBandScan(sc.band, sc.scan.links, rate).map((s) => ({ center_freq_hz: s.center_freq_hz, dwell_s: sc.scan.dwell_s, scan: s }));
  } else if (sc.schedule !== undefined) {
    steps = sc.schedule.map((s) => ({ ...s }));
  } else if (sc.center_freq_hz !== undefined) {
    steps = [{ center_freq_hz: sc.center_freq_hz, dwell_s: Infinity }];
  } else {
    return fail('bad_config', `iq source ${sc.name}: monitor mode needs center_freq_hz or a schedule`);
  }
  const created = IqPipeline.create({ ...pipelineSettings(sc), format: 'cu8', sample_rate_hz: rate, center_freq_hz: steps[0]!.center_freq_hz, band: sc.band, start_ts_ms: Date.now() }, onEvent);
  if (!created.ok) return fail(created.reason, `iq source ${sc.name}: ${created.detail ?? created.reason}`);
  const pipeline = created.value;
  const settle = Math.round(rtl.settle_s * rate);
  let stepIndex = 0;
  // A dwell counts from the tuning's first analysed sample (after its settle time and the samples in flight).
  const dwellOver = () => Number.isFinite(steps[stepIndex]!.dwell_s) && pipeline.sampleIndex - pipeline.tuningStartSample >= Math.round(steps[stepIndex]!.dwell_s * rate);
  let fatal = false;
  const client = new RtlTcpClient({
    host: rtl.host,
    port: rtl.port,
    tuning: { center_freq_hz: steps[0]!.center_freq_hz, sample_rate_hz: rate, gain_db: rtl.gain_db, ppm: rtl.ppm, rtl_agc: rtl.rtl_agc, bias_tee: rtl.bias_tee },
    stall_timeout_s: sc.watchdog.stall_timeout_s,
    exit_on_stall: sc.watchdog.exit_on_stall,
    log,
    onConnected: (info) => {
      // The server streams before our tuning commands take effect: drop the first settle time.
      pipeline.retune(client.centerFreqHz, settle);
      pipeline.setTimeBase(pipeline.sampleIndex, Date.now());
      log.info('rtl_tcp streaming', { tuner: info.tuner, gains: info.gain_count, center_freq_hz: client.centerFreqHz, sample_rate_hz: rate });
    },
    onDiscontinuity: () => pipeline.discontinuity(),
    onSamples: (chunk) => {
      pipeline.push(chunk);
      if (!dwellOver()) return;
      // Dwell over: report a finished sweep, then move to the next tuning.
      const done = steps[stepIndex]!;
      const next = (stepIndex + 1) % steps.length;
      if (done.scan && (next === 0 || steps[next]!.scan?.link !== done.scan.link)) pipeline.emitBandScan(sc.band, done.scan.link);
      stepIndex = next;
      client.setFrequency(steps[next]!.center_freq_hz);
      // Samples already on their way (the dongle is ahead of us by the lag) still carry the old tuning.
      const r = pipeline.retune(steps[next]!.center_freq_hz, settle + inFlightSamples(client.stats.lag_s, rate));
      if (!r.ok) log.error('retune failed', { reason: r.reason, detail: r.detail });
    },
    onFatal: (reason, detail) => {
      fatal = true;
      ctx.onFatal?.(new Error(`iq source ${sc.name}: rtl_tcp ${reason}: ${detail}`));
    },
  });
  client.start();
  return ok({
    done: null,
    client,
    pipeline,
    health: () => {
      const s = client.stats;
      const rejected: Record<string, number> = {};
      for (const [k, v] of Object.entries(s.errors)) if (v > 0) rejected[k] = v;
      if (mapper.suppressed > 0) rejected.uplink_bursts_suppressed = mapper.suppressed;
      if (s.lag_s > SLOW_CONSUMER_LAG_S) rejected.slow_consumer = 1;
      const state: IqSourceHealth['state'] = fatal ? 'error' : s.connected ? 'ok' : s.connects === 0 ? 'idle' : 'error';
      return {
        state, frames_total: pipeline.stats().frames, events_total: counts().events,
        rejected_total: Object.values(rejected).reduce((a, b) => a + b, 0), rejected_by_reason: rejected, last_frame_ts_ms: counts().lastEventTs,
      };
    },
    stop: async () => {
      await client.stop();
      pipeline.flush();
      pipeline.dispose();
    },
  });
}
