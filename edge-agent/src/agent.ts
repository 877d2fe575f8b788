/**
 * The edge agent: wires sources → GSM decoder → per-source analysis pipeline → signed messages →
 * outbox → MQTT. Publishes a retained status every `status_interval_s` and on every reconnect.
 * It never transmits on the air, and nothing with a raw identity leaves the decoder.
 */
import {
  EnvelopeFactory, ReasonCounter, SOFTWARE_VERSION, checkBody, detectionTopic, observationTopic, silentLogger, windowTopic,
  type DetectionBody, type Logger, type Position, type SourceHealth, type StatusBody, type WindowBody,
} from '@simhound/protocol';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import type { EdgeConfig, SourceConfig } from './config.js';
import { detectionSetup, type DetectionSetup } from './detect/build.js';
import { SqliteBaselineStore } from './features/baseline-sqlite.js';
import { DedicatedSessionTracker } from './gsm/dedicated-session.js';
import { GsmFrameDecoder } from './gsm/frame-decoder.js';
import { outcomeClass, type FrameOutcomeCounts } from './gsm/frame-outcome.js';
import { loadPseudonymKey, loadSigningKey } from './keys.js';
import { AnalysisPipeline } from './pipeline.js';
import type { PlaceKey } from './detect/engine.js';
import type { Indicator } from './detect/types.js';
import { createSubRefHasher, type SubRefHasher } from './privacy/sub-ref.js';
import { ObservationBatcher } from './publish/observation-batcher.js';
import { DiskOutbox } from './publish/disk-outbox.js';
import { MemoryOutbox, type Outbox } from './publish/outbox.js';
import type { OutboxDropReason } from './publish/outbox-policy.js';
import { MqttPublisher } from './publish/publisher.js';
import { replayCapture } from './replay.js';
import { startCommandChannel, type CommandChannel } from './commands/command-channel.js';
import { isSerialSourceConfig, startSerialSources, type SerialSources } from './serial-sources.js';
import { GsmtapUdpSource } from './sources/gsmtap-udp-source.js';
import { SourceWatchdog } from './sources/source-watchdog.js';
import { startIqSource } from './iq/iq-source.js';
import { publisherSettings } from './publish/publisher-settings.js';
import type { IqEvent } from './iq/events.js';
import { UPLINK_MULTISLOT, UplinkMultislotDetector } from './detect/uplink-multislot.js';

export interface EdgeAgent {
  readonly publisher: MqttPublisher;
  readonly outbox: Outbox;
  status(): StatusBody;
  /** Resolves when every finite source (pcap) has been read and its windows flushed. */
  readonly finiteSourcesDone: Promise<FiniteSourceResult[]>;
  /** Bound UDP ports by source name (useful when the config asked for port 0). */
  readonly udpPorts: Record<string, number>;
  /** Rejects when a source cannot go on (an SDR stall): the caller should exit non-zero. */
  readonly fatal: Promise<never>;
  /** Stop the sources, flush their windows, flush the outbox to the broker (bounded), disconnect. */
  stop(): Promise<EdgeStopReport>;
}

/** How a capture source ended. */
export interface FiniteSourceResult {
  source_name: string;
  path: string;
  ok: boolean;
  /** Why it could not be read at all (ok false). */
  reason?: string;
  detail?: string;
  packets: number;
  /** Damaged records that ended the read early (a capture cut short …), by kind. */
  capture_errors: Record<string, number>;
}

export interface EdgeStopReport {
  /** Messages still in the outbox after the final flush. */
  remaining: number;
  /** True when `remaining` are on disk and go out at the next start (nothing lost). */
  durable: boolean;
  /** Messages the outbox dropped or could not write during this run, by reason. */
  dropped_this_run: Record<string, number>;
  /** remaining (if not durable) + dropped_this_run: messages that will never reach the broker. */
  lost: number;
}

/** A startup failure the user can fix; the message is one line naming the file/port and what to do. */
export class EdgeStartError extends Error {
  constructor(
    readonly reason: 'source_unreadable' | 'udp_bind_failed' | 'outbox_unavailable' | 'password_file_unreadable' | 'ca_file_unusable',
    message: string,
  ) {
    super(message);
    this.name = 'EdgeStartError';
  }
}

