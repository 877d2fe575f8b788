/**
 * The report's JSON is also its input: results written by separate `simhound eval --json` runs come
 * back as the same table, and output from before `true_episodes` was written still gives the right
 * overall precision.
 */
import { describe, expect, it } from 'vitest';
import { markdownTable, overall, resultsFromJson, resultsJson, type ScenarioResult } from '../../src/eval/report.js';
import type { Score } from '../../src/eval/score.js';

const score = (over: Partial<Score>): Score => ({
  dens: 0, detected: 0, recall: null, median_time_to_detect_s: null, false_den_hours: 0, false_episodes: 0, true_episodes: 0, precision: null, detections: 0, per_den: [], false: [], ...over,
});

const results: ScenarioResult[] = [
  {
    scenario: 'den-a', source: 'a.yaml', covered_h: 12, speed_x: 200, frames: 123_456,
    methods: [
      { method: 'den-candidate@1', score: score({ dens: 1, detected: 1, recall: 1, median_time_to_detect_s: 330, true_episodes: 2, precision: 1, detections: 73, per_den: [{ id: 'd', type: 'goip-16', heard: true, detected: true, time_to_detect_s: 330, detections: 73 }] }) },
      { method: 'naive-threshold@1', score: score({ dens: 1, detected: 1, recall: 1, median_time_to_detect_s: 7800, true_episodes: 8, false_episodes: 139, false_den_hours: 85, precision: 8 / 147, detections: 150, per_den: [{ id: 'd', type: 'goip-16', heard: true, detected: true, time_to_detect_s: 7800, detections: 12 }] }) },
    ],
  },
  {
    scenario: 'neg-b', source: 'b.yaml', covered_h: 24, speed_x: 150, frames: 654_321,
    methods: [
      { method: 'den-candidate@1', score: score({}) },
      { method: 'naive-threshold@1', score: score({ false_episodes: 20, false_den_hours: 10, precision: 0, detections: 25 }) },
    ],
  },
];

describe('eval report JSON', () => {
  it('reads back into the same table and overall rows', () => {
    const back = resultsFromJson(JSON.parse(JSON.stringify(resultsJson(results))));
    expect(markdownTable(back)).toBe(markdownTable(results));
    expect(overall(back)).toEqual(overall(results));
    expect(back[1]!.frames).toBe(654_321);
  });

  it('derives true episodes from precision for output written before they were recorded', () => {
    const json = resultsJson(results) as { scenarios: Array<{ methods: Record<string, Record<string, unknown>> }> };
    for (const s of json.scenarios) for (const m of Object.values(s.methods)) delete m.true_episodes;
    const back = resultsFromJson(json);
    const naive = overall(back).find((o) => o.method === 'naive-threshold@1')!;
    expect(naive.precision).toBeCloseTo(8 / (8 + 139 + 20), 9);
  });

  it('says what is wrong with a file that is not eval output', () => {
    expect(() => resultsFromJson({ rows: [] })).toThrow(/not simhound eval --json output/);
  });
});
