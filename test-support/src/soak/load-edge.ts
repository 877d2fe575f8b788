/**
 * A load generator that is an edge agent as far as delivery goes: the real DiskOutbox and MqttPublisher
 * of @simhound/edge-agent, set up from a real edge config file exactly as the agent sets them up, fed
 * with signed window and detection messages at a fixed rate (open loop: the rate does not slow down when
 * the broker is away, as a probe's radio does not) instead of from radio sources. Run as a child process
 * by the soak (test-support/src/soak/; children.ts bundles it), so it can be killed with SIGKILL:
 *
 *   node --import tsx test-support/src/soak/load-edge.ts <edge.yaml> --rate <msgs/s> [--detection-every <n>]
 *
 * A message is a detection when its seq is a multiple of `--detection-every` (default 5), else a window.
 *
 * Prints one JSON line of progress every 250 ms on stdout. SIGUSR2: stop making messages (the outbox
 * keeps draining). SIGTERM/SIGINT: the agent's clean stop (flush for `mqtt.stop_flush_timeout_s`, keep
 * the rest on disk), exit 0. Test-only.
 */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { DiskOutbox, EdgeConfigSchema, loadSigningKey, MqttPublisher, publisherSettings, type EdgeConfig } from '@simhound/edge-agent';
import {
  detectionTopic, EnvelopeFactory, SOFTWARE_VERSION, windowTopic, type DetectionBody, type StatusBody, type WindowBody,
} from '@simhound/protocol';
import { sampleDetection } from '../samples.js';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a number ≥ 0`);
  return v;
}

function loadConfig(path: string): EdgeConfig {
  const value = Value.Default(EdgeConfigSchema, parse(readFileSync(path, 'utf8')) ?? {});
  if (!Value.Check(EdgeConfigSchema, value)) {
    const first = [...Value.Errors(EdgeConfigSchema, value)][0];
    throw new Error(`load edge: bad config ${path}: ${first?.path} ${first?.message}`);
  }
  return value as EdgeConfig;
}

function windowBody(end_ts_ms: number, n: number): WindowBody {
  const cell = { mcc: '651', mnc: '01', lac: 117, ci: 11201 };
  return {
    window: { start_ts_ms: end_ts_ms - 10_000, end_ts_ms },
    window_s: 10,
    assignments: [
      { cell, arfcn: 12, ta_steps: n % 64, cause: 'originating_call', event_count: 1 + (n % 40) },
      { cell, arfcn: 12, ta_steps: 7, cause: 'answer_to_paging', event_count: 2 },
    ],
    pagings: [{ cell, arfcn: 12, event_count: 15, distinct_subs: 11 }],
  };
}

function detectionBody(end_ts_ms: number, n: number): DetectionBody {
  return { ...structuredClone(sampleDetection), ta_steps: n % 64, window: { start_ts_ms: end_ts_ms - 60_000, end_ts_ms } };
}

async function main(): Promise<void> {
  const configPath = process.argv[2];
  if (configPath === undefined || configPath.startsWith('--')) throw new Error('usage: load-edge.ts <edge.yaml> --rate <msgs/s>');
  const rate = argValue('--rate', 10);
  const detectionEvery = Math.max(1, Math.round(argValue('--detection-every', 5)));
  const config = loadConfig(configPath);
  const started = Date.now();
  const opened = DiskOutbox.open(config.outbox.path, {
    max_items: config.outbox.max_items,
    max_bytes: config.outbox.max_bytes,
    max_window_age_s: config.outbox.max_window_age_s,
    hard_max_items: config.outbox.hard_max_items,
    hard_max_bytes: config.outbox.hard_max_bytes,
  });
  if (!opened.ok) throw new Error(`load edge: cannot open the outbox ${config.outbox.path}: ${opened.detail ?? opened.reason}`);
  const outbox = opened.value;
  let made = 0;
  let refused = 0;
  let detections = 0;
  const status = (): StatusBody => {
    const ob = outbox.stats();
    return {
      state: 'online',
      software_version: SOFTWARE_VERSION,
      started_ts_ms: started,
      uptime_s: (Date.now() - started) / 1000,
      position: null,
      sources: [],
      outbox_depth: ob.depth,
      outbox_bytes: ob.bytes,
      outbox_oldest_ts_ms: ob.oldest_added_ts_ms === null ? null : Math.floor(ob.oldest_added_ts_ms),
      outbox_durable: ob.durable,
      outbox_dropped_by_reason: ob.dropped_by_reason,
      detections_total: detections,
    };
  };
  let password = config.mqtt.password;
  if (password === undefined && config.mqtt.password_file !== undefined) password = readFileSync(config.mqtt.password_file, 'utf8').trim();
  const publisher = new MqttPublisher({
    ...publisherSettings(config.mqtt),
    password,
    factory: new EnvelopeFactory(config.site, config.probe, loadSigningKey(config.keys.signing_key_file)),
    outbox,
    status,
    ...(config.mqtt.ca_file === undefined ? {} : { ca: readFileSync(config.mqtt.ca_file) }),
  });
  await publisher.start();
  const statusTimer = setInterval(() => publisher.publishStatus(), config.mqtt.status_interval_s * 1000);

  let producing = rate > 0;
  const genStart = Date.now();
  const produce = () => {
    if (!producing) return;
    // Open loop, but never more than one second's worth in one turn (a starved process catches up in steps).
    const due = Math.min(Math.floor(((Date.now() - genStart) / 1000) * rate), made + Math.max(1, Math.ceil(rate)));
    while (made < due) {
      const n = made;
      made += 1;
      const now = Date.now();
      // The kind follows the seq the publisher gives this message, so it is known from the seq alone
      // across restarts (the soak's accounting counts detections, which are never dropped, exactly).
      const isDetection = (publisher.lastSeq + 1) % detectionEvery === 0;
      const id = isDetection
        ? publisher.enqueue('detection', detectionTopic(config.site, config.probe), detectionBody(now, n))
        : publisher.enqueue('window', windowTopic(config.site, config.probe), windowBody(now, n));
      if (id === null) refused += 1;
      else if (isDetection) detections += 1;
    }
  };
  const genTimer = setInterval(produce, 10);
  const report = (final = false) => {
    const ob = outbox.stats();
    process.stdout.write(`${JSON.stringify({
      t_ms: Date.now(), made, refused, published: publisher.published, depth: ob.depth, in_flight: publisher.inFlightCount,
      connected: publisher.connected, producing, last_seq: publisher.lastSeq, dropped: ob.dropped_by_reason, final,
    })}\n`);
  };
  const reportTimer = setInterval(() => report(), 250);
  process.on('SIGUSR2', () => {
    producing = false;
    clearInterval(genTimer);
    report();
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    producing = false;
    clearInterval(genTimer);
    clearInterval(statusTimer);
    const r = await publisher.stop({ flushTimeoutMs: config.mqtt.stop_flush_timeout_s * 1000 });
    clearInterval(reportTimer);
    report(true);
    outbox.close();
    process.stderr.write(`load edge ${config.site}/${config.probe}: stopped, ${r.remaining} left in the outbox\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`load edge: ${(e as Error).message}\n`);
  process.exit(1);
});
