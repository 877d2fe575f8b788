/**
 * Imports an OpenCelliD-format CSV file into the store's cell table, streaming line by line (full
 * OpenCelliD exports are gigabytes) and writing in batches. Bad rows are counted by typed reason and
 * the first few are reported with their line numbers; a bad row never stops the import.
 * Must not decide what to do with the report (the caller logs it).
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fail, ok, ReasonCounter, type Result } from '@simhound/protocol';
import type { CellRecord, Store } from '../store/store.js';
import { splitCsvLine } from './csv-line.js';
import { isHeaderlessRow, mapHeader, OPENCELLID_ORDER, parseCellRow, type CellRowRejection, type ColumnMap } from './opencellid-csv.js';

export interface CellImportReport {
  path: string;
  header: 'named' | 'none';
  rows_total: number;
  imported: number;
  rejected_total: number;
  rejected_by_reason: Record<string, number>;
  /** The first rejected rows (at most 20), for the operator to look at. */
  first_rejections: Array<{ line: number; reason: CellRowRejection; detail?: string }>;
}

export type CellImportFailure = 'unreadable' | 'empty' | 'unknown_header';

const BATCH_ROWS = 5000;

export async function importCellsCsv(path: string, store: Store): Promise<Result<CellImportReport, CellImportFailure>> {
  try {
    await access(path);
  } catch (e) {
    return fail('unreadable', `${path}: ${(e as Error).message}`);
  }
  const rejected = new ReasonCounter<CellRowRejection>();
  const report: CellImportReport = { path, header: 'named', rows_total: 0, imported: 0, rejected_total: 0, rejected_by_reason: {}, first_rejections: [] };
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let columns: ColumnMap | null = null;
  let batch: CellRecord[] = [];
  let lineNumber = 0;
  const reject = (reason: CellRowRejection, detail?: string) => {
    rejected.add(reason);
    if (report.first_rejections.length < 20) report.first_rejections.push(detail === undefined ? { line: lineNumber, reason } : { line: lineNumber, reason, detail });
  };
  try {
    for await (const raw of lines) {
      lineNumber += 1;
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const split = splitCsvLine(line);
      if (columns === null) {
        if (!split.ok) return fail('unknown_header', `line 1: ${split.reason}`);
        if (isHeaderlessRow(split.value)) {
          columns = OPENCELLID_ORDER;
          report.header = 'none';
        } else {
          const mapped = mapHeader(split.value);
          if (!mapped.ok) return fail('unknown_header', mapped.detail);
          columns = mapped.value;
          continue;
        }
      }
      report.rows_total += 1;
      if (!split.ok) {
        reject(split.reason);
        continue;
      }
      const row = parseCellRow(split.value, columns);
      if (!row.ok) {
        reject(row.reason, row.detail);
        continue;
      }
      batch.push(row.value);
      if (batch.length >= BATCH_ROWS) {
        report.imported += await store.upsertCells(batch);
        batch = [];
      }
    }
  } catch (e) {
    return fail('unreadable', `${path}: ${(e as Error).message}`);
  } finally {
    lines.close();
  }
  if (columns === null) return fail('empty', path);
  if (batch.length > 0) report.imported += await store.upsertCells(batch);
  report.rejected_total = rejected.total;
  report.rejected_by_reason = rejected.toJSON();
  return ok(report);
}
