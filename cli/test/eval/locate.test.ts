/**
 * The location evaluation: trial dens from a scenario's geometry, the five setups on them (measurements
 * from the simulator's uplink channel), the table and the docs section.
 */
import { describe, expect, it } from 'vitest';
import { distanceM } from '@simhound/geo';
import { TA_STEP_M } from '@simhound/protocol';
import { loadScenarioFile } from '@simhound/simulator';
import { locateGeometry } from '../../src/eval/locate-scenario.js';
import { makeTrials } from '../../src/eval/locate-trials.js';
import { locateTrial, type TrialOutcome } from '../../src/eval/locate-run.js';
import { locateMarkdownTable, locateRows } from '../../src/eval/locate-report.js';
import { LOCATION_BEGIN, LOCATION_END, renderLocationSection, replaceLocationSection } from '../../src/eval/locate-doc.js';

const SCENARIO = new URL('../../../simulator/scenarios/maseru-demo.yaml', import.meta.url).pathname;

function geometry() {
  const sc = loadScenarioFile(SCENARIO);
  if (!sc.ok) throw new Error(sc.detail);
  return locateGeometry(sc.value);
}

describe('location trials', () => {
  it('serve each trial den from a cell of every operator (the world\'s choice) at a TA its distance explains', () => {
    const geo = geometry();
    const trials = makeTrials(geo, { trials: 20, duration_s: 600 });
    expect(trials.length).toBeGreaterThan(15);
    for (const t of trials) {
      expect(distanceM(t.den, geo.centre)).toBeLessThanOrEqual(geo.radius_m + 1);
      expect(new Set(t.serving.map((s) => `${s.cell.mcc}${s.cell.mnc}`)).size).toBe(t.serving.length);
      for (const s of t.serving) {
        expect(Math.abs(distanceM(t.den, s.cell) - s.distance_m)).toBeLessThan(1);
        // The BTS measures distance + multipath excess: never less than the distance's own step.
        expect(s.ta_steps).toBeGreaterThanOrEqual(Math.floor(s.distance_m / TA_STEP_M));
        expect(s.range_max_m - s.range_min_m).toBeCloseTo(TA_STEP_M, 6);
      }
      expect(t.accesses.length).toBeGreaterThan(0);
      expect(t.accesses.every((a) => t.serving.some((s) => s.cell.ci === a.cell!.ci && s.ta_steps === a.ta_steps))).toBe(true);
    }
    // Most dens are seen by both operators of the demo.
    expect(trials.filter((t) => t.serving.length === 2).length).toBeGreaterThan(trials.length / 2);
    // Seeded: the same scenario gives the same dens.
    expect(makeTrials(geo, { trials: 2, duration_s: 60 })[1]!.den).toEqual(trials[1]!.den);
  });

  it('locate each setup, and the fox hunt ends within 20 m of the den', () => {
    const geo = geometry();
    const [trial] = makeTrials(geo, { trials: 2, duration_s: 5400 }).slice(1);
    const out = locateTrial(trial!);
    expect(out.steps.map((s) => s.setup)).toEqual(['ta-one-cell', 'ta-multi', '+3-fixed-probes', '+bearing', '+fox-hunt']);
    for (const s of out.steps) {
      expect(Number.isFinite(s.error_m)).toBe(true);
      expect(s.semi_major_m).toBeGreaterThan(0);
    }
    const err = Object.fromEntries(out.steps.map((s) => [s.setup, s.error_m]));
    // The probes add to the same rings (ta-one-cell's ML point is anywhere on its ring, no yardstick).
    expect(err['+3-fixed-probes']).toBeLessThanOrEqual(err['ta-multi']!);
    expect(err['+fox-hunt']).toBeLessThan(20);
    expect(out.steps.at(-1)!.inside_ellipse).toBe(true);
    expect(out.fox!.unit_to_den_m).toBeLessThan(30);
    expect(out.fox!.bursts).toBeGreaterThan(100);
  }, 120_000);
});

describe('location table', () => {
  const step = (setup: TrialOutcome['steps'][number]['setup'], error_m: number, inside: boolean) => ({ setup, error_m, inside_ellipse: inside, semi_major_m: 2 * error_m, hpd_level: inside ? 0.5 : 0.99, compute_ms: 5 });
  const trials: TrialOutcome[] = [10, 20, 30, 40, 200].map((e, i) => ({
    trial: `t${i}`, den: { lat_deg: 0, lon_deg: 0 }, fox: null,
    steps: [step('+3-fixed-probes', e * 5, i !== 4), step('+fox-hunt', e, true)],
  }));

  it('computes median, p90 and coverage per setup and checks the targets', () => {
    const rows = locateRows([{ scenario: 's', trials }]);
    const fixed = rows.find((r) => r.setup === '+3-fixed-probes')!;
    expect(fixed).toMatchObject({ dens: 5, median_error_m: 150, coverage: 0.8, hpd_coverage: 0.8, meets: false });
    expect(fixed.p90_error_m).toBeCloseTo(200 + 0.6 * 800, 6); // 0.9·4 = 3.6 → between 200 and 1000
    const fox = rows.find((r) => r.setup === '+fox-hunt')!;
    expect(fox).toMatchObject({ median_error_m: 30, coverage: 1, meets: false }); // 30 m > 20 m; 100 % > 98 %
    const md = locateMarkdownTable([{ scenario: 's', trials }]);
    expect(md).toContain('| s | +3-fixed-probes | 5 | 150 m |');
  });

  it('replaces only its own section of docs/evaluation.md', () => {
    const doc = `# evaluation\n\n| detection | table |\n\n${LOCATION_BEGIN}\nold\n${LOCATION_END}\n\nafter\n`;
    const section = renderLocationSection('| new |', { command: 'npm run docs:locate', generated: 'now', wall_s: 1 });
    const out = replaceLocationSection(doc, section);
    expect(out).toContain('| detection | table |');
    expect(out).toContain('| new |');
    expect(out).not.toContain('\nold\n');
    expect(out.endsWith('after\n')).toBe(true);
    expect(replaceLocationSection('# x\n', section)).toContain(LOCATION_END);
  });
});
