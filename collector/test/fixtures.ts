/**
 * Test fixtures for the collector: probe identities with real Ed25519 keys and MQTT passwords, message
 * bodies, and a collector config around them. Real keys and real signatures; nothing mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectionBody, Envelope, StatusBody, WindowBody } from '@simhound/protocol';
import { sampleDetection } from '@simhound/test-support/samples';
import { makeProbe, makeUser, type TestProbe, type TestUser } from '@simhound/test-support/identities';
import { validateCollectorConfig, type CollectorConfig } from '../src/index.js';

export { makeProbe, makeUser, type TestProbe, type TestUser };

export function detectionBody(overrides: Partial<DetectionBody> = {}): DetectionBody {
  return { ...structuredClone(sampleDetection), ...overrides };
}

export function statusBody(overrides: Partial<StatusBody> = {}): StatusBody {
  return {
    state: 'online',
    software_version: '0.1.0',
    started_ts_ms: Date.now() - 60_000,
    uptime_s: 60,
    position: { lat_deg: -29.31, lon_deg: 27.48, position_source: 'config' },
    sources: [
      { source_name: 'gsmtap0', source_kind: 'gsmtap', state: 'ok', frames_total: 1200, events_total: 300, rejected_total: 4, rejected_by_reason: { too_short: 4 }, last_frame_ts_ms: Date.now() },
    ],
    outbox_depth: 0,
    detections_total: 1,
    ...overrides,
  };
}

export function windowBody(start_ts_ms: number): WindowBody {
  return {
    window: { start_ts_ms, end_ts_ms: start_ts_ms + 60_000 },
    window_s: 60,
    assignments: [
      { cell: { mcc: '651', mnc: '01', lac: 117, ci: 11201 }, arfcn: 12, ta_steps: 3, cause: 'originating_call', event_count: 40 },
      { cell: { mcc: '651', mnc: '01', lac: 117, ci: 11201 }, arfcn: 12, ta_steps: 7, cause: 'answer_to_paging', event_count: 2 },
    ],
    pagings: [{ cell: { mcc: '651', mnc: '01', lac: 117, ci: 11201 }, arfcn: 12, event_count: 15, distinct_subs: 11 }],
  };
}

export const payloadOf = (env: Envelope<unknown>) => Buffer.from(JSON.stringify(env));

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `simhound-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A validated config: embedded broker on a free port, HTTP on a free port, SQLite in `dir`. */
export function collectorConfig(dir: string, probes: TestProbe[], users: TestUser[], extra: Record<string, unknown> = {}): CollectorConfig {
  const input = {
    mqtt: { embedded_broker: { host: '127.0.0.1', port: 0 } },
    http: { host: '127.0.0.1', port: 0 },
    storage: { sqlite_path: join(dir, 'collector.sqlite') },
    probes: probes.map((p) => ({ site: p.site, probe: p.probe, public_key: p.public_key, mqtt_password_sha256: p.mqtt_password_sha256 })),
    users: users.map((u) => ({ name: u.name, role: u.role, token_sha256: u.token_sha256 })),
    ...extra,
  };
  const v = validateCollectorConfig(input);
  if (!v.ok) throw new Error(`test config invalid: ${v.detail}`);
  return v.value;
}
