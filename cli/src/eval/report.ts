/**
 * The evaluation's results as a table (terminal / markdown) and as JSON: per scenario and method, and
 * overall per method (dens pooled, false den-hours summed, median over all detected dens).
 */
import type { EvalMethod } from './run.js';
import type { Score } from './score.js';

export interface ScenarioResult {
  scenario: string;
  source: string;
  covered_h: number;
  speed_x: number;
  frames: number;
  methods: Array<{ method: EvalMethod; score: Score }>;
}

export interface OverallRow {
  method: EvalMethod;
  dens: number;
  detected: number;
  recall: number | null;
  median_time_to_detect_s: number | null;
  false_den_hours: number;
  false_episodes: number;
  precision: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function overall(results: readonly ScenarioResult[]): OverallRow[] {
  const methods = [...new Set(results.flatMap((r) => r.methods.map((m) => m.method)))];
  return methods.map((method) => {
    const scores = results.flatMap((r) => r.methods.filter((m) => m.method === method).map((m) => m.score));
    const dens = scores.reduce((a, s) => a + s.dens, 0);
    const detected = scores.reduce((a, s) => a + s.detected, 0);
    const ttd = scores.flatMap((s) => s.per_den.filter((d) => d.heard && d.time_to_detect_s !== null).map((d) => d.time_to_detect_s!));
    const trueEps = scores.reduce((a, s) => a + s.true_episodes, 0);
    const falseEps = scores.reduce((a, s) => a + s.false_episodes, 0);
    return {
      method,
      dens,
      detected,
      recall: dens > 0 ? detected / dens : null,
      median_time_to_detect_s: median(ttd),
      false_den_hours: scores.reduce((a, s) => a + s.false_den_hours, 0),
      false_episodes: falseEps,
      precision: trueEps + falseEps > 0 ? trueEps / (trueEps + falseEps) : null,
    };
  });
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(0)} %`);
const secs = (v: number | null) => (v === null ? '–' : v < 120 ? `${v.toFixed(0)} s` : `${(v / 60).toFixed(1)} min`);
const hours = (v: number) => v.toFixed(1);

export function markdownTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | method | dens | detected | recall | median time to detect | false den-hours | false episodes | precision |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const { method, score: s } of r.methods) {
      lines.push(`| ${r.scenario} | ${method} | ${s.dens} | ${s.detected} | ${pct(s.recall)} | ${secs(s.median_time_to_detect_s)} | ${hours(s.false_den_hours)} | ${s.false_episodes} | ${pct(s.precision)} |`);
    }
  }
  for (const o of overall(results)) {
    lines.push(`| **all** | ${o.method} | ${o.dens} | ${o.detected} | ${pct(o.recall)} | ${secs(o.median_time_to_detect_s)} | ${hours(o.false_den_hours)} | ${o.false_episodes} | ${pct(o.precision)} |`);
  }
  return lines.join('\n');
}

export function resultsJson(results: readonly ScenarioResult[]): unknown {
  return {
    scenarios: results.map((r) => ({
      scenario: r.scenario,
      source: r.source,
      covered_h: r.covered_h,
      speed_x: r.speed_x,
      frames: r.frames,
      methods: Object.fromEntries(
        r.methods.map(({ method, score: s }) => [
          method,
          {
            recall: s.recall,
            median_time_to_detect_s: s.median_time_to_detect_s,
            false_den_hours: s.false_den_hours,
            precision: s.precision,
            dens: s.dens,
            detected: s.detected,
            false_episodes: s.false_episodes,
            true_episodes: s.true_episodes,
            detections: s.detections,
            per_den: s.per_den,
            false: s.false,
          },
        ]),
      ),
    })),
    overall: Object.fromEntries(overall(results).map((o) => [o.method, o])),
  };
}

type Json = Record<string, unknown>;

/**
 * Results back from `simhound eval --json` output (one or several files), so a report can be assembled
 * from runs made separately (in parallel, or on other machines). Episodes of true detections are taken
 * as written; output from before that field existed gets them from precision and false episodes (exact
 * unless precision is 1, where at least one is assumed per detected den).
 */
export function resultsFromJson(raw: unknown): ScenarioResult[] {
  const scenarios = ((raw ?? {}) as Json).scenarios;
  if (!Array.isArray(scenarios)) throw new Error('not simhound eval --json output (no "scenarios" list)');
  return (scenarios as Json[]).map((r) => ({
    scenario: String(r.scenario),
    source: String(r.source ?? ''),
    covered_h: Number(r.covered_h ?? 0),
    speed_x: Number(r.speed_x ?? 0),
    frames: Number(r.frames ?? 0),
    methods: Object.entries((r.methods ?? {}) as Record<string, Json>).map(([method, m]) => {
      const falseEpisodes = Number(m.false_episodes ?? 0);
      const precision = m.precision === null || m.precision === undefined ? null : Number(m.precision);
      const detected = Number(m.detected ?? 0);
      const trueEpisodes =
        typeof m.true_episodes === 'number'
          ? m.true_episodes
          : precision === null
            ? 0
            : precision >= 1
              ? Math.max(1, detected)
              : Math.round((precision * falseEpisodes) / (1 - precision));
      const score: Score = {
        dens: Number(m.dens ?? 0),
        detected,
        recall: m.recall === null || m.recall === undefined ? null : Number(m.recall),
        median_time_to_detect_s: m.median_time_to_detect_s === null || m.median_time_to_detect_s === undefined ? null : Number(m.median_time_to_detect_s),
        false_den_hours: Number(m.false_den_hours ?? 0),
        false_episodes: falseEpisodes,
        true_episodes: trueEpisodes,
        precision,
        detections: Number(m.detections ?? 0),
        per_den: (m.per_den ?? []) as Score['per_den'],
        false: (m.false ?? []) as Score['false'],
      };
      return { method: method as EvalMethod, score };
    }),
  }));
}
