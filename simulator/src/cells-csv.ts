/** The scenario's cells as an OpenCelliD-format CSV, so a collector can import the same tower database. */
import type { Scenario } from './scenario.js';

export const OPENCELLID_HEADER = 'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal';

export function scenarioCellsCsv(scenario: Scenario): string {
  const rows = scenario.cells.map((c) => ['GSM', c.mcc, Number(c.mnc), c.lac, c.ci, 0, c.lon_deg, c.lat_deg, 1000, 1, 1, 0, 0, 0].join(','));
  return `${[OPENCELLID_HEADER, ...rows].join('\n')}\n`;
}
