/**
 * Precision from real outcomes: every closed alert cycle is a label the officers gave (raided, nothing
 * found, moved, duplicate — collector/src/alerts, GET /api/alerts/outcomes). For each detector version
 * behind the closed dens (and per tier, and overall) it counts how many of the alerts it contributed to
 * found a den. A den that had moved counts as found (the place was a den); a duplicate is left out (the
 * den it duplicates carries the label). Wilson 95 % intervals, because these counts are small.
 *
 * Reads a collector database (read-only, never migrated) or the JSON of /api/alerts/outcomes.
 * Must not change the database.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteAlertStore, type OutcomeLabel } from '@simhound/collector';
import { CliError } from '../output.js';

export interface PrecisionRow {
  /** `name@version`, `tier:<tier>` or `all`. */
  key: string;
  labels: number;
  raided: number;
  moved: number;
  nothing_found: number;
  duplicate: number;
  /** (raided + moved) / (raided + moved + nothing_found); null without such labels. */
  precision: number | null;
  /** Wilson 95 % interval of precision. */
  ci95: [number, number] | null;
}

export interface OutcomeReport {
  source: string;
  labels: number;
  first_closed_ts_ms: number | null;
  last_closed_ts_ms: number | null;
  overall: PrecisionRow;
  by_detector: PrecisionRow[];
  by_tier: PrecisionRow[];
}

function wilson(found: number, n: number, z = 1.96): [number, number] | null {
  if (n === 0) return null;
  const p = found / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function row(key: string, labels: readonly OutcomeLabel[]): PrecisionRow {
  const count = (o: OutcomeLabel['outcome']) => labels.filter((l) => l.outcome === o).length;
  const raided = count('raided');
  const moved = count('moved');
  const nothing_found = count('nothing_found');
  const judged = raided + moved + nothing_found;
  return {
    key, labels: labels.length, raided, moved, nothing_found, duplicate: count('duplicate'),
    precision: judged > 0 ? (raided + moved) / judged : null,
    ci95: wilson(raided + moved, judged),
  };
}

export function outcomePrecision(labels: readonly OutcomeLabel[], source: string): OutcomeReport {
  const detectors = [...new Set(labels.flatMap((l) => l.detectors))].sort();
  const tiers = ['high', 'medium', 'low'].filter((t) => labels.some((l) => l.tier === t));
  const closed = labels.map((l) => l.closed_ts_ms);
  return {
    source,
    labels: labels.length,
    first_closed_ts_ms: closed.length ? Math.min(...closed) : null,
    last_closed_ts_ms: closed.length ? Math.max(...closed) : null,
    overall: row('all', labels),
    by_detector: detectors.map((d) => row(d, labels.filter((l) => l.detectors.includes(d)))),
    by_tier: tiers.map((t) => row(`tier:${t}`, labels.filter((l) => l.tier === t))),
  };
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Labels from a collector database (opened read-only) or from /api/alerts/outcomes JSON ({labels} or an array). */
export async function readOutcomeLabels(path: string): Promise<OutcomeLabel[]> {
  let head: Buffer;
  try {
    head = readFileSync(path).subarray(0, 16);
  } catch (e) {
    throw new CliError(`--outcomes ${path}: ${(e as Error).message}`, 2);
  }
  if (head.toString('latin1') === SQLITE_MAGIC) {
    let db: Database.Database | null = null;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const has = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alert_events'").get();
      if (has === undefined) throw new CliError(`--outcomes ${path}: a SQLite file without alert tables (not a collector database, or one from before alerts)`, 2);
      return await new SqliteAlertStore(db).listOutcomeLabels();
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`--outcomes ${path}: ${(e as Error).message}`, 2);
    } finally {
      db?.close();
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`--outcomes ${path}: neither a collector database nor JSON (${(e as Error).message})`, 2);
  }
  const labels = Array.isArray(raw) ? raw : (raw as { labels?: unknown }).labels;
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'object' || l === null || typeof l.outcome !== 'string' || !Array.isArray(l.detectors))) {
    throw new CliError(`--outcomes ${path}: expected the JSON of GET /api/alerts/outcomes ({"labels": [{outcome, tier, detectors, …}]})`, 2);
  }
  return labels as OutcomeLabel[];
}

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(0)} %`);
const ci = (v: [number, number] | null) => (v === null ? '—' : `${(100 * v[0]).toFixed(0)}–${(100 * v[1]).toFixed(0)} %`);

export function outcomesMarkdown(r: OutcomeReport): string {
  const head = '| detector version / tier | closed | raided | moved | nothing found | duplicate | precision | 95 % CI |\n|---|---:|---:|---:|---:|---:|---:|---:|';
  const line = (x: PrecisionRow) => `| ${x.key} | ${x.labels} | ${x.raided} | ${x.moved} | ${x.nothing_found} | ${x.duplicate} | ${pct(x.precision)} | ${ci(x.ci95)} |`;
  const span = r.first_closed_ts_ms === null ? 'no closed alerts' : `closed ${new Date(r.first_closed_ts_ms).toISOString()} … ${new Date(r.last_closed_ts_ms!).toISOString()}`;
  return [
    `Precision from real outcomes (${r.labels} closed alert cycles, ${span}; source ${r.source}). Found = raided or moved; duplicates left out.`,
    '',
    head,
    ...r.by_detector.map(line),
    ...r.by_tier.map(line),
    line(r.overall),
  ].join('\n');
}
