import { describe, expect, it } from 'vitest';
import { hpdEllipse, type WeightedPoints } from '../../src/geo/hpd-ellipse.js';
import { CHI2_2DOF_95 } from '../../src/geo/normal.js';

/** A gridded density on [−L, L]² at step h. */
function grid(L: number, h: number, density: (x: number, y: number) => number): WeightedPoints {
  const m = Math.round((2 * L) / h);
  const n = m * m;
  const p: WeightedPoints = { x: new Float64Array(n), y: new Float64Array(n), w: new Float64Array(n), n };
  let k = 0;
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < m; i++) {
      const x = -L + (i + 0.5) * h;
      const y = -L + (j + 0.5) * h;
      p.x[k] = x; p.y[k] = y; p.w[k] = density(x, y); k++;
    }
  }
  return p;
}

/** Mulberry32: a small seeded generator for the coverage check. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function inside(e: { cx: number; cy: number; semi_major_m: number; semi_minor_m: number; orientation_deg: number }, x: number, y: number): boolean {
  const th = (e.orientation_deg * Math.PI) / 180;
  const dx = x - e.cx;
  const dy = y - e.cy;
  const along = dx * Math.sin(th) + dy * Math.cos(th);
  const across = dx * Math.cos(th) - dy * Math.sin(th);
  return (along / e.semi_major_m) ** 2 + (across / e.semi_minor_m) ** 2 <= 1;
}

describe('hpdEllipse', () => {
  // A rotated normal: σ 200 m along bearing 30°, σ 60 m across, centred at (150, −80).
  const sMaj = 200, sMin = 60, bearing = 30, cx = 150, cy = -80;
  const th = (bearing * Math.PI) / 180;
  const ua = { x: Math.sin(th), y: Math.cos(th) };
  const gauss = (x: number, y: number) => {
    const a = (x - cx) * ua.x + (y - cy) * ua.y;
    const c = (x - cx) * ua.y - (y - cy) * ua.x;
    return Math.exp(-0.5 * ((a / sMaj) ** 2 + (c / sMin) ** 2));
  };

  it('equals the analytic χ²₂ 95 % ellipse of a normal posterior', () => {
    const e = hpdEllipse(grid(1500, 10, gauss))!;
    const k = Math.sqrt(CHI2_2DOF_95);
    expect(e.semi_major_m).toBeGreaterThan(k * sMaj * 0.97);
    expect(e.semi_major_m).toBeLessThan(k * sMaj * 1.03);
    expect(e.semi_minor_m).toBeGreaterThan(k * sMin * 0.97);
    expect(e.semi_minor_m).toBeLessThan(k * sMin * 1.03);
    expect(Math.abs(e.cx - cx)).toBeLessThan(10);
    expect(Math.abs(e.cy - cy)).toBeLessThan(10);
    expect(Math.abs(((e.orientation_deg - bearing + 90) % 180) - 90)).toBeLessThan(2);
  });

  it('covers 95 % of draws from that normal', () => {
    const e = hpdEllipse(grid(1500, 10, gauss))!;
    const r = rng(7);
    let hit = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      // Box–Muller
      const u1 = r() || 1e-12, u2 = r();
      const g1 = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      const g2 = Math.sqrt(-2 * Math.log(u1)) * Math.sin(2 * Math.PI * u2);
      const a = g1 * sMaj, c = g2 * sMin;
      if (inside(e, cx + a * ua.x + c * ua.y, cy + a * ua.y - c * ua.x)) hit++;
    }
    expect(hit / N).toBeGreaterThan(0.94);
    expect(hit / N).toBeLessThan(0.96);
  });

  it('holds 95 % of the mass of an annulus with a circle around its centre, not the covariance ellipse', () => {
    // Ring of radius 1000 m, radial σ 100 m: the covariance's χ² ellipse has radius 2.45·707 m ≈ 1730 m.
    const p = grid(1600, 10, (x, y) => Math.exp(-0.5 * ((Math.hypot(x, y) - 1000) / 100) ** 2));
    const e = hpdEllipse(p)!;
    let total = 0, held = 0;
    for (let i = 0; i < p.n; i++) {
      total += p.w[i]!;
      if (inside(e, p.x[i]!, p.y[i]!)) held += p.w[i]!;
    }
    expect(held / total).toBeGreaterThan(0.94);
    expect(held / total).toBeLessThan(0.965);
    expect(e.semi_major_m).toBeLessThan(1250);
    expect(e.semi_minor_m / e.semi_major_m).toBeGreaterThan(0.9);
  });

  it('picks the heavy lobe of a bimodal posterior', () => {
    // 97 % of the mass in a small lobe at the origin, 3 % in one 2 km away: the ellipse stays on the first.
    const p = grid(2500, 10, (x, y) => 0.97 * Math.exp(-0.5 * (x * x + y * y) / 50 ** 2) / 50 ** 2 + 0.03 * Math.exp(-0.5 * ((x - 2000) ** 2 + y * y) / 50 ** 2) / 50 ** 2);
    const e = hpdEllipse(p)!;
    expect(e.semi_major_m).toBeLessThan(300);
    expect(Math.hypot(e.cx, e.cy)).toBeLessThan(30);
  });
});
