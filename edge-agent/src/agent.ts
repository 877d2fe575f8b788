/**
 * The edge agent: wires sources → GSM decoder → per-source analysis pipeline → signed messages →
 * outbox → MQTT. Publishes a retained status every `status_interval_s` and on every reconnect.
 * It never transmits on the air, and nothing with a raw identity leaves the decoder.
 */
import {
  EnvelopeFactory, ReasonCounter, SOFTWARE_VERSION, checkBody, detectionTopic, observationTopic, silentLogger, windowTopic,
  type DetectionBody, type Logger, type SourceHealth, type StatusBody, type WindowBody,
} from '@simhound/protocol';
import { readFileSync } from 'node:fs';
import type { EdgeConfig, SourceConfig } from './config.js';
import { CcchBurstDetector } from './detect/ccch-burst.js';
import type { Detector } from './detect/types.js';
import { GsmFrameDecoder } from './gsm/frame-decoder.js';
import { outcomeClass, type FrameOutcomeCounts } from './gsm/frame-outcome.js';
import { loadPseudonymKey, loadSigningKey } from './keys.js';
import { AnalysisPipeline } from './pipeline.js';
import { createSubRefHasher, type SubRefHasher } from './privacy/sub-ref.js';
import { MemoryOutbox } from './publish/outbox.js';
import { MqttPublisher } from './publish/publisher.js';
import { replayCapture } from './replay.js';
import { GsmtapUdpSource } from './sources/gsmtap-udp-source.js';
import { startIqSource } from './iq/iq-source.js';
import { ObservationBatcher } from './publish/observation-batcher.js';

export interface EdgeAgent {
  readonly publisher: MqttPublisher;
  status(): StatusBody;
  /** Resolves when every finite source (pcap) has been read and its windows flushed. */
  readonly finiteSourcesDone: Promise<void>;
  /** Bound UDP ports by source name (useful when the config asked for port 0). */
  readonly udpPorts: Record<string, number>;
  /** Rejects when a source cannot go on (an SDR stall): the caller should exit non-zero. */
  readonly fatal: Promise<never>;
  stop(): Promise<void>;
}

interface RunningSource {
  name: string;
  kind: string;
  state: SourceHealth['state'];
  decoder: GsmFrameDecoder;
  pipeline: AnalysisPipeline;
  lastFrameTs: number | null;
  /** Sources without a GSM decoder (iq) report their own health. */
  health?: () => Omit<SourceHealth, 'source_name' | 'source_kind'>;
  stop(): Promise<void>;
}

function buildDetectors(config: EdgeConfig): Detector[] {
  const detectors: Detector[] = [];
  const { enabled, ...ccch } = config.detectors.ccch_burst;
  if (enabled) detectors.push(new CcchBurstDetector(ccch));
  return detectors;
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
    last_frame_ts_ms: s.lastFrameTs,
  };
}

export async function startEdgeAgent(config: EdgeConfig, options: { log?: Logger } = {}): Promise<EdgeAgent> {
  const log = options.log ?? silentLogger;
  const started = Date.now();
  const factory = new EnvelopeFactory(config.site, config.probe, loadSigningKey(config.keys.signing_key_file));
  const subRef: SubRefHasher = createSubRefHasher(loadPseudonymKey(config.keys.pseudonym_key_file));
  const outbox = new MemoryOutbox(config.outbox.max_items);
  const rejections = new ReasonCounter();
  const sources: RunningSource[] = [];
  const position = () => config.position ?? null;
  let detectionsTotal = 0;

  const status = (): StatusBody => {
    const health = sources.map(sourceHealth);
    const degraded = sources.some((s) => s.state === 'error');
    return {
      state: degraded ? 'degraded' : 'online',
      software_version: SOFTWARE_VERSION,
      started_ts_ms: started,
      uptime_s: (Date.now() - started) / 1000,
      position: position(),
      sources: health,
      outbox_depth: outbox.depth(),
      detections_total: detectionsTotal,
    };
  };

  const password = config.mqtt.password ?? (config.mqtt.password_file ? readFileSync(config.mqtt.password_file, 'utf8').trim() : undefined);
  const publisher = new MqttPublisher({
    url: config.mqtt.url,
    username: config.mqtt.username,
    password,
    factory,
    outbox,
    status,
    maxInFlight: config.mqtt.max_in_flight,
    drainRatePerS: config.mqtt.drain_rate_per_s,
    log: log.child('mqtt'),
    rejections,
  });

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
    onWindow: (w: WindowBody) => {
      if (config.windows.publish_windows && (w.assignments.length > 0 || w.pagings.length > 0)) {
        publisher.enqueue('window', windowTopic(config.site, config.probe), w);
      }
    },
  };

  const makeSource = (sc: SourceConfig): RunningSource => ({
    name: sc.name,
    kind: sc.kind,
    state: 'idle',
    decoder: new GsmFrameDecoder({ subRef }),
    pipeline: new AnalysisPipeline(config.windows.window_s, buildDetectors(config), position, sinks),
    lastFrameTs: null,
    stop: async () => {},
  });

  await publisher.start();
  const observations = new ObservationBatcher({ send: (body) => publisher.enqueue('observation', observationTopic(config.site, config.probe), body) });
  let fatalReject: (e: Error) => void = () => {};
  const fatal = new Promise<never>((_, reject) => (fatalReject = reject));
  fatal.catch(() => {});

  const udpPorts: Record<string, number> = {};
  const finite: Promise<void>[] = [];
  for (const sc of config.sources) {
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
        throw new Error(`source ${sc.name}: cannot listen on ${sc.host}:${sc.port}: ${bound.detail ?? bound.reason}`);
      }
      udpPorts[sc.name] = bound.value.port;
      // Live clock: close windows on time even when the air goes quiet.
      const timer = setInterval(() => s.pipeline.tick(Date.now()), 1000);
      s.stop = async () => {
        clearInterval(timer);
        await udp.stop();
        s.pipeline.flush();
      };
    } else if (sc.kind === 'iq') {
      const iq = await startIqSource(sc, { log: slog, observe: (o) => observations.add(o), position, onFatal: (e) => fatalReject(e) });
      if (!iq.ok) throw new Error(iq.detail ?? iq.reason);
      s.health = iq.value.health;
      s.stop = () => iq.value.stop();
      if (iq.value.done) finite.push(iq.value.done);
    } else {
      s.state = 'ok';
      finite.push(
        replayCapture(sc.path, {
          subRef,
          decoder: s.decoder,
          source: sc.name,
          onEvent: (e) => {
            s.lastFrameTs = e.ts_ms;
            s.pipeline.add(e);
          },
        }).then((r) => {
          s.pipeline.flush();
          s.state = r.ok ? 'finished' : 'error';
          if (!r.ok) slog.error('cannot read capture', { path: sc.path, reason: r.reason, detail: r.detail });
          else slog.info('capture finished', { frames: r.value.gsmtap_frames, events: r.value.events });
        }),
      );
    }
  }

  const statusTimer = setInterval(() => publisher.publishStatus(), config.mqtt.status_interval_s * 1000);
  publisher.publishStatus();

  return {
    publisher,
    status,
    udpPorts,
    finiteSourcesDone: Promise.all(finite).then(() => observations.flush()),
    fatal,
    async stop() {
      clearInterval(statusTimer);
      for (const s of sources) await s.stop();
      observations.flush();
      await publisher.stop();
    },
  };
}
