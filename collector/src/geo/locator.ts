/**
 * The location engine: a log-likelihood grid over a square area (default 20 × 20 km at 10 m cells),
 * summing TA rings from every serving cell, uplink signal strength at several probes (path loss fitted),
 * bearings and a prior; out come the maximum-likelihood point, the posterior mean and covariance, the 95 %
 * confidence ellipse, the heatmap of a viewport and (next-best.ts) where to measure next.
 *
 * Sparse and tiled so a 4-million-cell area stays cheap:
 *  1. Static terms (rings, bearings, prior) give each 32 × 32-cell tile an exact upper bound; tiles far
 *     below the best (static_margin) are never evaluated. Their per-cell values are cached per tile.
 *  2. On each update the dynamic term (uplink RSSI) is evaluated on a coarse lattice of every admissible
 *     tile; only tiles whose coarse maximum comes within refine_margin of the best are evaluated at full
 *     resolution. Everything outside carries less than e^−refine_margin of the best cell's weight.
 *  3. The RSSI term is kept per cell as three sums over bins (Σw·L, Σw·L², Σw·r·L); a new burst changes
 *     one bin, so an update costs one logarithm per cell, not one per cell and bin.
 *
 * Works in the local azimuthal-equidistant plane of @simhound/geo; inputs and outputs are WGS-84.
 * Must not read the store or know about dens (den-locator.ts feeds it).
 */
import { LocalProjection, type LatLon } from '@simhound/geo';
import { BearingLikelihood, BEARING_MODEL_DEFAULTS, type BearingModel } from './bearing.js';
import type { BuiltUpPrior } from './built-up-prior.js';
import { hpdEllipse, type WeightedPoints } from './hpd-ellipse.js';
import { CHI2_2DOF_95 } from './normal.js';
import { BINNING_DEFAULTS, RssiBinner, type BinState, type BinningModel, type BurstSample } from './rssi-bins.js';
import { RING_MODEL_DEFAULTS, TaRingLikelihood, type RingModel } from './ta-ring.js';
import { PATH_LOSS_PRIOR_DEFAULTS, UplinkRssiLikelihood, type PathLossFit, type PathLossPrior, type RssiBin } from './uplink-rssi.js';

export interface LocatorConfig {
  cell_m: number;
  /** Half the side of the square area, metres (10 000 → 20 × 20 km). */
  half_extent_m: number;
  tile_cells: number;
  /** Coarse lattice step, in cells. */
  coarse_step: number;
  /** Tiles whose static bound is this far (nats) below the best static value are never evaluated. */
  static_margin: number;
  /** Tiles whose coarse maximum is this far below the best are not refined. */
  refine_margin: number;
  ring: RingModel;
  bearing: BearingModel;
  path_loss: PathLossPrior;
  binning: BinningModel;
}

export const LOCATOR_DEFAULTS: LocatorConfig = {
  cell_m: 10,
  half_extent_m: 10_000,
  tile_cells: 32,
  coarse_step: 4,
  static_margin: 40,
  refine_margin: 30,
  ring: RING_MODEL_DEFAULTS,
  bearing: BEARING_MODEL_DEFAULTS,
  path_loss: PATH_LOSS_PRIOR_DEFAULTS,
  binning: BINNING_DEFAULTS,
};

export interface RingInput {
  cell: LatLon;
  range_min_m: number;
  range_max_m: number;
  label?: string;
}

export interface BearingInput {
  position: LatLon;
  bearing_deg: number;
  bearing_std_deg: number;
  label?: string;
}

export interface BurstInput {
  position: LatLon;
  rssi_dbm: number;
  probe: string;
  moving: boolean;
}

export interface Ellipse95 {
  centre: LatLon;
  semi_major_m: number;
  semi_minor_m: number;
  orientation_deg: number;
}

