/**
 * machine-regularity@1 — demand at one TA that is too regular, or too flat over the day, for people.
 *
 * Human demand is bursty and heavy-tailed: counts per interval vary at least as much as a Poisson
 * process (index of dispersion ≥ 1) and follow the day (quiet nights, evening peak). A SIM box's ports
 * dial on a schedule — each port a near-periodic renewal process, all bounded by the port count — so at
 * time scales longer than a port's cycle its counts vary far less than Poisson, and it dials at 3 a.m.
 * as at noon (or switches on and off at fixed hours).
 *
 * Tests (the stronger wins, with a Bonferroni penalty for trying several):
 * - under-dispersion: the index of dispersion of originating counts per 1-min and per 5-min bin over
 *   the horizon, against its χ² distribution under Poisson (lower tail); bins must hold ≥ `min_bin_mean`
 *   on average for the test to mean anything;
 * - flatness (needs ≥ `min_hours` of history): regressing the slot's hourly originating counts on the
 *   rest of the cell's, a human slot follows the cell (intercept ≈ 0); a den adds a constant floor. The
 *   floor's share of the slot's demand and its z-score are the evidence.
 *
 * Must not fire on: a busy TA of people (Poisson at short scales, diurnal at long ones), a stadium or
 * market (bursty), a call centre of people (human inter-arrival and holding times give Poisson-like or
 * over-dispersed counts at the minute scale). Known limit: a bank of legitimate M2M devices reporting at
 * fixed intervals from one building looks regular too; fusion needs demand and another signature.
 */
import { C_MO_CALL, C_MO_MIXED, C_SDCCH } from '../features/traffic-class.js';
import { evidenceOf, fanoFactor, normalUpperTail, underdispersionEvidence } from './stats.js';
import type { Indicator, SlotDetector, SlotSnapshot } from './types.js';

export interface MachineRegularityConfig {
  min_bin_mean: number;
  min_bins: number;
  min_hours: number;
  min_floor_share: number;
  strong_evidence: number;
  moderate_evidence: number;
}

export const MACHINE_REGULARITY_DEFAULTS: MachineRegularityConfig = {
  min_bin_mean: 2,
  min_bins: 10,
  min_hours: 18,
  min_floor_share: 0.5,
  strong_evidence: 6,
  moderate_evidence: 3,
};

const ORIGINATING = [C_MO_CALL, C_MO_MIXED, C_SDCCH];

/** Sums consecutive groups of `k` values (drops an incomplete oldest group). */
function regroup(series: Float64Array, k: number): Float64Array {
  const groups = Math.floor(series.length / k);
  const out = new Float64Array(groups);
  const offset = series.length - groups * k;
  for (let g = 0; g < groups; g++) {
    let n = 0;
    for (let i = 0; i < k; i++) n += series[offset + g * k + i]!;
    out[g] = n;
  }
  return out;
}

export class MachineRegularityDetector implements SlotDetector {
  readonly name = 'machine-regularity';
  readonly version = 1;

  constructor(private readonly config: MachineRegularityConfig = MACHINE_REGULARITY_DEFAULTS) {}

  evaluate(s: SlotSnapshot): Indicator | null {
    const candidates: Indicator[] = [];
    const dispersion = this.dispersionTest(s);
    if (dispersion) candidates.push(dispersion);
    const flat = this.flatnessTest(s);
    if (flat) candidates.push(flat);
    if (candidates.length === 0) return null;
    const best = candidates.reduce((a, b) => (b.evidence > a.evidence ? b : a));
    // Several tests were tried: pay for it (Bonferroni over 3 tests).
    best.evidence = Math.max(0, best.evidence - Math.log10(3));
    const c = this.config;
    const level = best.evidence >= c.strong_evidence ? 'strong' : best.evidence >= c.moderate_evidence ? 'moderate' : null;
    if (level === null) return null;
    best.level = level;
    return best;
  }

  private dispersionTest(s: SlotSnapshot): Indicator | null {
    if (s.horizon_s < 600) return null;
    const c = this.config;
    const perBin = s.series(ORIGINATING); // per minute over the horizon
    let best: { evidence: number; fano: number; bin_s: number } | null = null;
    for (const k of [1, 5]) {
      const series = k === 1 ? perBin : regroup(perBin, k);
      if (series.length < c.min_bins) continue;
      let sum = 0;
      for (const v of series) sum += v;
      if (sum / series.length < c.min_bin_mean) continue;
      const evidence = underdispersionEvidence(series);
      if (best === null || evidence > best.evidence) best = { evidence, fano: fanoFactor(series), bin_s: 60 * k };
    }
    if (best === null || best.evidence <= 0) return null;
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: s.horizon_s,
      evidence: best.evidence,
      level: 'moderate',
      facts: { fano_factor: best.fano, bin_s: best.bin_s },
      reason: `call/SMS requests per ${best.bin_s / 60} min vary ${best.fano.toFixed(2)}× as much as a Poisson process would (people: ≥ 1)`,
    };
  }

  private flatnessTest(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    if (s.horizon_s < 3600) return null;
    const hours = 24;
    const x = s.hourly(ORIGINATING, hours);
    const cell = s.cellHourly(ORIGINATING, hours);
    let active = 0;
    for (const v of cell) if (v > 0) active++;
    if (active < c.min_hours) return null;
    const y = cell.map((v, i) => v - x[i]!);
    // Least squares x = a + b·y.
    const n = x.length;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += x[i]!;
      my += y[i]!;
    }
    mx /= n;
    my /= n;
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (x[i]! - mx) * (y[i]! - my);
      syy += (y[i]! - my) ** 2;
    }
    if (!(syy > 0) || !(mx > 0)) return null;
    const b = Math.max(0, sxy / syy);
    const a = mx - b * my;
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (x[i]! - a - b * y[i]!) ** 2;
    const sigma2 = Math.max(sse / Math.max(1, n - 2), mx); // at least Poisson noise
    const seA = Math.sqrt(sigma2 * (1 / n + (my * my) / syy));
    const z = a / seA;
    const floorShare = a / mx;
    if (floorShare < c.min_floor_share || !(z > 0)) return null;
    const p = normalUpperTail(z);
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: hours * 3600,
      evidence: evidenceOf(p),
      level: 'moderate',
      facts: { floor_share: floorShare, floor_per_h: a },
      reason: `${(floorShare * 100).toFixed(0)} % of this TA's demand is a constant floor (${a.toFixed(1)}/h) that does not follow the cell's daily rhythm`,
    };
  }
}
