import { describe, expect, it } from 'vitest';
import { BearingLikelihood } from '../../src/geo/bearing.js';

describe('bearing likelihood', () => {
  const b = new BearingLikelihood(0, 0, 45, 5, { min_sigma_deg: 4, outlier_share: 0.05 });

  it('peaks on the ray and keeps a floor behind it', () => {
    const onRay = b.at(100, 100);
    expect(onRay).toBeGreaterThan(b.at(100, 80));
    expect(b.at(100, 80)).toBeGreaterThan(b.at(100, 0));
    expect(b.at(-100, -100)).toBeCloseTo(Math.log(0.05 / (2 * Math.PI)), 3);
    // 10° off with sigma 5° is two sigmas: 2 nats below the peak (the floor is negligible there).
    const a = (55 * Math.PI) / 180;
    expect(onRay - b.at(1000 * Math.sin(a), 1000 * Math.cos(a))).toBeCloseTo(2, 1);
  });

  it('bounds rectangles from above (brute force over their points)', () => {
    for (const [x0, y0, x1, y1] of [[50, 50, 80, 90], [-300, 200, -100, 400], [-10, -10, 10, 10], [200, -50, 400, 30]] as const) {
      let brute = -Infinity;
      for (let x = x0; x <= x1; x += 2) for (let y = y0; y <= y1; y += 2) brute = Math.max(brute, b.at(x, y));
      expect(b.maxOverRect(x0, y0, x1, y1)).toBeGreaterThanOrEqual(brute - 1e-9);
    }
  });
});