export interface LocationEstimate {
  /** Maximum-likelihood (maximum a-posteriori with the prior) cell centre. */
  ml_point: LatLon;
  mean_point: LatLon;
  /** Posterior covariance in the local plane (east, north), m². */
  covariance_m2: { xx: number; xy: number; yy: number };
  ellipse_95: Ellipse95;
  /** Area of the smallest set of cells holding 95 % of the posterior, m². */
  hpd95_area_m2: number;
  /** Fitted path loss at the ML point (null without uplink measurements). */
  path_loss: PathLossFit | null;
  inputs: { rings: number; rssi_bins: number; bursts: number; bearings: number; prior: boolean };
  grid: { cell_m: number; half_extent_m: number; admissible_tiles: number; refined_tiles: number; refined_cells: number };
  /** Wall-clock time of this estimate, ms. */
  compute_ms: number;
}

export interface HeatmapRaster {
  width: number;
  height: number;
  /** Row-major from the north-west corner; 0 = nothing, 255 = the most likely cell's weight. */
  values: Uint8Array;
  bbox: { west: number; south: number; east: number; north: number };
}

/** Per-cell RSSI sums over the bins, with the bin states they include. */
interface DynSums {
  swl: Float64Array;
  swll: Float64Array;
  swrl: Float64Array;
  applied: Map<string, BinState>;
  version: number;
  generation: number;
}

interface Tile {
  index: number;
  ix: number;
  iy: number;
  x0: number;
  y0: number;
  staticLp: Float64Array;
  coarseMax: number;
  coarse: DynSums | null;
  fine: DynSums | null;
  fineLp: Float64Array | null;
}

function newSums(n: number, generation: number): DynSums {
  return { swl: new Float64Array(n), swll: new Float64Array(n), swrl: new Float64Array(n), applied: new Map(), version: -1, generation };
}

export class Locator {
  readonly projection: LocalProjection;
  readonly config: LocatorConfig;
  private readonly tilesPerSide: number;
  private readonly cellsPerSide: number;
  private readonly x0: number;
  private readonly y0: number;

  private rings: TaRingLikelihood[] = [];
  private ringCentres: Array<{ x: number; y: number }> = [];
  private bearings: BearingLikelihood[] = [];
  private prior: BuiltUpPrior | null = null;
  private binner: RssiBinner;
  private generation = 0;
  private bursts = 0;
  private rssi: UplinkRssiLikelihood;

  private tiles: Map<number, Tile> | null = null;
  private refined: Tile[] = [];
  private best = -Infinity;
  private inputsCount = { rings: 0, bearings: 0 };

  constructor(origin: LatLon, config: Partial<LocatorConfig> = {}) {
    this.config = { ...LOCATOR_DEFAULTS, ...config };
    this.projection = new LocalProjection(origin);
    const c = this.config;
    this.tilesPerSide = Math.ceil((2 * c.half_extent_m) / (c.cell_m * c.tile_cells));
    this.cellsPerSide = this.tilesPerSide * c.tile_cells;
    this.x0 = -(this.cellsPerSide * c.cell_m) / 2;
    this.y0 = this.x0;
    this.rssi = new UplinkRssiLikelihood([], c.path_loss);
    this.binner = new RssiBinner(c.binning);
  }

  setRings(rings: readonly RingInput[]): void {
    this.rings = rings.map((r) => new TaRingLikelihood(r.range_min_m, r.range_max_m, this.config.ring, this.config.half_extent_m * 4));
    this.ringCentres = rings.map((r) => this.projection.toXY(r.cell));
    this.inputsCount.rings = rings.length;
    this.tiles = null;
  }

  setBearings(bearings: readonly BearingInput[]): void {
    this.bearings = bearings.map((b) => {
      const p = this.projection.toXY(b.position);
      return new BearingLikelihood(p.x, p.y, b.bearing_deg, b.bearing_std_deg, this.config.bearing);
    });
    this.inputsCount.bearings = bearings.length;
    this.tiles = null;
  }

