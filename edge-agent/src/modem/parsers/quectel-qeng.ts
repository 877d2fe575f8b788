/**
 * Quectel `AT+QENG="servingcell"` / `AT+QENG="neighbourcell"` rows (EC2x/EG2x/BG9x/M95 class):
 *   GSM serving   `"servingcell",<state>,"GSM",<mcc>,<mnc>,<lac>,<cellid>,<bsic>,<arfcn>,<band>,<rxlev>,
 *                  <txp>,<rla>,<drx>,<c1>,<c2>,<gprs>,<tch>,<ts>,<ta>,…`
 *   LTE serving   `"servingcell",<state>,"LTE"|"CAT-M"|"CAT-NB",<is_tdd>,<mcc>,<mnc>,<cellid>,<pcid>,<earfcn>,
 *                  <band>,<ul_bw>,<dl_bw>,<tac>,<rsrp>,<rsrq>,<rssi>,<sinr>,<srxlev>`
 *   GSM neighbour `"neighbourcell","GSM",<mcc>,<mnc>,<lac>,<cellid>,<bsic>,<arfcn>,<rxlev>,<c1>,<c2>,<c31>,<c32>`
 *   LTE neighbour `"neighbourcell intra"|"neighbourcell inter","LTE",<earfcn>,<pcid>,<rsrq>,<rsrp>,<rssi>,<sinr>,…`
 * lac/cellid/tac are hex. Quectel's GSM `<rxlev>` is in dBm (negative) on these modules; a value 0–63
 * is read as an RXLEV. "-" means not available. For LTE, `cell.lac` holds the TAC and `cell.ci` the
 * 28-bit E-UTRAN cell id. LTE inter-frequency rows without a measured cell ("-" pcid) are configured
 * frequencies, not cells, and are not reported. WCDMA rows are not parsed (not_this_report).
 * Must not: talk to the port, or invent missing fields.
 */
import { fail, ok, type CellId, type NeighbourCell } from '@simhound/protocol';
import type { CellReport, ServingCellFields } from './cell-report.js';
import { decimal, hex, inRange, plmn, rssiDbmToRxlev, rxlevToRssiDbm, splitAtFields } from './fields.js';
import { MAX_REPORT_LINE, type ParseResult } from './parse-result.js';

const PREFIX = /^\+QENG:\s*/;
const LTE_RATS = new Set(['LTE', 'CAT-M', 'CAT-NB', 'eMTC', 'NBIoT']);

export type QengRow =
  | { kind: 'serving'; fields: ServingCellFields }
  | { kind: 'neighbour'; rat: 'gsm' | 'lte'; cell: NeighbourCell }
  | { kind: 'configured_frequency' };

function gsmLevel(text: string | undefined): { rxlev: number; rssi_dbm: number } | null {
  const n = decimal(text);
  if (n === null) return null;
  if (n < 0) return n >= -150 ? { rxlev: rssiDbmToRxlev(n), rssi_dbm: n } : null;
  return n <= 63 ? { rxlev: n, rssi_dbm: rxlevToRssiDbm(n) } : null;
}

function cell(mcc: string | undefined, mnc: string | undefined, lacT: string | undefined, ciT: string | undefined, ciMax: number): CellId | null {
  const p = plmn(mcc, mnc);
  const lac = inRange(hex(lacT), 1, 0xfffe);
  const ci = inRange(hex(ciT), 1, ciMax);
  return p && lac !== null && ci !== null ? { ...p, lac, ci } : null;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null): void {
  if (value !== null) target[key] = value;
}

