import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '@simhound/protocol';
import { CollectorConfigSchema, defaultCollectorConfig, validateCollectorConfig } from '../src/index.js';

describe('collector config', () => {
  const key = generateSigningKeyPair().public_key;
  const hash = 'a'.repeat(64);

  it('fills every default from the schema', () => {
    const c = defaultCollectorConfig();
    expect(c).toEqual({
      mqtt: {
        client_id_prefix: 'simhound-collector', connect_timeout_s: 10, keepalive_s: 30, receive_maximum: 2000,
        embedded_broker: {
          host: '127.0.0.1', port: 1883, max_packet_bytes: 524288, max_connect_bytes: 65536, connect_timeout_s: 10,
          max_connections: 1000, connections_per_minute_per_address: 60,
        },
      },
      http: { host: '127.0.0.1', port: 8080, probe_silent_after_s: 180 },
      storage: { sqlite_path: 'data/collector.sqlite', synchronous: 'full' },
      probes: [],
      users: [],
      ingest: { max_age_s: 604800, max_future_skew_s: 300, max_batch: 1024, verify_threads: 'auto' },
      retention: { dead_letters_days: 30, audit_days: 400, status_history_days: 90, sweep_interval_s: 3600 },
      dens: { enabled: true, association_window_s: 3600, ring_slack_m: 300, rate_ratio_max: 6, confirm_persistence_s: 1800, update_debounce_ms: 250 },
      geo: { cell_m: 10, half_extent_m: 10000, ta_excess_m: 40, ta_edge_sigma_m: 80, shadowing_sigma_db: 6, bin_m: 25, prior_outside_weight: 0.2 },
      alerts: {
        enabled: true, timezone: 'UTC', tick_interval_s: 5, officers: [], rosters: [],
        retry: { max_attempts: 8, initial_backoff_s: 5, max_backoff_s: 900, timeout_s: 10 },
        channels: { web: { enabled: true }, webhooks: [], mqtt: { enabled: false, site: 'simhound' } },
        case_file: { chromium_path: '/usr/bin/chromium' },
      },
    });
    expect(validateCollectorConfig(c)).toEqual({ ok: true, value: c });
    expect(CollectorConfigSchema.$id).toBe('CollectorConfig');
  });

  it('accepts an external broker with Influx and probes, keeping given values', () => {
    const r = validateCollectorConfig({
      mqtt: { url: 'mqtt://broker:1883', username: 'collector', password: 'x' },
      influx: { url: 'http://influx:8086', bucket: 'simhound/autogen' },
      probes: [{ site: 'maseru', probe: 'roof-1', public_key: key }],
      users: [{ name: 'ana', role: 'admin', token_sha256: hash }],
      cells_csv: '/data/cells.csv',
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.influx).toEqual({ url: 'http://influx:8086', bucket: 'simhound/autogen', token: '', org: '', batch_size: 500, flush_interval_ms: 1000, max_retries: 3 });
  });

  it('reports every problem at once, with its path', () => {
    const r = validateCollectorConfig({
      mqtt: { url: 'http://wrong' },
      http: { port: 70000 },
      probes: [{ site: 'a b', probe: 'p', public_key: 'short' }],
      users: [{ name: 'x', role: 'boss', token_sha256: 'nothex' }],
      typo_section: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    for (const p of ['/mqtt/url', '/http/port', '/probes/0/site', '/probes/0/public_key', '/users/0/role', '/users/0/token_sha256']) expect(paths).toContain(p);
    expect(r.problems).toContainEqual({ path: '/typo_section', message: 'Unexpected property' });
  });

  it('checks rules a schema cannot: one broker choice, unique probes/users, passwords for the embedded broker', () => {
    const probe = { site: 's', probe: 'p', public_key: key };
    const r = validateCollectorConfig({
      mqtt: { url: 'mqtt://x', embedded_broker: {} },
      probes: [probe, probe],
      users: [{ name: 'a', role: 'field', token_sha256: hash }, { name: 'a', role: 'admin', token_sha256: hash }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(expect.arrayContaining([
      { path: '/mqtt', message: expect.stringContaining('exactly one') },
      { path: '/probes/1', message: expect.stringContaining('twice') },
      { path: '/probes/0/mqtt_password_sha256', message: expect.any(String) },
      { path: '/users/1/name', message: expect.stringContaining('twice') },
      { path: '/users/1/token_sha256', message: expect.stringContaining('share') },
    ]));
    // a 43-character string that is not a canonical base64url key
    const bad = validateCollectorConfig({ mqtt: { url: 'mqtt://x' }, probes: [{ site: 's', probe: 'p', public_key: `${key.slice(0, 42)}B` }] });
    expect(bad.ok === false && bad.problems.map((p) => p.path)).toEqual(['/probes/0/public_key']);
  });
});