  setPrior(prior: BuiltUpPrior | null): void {
    this.prior = prior;
    this.tiles = null;
  }

  private toSamples(bursts: readonly BurstInput[]): BurstSample[] {
    return bursts.map((b) => {
      const p = this.projection.toXY(b.position);
      return { x: p.x, y: p.y, rssi_dbm: b.rssi_dbm, probe: b.probe, moving: b.moving };
    });
  }

  /** Replace the uplink measurements (they are re-binned; every cell's sums start again). */
  setBursts(bursts: readonly BurstInput[]): void {
    this.binner = new RssiBinner(this.config.binning);
    this.generation++;
    this.bursts = 0;
    this.addBursts(bursts);
  }

  /** Add uplink measurements to those already held (only the bins they fall in change). */
  addBursts(bursts: readonly BurstInput[]): void {
    this.binner.add(this.toSamples(bursts));
    this.bursts += bursts.length;
    this.rssi = new UplinkRssiLikelihood(this.binner.bins(), this.config.path_loss);
  }

  get rssiLikelihood(): UplinkRssiLikelihood {
    return this.rssi;
  }

  get bins(): readonly RssiBin[] {
    return this.rssi.bins;
  }

  get burstCount(): number {
    return this.bursts;
  }

  /** Bring a set of per-point sums up to the binner's current bins (only changed bins are touched). */
  private sync(sums: DynSums, xAt: (k: number) => number, yAt: (k: number) => number): void {
    if (sums.generation !== this.generation) {
      sums.swl.fill(0); sums.swll.fill(0); sums.swrl.fill(0);
      sums.applied.clear();
      sums.version = -1;
      sums.generation = this.generation;
    }
    if (sums.version === this.binner.currentVersion) return;
    const changed = sums.version < 0 ? this.binner.allStates() : this.binner.changedSince(sums.version);
    const minD2 = this.config.path_loss.min_distance_m ** 2;
    const n = sums.swl.length;
    const { swl, swll, swrl } = sums;
    for (const s of changed) {
      const old = sums.applied.get(s.key);
      for (let k = 0; k < n; k++) {
        const x = xAt(k);
        const y = yAt(k);
        if (old !== undefined) {
          const dx = old.x - x;
          const dy = old.y - y;
          const d2 = dx * dx + dy * dy;
          const l = 5 * Math.log10(d2 < minD2 ? minD2 : d2);
          swl[k] -= old.w * l; swll[k] -= old.w * l * l; swrl[k] -= old.wr * l;
        }
        const dx = s.x - x;
        const dy = s.y - y;
        const d2 = dx * dx + dy * dy;
        const l = 5 * Math.log10(d2 < minD2 ? minD2 : d2);
        swl[k] += s.w * l; swll[k] += s.w * l * l; swrl[k] += s.wr * l;
      }
      sums.applied.set(s.key, s);
    }
    sums.version = this.binner.currentVersion;
  }

  /** Plane coordinates of cell (ix, iy) of the whole grid. */
  cellCentre(ix: number, iy: number): { x: number; y: number } {
    const s = this.config.cell_m;
    return { x: this.x0 + (ix + 0.5) * s, y: this.y0 + (iy + 0.5) * s };
  }

  private staticAt(x: number, y: number): number {
    let lp = 0;
    for (let k = 0; k < this.rings.length; k++) {
      const c = this.ringCentres[k]!;
      lp += this.rings[k]!.at(Math.hypot(x - c.x, y - c.y));
    }
    for (const b of this.bearings) lp += b.at(x, y);
    if (this.prior !== null) lp += this.prior.at(x, y);
    return lp;
  }

