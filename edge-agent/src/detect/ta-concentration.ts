/**
 * ta-concentration@1 — a cell's call/SMS demand collapsing onto one TA step, hour after hour.
 *
 * Over hours, the share of a cell's originating demand at each TA step follows where people are (homes,
 * offices, roads) and changes slowly. A den adds a block of demand at one step that stays there every
 * hour it works. Crowds move it for an hour or two and then leave; commuters' TA moves with them.
 *
 * Test over the last `hours` complete hours: the slot's share of the cell's originating demand against
 * `min_share_ratio` × its expected share — the learned long-run share when the baseline is mature, else
 * the mean share of the neighbouring TA steps (people are spread smoothly over distance) — by a binomial
 * upper tail with intra-class correlation; and the excess must be present in at least
 * `min_hours_share` of those hours (sustained, not one burst).
 *
 * Must not fire on: a stadium or market (the excess is there for one or two hours and spread over
 * several steps), a commuter flow, an indoor small cell (everything at TA 0 is its normal share once
 * learned; before that, no neighbours means no test).
 */
import { C_MO_CALL, C_MO_MIXED, C_SDCCH, originating } from '../features/traffic-class.js';
import { shareAboveEvidence } from './stats.js';
import type { Indicator, SlotDetector, SlotSnapshot } from './types.js';

export interface TaConcentrationConfig {
  hours: number;
  min_share_ratio: number;
  min_hours_share: number;
  min_count: number;
  min_baseline_hours: number;
  rho: number;
  strong_evidence: number;
  moderate_evidence: number;
}

export const TA_CONCENTRATION_DEFAULTS: TaConcentrationConfig = {
  hours: 4,
  min_share_ratio: 2,
  min_hours_share: 0.75,
  min_count: 20,
  min_baseline_hours: 24,
  rho: 0.005,
  strong_evidence: 8,
  moderate_evidence: 4,
};

const ORIGINATING = [C_MO_CALL, C_MO_MIXED, C_SDCCH];

export class TaConcentrationDetector implements SlotDetector {
  readonly name = 'ta-concentration';
  readonly version = 1;

  constructor(private readonly config: TaConcentrationConfig = TA_CONCENTRATION_DEFAULTS) {}

  evaluate(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    if (s.horizon_s < 3600) return null;
    const x = s.hourly(ORIGINATING, c.hours);
    const cell = s.cellHourly(ORIGINATING, c.hours);
    let slotSum = 0;
    let cellSum = 0;
    for (let i = 0; i < x.length; i++) {
      slotSum += x[i]!;
      cellSum += cell[i]!;
    }
    if (slotSum < c.min_count || cellSum <= slotSum) return null;
    let expectedShare: number;
    let basis: number;
    const b = s.baseline;
    if (b !== null && b.hours >= c.min_baseline_hours && b.support >= 50) {
      expectedShare = b.share * s.ta_span;
      basis = 1;
    } else {
      // Spatial: the neighbours' mean share of the cell's (current-horizon) demand per TA step.
      const cellNow = originating(s.cell_total);
      const neighbours = originating(s.neighbours);
      if (cellNow <= 0 || s.active_tas - s.ta_span < 2) return null;
      expectedShare = Math.max(1 / 64, neighbours / 4 / cellNow) * s.ta_span;
      basis = 0;
    }
    const threshold = Math.min(0.95, c.min_share_ratio * expectedShare);
    let hoursAbove = 0;
    let hoursWithData = 0;
    for (let i = 0; i < x.length; i++) {
      if (cell[i]! <= 0) continue;
      hoursWithData++;
      if (x[i]! / cell[i]! > threshold) hoursAbove++;
    }
    if (hoursWithData < 2 || hoursAbove / hoursWithData < c.min_hours_share) return null;
    const share = slotSum / cellSum;
    const evidence = shareAboveEvidence(slotSum, cellSum, threshold, c.rho);
    const level = evidence >= c.strong_evidence ? 'strong' : evidence >= c.moderate_evidence ? 'moderate' : null;
    if (level === null) return null;
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: hoursWithData * 3600,
      evidence,
      level,
      facts: { ta_share: share, ta_share_expected: expectedShare, hours_above: hoursAbove, baseline_learned: basis },
      reason: `${(share * 100).toFixed(0)} % of the cell's call/SMS demand sat at this TA in ${hoursAbove} of the last ${hoursWithData} hours (expected ${(expectedShare * 100).toFixed(1)} %)`,
    };
  }
}
