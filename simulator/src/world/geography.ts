/**
 * Where radio meets the map: which cell of an operator a mobile at (x, y) camps on (best downlink
 * level: transmit power, antenna and sector gain, path loss, a location's shadowing), its distance to
 * that cell, the excess multipath delay that biases the measured TA, and the uplink margin that
 * decides whether the BTS decodes its access burst.
 *
 * Shadowing and excess delay are drawn from a hash of (place, cell), so one spot always sees the same
 * values (a static den keeps its TA) and nearby moving points decorrelate on a 50 m grid.
 *
 * Deterministic functions of the scenario; it holds no subscriber state.
 */
import { hashInts, hashedNormal } from '../random.js';
import type { CellRuntime } from './cells.js';
import { BTS_SENSITIVITY_DBM, MS_TX_POWER_DBM, bearingDeg, indoorPathLossDb, macroPathLossDb, sectorGainDb } from './radio.js';

/** Lognormal shadowing sigma, dB (urban macro; typical planning value 6–8 dB). */
export const SHADOWING_SIGMA_DB = 6;
/** Mean excess path of the strongest multipath component, metres (urban NLOS). */
export const EXCESS_DELAY_MEAN_M = 60;
/** Default small-cell coverage limit when the scenario gives none. */
export const SMALL_CELL_RANGE_M = 100;
/** RXLEV_ACCESS_MIN (−110 dBm + 8 dB, the SI3 default here): weaker cells cannot be camped on. */
export const ACCESS_MIN_DBM = -102;
/** CELL_RESELECT_HYSTERESIS toward a cell of another location area (SI3 code 2 = 4 dB). */
export const RESELECT_HYSTERESIS_DB = 4;
/** `placeKey` meaning "a moving mobile": shadowing from a smooth spatial field instead of a fixed draw. */
export const MOVING = -1;
/** Grid of the spatial shadowing field (decorrelation distance of urban shadowing is tens of metres to ~100 m). */
const FIELD_GRID_M = 100;

export interface Selection {
  cell: number;
  distance_m: number;
  level_dbm: number;
}

export class Geography {
  /** Cell indexes per operator index. */
  readonly cellsByOp: number[][];

  constructor(readonly cells: readonly CellRuntime[], operatorCount: number) {
    this.cellsByOp = Array.from({ length: operatorCount }, () => []);
    for (const c of cells) this.cellsByOp[c.opIndex]!.push(c.index);
  }

  /** Key for place-bound random terms: a 50 m grid square. */
  static placeKey(x: number, y: number): number {
    return hashInts(Math.floor(x / 50), Math.floor(y / 50), 0x51ad);
  }

  /** Downlink level from `cell` at (x, y), dB·m, including shadowing for `placeKey` and extra loss. */
  level(cell: CellRuntime, x: number, y: number, placeKey: number, lossDb: number): { level: number; distance: number } {
    const dx = x - cell.x;
    const dy = y - cell.y;
    const d = Math.sqrt(dx * dx + dy * dy);
    const c = cell.cfg;
    if (c.kind === 'small_cell') {
      if (d > (c.range_m ?? SMALL_CELL_RANGE_M)) return { level: -200, distance: d };
      return { level: c.tx_power_dbm + 2 - indoorPathLossDb(d), distance: d };
    }
    const gain = c.antenna_gain_dbi + sectorGainDb(bearingDeg(cell.x, cell.y, x, y), c.azimuth_deg, c.beamwidth_deg);
    const shadow = SHADOWING_SIGMA_DB * (placeKey === MOVING ? fieldNormal(x, y, cell.index) : hashedNormal(placeKey, cell.index, 0x5a));
    return { level: c.tx_power_dbm + gain - macroPathLossDb(d) + shadow - lossDb, distance: d };
  }

  /**
   * The operator's cell a mobile at (x, y) camps on, or null when none is above the access minimum.
   * Cells of the location area it is registered in (`registeredLa`) win ties by the reselection
   * hysteresis, as C1/C2 reselection does (TS 45.008 §6.6.2).
   */
  select(x: number, y: number, opIndex: number, placeKey: number, lossDb: number, registeredLa = -1): Selection | null {
    let best: Selection | null = null;
    let bestScore = -Infinity;
    for (const ci of this.cellsByOp[opIndex] ?? []) {
      const cell = this.cells[ci]!;
      const { level, distance } = this.level(cell, x, y, placeKey, lossDb);
      if (level < ACCESS_MIN_DBM) continue;
      const score = level + (cell.laIndex === registeredLa ? RESELECT_HYSTERESIS_DB : 0);
      if (score > bestScore) {
        bestScore = score;
        best = { cell: ci, distance_m: distance, level_dbm: level };
      }
    }
    return best;
  }

  /** The `n` strongest cells of an operator at (x, y) (for a den's "Poll" cell mode). */
  strongest(x: number, y: number, opIndex: number, placeKey: number, lossDb: number, n: number): Selection[] {
    const all: Selection[] = [];
    for (const ci of this.cellsByOp[opIndex] ?? []) {
      const { level, distance } = this.level(this.cells[ci]!, x, y, placeKey, lossDb);
      if (level >= ACCESS_MIN_DBM) all.push({ cell: ci, distance_m: distance, level_dbm: level });
    }
    all.sort((a, b) => b.level_dbm - a.level_dbm);
    return all.slice(0, n);
  }

  /** Excess multipath delay (metres of extra path) between a place and a cell: exponential, mean 60 m. */
  excessDelayM(placeKey: number, cellIndex: number): number {
    const u = (hashInts(placeKey, cellIndex, 0xe7) + 0.5) / 4294967296;
    return -EXCESS_DELAY_MEAN_M * Math.log(u);
  }

  /**
   * Probability the BTS decodes one access burst from (x, y): a logistic of the uplink margin over the
   * BTS sensitivity (mobile at 2 W, same path loss and gains as the downlink).
   */
  accessDecodeProbability(cell: CellRuntime, downlinkLevelDbm: number): number {
    const uplink = downlinkLevelDbm - cell.cfg.tx_power_dbm + MS_TX_POWER_DBM;
    const margin = uplink - BTS_SENSITIVITY_DBM;
    return 1 / (1 + Math.exp(-(margin - 3) / 2));
  }
}

/** A smooth standard-normal field over the plane (bilinear between hashed 100 m grid values, variance restored). */
function fieldNormal(x: number, y: number, cell: number): number {
  const gx = Math.floor(x / FIELD_GRID_M);
  const gy = Math.floor(y / FIELD_GRID_M);
  const fx = x / FIELD_GRID_M - gx;
  const fy = y / FIELD_GRID_M - gy;
  const v = (i: number, j: number) => hashedNormal(hashInts(gx + i, gy + j, 0x51ad), cell, 0x5a);
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const sum = w00 * v(0, 0) + w10 * v(1, 0) + w01 * v(0, 1) + w11 * v(1, 1);
  return sum / Math.sqrt(w00 * w00 + w10 * w10 + w01 * w01 + w11 * w11);
}