  private staticBound(x0: number, y0: number, x1: number, y1: number): number {
    let ub = 0;
    for (let k = 0; k < this.rings.length; k++) {
      const c = this.ringCentres[k]!;
      const dx = c.x < x0 ? x0 - c.x : c.x > x1 ? c.x - x1 : 0;
      const dy = c.y < y0 ? y0 - c.y : c.y > y1 ? c.y - y1 : 0;
      const dmin = Math.hypot(dx, dy);
      const dmax = Math.hypot(Math.max(Math.abs(c.x - x0), Math.abs(c.x - x1)), Math.max(Math.abs(c.y - y0), Math.abs(c.y - y1)));
      ub += this.rings[k]!.maxOver(dmin, dmax);
    }
    for (const b of this.bearings) ub += b.maxOverRect(x0, y0, x1, y1);
    return ub;
  }

  /** Select admissible tiles by their static bound and cache their static values. */
  private buildTiles(): Map<number, Tile> {
    const c = this.config;
    const T = c.tile_cells;
    const side = T * c.cell_m;
    const bounds: Array<{ ix: number; iy: number; ub: number }> = [];
    let lb = -Infinity;
    for (let iy = 0; iy < this.tilesPerSide; iy++) {
      for (let ix = 0; ix < this.tilesPerSide; ix++) {
        const x0 = this.x0 + ix * side;
        const y0 = this.y0 + iy * side;
        const ub = this.staticBound(x0, y0, x0 + side, y0 + side);
        bounds.push({ ix, iy, ub });
        lb = Math.max(lb, this.staticAt(x0 + side / 2, y0 + side / 2));
      }
    }
    const tiles = new Map<number, Tile>();
    for (const { ix, iy, ub } of bounds) {
      if (ub < lb - c.static_margin) continue;
      const x0 = this.x0 + ix * side;
      const y0 = this.y0 + iy * side;
      const staticLp = new Float64Array(T * T);
      for (let j = 0; j < T; j++) {
        const y = y0 + (j + 0.5) * c.cell_m;
        for (let i = 0; i < T; i++) staticLp[j * T + i] = this.staticAt(x0 + (i + 0.5) * c.cell_m, y);
      }
      const index = iy * this.tilesPerSide + ix;
      tiles.set(index, { index, ix, iy, x0, y0, staticLp, coarseMax: -Infinity, coarse: null, fine: null, fineLp: null });
    }
    return tiles;
  }

  /** Recompute the posterior (static terms cached; dynamic sums updated bin by bin, coarse, then fine). */
  update(): void {
    if (this.tiles === null) this.tiles = this.buildTiles();
    const c = this.config;
    const T = c.tile_cells;
    const step = c.coarse_step;
    const off = step >> 1;
    const C = Math.ceil((T - off) / step);
    const cell = c.cell_m;
    const dynamic = this.rssi.size > 0;
    const rssi = this.rssi;
    let best = -Infinity;
    for (const t of this.tiles.values()) {
      let m = -Infinity;
      if (dynamic) {
        if (t.coarse === null) t.coarse = newSums(C * C, this.generation);
        const x0 = t.x0 + (off + 0.5) * cell;
        const y0 = t.y0 + (off + 0.5) * cell;
        this.sync(t.coarse, (k) => x0 + (k % C) * step * cell, (k) => y0 + ((k / C) | 0) * step * cell);
        const s = t.coarse;
        for (let k = 0; k < C * C; k++) {
          const v = t.staticLp[(off + ((k / C) | 0) * step) * T + off + (k % C) * step]! + rssi.fromSums(s.swl[k]!, s.swll[k]!, s.swrl[k]!);
          if (v > m) m = v;
        }
      } else {
        for (let j = off; j < T; j += step) for (let i = off; i < T; i += step) m = Math.max(m, t.staticLp[j * T + i]!);
      }
      t.coarseMax = m;
      t.fineLp = null;
      if (m > best) best = m;
    }
    const refined: Tile[] = [];
    let fineBest = -Infinity;
    for (const t of this.tiles.values()) {
      if (t.coarseMax < best - c.refine_margin) continue;
      const lp = new Float64Array(T * T);
      if (dynamic) {
        if (t.fine === null) t.fine = newSums(T * T, this.generation);
        const x0 = t.x0 + 0.5 * cell;
        const y0 = t.y0 + 0.5 * cell;
        this.sync(t.fine, (k) => x0 + (k % T) * cell, (k) => y0 + ((k / T) | 0) * cell);
        const s = t.fine;
        for (let k = 0; k < T * T; k++) {
          const v = t.staticLp[k]! + rssi.fromSums(s.swl[k]!, s.swll[k]!, s.swrl[k]!);
          lp[k] = v;
          if (v > fineBest) fineBest = v;
        }
      } else {
        for (let k = 0; k < T * T; k++) {
          const v = t.staticLp[k]!;
          lp[k] = v;
          if (v > fineBest) fineBest = v;
        }
      }
      t.fineLp = lp;
      refined.push(t);
    }
    this.refined = refined;
    this.best = fineBest;
  }