interface RunningSource {
  name: string;
  kind: string;
  state: SourceHealth['state'];
  decoder: GsmFrameDecoder;
  pipeline: AnalysisPipeline;
  lastFrameTs: number | null;
  watchdog: SourceWatchdog | null;
  /** Sources without a GSM decoder (iq) report their own health. */
  health?: () => Omit<SourceHealth, 'source_name' | 'source_kind'>;
  stop(): Promise<void>;
}

/** Each source gets its own pipeline and engine; they share the baseline file (keys are per cell). */
function detectionFor(config: EdgeConfig, baselines: SqliteBaselineStore | null): DetectionSetup {
  return detectionSetup(config.detectors, baselines ? { baselines } : {});
}

function sourceHealth(s: RunningSource): SourceHealth {
  if (s.health) return { source_name: s.name, source_kind: s.kind, ...s.health() };
  const stats = s.decoder.stats();
  const rejected: Record<string, number> = {};
  let rejectedTotal = 0;
  for (const [reason, n] of Object.entries(stats.outcomes as FrameOutcomeCounts)) {
    if (n > 0 && outcomeClass(reason as keyof FrameOutcomeCounts) !== 'ok') {
      rejected[reason] = n;
      rejectedTotal += n;
    }
  }
  return {
    source_name: s.name,
    source_kind: s.kind,
    state: s.state,
    frames_total: stats.frames,
    events_total: stats.events,
    rejected_total: rejectedTotal,
    rejected_by_reason: rejected,
    // Capture timestamps are fractional ms; the contract carries whole ms.
    last_frame_ts_ms: s.lastFrameTs === null ? null : Math.floor(s.lastFrameTs),
    ...(s.watchdog ? { last_rx_ts_ms: s.watchdog.lastReceivedMs } : {}),
  };
}

function openOutbox(config: EdgeConfig): Outbox {
  const { kind, path, ...limits } = config.outbox;
  if (kind === 'memory') return new MemoryOutbox(limits);
  const r = DiskOutbox.open(path, limits);
  if (!r.ok) {
    const hint = r.reason === 'in_use' ? 'stop the other edge agent or give this one its own outbox.path' : r.reason === 'not_an_outbox' ? 'move the file away or set another outbox.path' : 'check outbox.path and its folder\'s permissions and free space';
    throw new EdgeStartError('outbox_unavailable', `cannot open the outbox ${path}: ${r.detail ?? r.reason}; ${hint}`);
  }
  return r.value;
}

