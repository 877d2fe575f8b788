/**
 * Scenario validation: every problem reported at once with its JSON-pointer path (schema errors, crowd
 * kinds, references between sections, dates), unreadable files and bad YAML as typed failures, and
 * every scenario of the library loads.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from '../src/scenario-file.js';
import { DEMO_CELLS, PROBE } from './world/helpers.js';

const base = () => ({ name: 'x', cells: DEMO_CELLS, probes: [PROBE] });
const problems = (raw: unknown) => {
  const r = parseScenario(raw);
  if (r.ok) throw new Error('expected an invalid scenario');
  return r.detail!.split('\n');
};

describe('scenario validation', () => {
  it('fills the schema defaults of a minimal scenario', () => {
    const r = parseScenario(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.population.subscribers).toBe(3000);
    expect(r.value.population.rates_per_day.mo_call).toBe(3);
    expect(r.value.probes[0]!.channels).toEqual(['bcch', 'ccch']);
    expect(r.value.cells[0]!.sdcch).toBe(16);
  });

  it('reports every schema problem at once, each with its path', () => {
    const p = problems({
      ...base(),
      seed: 'x',
      cells: [{ ...DEMO_CELLS[0], mcc: '65', arfcn: 2000 }],
      population: { subscribers: -1, rates_per_day: { mo_call: -2 } },
      dens: [{ id: 'd', type: 'goip-33', lat_deg: 0, lon_deg: 0, calls_per_port_per_h: -1 }],
      probes: [{ ...PROBE, channels: ['tch'] }],
      surprise: true,
    });
    const joined = p.join('\n');
    for (const path of ['/seed', '/cells/0/mcc', '/cells/0/arfcn', '/population/subscribers', '/population/rates_per_day/mo_call', '/dens/0/type', '/dens/0/calls_per_port_per_h', '/probes/0/channels/0']) {
      expect(joined, path).toContain(`${path}:`);
    }
    expect(joined).toMatch(/surprise|additional/i);
  });

  it('validates each crowd against the schema of its kind', () => {
    const p = problems({ ...base(), crowds: [{ kind: 'stadium', id: 's', lat_deg: -29.3, lon_deg: 27.5 }, { kind: 'circus', id: 'c' }, { kind: 'office', id: 'o', lat_deg: -29.3, lon_deg: 27.5, workers: 0 }] });
    expect(p).toContain('/crowds/0/attendance: Expected required property');
    expect(p.some((l) => l.startsWith('/crowds/0/events:'))).toBe(true);
    expect(p.some((l) => l.startsWith('/crowds/1/kind: expected one of stadium, concert, station'))).toBe(true);
    expect(p.some((l) => l.startsWith('/crowds/2/workers:'))).toBe(true);
  });

  it('checks references, ids, positions and dates across sections', () => {
    const p = problems({
      ...base(),
      start: '2026-02-30T00:00:00',
      cells: [DEMO_CELLS[0], { ...DEMO_CELLS[1], ci: DEMO_CELLS[0]!.ci }],
      operators: [{ plmn: '65103' }],
      routes: [{ id: 'r', points: [[-29.3, 27.4], [-29.31, 27.5]] }],
      crowds: [
        { kind: 'small_cell', id: 'mall', lat_deg: -29.3, lon_deg: 27.5, cell_ci: 65311 },
        { kind: 'train', id: 't', route: 'nope' },
        { kind: 'stadium', id: 'mall', lat_deg: -29.3, lon_deg: 27.5, attendance: 10, events: [{ start: '2026-03-32T15:00' }] },
      ],
      dens: [
        { id: 'a', type: 'goip-8', operators: ['65109'], lat_deg: -29.3, lon_deg: 27.5, cell_mode: 'fixed' },
        { id: 'a', type: 'cat-pool-900', lon_deg: 27.5, poll: { min_s: 100, max_s: 10 } },
      ],
      probes: [{ site: 's', probe: 'p', cells: [1] }, { site: 's', probe: 'p', lat_deg: -29.3, lon_deg: 27.5 }],
    });
    const expected = [
      '/start: ', '/cells/1/ci: duplicate cell identity', '/operators/0/plmn: no cell of operator 65103', '/crowds/0/cell_ci: cell 65311 is not of kind small_cell',
      "/crowds/1/route: no route 'nope'", "/crowds/2/id: duplicate crowd id 'mall'", '/crowds/2/events/0/start:', '/dens/0/operators/0: no cell of operator 65109',
      '/dens/0/fixed_ci: cell_mode fixed needs fixed_ci', "/dens/1/id: duplicate den id 'a'", '/dens/1: give either lat_deg/lon_deg or van', '/dens/1/type: a cat pool holds 1..512 SIMs',
      '/dens/1/poll/max_s: smaller than min_s', '/probes/0: give either lat_deg/lon_deg or route', '/probes/0/cells/0: no cell with CI 1', "/probes/1: duplicate probe 's/p'",
    ];
    for (const e of expected) expect(p.some((l) => l.startsWith(e)), e).toBe(true);
  });

  it('returns typed failures for unreadable files and bad YAML, with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-scenario-'));
    const missing = loadScenarioFile(join(dir, 'none.yaml'));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toBe('unreadable');
    writeFileSync(join(dir, 'bad.yaml'), 'name: [unclosed\n');
    const bad = loadScenarioFile(join(dir, 'bad.yaml'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toBe('bad_yaml');
    writeFileSync(join(dir, 'invalid.yaml'), 'name: x\n');
    const invalid = loadScenarioFile(join(dir, 'invalid.yaml'));
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.reason).toBe('invalid');
      expect(invalid.detail).toContain(join(dir, 'invalid.yaml'));
      expect(invalid.detail).toContain('/cells');
    }
  });

  it('loads every scenario of the library (≥ 16, at least 4 of 48 h or more, cells from the real export, SDCCH probes where dens rotate or use remote SIMs, half CCCH-only)', () => {
    const dir = fileURLToPath(new URL('../scenarios/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(16);
    let long = 0;
    let ccchOnly = 0;
    for (const f of files) {
      const r = loadScenarioFile(join(dir, f));
      expect(r.ok, `${f}: ${r.ok ? '' : r.detail}`).toBe(true);
      if (!r.ok) continue;
      expect(r.value.name).toBe(f.replace(/\.yaml$/, ''));
      for (const c of r.value.cells) expect(c.mcc).toBe('651');
      if (r.value.duration_s >= 48 * 3600) long++;
      // Dens whose evidence is on the SDCCH (remote SIM authentication, SIM rotation) have a probe there.
      const followsSdcch = r.value.probes.some((p) => p.channels.includes('sdcch'));
      if (r.value.dens.some((d) => d.remote_sim !== undefined || d.rotation !== undefined)) expect(followsSdcch, f).toBe(true);
      if (!followsSdcch) ccchOnly++;
    }
    expect(long).toBeGreaterThanOrEqual(4);
    // Many real probes decode only BCCH/CCCH: at least half the library is CCCH-only.
    expect(ccchOnly).toBeGreaterThanOrEqual(files.length / 2);
  });
});
