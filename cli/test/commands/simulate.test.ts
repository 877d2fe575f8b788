/**
 * `simhound simulate <scenario> --out <dir> --accesses`: one pcap per probe, the truth and the accesses
 * sidecar land in the directory under the scenario's name; a bad scenario is a usage error (exit 2)
 * listing its problems; --out and --udp exclude each other.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@simhound/protocol';
import { simulateCommand } from '../../src/commands/simulate.js';
import { defaultScenarioPath } from '../../src/commands/demo.js';
import { CliError } from '../../src/output.js';

describe('simhound simulate', () => {
  it('writes <scenario>.<probe>.pcap, <scenario>.truth.json and <scenario>.accesses.ndjson', async () => {
    const out = mkdtempSync(join(tmpdir(), 'simhound-simulate-'));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await simulateCommand({ scenario: defaultScenarioPath(), out, durationS: 120, accesses: true }, silentLogger);
      const summary = JSON.parse(String(write.mock.calls.at(-1)![0]));
      expect(summary.captures).toEqual([join(out, 'maseru-demo.roof-1.pcap')]);
      expect(summary.frames_per_probe[0]).toBeGreaterThan(1000);
      expect(summary.assignments_by_origin['den:den-1']).toBeGreaterThan(10);
    } finally {
      write.mockRestore();
    }
    expect(existsSync(join(out, 'maseru-demo.roof-1.pcap'))).toBe(true);
    const truth = JSON.parse(readFileSync(join(out, 'maseru-demo.truth.json'), 'utf8'));
    expect(truth.scenario).toBe('maseru-demo');
    expect(truth.end_ts_ms - truth.start_ts_ms).toBe(120_000);
    expect(truth.dens[0].type).toBe('goip-32');
    const lines = readFileSync(join(out, 'maseru-demo.accesses.ndjson'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    expect(JSON.parse(lines[0]!)).toHaveProperty('origin');
  });

  it('rejects a bad scenario with every problem and exit code 2, and needs exactly one of --out/--udp', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-simulate-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ncells: []\nprobes: []\n');
    const err = await simulateCommand({ scenario: bad, out: dir }, silentLogger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toContain('/cells');
    expect((err as CliError).message).toContain('/probes');
    const both = await simulateCommand({ scenario: defaultScenarioPath(), out: dir, udp: '127.0.0.1:4729' }, silentLogger).catch((e: unknown) => e);
    expect((both as CliError).exitCode).toBe(2);
  });
});
