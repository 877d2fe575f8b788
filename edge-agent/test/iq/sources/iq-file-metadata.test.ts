/**
 * Metadata of IQ recordings from extension, flags and SigMF sidecar, and every way it can be wrong:
 * missing, contradictory, impossible (kHz for Hz), a sidecar that is not SigMF — each a typed error
 * naming the field, never a guess.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sigmfMeta } from '@simhound/simulator';
import { parseSigmfMeta, resolveIqFile, sigmfSidecarCandidates } from '../../../src/iq/sources/iq-file-metadata.js';
import { formatFromPath, isIqPath } from '../../../src/iq/sample-format.js';

const dir = mkdtempSync(join(tmpdir(), 'simhound-iqmeta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: number): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(bytes, 0x80));
  return path;
}

describe('IQ file metadata', () => {
  it('names formats by extension and recognises SigMF data files', () => {
    expect(['a.cu8', 'a.CS8', 'a.cs16', 'a.cf32', 'a.cfile', 'a.fc32', 'a.sigmf-data', 'a.pcap'].map((p) => [formatFromPath(p), isIqPath(p)])).toEqual([
      ['cu8', true], ['cs8', true], ['cs16', true], ['cf32', true], ['cf32', true], ['cf32', true], [null, true], [null, false],
    ]);
    expect(sigmfSidecarCandidates('/x/cap.cu8')).toEqual(['/x/cap.sigmf-meta', '/x/cap.cu8.sigmf-meta']);
  });

  it('takes rate, frequency and start time from a SigMF sidecar the simulator writes', () => {
    const data = file('scene.sigmf-data', 4000);
    writeFileSync(join(dir, 'scene.sigmf-meta'), JSON.stringify({ ...sigmfMeta('cs16', 2_400_000, 947.4e6), captures: [{ 'core:sample_start': 0, 'core:frequency': 947.4e6, 'core:datetime': '2026-11-25T10:00:00Z' }] }));
    const r = resolveIqFile(data);
    expect(r).toMatchObject({ ok: true, value: { format: 'cs16', sample_rate_hz: 2_400_000, center_freq_hz: 947.4e6, start_ts_ms: Date.parse('2026-11-25T10:00:00Z'), samples: 1000, trailing_bytes: 0 } });
  });

  it('takes everything from flags when there is no sidecar', () => {
    expect(resolveIqFile(file('flags.cu8', 100), { sample_rate_hz: 1e6, center_freq_hz: 935.2e6 })).toMatchObject({ ok: true, value: { format: 'cu8', samples: 50 } });
  });

  it('reports a truncated file (odd byte count) as trailing bytes, not as samples', () => {
    expect(resolveIqFile(file('odd.cu8', 101), { sample_rate_hz: 1e6, center_freq_hz: 935.2e6 })).toMatchObject({ ok: true, value: { samples: 50, trailing_bytes: 1 } });
    expect(resolveIqFile(file('cut.cs16', 4 * 25 + 3), { sample_rate_hz: 1e6, center_freq_hz: 935.2e6 })).toMatchObject({ ok: true, value: { samples: 25, trailing_bytes: 3 } });
  });

  it('gives typed errors for missing, empty and unnamed recordings', () => {
    expect(resolveIqFile(join(dir, 'nope.cu8'))).toMatchObject({ ok: false, reason: 'not_found' });
    expect(resolveIqFile(file('empty.cu8', 0), { sample_rate_hz: 1e6, center_freq_hz: 935.2e6 })).toMatchObject({ ok: false, reason: 'empty' });
    expect(resolveIqFile(file('mystery.bin', 100), { sample_rate_hz: 1e6, center_freq_hz: 935.2e6 })).toMatchObject({ ok: false, reason: 'unknown_format' });
    expect(resolveIqFile(file('norate.cu8', 100), { center_freq_hz: 935.2e6 })).toMatchObject({ ok: false, reason: 'missing_sample_rate' });
    expect(resolveIqFile(file('nofreq.cu8', 100), { sample_rate_hz: 1e6 })).toMatchObject({ ok: false, reason: 'missing_center_freq' });
  });

  it('refuses wrong sample-rate and frequency metadata: units mistaken, zero, negative, not a number', () => {
    const path = file('units.cu8', 100);
    const rate = (sample_rate_hz: number) => resolveIqFile(path, { sample_rate_hz, center_freq_hz: 935.2e6 });
    expect(rate(2.4)).toMatchObject({ ok: false, reason: 'bad_sample_rate' }); // MHz, not Hz
    expect(rate(2400)).toMatchObject({ ok: false, reason: 'bad_sample_rate' }); // kHz
    expect(rate(0)).toMatchObject({ ok: false, reason: 'bad_sample_rate' });
    expect(rate(Number.NaN)).toMatchObject({ ok: false, reason: 'bad_sample_rate' });
    expect(rate(200_000)).toMatchObject({ ok: false, reason: 'bad_sample_rate', detail: expect.stringMatching(/250 kS\/s/) });
    expect(resolveIqFile(path, { sample_rate_hz: 1e6, center_freq_hz: 935.2 })).toMatchObject({ ok: false, reason: 'bad_center_freq' });
    for (const bad of [0, -2.4e6, '2.4e6', null]) {
      expect(parseSigmfMeta(JSON.stringify({ global: { 'core:datatype': 'cu8', 'core:sample_rate': bad } }))).toMatchObject({ ok: false, reason: 'bad_sample_rate' });
    }
  });

  it('refuses metadata that contradicts itself, naming both sides', () => {
    const data = file('clash.cu8', 100);
    writeFileSync(join(dir, 'clash.sigmf-meta'), JSON.stringify(sigmfMeta('cs16', 2_400_000, 947.4e6)));
    const r = resolveIqFile(data, { sample_rate_hz: 1_000_000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('conflicting_metadata');
    expect(r.detail).toMatch(/format: cs16 from the SigMF sidecar, cu8 from the file extension/);
    expect(r.detail).toMatch(/sample rate \(Hz\): 1000000 from the flags, 2400000 from the SigMF sidecar/);
  });

  it('refuses a sidecar that is not SigMF or names an unsupported datatype', () => {
    const a = file('broken.cu8', 100);
    writeFileSync(join(dir, 'broken.sigmf-meta'), '{ "global": ');
    expect(resolveIqFile(a)).toMatchObject({ ok: false, reason: 'bad_sigmf' });
    const b = file('ri16.sigmf-data', 100);
    writeFileSync(join(dir, 'ri16.sigmf-meta'), JSON.stringify({ global: { 'core:datatype': 'ri16_le', 'core:sample_rate': 1e6 } }));
    expect(resolveIqFile(b)).toMatchObject({ ok: false, reason: 'unknown_format', detail: expect.stringMatching(/ri16_le/) });
    expect(parseSigmfMeta('[]')).toMatchObject({ ok: false, reason: 'bad_sigmf' });
  });
});
