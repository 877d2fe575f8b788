/**
 * A spatially correlated shadowing field: independent standard normals on a square lattice (spacing =
 * decorrelation distance), bilinearly interpolated and renormalised to unit variance, scaled by sigma.
 * Two points farther apart than the spacing see nearly independent shadowing; a probe that stands still
 * sees one value however many bursts it hears (averaging bursts cannot remove it). Deterministic in the
 * seed, so a walker that returns to a spot reads the same level.
 */
import { createRandom } from '../random.js';

export class ShadowingField {
  private readonly cache = new Map<string, number>();

  constructor(
    readonly seed: number,
    readonly sigma_db: number,
    readonly spacing_m: number,
  ) {}

  private node(i: number, j: number): number {
    const key = `${i},${j}`;
    let v = this.cache.get(key);
    if (v === undefined) {
      // One short stream per lattice node, keyed by the node and the seed.
      v = createRandom((Math.imul(i, 0x27d4eb2d) ^ Math.imul(j, 0x165667b1) ^ this.seed) >>> 0).fork('node').normal();
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(key, v);
    }
    return v;
  }

  /** Shadowing in dB at local plane point (x, y) metres. */
  at(x: number, y: number): number {
    const u = x / this.spacing_m;
    const v = y / this.spacing_m;
    const i = Math.floor(u);
    const j = Math.floor(v);
    const fu = u - i;
    const fv = v - j;
    const w00 = (1 - fu) * (1 - fv);
    const w10 = fu * (1 - fv);
    const w01 = (1 - fu) * fv;
    const w11 = fu * fv;
    const s = w00 * this.node(i, j) + w10 * this.node(i + 1, j) + w01 * this.node(i, j + 1) + w11 * this.node(i + 1, j + 1);
    const norm = Math.sqrt(w00 * w00 + w10 * w10 + w01 * w01 + w11 * w11);
    return (this.sigma_db * s) / norm;
  }
}
