import { describe, expect, it } from 'vitest';
import { MachineRegularityDetector } from '../../src/detect/machine-regularity.js';
import { seededRandom } from '@simhound/test-support/events';
import { snapshot } from './snapshot.js';

const d = new MachineRegularityDetector();

function poisson(rnd: () => number, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = rnd();
  while (u > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

describe('machine-regularity@1', () => {
  it('fires on 16 ports each dialling every 2 minutes (8 ± 1 per minute, far less variance than Poisson)', () => {
    const rnd = seededRandom(3);
    const series = Array.from({ length: 60 }, () => 8 + (rnd() < 0.2 ? 1 : 0) - (rnd() < 0.2 ? 1 : 0));
    const ind = d.evaluate(snapshot({ slot: { mo: 480 }, others: { mo: 900 }, series, horizon_s: 3600 }));
    expect(ind).not.toBeNull();
    expect(ind!.facts.fano_factor).toBeLessThan(0.3);
  });

  it('does not fire on people: Poisson and over-dispersed minutes, 200 seeds', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = seededRandom(seed);
      const series = Array.from({ length: 60 }, (_, i) => poisson(rnd, 6 * (1 + 0.5 * Math.sin(i / 9))));
      expect(d.evaluate(snapshot({ slot: { mo: 360 }, others: { mo: 900 }, series, horizon_s: 3600 }))).toBeNull();
    }
  });

  it('fires on a flat floor that ignores the day, and not on a slot that follows the cell', () => {
    const cellShape = [2, 1, 1, 1, 1, 2, 5, 9, 14, 17, 18, 19, 20, 19, 18, 18, 19, 20, 20, 19, 16, 12, 8, 4];
    const human = cellShape.map((v) => v * 3);
    const den = cellShape.map((v) => v * 3 + 60);
    const cell = cellShape.map((v) => v * 40);
    const flat = d.evaluate(snapshot({ slot: { mo: 2000 }, others: { mo: 9000 }, hourly: den, cellHourly: cell.map((c, i) => c + den[i]!), horizon_s: 3600 }));
    expect(flat?.facts.floor_share).toBeGreaterThan(0.5);
    expect(d.evaluate(snapshot({ slot: { mo: 700 }, others: { mo: 9000 }, hourly: human, cellHourly: cell.map((c, i) => c + human[i]!), horizon_s: 3600 }))).toBeNull();
  });
});
