/**
 * `simhound eval --locate <n>`: the location evaluation of a scenario — n trial dens placed in its area,
 * each located in the five setups of locate-run.ts — returning the per-trial outcomes for the table.
 */
import type { Scenario } from '@simhound/simulator';
import { locateGeometry } from './locate-scenario.js';
import { locateTrial, type LocateRunOptions, type TrialOutcome } from './locate-run.js';
import { makeTrials } from './locate-trials.js';
import type { LocateScenarioResult } from './locate-report.js';

export function evaluateLocation(scenario: Scenario, trials: number, options: Partial<LocateRunOptions> = {}, onTrial?: (t: TrialOutcome, i: number) => void): LocateScenarioResult {
  const geo = locateGeometry(scenario);
  const outs = makeTrials(geo, { trials }).map((t, i) => {
    const o = locateTrial(t, options);
    onTrial?.(o, i);
    return o;
  });
  return { scenario: geo.name, trials: outs };
}