  /** Posterior summary of the refined cells. Calls update() first. */
  estimate(): LocationEstimate {
    const started = performance.now();
    this.update();
    const c = this.config;
    const T = c.tile_cells;
    const M = this.best;
    let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    let bestX = 0, bestY = 0, bestLp = -Infinity;
    // Log-weight histogram (0.05-nat buckets) for the 95 % HPD area without sorting.
    const BUCKETS = 800;
    const hist = new Float64Array(BUCKETS);
    const counts = new Uint32Array(BUCKETS);
    let cells = 0;
    for (const t of this.refined) {
      const lp = t.fineLp!;
      for (let j = 0; j < T; j++) {
        const y = t.y0 + (j + 0.5) * c.cell_m;
        for (let i = 0; i < T; i++) {
          const v = lp[j * T + i]!;
          const dv = M - v;
          if (dv > 40) continue;
          const x = t.x0 + (i + 0.5) * c.cell_m;
          const w = Math.exp(-dv);
          sw += w; sx += w * x; sy += w * y;
          sxx += w * x * x; sxy += w * x * y; syy += w * y * y;
          const b = Math.min(BUCKETS - 1, (dv / 0.05) | 0);
          hist[b] += w;
          counts[b]++;
          cells++;
          if (v > bestLp) {
            bestLp = v;
            bestX = x;
            bestY = y;
          }
        }
      }
    }
    const mx = sx / sw;
    const my = sy / sw;
    const cellVar = (c.cell_m * c.cell_m) / 12;
    const xx = sxx / sw - mx * mx + cellVar;
    const yy = syy / sw - my * my + cellVar;
    const xy = sxy / sw - mx * my;
    let acc = 0;
    let hpdCells = 0;
    for (let b = 0; b < BUCKETS; b++) {
      acc += hist[b]!;
      hpdCells += counts[b]!;
      if (acc >= 0.95 * sw) break;
    }
    // Cells beyond this log-weight drop (together < 0.1 % of the mass) do not move a 95 % ellipse.
    let tailCut = BUCKETS * 0.05;
    for (let b = BUCKETS - 1, tail = 0; b >= 0; b--) {
      tail += hist[b]!;
      if (tail > 1e-3 * sw) {
        tailCut = (b + 1) * 0.05;
        break;
      }
    }
    const mean = this.projection.toLatLon(mx, my);
    const hpdArea = hpdCells * c.cell_m * c.cell_m;
    const ellipse = this.massEllipse(Math.max(c.cell_m, Math.sqrt(hpdArea) / 40), tailCut) ?? { centre: mean, ...ellipseFromCovariance(xx, xy, yy, CHI2_2DOF_95) };
    return {
      ml_point: this.projection.toLatLon(bestX, bestY),
      mean_point: mean,
      covariance_m2: { xx, xy, yy },
      ellipse_95: ellipse,
      hpd95_area_m2: hpdArea,
      path_loss: this.rssi.size > 0 ? this.rssi.fitAt(bestX, bestY) : null,
      inputs: { rings: this.inputsCount.rings, rssi_bins: this.rssi.size, bursts: this.bursts, bearings: this.inputsCount.bearings, prior: this.prior !== null },
      grid: { cell_m: c.cell_m, half_extent_m: c.half_extent_m, admissible_tiles: this.tiles!.size, refined_tiles: this.refined.length, refined_cells: cells },
      compute_ms: performance.now() - started,
    };
  }

