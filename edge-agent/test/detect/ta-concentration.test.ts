import { describe, expect, it } from 'vitest';
import { TaConcentrationDetector } from '../../src/detect/ta-concentration.js';
import { snapshot } from './snapshot.js';

const d = new TaConcentrationDetector();

describe('ta-concentration@1', () => {
  it('fires when one TA holds a third of the cell for four hours against its neighbours\' few per cent', () => {
    const ind = d.evaluate(snapshot({
      slot: { mo: 400 }, others: { mo: 800 }, neighbours: { mo: 120 },
      hourly: [100, 110, 95, 105], cellHourly: [300, 320, 290, 310], horizon_s: 3600,
    }));
    expect(ind).not.toBeNull();
    expect(ind!.facts.hours_above).toBe(4);
  });

  it('does not fire on a crowd that came for one hour of four', () => {
    expect(d.evaluate(snapshot({
      slot: { mo: 400 }, others: { mo: 800 }, neighbours: { mo: 120 },
      hourly: [10, 12, 200, 11], cellHourly: [250, 260, 500, 255], horizon_s: 3600,
    }))).toBeNull();
  });

  it('follows the learned share: a TA that always carries 30 % is normal', () => {
    const baseline = { orig_per_h: 90, nb_size: 20, share: 0.3, mt_share: 0.3, lu_per_orig: 0.2, hours: 72, support: 3000 };
    expect(d.evaluate(snapshot({
      slot: { mo: 400 }, others: { mo: 800 }, baseline,
      hourly: [90, 95, 92, 88], cellHourly: [300, 310, 300, 295], horizon_s: 3600,
    }))).toBeNull();
  });
});
