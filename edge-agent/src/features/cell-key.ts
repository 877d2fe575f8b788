/** A stable string key for (cell, ARFCN): feature windows and detectors group by it. */
import type { CellId } from '../gsm/events.js';

export function cellKey(cell: CellId | null, arfcn: number): string {
  return cell === null ? `?-${arfcn}` : `${cell.mcc}-${cell.mnc}-${cell.lac}-${cell.ci}-${arfcn}`;
}
