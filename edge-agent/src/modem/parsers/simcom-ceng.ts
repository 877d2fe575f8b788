/**
 * SIMCom `AT+CENG?` engineering-mode rows (SIM800/SIM808/SIM900, mode `AT+CENG=1,1`):
 *   serving   `+CENG: 0,"<arfcn>,<rxl>,<rxq>,<mcc>,<mnc>,<bsic>,<cellid>,<rla>,<txp>,<lac>,<TA>"`
 *   neighbour `+CENG: n,"<arfcn>,<rxl>,<bsic>,<cellid>,<mcc>,<mnc>,<lac>"` (n = 1…6)
 *   neighbour `+CENG: n,"<arfcn>,<rxl>,<bsic>,<mcc>,<mnc>,<lac>"`           (mode 1,0: no cell id)
 * cellid and lac are hex; the rest decimal; rxl is RXLEV 0–63; bsic is decimal 0–63 (values above, e.g.
 * 127/156, appear for cells whose BSIC is not decoded yet and are left out); TA 255 means "not in
 * dedicated mode". mcc 000 / empty, cellid ffff mean the identity is unknown → `cell: null`.
 *
 * ARFCN ≥ 1024: the SIM800L fixture reports neighbours 1688/1692/1696/1698/1701/1702 where a SIM900 on
 * the same network (310/260, a PCS-1900 operator) reports 664/668/672/674/677/678 — exactly 1024 less.
 * We read such values as a PCS-1900 channel flagged by +1024 and report ARFCN − 1024 (inferred from the
 * fixtures, not from a SIMCom document).
 * Must not: talk to the port (the poller does) or guess fields that are absent.
 */
import type { CellId, NeighbourCell } from '@simhound/protocol';
import { decimal, hex, inRange, plmn, rxlevToRssiDbm, splitAtFields } from './fields.js';
import type { CellReport, ServingCellFields } from './cell-report.js';
import { fail, ok } from '@simhound/protocol';
import { MAX_REPORT_LINE, type ParseResult } from './parse-result.js';

export type CengRow =
  | { kind: 'serving'; fields: ServingCellFields }
  | { kind: 'neighbour'; index: number; cell: NeighbourCell }
  | { kind: 'mode'; mode: number; cellid_mode: number };

const ROW = /^\+CENG:\s*([0-9]+),(.*)$/;

/** SIMCom's PCS-1900 flag (see the header comment). */
function arfcnOf(text: string | undefined): number | null {
  const n = decimal(text);
  if (n === null || n < 0) return null;
  if (n <= 1023) return n;
  if (n >= 1024 && n <= 2047) return n - 1024;
  return null;
}

function cellOf(mcc: string | undefined, mnc: string | undefined, lacText: string | undefined, ciText: string | undefined): CellId | null {
  const p = plmn(mcc, mnc);
  const lac = inRange(hex(lacText), 1, 0xfffe);
  const ci = inRange(hex(ciText), 1, 0xfffe);
  return p && lac !== null && ci !== null ? { ...p, lac, ci } : null;
}

export function parseCengLine(line: string): ParseResult<CengRow> {
  if (line.length > MAX_REPORT_LINE) return fail('too_long');
  const m = ROW.exec(line.trim());
  if (!m) return fail('not_this_report');
  const index = Number.parseInt(m[1]!, 10);
  const rest = m[2]!;
  if (!rest.startsWith('"')) {
    // `+CENG: <mode>,<Ncell>` — the header of the read response.
    const mode = decimal(rest.split(',')[0]);
    return mode === null ? fail('bad_syntax', line) : ok({ kind: 'mode', mode: index, cellid_mode: mode });
  }
  const f = splitAtFields(rest);
  if (f === null || f.length !== 1) return fail('bad_syntax', line);
  const v = splitAtFields(f[0]!)!;
  if (index === 0) {
    if (v.length < 10) return fail('bad_syntax', line);
    const [arfcnT, rxlT, rxqT, mcc, mnc, bsicT, ciT, , , lacT, taT] = v;
    const arfcn = arfcnOf(arfcnT);
    const rxlev = inRange(decimal(rxlT), 0, 63);
    if (arfcn === null || rxlev === null) return fail('bad_field', line);
    const fields: ServingCellFields = { rat: 'gsm', cell: cellOf(mcc, mnc, lacT, ciT), arfcn, rxlev, rssi_dbm: rxlevToRssiDbm(rxlev) };
    const rxqual = inRange(decimal(rxqT), 0, 7);
    if (rxqual !== null) fields.rxqual = rxqual;
    const bsic = inRange(decimal(bsicT), 0, 63);
    if (bsic !== null) fields.bsic = bsic;
    const ta = inRange(decimal(taT), 0, 63);
    if (ta !== null) fields.ta_steps = ta;
    return ok({ kind: 'serving', fields });
  }
  if (index > 32) return fail('bad_field', line);
  let arfcnT: string | undefined, rxlT: string | undefined, bsicT: string | undefined, ciT: string | undefined;
  let mcc: string | undefined, mnc: string | undefined, lacT: string | undefined;
  if (v.length === 7) [arfcnT, rxlT, bsicT, ciT, mcc, mnc, lacT] = v;
  else if (v.length === 6) [arfcnT, rxlT, bsicT, mcc, mnc, lacT] = v;
  else return fail('bad_syntax', line);
  const arfcn = arfcnOf(arfcnT);
  const rxlev = inRange(decimal(rxlT), 0, 63);
  if (arfcn === null || rxlev === null) return fail('bad_field', line);
  const cell: NeighbourCell = { cell: cellOf(mcc, mnc, lacT, ciT), arfcn, rxlev, rssi_dbm: rxlevToRssiDbm(rxlev) };
  const bsic = inRange(decimal(bsicT), 0, 63);
  if (bsic !== null) cell.bsic = bsic;
  return ok({ kind: 'neighbour', index, cell });
}

/** The rows of one `AT+CENG?` response → one report. Lines that are not CENG rows are ignored. */
export function parseCengResponse(lines: readonly string[]): ParseResult<CellReport> {
  const report: CellReport = { rat: 'gsm', serving: null, neighbours: [], rejected_rows: 0 };
  let rows = 0;
  for (const line of lines) {
    const r = parseCengLine(line);
    if (!r.ok) {
      if (r.reason !== 'not_this_report') report.rejected_rows++;
      continue;
    }
    rows++;
    if (r.value.kind === 'serving') report.serving = r.value.fields;
    else if (r.value.kind === 'neighbour') report.neighbours.push(r.value.cell);
  }
  if (rows === 0) return fail(report.rejected_rows > 0 ? 'bad_syntax' : 'not_this_report');
  return ok(report);
}
