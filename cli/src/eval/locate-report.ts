/**
 * Location results as a table beside the detection table: per scenario and setup, the median and 90th
 * percentile of the ML point's error, the share of dens inside their 95 % ellipse (calibrated means 90–98 %),
 * the median ellipse semi-major axis, and the targets (median ≤ 100 m with 3 fixed probes, ≤ 20 m after a
 * fox hunt). Plus fox-hunt facts (duration, how many ended by themselves, slowest update).
 */
import { LOCATE_SETUPS, type LocateSetup, type TrialOutcome } from './locate-run.js';

export interface LocateScenarioResult {
  scenario: string;
  trials: TrialOutcome[];
}

export interface LocateRow {
  scenario: string;
  setup: LocateSetup;
  dens: number;
  median_error_m: number | null;
  p90_error_m: number | null;
  coverage: number | null;
  /** Share of dens inside the posterior's 95 % highest-density region (the posterior's own calibration). */
  hpd_coverage: number | null;
  median_semi_major_m: number | null;
  median_compute_ms: number | null;
  target: string;
  meets: boolean | null;
}

const TARGETS: Partial<Record<LocateSetup, number>> = { '+3-fixed-probes': 100, '+fox-hunt': 20 };

function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function locateRows(results: readonly LocateScenarioResult[]): LocateRow[] {
  const rows: LocateRow[] = [];
  const groups: Array<{ scenario: string; trials: TrialOutcome[] }> = [...results];
  if (results.length > 1) groups.push({ scenario: '**all**', trials: results.flatMap((r) => r.trials) });
  for (const g of groups) {
    for (const setup of LOCATE_SETUPS) {
      const steps = g.trials.flatMap((t) => t.steps.filter((s) => s.setup === setup));
      if (steps.length === 0) continue;
      const median = quantile(steps.map((s) => s.error_m), 0.5);
      const coverage = steps.filter((s) => s.inside_ellipse).length / steps.length;
      const target = TARGETS[setup];
      rows.push({
        scenario: g.scenario,
        setup,
        dens: steps.length,
        median_error_m: median,
        p90_error_m: quantile(steps.map((s) => s.error_m), 0.9),
        coverage,
        hpd_coverage: steps.filter((s) => s.hpd_level !== undefined).length === steps.length ? steps.filter((s) => s.hpd_level! < 0.95).length / steps.length : null,
        median_semi_major_m: quantile(steps.map((s) => s.semi_major_m), 0.5),
        median_compute_ms: quantile(steps.map((s) => s.compute_ms), 0.5),
        target: target === undefined ? 'coverage 90–98 %' : `median ≤ ${target} m, coverage 90–98 %`,
        meets: median === null ? null : (target === undefined || median <= target) && coverage >= 0.9 && coverage <= 0.98,
      });
    }
  }
  return rows;
}

const m = (v: number | null) => (v === null ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} km` : `${v.toFixed(0)} m`);
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(0)} %`);

export function locateMarkdownTable(results: readonly LocateScenarioResult[]): string {
  const lines = [
    '| scenario | setup | dens | median error | p90 error | 95 % ellipse coverage | in 95 % HPD region | median ellipse semi-major | target | met |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of locateRows(results)) {
    lines.push(`| ${r.scenario} | ${r.setup} | ${r.dens} | ${m(r.median_error_m)} | ${m(r.p90_error_m)} | ${pct(r.coverage)} | ${pct(r.hpd_coverage)} | ${m(r.median_semi_major_m)} | ${r.target} | ${r.meets === null ? '–' : r.meets ? 'yes' : 'no'} |`);
  }
  const fox = results.flatMap((r) => r.trials.map((t) => t.fox).filter((f): f is NonNullable<TrialOutcome['fox']> => f !== null));
  if (fox.length > 0) {
    const done = fox.filter((f) => f.stopped === 'done').length;
    lines.push('');
    lines.push(`Fox hunts: ${fox.length}; ${done} ended by themselves (ellipse semi-major ≤ 15 m with the unit at its point), ` +
      `median ${quantile(fox.map((f) => f.minutes), 0.5)!.toFixed(1)} min on foot, unit-to-den distance at the end median ${m(quantile(fox.map((f) => f.unit_to_den_m), 0.5))}, ` +
      `p90 ${m(quantile(fox.map((f) => f.unit_to_den_m), 0.9))}; slowest estimate update ${Math.max(...fox.map((f) => f.max_update_ms)).toFixed(0)} ms.`);
  }
  return lines.join('\n');
}

export function locateJson(results: readonly LocateScenarioResult[]): unknown {
  return { rows: locateRows(results), trials: results.map((r) => ({ scenario: r.scenario, trials: r.trials })) };
}
