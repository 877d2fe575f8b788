/**
 * What the edge knows about each cell it hears, per (source, ARFCN): identity from SI3/SI4, the NECI bit
 * that the RA→cause mapping needs, the CCCH configuration, and the latest decoded System Information.
 * Decoders consult it; System Information decoders update it.
 */
import type { CellId } from './events.js';

export interface CellState {
  readonly source: string;
  readonly arfcn: number;
  cell: CellId | null;
  /** NECI bit from SI3/SI4 cell selection parameters; null until seen. */
  neci: 0 | 1 | null;
  /** Latest decoded fields per System Information message name. */
  readonly si: Record<string, Record<string, unknown>>;
  updated_ts_ms: number;
}

export class CellStateTracker {
  private readonly cells = new Map<string, CellState>();

  get(source: string, arfcn: number): CellState {
    const key = `${source}\u0000${arfcn}`;
    let state = this.cells.get(key);
    if (state === undefined) {
      state = { source, arfcn, cell: null, neci: null, si: {}, updated_ts_ms: 0 };
      this.cells.set(key, state);
    }
    return state;
  }

  all(): CellState[] {
    return [...this.cells.values()];
  }
}