function checkCaptureReadable(sc: Extract<SourceConfig, { kind: 'pcap' }>): void {
  try {
    accessSync(sc.path, constants.R_OK);
    if (!statSync(sc.path).isFile()) throw Object.assign(new Error('not a file'), { code: 'not a file' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new EdgeStartError('source_unreadable', `source ${sc.name}: cannot read capture ${sc.path} (${code})`);
  }
}

/** The broker's CA (`mqtt.ca_file`): read at start, so a wrong path is a one-line start error, not endless TLS retries. */
function readCaFile(path: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw new EdgeStartError('ca_file_unusable', `cannot read mqtt.ca_file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); it is the deployment CA, ca.pem from \`simhound keys ca\``);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new EdgeStartError('ca_file_unusable', `mqtt.ca_file ${path} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----"); use ca.pem from \`simhound keys ca\`, not a key`);
  }
  return pem;
}

export async function startEdgeAgent(config: EdgeConfig, options: { log?: Logger } = {}): Promise<EdgeAgent> {
  const log = options.log ?? silentLogger;
  const started = Date.now();
  const factory = new EnvelopeFactory(config.site, config.probe, loadSigningKey(config.keys.signing_key_file));
  const subRef: SubRefHasher = createSubRefHasher(loadPseudonymKey(config.keys.pseudonym_key_file));
  for (const sc of config.sources) if (sc.kind === 'pcap') checkCaptureReadable(sc);
  let password = config.mqtt.password;
  if (password === undefined && config.mqtt.password_file) {
    try {
      password = readFileSync(config.mqtt.password_file, 'utf8').trim();
    } catch (e) {
      throw new EdgeStartError('password_file_unreadable', `cannot read mqtt.password_file ${config.mqtt.password_file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); \`simhound keys probe\` writes it as <probe>.mqtt-password`);
    }
  }
  const ca = config.mqtt.ca_file === undefined ? undefined : readCaFile(config.mqtt.ca_file);
  const outbox = openOutbox(config);
  const droppedAtStart = outbox.stats().dropped_by_reason;
  const rejections = new ReasonCounter();
  const baselineStore = config.detectors.state_db ? new SqliteBaselineStore(config.detectors.state_db) : null;
  const sources: RunningSource[] = [];
  let livePosition: Position | null = null; // from GPS (serial sources), else the configured one
  const position = () => livePosition ?? config.position ?? null;
  let serial: SerialSources | null = null;
  let detectionsTotal = 0;

  const status = (): StatusBody => {
    const health = [...sources.map(sourceHealth), ...(serial?.health() ?? [])];
    const degraded = health.some((s) => s.state === 'error' || s.state === 'silent');
    const ob = outbox.stats();
    return {
      state: degraded ? 'degraded' : 'online',
      software_version: SOFTWARE_VERSION,
      started_ts_ms: started,
      uptime_s: (Date.now() - started) / 1000,
      position: position(),
      sources: health,
      outbox_depth: ob.depth,
      outbox_bytes: ob.bytes,
      outbox_oldest_ts_ms: ob.oldest_added_ts_ms === null ? null : Math.floor(ob.oldest_added_ts_ms),
      outbox_durable: ob.durable,
      outbox_dropped_by_reason: ob.dropped_by_reason,
      detections_total: detectionsTotal,
      ...(commands?.lastCommand() ? { last_command: commands.lastCommand() } : {}),
    };
  };
  let commands: CommandChannel | null = null;
  // What goes on the wire is checked against the contract first: a bad status would be dead-lettered
  // by the collector without anyone at the probe knowing. Reported once per distinct problem.
  const reportedStatusProblems = new Set<string>();
  const checkedStatus = (): StatusBody => {
    const body = status();
    const check = checkBody('status', body);
    if (!check.ok && !reportedStatusProblems.has(check.detail ?? '')) {
      reportedStatusProblems.add(check.detail ?? '');
      rejections.add('invalid_status');
      log.error('status fails the status schema (a bug; the collector will dead-letter it)', { detail: check.detail });
    }
    return body;
  };

  const publisher = new MqttPublisher({
    ...publisherSettings(config.mqtt),
    password,
    ca,
    factory,
    outbox,
    status: checkedStatus,
    log: log.child('mqtt'),
    rejections,
  });
  if (outbox.depth() > 0) log.info('outbox holds messages from an earlier run; they go out once the broker answers', { depth: outbox.depth(), path: outbox instanceof DiskOutbox ? outbox.path : undefined });

  const sinks = {
    onDetection: (d: DetectionBody) => {
      const check = checkBody('detection', d);
      if (!check.ok) {
        // A detector produced something outside the contract: a bug, reported loudly, never sent.
        rejections.add('invalid_detection');
        log.error('detector output fails the detection schema', { detail: check.detail });
        return;
      }
      detectionsTotal++;
      log.info('detection', { detector: `${d.detector}@${d.detector_version}`, cell: d.cell, arfcn: d.arfcn, ta_steps: d.ta_steps, score: d.score, severity: d.severity });
      publisher.enqueue('detection', detectionTopic(config.site, config.probe), d);
    },
    onIndicator: config.detectors.publish_indicators
      ? (place: PlaceKey, ind: Indicator) => log.debug('indicator', { place, detector: `${ind.detector}@${ind.detector_version}`, p_log10: ind.evidence, reason: ind.reason })
      : undefined,
    onWindow: (w: WindowBody) => {
      if (config.windows.publish_windows && (w.assignments.length > 0 || w.pagings.length > 0)) {
        const check = checkBody('window', w);
        if (!check.ok) {
          rejections.add('invalid_window');
          log.error('window fails the window schema', { detail: check.detail });
          return;
        }
        publisher.enqueue('window', windowTopic(config.site, config.probe), w);
      }
    },
  };

  const makeSource = (sc: SourceConfig): RunningSource => ({
    name: sc.name,
    kind: sc.kind,
    state: 'idle',
    decoder: new GsmFrameDecoder({ subRef, sessions: new DedicatedSessionTracker() }),
    pipeline: (() => {
      const setup = detectionFor(config, baselineStore);
      return new AnalysisPipeline({ window_s: config.windows.window_s, engine: setup.engine, windowDetectors: setup.windowDetectors, position, sinks });
    })(),
    lastFrameTs: null,
    watchdog: null,
    stop: async () => {},
  });

  // The broker may be down: start anyway, collect into the outbox, keep retrying (logged).
  await publisher.start();
  // Signed collector → probe commands (edge-agent/src/commands/), when the collector's key is configured.
  if (config.commands !== undefined) {
    commands = startCommandChannel({
      url: config.mqtt.url, username: config.mqtt.username, password, ca, site: config.site, probe: config.probe,
      collector_public_key: config.commands.collector_public_key, max_age_s: config.commands.max_age_s,
      publishStatus: () => publisher.publishStatus(), log: log.child('commands'),
    });
  }
  // uplink-multislot@1 judges what this probe's SDR hears on the uplink; its verdict is a signature for
  // every GSM source's engine (fused only where a place has its own demand evidence).
  const uplinkConfig = detectionFor(config, null).uplinkMultislot;
  const uplink = uplinkConfig === null ? null : new UplinkMultislotDetector(uplinkConfig);
  let uplinkHeld = false;
  const onIqEvent = (e: IqEvent): void => {
    if (uplink === null || e.type !== 'slot_occupancy' || e.link !== 'uplink') return;
    uplink.add(e);
    const indicator = uplink.evaluate(e.ts_ms);
    for (const src of sources) src.pipeline.engine?.addProbeSignature(UPLINK_MULTISLOT.name, indicator, e.ts_ms);
    if ((indicator !== null) !== uplinkHeld) {
      uplinkHeld = indicator !== null;
      if (indicator !== null) log.info('uplink-multislot: equal-power transmitters near the probe', { level: indicator.level, p_log10: indicator.evidence, reason: indicator.reason });
      else log.info('uplink-multislot: no longer holds');
    }
  };
  const observations = new ObservationBatcher({ send: (body) => publisher.enqueue('observation', observationTopic(config.site, config.probe), body) });
  serial = startSerialSources(config, { log, addObservation: (o) => observations.add(o), position, onPosition: (p) => (livePosition = p) });
  let fatalReject: (e: Error) => void = () => {};
  const fatal = new Promise<never>((_, reject) => (fatalReject = reject));
  fatal.catch(() => {});

  const udpPorts: Record<string, number> = {};
  const finite: Promise<FiniteSourceResult>[] = [];
  const stopEarly = async () => {
    for (const s of sources) await s.stop();
    await publisher.stop({ flushTimeoutMs: 0 });
    outbox.close();
  };
  for (const sc of config.sources) {
    if (isSerialSourceConfig(sc)) continue;
    const s = makeSource(sc);
    sources.push(s);
    const slog = log.child(`source:${sc.name}`);
    if (sc.kind === 'gsmtap_udp') {
      const udp = new GsmtapUdpSource({
        decoder: s.decoder,
        host: sc.host,
        port: sc.port,
        log: slog,
        onEvent: (e) => {
          s.lastFrameTs = e.ts_ms;
          s.state = 'ok';
          s.pipeline.add(e);
        },
      });
      const bound = await udp.start();
      if (!bound.ok) {
        s.state = 'error';
        await stopEarly();
        throw new EdgeStartError('udp_bind_failed', `source ${sc.name}: cannot listen for GSMTAP on ${sc.host}:${sc.port} (${bound.detail ?? bound.reason}); is another agent or program using that port?`);
      }
      udpPorts[sc.name] = bound.value.port;
      const watchdog = new SourceWatchdog(sc.silent_after_s * 1000, Date.now());
      s.watchdog = watchdog;
      // Live clock: close windows and idle dedicated-channel sessions on time even when the air goes
      // quiet; the watchdog notices a dead feed.
      const timer = setInterval(() => {
        const now = Date.now();
        s.decoder.expireSessions(now, (e) => s.pipeline.add(e));
        s.pipeline.tick(now);
        const change = watchdog.observe(udp.stats().datagrams, now);
        if (change === 'became_silent') {
          s.state = 'silent';
          slog.warn('source silent: nothing received; probe degraded', { silent_for_s: Math.round(watchdog.silentForS(now)), limit_s: sc.silent_after_s });
          publisher.publishStatus();
        } else if (change === 'recovered') {
          slog.info('source receiving again');
        }
        if (!watchdog.isSilent && watchdog.lastReceivedMs !== null) s.state = 'ok';
        if (change === 'recovered') publisher.publishStatus();
      }, 1000);
      s.stop = async () => {
        clearInterval(timer);
        await udp.stop();
        s.decoder.flushSessions((e) => s.pipeline.add(e));
        s.pipeline.flush();
      };
    } else if (sc.kind === 'iq') {
      const iq = await startIqSource(sc, { log: slog, observe: (o) => observations.add(o), position, onFatal: (e) => fatalReject(e), onEvent: onIqEvent });
      if (!iq.ok) throw new Error(iq.detail ?? iq.reason);
      s.health = iq.value.health;
      s.stop = () => iq.value.stop();
      if (iq.value.done) {
        const health = iq.value.health;
        finite.push(
          iq.value.done.then((): FiniteSourceResult => {
            const h = health();
            return { source_name: sc.name, path: sc.path ?? '', ok: h.state !== 'error', packets: h.frames_total, capture_errors: h.rejected_by_reason };
          }),
        );
      }
    } else {
      s.state = 'ok';
      const abort = new AbortController();
      const done = replayCapture(sc.path, {
        subRef,
        decoder: s.decoder,
        source: sc.name,
        capture: { signal: abort.signal },
        onEvent: (e) => {
          s.lastFrameTs = e.ts_ms;
          s.pipeline.add(e);
        },
      }).then((r): FiniteSourceResult => {
        s.pipeline.flush();
        s.state = r.ok ? 'finished' : 'error';
        publisher.publishStatus();
        if (!r.ok) {
          slog.error('cannot read capture', { path: sc.path, reason: r.reason, detail: r.detail });
          return { source_name: sc.name, path: sc.path, ok: false, reason: r.reason, detail: r.detail, packets: 0, capture_errors: {} };
        }
        const damaged = Object.fromEntries(Object.entries(r.value.capture_errors).filter(([, n]) => n > 0));
        if (Object.keys(damaged).length > 0) slog.warn('capture damaged: read stopped early', { path: sc.path, packets: r.value.packets, errors: damaged });
        else slog.info('capture finished', { frames: r.value.gsmtap_frames, events: r.value.events });
        return { source_name: sc.name, path: sc.path, ok: true, packets: r.value.packets, capture_errors: damaged };
      });
      finite.push(done);
      // Stopped mid-capture (SIGTERM): read no further, but flush what was read.
      s.stop = async () => {
        abort.abort();
        await done;
      };
    }
  }

  const statusTimer = setInterval(() => publisher.publishStatus(), config.mqtt.status_interval_s * 1000);
  publisher.publishStatus();

  return {
    publisher,
    outbox,
    status,
    udpPorts,
    finiteSourcesDone: Promise.all(finite).then((results) => {
      observations.flush();
      return results;
    }),
    fatal,
    async stop(): Promise<EdgeStopReport> {
      clearInterval(statusTimer);
      await commands?.stop();
      for (const s of sources) await s.stop();
      for (const s of sources) s.pipeline.engine?.saveBaselines();
      baselineStore?.close();
      await serial?.stop();
      observations.flush();
      const report = await publisher.stop({ flushTimeoutMs: config.mqtt.stop_flush_timeout_s * 1000 });
      const droppedNow = outbox.stats().dropped_by_reason;
      outbox.close();
      const dropped: Record<string, number> = {};
      let droppedTotal = 0;
      for (const [reason, n] of Object.entries(droppedNow) as Array<[OutboxDropReason, number]>) {
        const d = n - droppedAtStart[reason];
        if (d > 0) {
          dropped[reason] = d;
          droppedTotal += d;
        }
      }
      return { remaining: report.remaining, durable: report.durable, dropped_this_run: dropped, lost: (report.durable ? 0 : report.remaining) + droppedTotal };
    },
  };
}
