import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeConfigSchema } from '../../edge-agent/src/config.js';
import { loadConfigFile, validateConfig } from '../src/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'simhound-config-'));

describe('config loading', () => {
  it('fills defaults from the schema and resolves paths relative to the file', () => {
    const f = join(dir, 'edge.yaml');
    writeFileSync(f, ['site: maseru', 'probe: p1', 'keys:', '  signing_key_file: keys/p1.pem', '  pseudonym_key_file: /etc/simhound/hmac.key', 'sources:', '  - kind: gsmtap_udp'].join('\n'));
    const r = loadConfigFile(EdgeConfigSchema, f, ['keys.signing_key_file', 'keys.pseudonym_key_file']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.windows.window_s).toBe(60);
    expect(r.value.detectors.ccch_burst.min_ratio).toBe(4);
    expect(r.value.detectors.run).toContain('mo-mt-asymmetry@1');
    expect(r.value.mqtt.url).toBe('mqtt://127.0.0.1:1883');
    expect(r.value.sources[0]).toEqual({ kind: 'gsmtap_udp', name: 'gsmtap', host: '127.0.0.1', port: 4729, silent_after_s: 120 });
    expect(r.value.keys.signing_key_file).toBe(join(dir, 'keys/p1.pem'));
    expect(r.value.keys.pseudonym_key_file).toBe('/etc/simhound/hmac.key');
  });

  it('reports every problem with its path at once', () => {
    const r = validateConfig(EdgeConfigSchema, { site: 'bad site', probe: 'p', keys: {}, sources: [], windows: { window_s: 0 }, extra: 1 });
    expect(r.ok).toBe(false);
    const paths = (r.problems ?? []).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/site', '/keys/signing_key_file', '/keys/pseudonym_key_file', '/sources', '/windows/window_s', '/extra']));
  });

  it('explains a union instead of saying "Expected union value": the allowed tags, or the named variant\'s own errors', () => {
    const r = validateConfig(EdgeConfigSchema, {
      site: 's', probe: 'p', keys: { signing_key_file: 'a', pseudonym_key_file: 'b' },
      sources: [{ kind: 'pcapx', path: 'x' }, { kind: 'pcap' }, { kind: 'gsmtap_udp', port: 'x' }, { port: 1 }],
      outbox: { kind: 'ram' },
    });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { path: '/sources/0/kind', message: 'must be one of gsmtap_udp, pcap, modem, gps_nmea, probe_mcu, rotator, iq (got "pcapx")' },
      { path: '/sources/1/path', message: 'is required' },
      { path: '/sources/2/port', message: 'Expected integer' },
      { path: '/sources/3/kind', message: 'must be one of gsmtap_udp, pcap, modem, gps_nmea, probe_mcu, rotator, iq (missing)' },
      { path: '/outbox/kind', message: 'must be one of disk, memory (got "ram")' },
    ]);
  });

  it('types YAML syntax errors and unreadable files', () => {
    const f = join(dir, 'broken.yaml');
    writeFileSync(f, 'site: [unclosed');
    expect(loadConfigFile(EdgeConfigSchema, f)).toMatchObject({ ok: false, reason: 'bad_yaml' });
    expect(loadConfigFile(EdgeConfigSchema, join(dir, 'missing.yaml'))).toMatchObject({ ok: false, reason: 'unreadable' });
  });
});