  /**
   * The smallest single ellipse holding 95 % of the posterior mass (hpd-ellipse.ts), from the refined
   * cells within `tailCut` nats of the best, aggregated into super-cells of at least `superCell_m`
   * (weighted centroids; doubled until there are at most MAX_POINTS) so the search costs milliseconds
   * whatever the posterior's size.
   */
  private massEllipse(superCell_m: number, tailCut: number): Ellipse95 | null {
    const MAX_POINTS = 6000;
    // The cells' bounding box caps the number of squares: S² · MAX_POINTS ≥ its area.
    const c = this.config;
    const T = c.tile_cells;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const t of this.refined) {
      const lp = t.fineLp!;
      for (let k = 0; k < lp.length; k++) {
        if (this.best - lp[k]! > tailCut) continue;
        const x = t.x0 + ((k % T) + 0.5) * c.cell_m;
        const y = t.y0 + (((k / T) | 0) + 0.5) * c.cell_m;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    if (!(x1 >= x0)) return null;
    let S = Math.max(superCell_m, Math.sqrt(((x1 - x0 + c.cell_m) * (y1 - y0 + c.cell_m)) / MAX_POINTS));
    for (;;) {
      const pts = this.superCells(S, tailCut, 2 * MAX_POINTS);
      if (pts !== null) return this.ellipseOf(pts, S);
      S *= 2;
    }
  }

  /** Refined cells within `tailCut` nats of the best pooled into S-metre squares; null if more than `max`. */
  private superCells(S: number, tailCut: number, max: number): WeightedPoints | null {
    const c = this.config;
    const T = c.tile_cells;
    const M = this.best;
    const index = new Map<number, number>();
    let cap = 4096;
    let xs = new Float64Array(cap), ys = new Float64Array(cap), ws = new Float64Array(cap);
    let n = 0;
    for (const t of this.refined) {
      const lp = t.fineLp!;
      for (let j = 0; j < T; j++) {
        const y = t.y0 + (j + 0.5) * c.cell_m;
        const gy = Math.floor((y - this.y0) / S);
        for (let i = 0; i < T; i++) {
          const dv = M - lp[j * T + i]!;
          if (dv > tailCut) continue;
          const x = t.x0 + (i + 0.5) * c.cell_m;
          const w = Math.exp(-dv);
          const key = gy * 1_048_576 + Math.floor((x - this.x0) / S);
          let k = index.get(key);
          if (k === undefined) {
            if (n === max) return null;
            if (n === cap) {
              cap *= 2;
              const grow = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
              xs = grow(xs); ys = grow(ys); ws = grow(ws);
            }
            k = n++;
            index.set(key, k);
          }
          xs[k] += w * x; ys[k] += w * y; ws[k] += w;
        }
      }
    }
    for (let k = 0; k < n; k++) { xs[k] /= ws[k]!; ys[k] /= ws[k]!; }
    return { x: xs, y: ys, w: ws, n };
  }

  private ellipseOf(points: WeightedPoints, S: number): Ellipse95 | null {
    const e = hpdEllipse(points);
    if (e === null) return null;
    // The points stand for squares of side S, not their centres: widen each axis as a normal ellipse is
    // widened by a uniform spread over the square (variance S²/12), which matters only when the posterior
    // is a few cells across (a fox hunt's end) and keeps the ellipse at least a cell wide.
    const widen = (CHI2_2DOF_95 * S * S) / 12;
    return {
      centre: this.projection.toLatLon(e.cx, e.cy),
      semi_major_m: Math.sqrt(e.semi_major_m ** 2 + widen),
      semi_minor_m: Math.sqrt(e.semi_minor_m ** 2 + widen),
      orientation_deg: e.orientation_deg,
    };
  }

  /**
   * Posterior samples (cell centres in the plane with their normalised weights), for guidance: the
   * `count` heaviest-by-systematic-resampling cells.
   */
  samplePosterior(count: number, seed = 1): Array<{ x: number; y: number }> {
    const c = this.config;
    const T = c.tile_cells;
    const pts: Array<{ x: number; y: number; w: number }> = [];
    let sw = 0;
    for (const t of this.refined) {
      const lp = t.fineLp!;
      for (let k = 0; k < lp.length; k++) {
        const dv = this.best - lp[k]!;
        if (dv > 20) continue;
        const w = Math.exp(-dv);
        sw += w;
        pts.push({ x: t.x0 + ((k % T) + 0.5) * c.cell_m, y: t.y0 + (((k / T) | 0) + 0.5) * c.cell_m, w });
      }
    }
    const out: Array<{ x: number; y: number }> = [];
    if (pts.length === 0) return out;
    // Systematic resampling with a fixed offset: reproducible.
    const stepW = sw / count;
    let u = (((seed * 0.6180339887) % 1) + 1) % 1 * stepW;
    let acc = 0;
    let i = 0;
    for (let k = 0; k < count; k++) {
      while (i < pts.length - 1 && acc + pts[i]!.w < u) {
        acc += pts[i]!.w;
        i++;
      }
      // Jitter within the cell so repeated picks of one cell are not one point.
      const jx = (((k * 0.7548776662) % 1) - 0.5) * c.cell_m;
      const jy = (((k * 0.5698402910) % 1) - 0.5) * c.cell_m;
      out.push({ x: pts[i]!.x + jx, y: pts[i]!.y + jy });
      u += stepW;
    }
    return out;
  }

  /**
   * The highest-posterior-density level of a point: the posterior mass in cells denser than the point's
   * cell (0 at the ML cell, → 1 far out). For a calibrated posterior the truth's level is uniform on
   * [0, 1], so it lies inside the 95 % HPD region 95 % of the time (the evaluation's calibration check).
   * Call after estimate()/update().
   */
  hpdLevelAt(point: LatLon): number {
    const p = this.projection.toXY(point);
    const w0 = this.weightAt(p.x, p.y);
    if (w0 <= 0) return 1;
    const lp0 = Math.log(w0);
    let above = 0;
    let total = 0;
    for (const t of this.refined) {
      const lp = t.fineLp!;
      for (let k = 0; k < lp.length; k++) {
        const dv = lp[k]! - this.best;
        if (dv < -40) continue;
        const w = Math.exp(dv);
        total += w;
        if (dv > lp0) above += w;
      }
    }
    return total > 0 ? above / total : 1;
  }

  /** Normalised posterior weight (0..1 of the best cell) at a plane point; 0 outside refined tiles. */
  weightAt(x: number, y: number): number {
    const c = this.config;
    const ix = Math.floor((x - this.x0) / c.cell_m);
    const iy = Math.floor((y - this.y0) / c.cell_m);
    if (ix < 0 || iy < 0 || ix >= this.cellsPerSide || iy >= this.cellsPerSide || this.tiles === null) return 0;
    const T = c.tile_cells;
    const t = this.tiles.get(Math.floor(iy / T) * this.tilesPerSide + Math.floor(ix / T));
    if (t === undefined || t.fineLp === null) return 0;
    return Math.exp(t.fineLp[(iy % T) * T + (ix % T)]! - this.best);
  }

  /**
   * The posterior as a raster over a lat/lon viewport (for the web map's image overlay). Pixel centres
   * are projected through a 5 × 5 lattice of exact projections and bilinear in between (error < 1 m).
   * Call after estimate()/update().
   */
  heatmap(bbox: { west: number; south: number; east: number; north: number }, width: number, height: number): HeatmapRaster {
    const values = new Uint8Array(width * height);
    if (this.tiles === null || this.refined.length === 0) return { width, height, values, bbox };
    const L = 5;
    const lx = new Float64Array(L * L);
    const ly = new Float64Array(L * L);
    for (let j = 0; j < L; j++) {
      for (let i = 0; i < L; i++) {
        const p = this.projection.toXY({ lat_deg: bbox.north + ((bbox.south - bbox.north) * j) / (L - 1), lon_deg: bbox.west + ((bbox.east - bbox.west) * i) / (L - 1) });
        lx[j * L + i] = p.x;
        ly[j * L + i] = p.y;
      }
    }
    for (let py = 0; py < height; py++) {
      const v = ((py + 0.5) / height) * (L - 1);
      const j = Math.min(L - 2, Math.floor(v));
      const fv = v - j;
      for (let px = 0; px < width; px++) {
        const u = ((px + 0.5) / width) * (L - 1);
        const i = Math.min(L - 2, Math.floor(u));
        const fu = u - i;
        const a = j * L + i;
        const x = (lx[a]! * (1 - fu) + lx[a + 1]! * fu) * (1 - fv) + (lx[a + L]! * (1 - fu) + lx[a + L + 1]! * fu) * fv;
        const y = (ly[a]! * (1 - fu) + ly[a + 1]! * fu) * (1 - fv) + (ly[a + L]! * (1 - fu) + ly[a + L + 1]! * fu) * fv;
        const w = this.weightAt(x, y);
        if (w > 0) values[py * width + px] = Math.min(255, Math.round(w * 255));
      }
    }
    return { width, height, values, bbox };
  }

  /** The bounding box (lat/lon) of the refined cells. */
  refinedBounds(): { west: number; south: number; east: number; north: number } | null {
    if (this.refined.length === 0) return null;
    const side = this.config.tile_cells * this.config.cell_m;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const t of this.refined) {
      x0 = Math.min(x0, t.x0); y0 = Math.min(y0, t.y0); x1 = Math.max(x1, t.x0 + side); y1 = Math.max(y1, t.y0 + side);
    }
    const sw = this.projection.toLatLon(x0, y0);
    const ne = this.projection.toLatLon(x1, y1);
    const nw = this.projection.toLatLon(x0, y1);
    const se = this.projection.toLatLon(x1, y0);
    return {
      west: Math.min(sw.lon_deg, nw.lon_deg), east: Math.max(ne.lon_deg, se.lon_deg),
      south: Math.min(sw.lat_deg, se.lat_deg), north: Math.max(ne.lat_deg, nw.lat_deg),
    };
  }
}

/** Semi-axes and major-axis bearing of the ellipse {v : vᵀ Σ⁻¹ v ≤ k}. */
export function ellipseFromCovariance(xx: number, xy: number, yy: number, k: number): { semi_major_m: number; semi_minor_m: number; orientation_deg: number } {
  const tr = xx + yy;
  const det = xx * yy - xy * xy;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  const l1 = tr / 2 + disc;
  const l2 = Math.max(0, tr / 2 - disc);
  // Eigenvector of l1: (xy, l1 − xx) or (l1 − yy, xy); bearing = atan2(east, north).
  let ex = xy;
  let ey = l1 - xx;
  if (Math.abs(ex) + Math.abs(ey) < 1e-12) {
    ex = l1 - yy;
    ey = xy;
  }
  if (Math.abs(ex) + Math.abs(ey) < 1e-12) {
    ex = xx >= yy ? 1 : 0;
    ey = xx >= yy ? 0 : 1;
  }
  let bearing = (Math.atan2(ex, ey) * 180) / Math.PI;
  bearing = ((bearing % 180) + 180) % 180;
  return { semi_major_m: Math.sqrt(k * l1), semi_minor_m: Math.sqrt(k * l2), orientation_deg: bearing };
}