export function parseQengLine(line: string): ParseResult<QengRow> {
  if (line.length > MAX_REPORT_LINE) return fail('too_long');
  const t = line.trim();
  if (!PREFIX.test(t)) return fail('not_this_report');
  const f = splitAtFields(t.replace(PREFIX, ''));
  if (f === null || f.length < 2) return fail('bad_syntax', line);
  const what = f[0]!;
  if (what === 'servingcell') {
    const state = f[1]!;
    if (state === 'SEARCH' || f.length === 2) return fail('no_service', state);
    const rat = f[2]!;
    if (rat === 'GSM') {
      if (f.length < 16) return fail('bad_syntax', line);
      const arfcn = inRange(decimal(f[8]), 0, 1023);
      const level = gsmLevel(f[10]);
      if (arfcn === null || level === null) return fail('bad_field', line);
      const fields: ServingCellFields = { rat: 'gsm', cell: cell(f[3], f[4], f[5], f[6], 0xfffe), arfcn, ...level };
      setIf(fields, 'bsic', inRange(decimal(f[7]), 0, 63));
      setIf(fields, 'c1', inRange(decimal(f[14]), -200, 200));
      setIf(fields, 'c2', inRange(decimal(f[15]), -200, 200));
      setIf(fields, 'ta_steps', inRange(decimal(f[19]), 0, 63));
      return ok({ kind: 'serving', fields });
    }
    if (LTE_RATS.has(rat)) {
      if (f.length < 16) return fail('bad_syntax', line);
      const earfcn = inRange(decimal(f[8]), 0, 262143);
      if (earfcn === null) return fail('bad_field', line);
      const fields: ServingCellFields = { rat: 'lte', cell: cell(f[4], f[5], f[12], f[6], 0xfffffff), earfcn };
      setIf(fields, 'pci', inRange(decimal(f[7]), 0, 503));
      setIf(fields, 'rsrp_dbm', inRange(decimal(f[13]), -150, 0));
      setIf(fields, 'rsrq_db', inRange(decimal(f[14]), -40, 20));
      setIf(fields, 'rssi_dbm', inRange(decimal(f[15]), -150, 0));
      return ok({ kind: 'serving', fields });
    }
    return fail('not_this_report', rat);
  }
  if (what === 'neighbourcell') {
    if (f[1] !== 'GSM') return fail('not_this_report', f[1]);
    if (f.length < 9) return fail('bad_syntax', line);
    const arfcn = inRange(decimal(f[7]), 0, 1023);
    const level = gsmLevel(f[8]);
    if (arfcn === null || level === null) return fail('bad_field', line);
    const n: NeighbourCell = { cell: cell(f[2], f[3], f[4], f[5], 0xfffe), arfcn, ...level };
    setIf(n, 'bsic', inRange(decimal(f[6]), 0, 63));
    setIf(n, 'c1', inRange(decimal(f[9]), -200, 200));
    setIf(n, 'c2', inRange(decimal(f[10]), -200, 200));
    return ok({ kind: 'neighbour', rat: 'gsm', cell: n });
  }
  if (what === 'neighbourcell intra' || what === 'neighbourcell inter') {
    if (f[1] !== 'LTE') return fail('not_this_report', f[1]);
    if (f.length < 8) return fail('bad_syntax', line);
    const earfcn = inRange(decimal(f[2]), 0, 262143);
    if (earfcn === null) return fail('bad_field', line);
    const pci = inRange(decimal(f[3]), 0, 503);
    if (pci === null) return ok({ kind: 'configured_frequency' });
    const n: NeighbourCell = { cell: null, earfcn, pci };
    setIf(n, 'rsrq_db', inRange(decimal(f[4]), -40, 20));
    setIf(n, 'rsrp_dbm', inRange(decimal(f[5]), -150, 0));
    setIf(n, 'rssi_dbm', inRange(decimal(f[6]), -150, 0));
    return ok({ kind: 'neighbour', rat: 'lte', cell: n });
  }
  return fail('not_this_report', what);
}

/** Every +QENG row of one or more responses (servingcell and neighbourcell) → one report. */
export function parseQengResponse(lines: readonly string[]): ParseResult<CellReport> {
  const report: CellReport = { rat: 'gsm', serving: null, neighbours: [], rejected_rows: 0 };
  let rows = 0;
  let searching = false;
  for (const line of lines) {
    const r = parseQengLine(line);
    if (!r.ok) {
      if (r.reason === 'no_service') searching = true;
      else if (r.reason !== 'not_this_report') report.rejected_rows++;
      continue;
    }
    rows++;
    if (r.value.kind === 'serving') {
      report.serving = r.value.fields;
      report.rat = r.value.fields.rat;
    } else if (r.value.kind === 'neighbour') report.neighbours.push(r.value.cell);
  }
  if (rows === 0) return fail(searching ? 'no_service' : report.rejected_rows > 0 ? 'bad_syntax' : 'not_this_report');
  if (report.serving === null && report.neighbours.length > 0 && report.neighbours[0]!.earfcn !== undefined) report.rat = 'lte';
  return ok(report);
}
