/**
 * Checks a schema-valid scenario for what the schema cannot say: unique ids, references between
 * sections (operators ↔ cells, small-cell crowds ↔ cells, trains ↔ routes, probes ↔ cells), dates that
 * exist, intervals that run forward, a position for every den and probe.
 *
 * Returns every problem with its path; it must not modify the scenario.
 */
import type { Scenario } from './scenario.js';
import { parseLocalDateTime } from './time/calendar.js';

const plmnOf = (c: { mcc: string; mnc: string }) => `${c.mcc}${c.mnc}`;

function duplicates<T>(items: readonly T[], key: (t: T) => string, path: (i: number) => string, what: string, errors: string[]): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) errors.push(`${path(i)}: duplicate ${what} '${k}' (first at ${path(first)})`);
    else seen.set(k, i);
  });
}

export function checkScenario(s: Scenario): string[] {
  const errors: string[] = [];
  const off = s.utc_offset_h;
  const start = parseLocalDateTime(s.start, off);
  if (start === null) errors.push(`/start: '${s.start}' is not a date`);
  const date = (text: string, path: string): number | null => {
    const t = parseLocalDateTime(text, off);
    if (t === null) errors.push(`${path}: '${text}' is not a date`);
    return t;
  };

  const plmns = new Set(s.cells.map(plmnOf));
  duplicates(s.cells, (c) => String(c.ci), (i) => `/cells/${i}/ci`, 'cell identity', errors);
  duplicates(s.operators, (o) => o.plmn, (i) => `/operators/${i}/plmn`, 'operator', errors);
  s.operators.forEach((o, i) => {
    if (!plmns.has(o.plmn)) errors.push(`/operators/${i}/plmn: no cell of operator ${o.plmn}`);
  });
  const cellByCi = new Map(s.cells.map((c) => [c.ci, c]));

  const routeIds = new Set(s.routes.map((r) => r.id));
  duplicates(s.routes, (r) => r.id, (i) => `/routes/${i}/id`, 'route id', errors);
  duplicates(s.crowds, (c) => c.id, (i) => `/crowds/${i}/id`, 'crowd id', errors);
  s.crowds.forEach((c, i) => {
    const p = `/crowds/${i}`;
    switch (c.kind) {
      case 'stadium':
      case 'concert':
        c.events.forEach((e, j) => date(e.start, `${p}/events/${j}/start`));
        break;
      case 'small_cell': {
        const cell = cellByCi.get(c.cell_ci);
        if (cell === undefined) errors.push(`${p}/cell_ci: no cell with CI ${c.cell_ci}`);
        else if (cell.kind !== 'small_cell') errors.push(`${p}/cell_ci: cell ${c.cell_ci} is not of kind small_cell`);
        break;
      }
      case 'train':
        if (!routeIds.has(c.route)) errors.push(`${p}/route: no route '${c.route}'`);
        break;
      case 'market':
      case 'call_centre':
      case 'office':
      case 'factory':
      case 'station':
      case 'heavy_user':
        break;
    }
  });

  duplicates(s.dens, (d) => d.id, (i) => `/dens/${i}/id`, 'den id', errors);
  s.dens.forEach((d, i) => {
    const p = `/dens/${i}`;
    const fixed = d.lat_deg !== undefined && d.lon_deg !== undefined;
    if (fixed === (d.van !== undefined)) errors.push(`${p}: give either lat_deg/lon_deg or van`);
    if ((d.lat_deg === undefined) !== (d.lon_deg === undefined)) errors.push(`${p}: lat_deg and lon_deg go together`);
    const m = /^cat-pool-([0-9]+)$/.exec(d.type);
    if (m && (Number(m[1]) < 1 || Number(m[1]) > 512)) errors.push(`${p}/type: a cat pool holds 1..512 SIMs`);
    (d.operators ?? []).forEach((o, j) => {
      const plmn = typeof o === 'string' ? o : o.plmn;
      if (!plmns.has(plmn)) errors.push(`${p}/operators/${j}: no cell of operator ${plmn}`);
    });
    if (d.cell_mode === 'fixed') {
      if (d.fixed_ci === undefined) errors.push(`${p}/fixed_ci: cell_mode fixed needs fixed_ci`);
      else if (!cellByCi.has(d.fixed_ci)) errors.push(`${p}/fixed_ci: no cell with CI ${d.fixed_ci}`);
    }
    if (d.poll.max_s < d.poll.min_s) errors.push(`${p}/poll/max_s: smaller than min_s`);
    if (d.sims !== undefined && d.ports !== undefined && d.sims < d.ports) errors.push(`${p}/sims: fewer SIMs than ports`);
    if (d.call.unanswered_share + d.call.short_share > 1) errors.push(`${p}/call: unanswered_share + short_share exceeds 1`);
    (d.active ?? []).forEach((a, j) => {
      const from = date(a.from, `${p}/active/${j}/from`);
      const to = date(a.to, `${p}/active/${j}/to`);
      if (from !== null && to !== null && to <= from) errors.push(`${p}/active/${j}: 'to' is not after 'from'`);
    });
    if (typeof d.hours === 'object' && d.hours.start_h === d.hours.end_h) errors.push(`${p}/hours: start_h equals end_h (no working time)`);
  });

  duplicates(s.probes, (p) => `${p.site}/${p.probe}`, (i) => `/probes/${i}`, 'probe', errors);
  s.probes.forEach((pr, i) => {
    const p = `/probes/${i}`;
    const fixed = pr.lat_deg !== undefined && pr.lon_deg !== undefined;
    if (fixed === (pr.route !== undefined)) errors.push(`${p}: give either lat_deg/lon_deg or route`);
    if ((pr.lat_deg === undefined) !== (pr.lon_deg === undefined)) errors.push(`${p}: lat_deg and lon_deg go together`);
    (pr.cells ?? []).forEach((ci, j) => {
      if (!cellByCi.has(ci)) errors.push(`${p}/cells/${j}: no cell with CI ${ci}`);
    });
  });
  return errors;
}
