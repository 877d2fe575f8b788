/**
 * The edge agent: wires sources → GSM decoder → per-source analysis pipeline → signed messages →
 * outbox → MQTT. Publishes a retained status every `status_interval_s` and on every reconnect.
 * It never transmits on the air, and nothing with a raw identity leaves the decoder.
 */
import {
  EnvelopeFactory, ReasonCounter, SOFTWARE_VERSION, checkBody, detectionTopic, silentLogger, windowTopic,
  type DetectionBody, type Logger, type SourceHealth, type StatusBody, type WindowBody,
} from '@simhound/protocol';
import { readFileSync } from 'node:fs';
import type { EdgeConfig, SourceConfig } from './config.js';
import { detectionSetup, type DetectionSetup } from './detect/build.js';
import { SqliteBaselineStore } from './features/baseline-sqlite.js';
import { GsmFrameDecoder } from './gsm/frame-decoder.js';
import { outcomeClass, type FrameOutcomeCounts } from './gsm/frame-outcome.js';
import { loadPseudonymKey, loadSigningKey } from './keys.js';
import { AnalysisPipeline } from './pipeline.js';
import type { PlaceKey } from './detect/engine.js';
import type { Indicator } from './detect/types.js';
import { createSubRefHasher, type SubRefHasher } from './privacy/sub-ref.js';
import { MemoryOutbox } from './publish/outbox.js';
import { MqttPublisher } from './publish/publisher.js';
import { replayCapture } from './replay.js';
import { startCommandChannel, type CommandChannel } from './commands/command-channel.js';
import { GsmtapUdpSource } from './sources/gsmtap-udp-source.js';

export interface EdgeAgent {
  readonly publisher: MqttPublisher;
  status(): StatusBody;
  /** Resolves when every finite source (pcap) has been read and its windows flushed. */
  readonly finiteSourcesDone: Promise<void>;
  /** Bound UDP ports by source name (useful when the config asked for port 0). */
  readonly udpPorts: Record<string, number>;
  stop(): Promise<void>;
}

interface RunningSource {
  name: string;
  kind: string;
  state: SourceHealth['state'];
  decoder: GsmFrameDecoder;
  pipeline: AnalysisPipeline;
  lastFrameTs: number | null;
  stop(): Promise<void>;
}

/** Each source gets its own pipeline and engine; they share the baseline file (keys are per cell). */
function detectionFor(config: EdgeConfig, baselines: SqliteBaselineStore | null): DetectionSetup {
  return detectionSetup(config.detectors, baselines ? { baselines } : {});
}

function sourceHealth(s: RunningSource): SourceHealth {
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
  const baselineStore = config.detectors.state_db ? new SqliteBaselineStore(config.detectors.state_db) : null;
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
      ...(commands?.lastCommand() ? { last_command: commands.lastCommand() } : {}),
    };
  };
  let commands: CommandChannel | null = null;

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
    onIndicator: config.detectors.publish_indicators
      ? (place: PlaceKey, ind: Indicator) => log.debug('indicator', { place, detector: `${ind.detector}@${ind.detector_version}`, p_log10: ind.evidence, reason: ind.reason })
      : undefined,
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
    pipeline: (() => {
      const setup = detectionFor(config, baselineStore);
      return new AnalysisPipeline({ window_s: config.windows.window_s, engine: setup.engine, windowDetectors: setup.windowDetectors, position, sinks });
    })(),
    lastFrameTs: null,
    stop: async () => {},
  });

  await publisher.start();
  // Signed collector → probe commands (edge-agent/src/commands/), when the collector's key is configured.
  if (config.commands !== undefined) {
    commands = startCommandChannel({
      url: config.mqtt.url, username: config.mqtt.username, password, site: config.site, probe: config.probe,
      collector_public_key: config.commands.collector_public_key, max_age_s: config.commands.max_age_s,
      publishStatus: () => publisher.publishStatus(), log: log.child('commands'),
    });
  }

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
    finiteSourcesDone: Promise.all(finite).then(() => undefined),
    async stop() {
      clearInterval(statusTimer);
      await commands?.stop();
      for (const s of sources) await s.stop();
      for (const s of sources) s.pipeline.engine?.saveBaselines();
      baselineStore?.close();
      await publisher.stop();
    },
  };
}
