/**
 * `simhound replay <recording>` on IQ files (the installed binary): the real GSM recording prints its
 * TDMA sync (BSIC, frame numbers), channel power, slot occupancy and band scan as JSON lines and a
 * summary; bad metadata is a clear error with exit 2.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${root}node_modules/.bin/simhound`;
const recording = `${root}edge-agent/test/vectors/iq/GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile`;
const dir = mkdtempSync(join(tmpdir(), 'simhound-replay-iq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm install\` (its prepare script builds the CLI)`);
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd: root, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('simhound replay on IQ recordings', () => {
  it('prints the SDR events of the real recording as JSON lines, then a summary', () => {
    const r = run(['replay', recording, '--sample-rate', '500000', '--center-freq', '941e6', '--report-interval-s', '0.1', '--calibration-db', '-120']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.pop()!.summary as Record<string, unknown>;
    expect(summary).toMatchObject({ format: 'cf32', band: 'GSM900', arfcns_in_view: [30], fcch_found: 4, sch_decoded: 4, problems: {} });
    const sch = lines.filter((l) => l.type === 'tdma_sync' && l.source === 'sch');
    expect(sch.map((l) => [l.bsic, l.fn])).toEqual([[32, 674996], [32, 675006], [32, 675016], [32, 675026]]);
    expect(lines.filter((l) => l.type === 'channel_power').length).toBe(2);
    expect(lines.find((l) => l.type === 'band_scan')).toMatchObject({ channels: [{ arfcn: 30, activity: 'continuous' }] });
  });

  it('reads the sample rate and frequency from a SigMF sidecar', () => {
    const data = join(dir, 'real.sigmf-data');
    copyFileSync(recording, data);
    writeFileSync(join(dir, 'real.sigmf-meta'), JSON.stringify({ global: { 'core:datatype': 'cf32_le', 'core:sample_rate': 500000, 'core:version': '1.0.0' }, captures: [{ 'core:sample_start': 0, 'core:frequency': 941e6 }] }));
    const r = run(['replay', data]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).summary).toMatchObject({ sample_rate_hz: 500000, center_freq_hz: 941e6, sch_decoded: 4 });
  });

  it('fails with exit 2 and the reason on missing or wrong metadata', () => {
    const missing = run(['replay', recording]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing_sample_rate/);
    const units = run(['replay', recording, '--sample-rate', '500', '--center-freq', '941e6']);
    expect(units.status).toBe(2);
    expect(units.stderr).toMatch(/bad_sample_rate.*kHz or MHz/);
  });
});
