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

/** Identity parts a System Information message carries (SI3: LAI + CI; SI4: LAI, CI only in rest octets). */
export interface SystemInformationIdentity {
  readonly lai?: { readonly mcc: string; readonly mnc: string; readonly lac: number };
  readonly ci?: number;
  readonly neci?: 0 | 1;
}

/**
 * Records a decoded System Information message in `state`: its fields under `si[message]`, NECI, and the
 * cell identity. SI4 has a LAI but no CI, so it keeps the CI learnt from SI3; with no CI known yet the
 * identity stays null (a CellId without CI would be a guess). `cell` is replaced, never mutated, so events
 * already emitted keep the identity they were decoded with.
 */
export function updateFromSystemInformation(
  state: CellState,
  message: string,
  info: Record<string, unknown>,
  ts_ms: number,
  identity: SystemInformationIdentity = {},
): void {
  const { lai, ci, neci } = identity;
  if (lai !== undefined && ci !== undefined) {
    state.cell = { mcc: lai.mcc, mnc: lai.mnc, lac: lai.lac, ci };
  } else if (lai !== undefined && state.cell !== null) {
    state.cell = { mcc: lai.mcc, mnc: lai.mnc, lac: lai.lac, ci: state.cell.ci };
  } else if (ci !== undefined && state.cell !== null) {
    state.cell = { ...state.cell, ci };
  }
  if (neci !== undefined) state.neci = neci;
  state.si[message] = info;
  state.updated_ts_ms = ts_ms;
}
