import { describe, expect, it } from 'vitest';
import { SimRotationDetector } from '../../src/detect/sim-rotation.js';
import { C_SESSION, C_SESSION_TURNOVER } from '../../src/features/traffic-class.js';
import { snapshot } from './snapshot.js';

const d = new SimRotationDetector();

describe('sim-rotation@1', () => {
  it('fires on location updates far above what the people at the TA explain (CCCH only)', () => {
    const ind = d.evaluate(snapshot({ slot: { mo: 200, lu: 40, mt: 6 }, others: { mo: 900, lu: 150, mt: 400 } }));
    expect(ind).not.toBeNull();
    expect(ind!.facts.sdcch_basis).toBe(0);
    expect(ind!.facts.turnover_share).toBeCloseTo(40 / 46, 5);
  });

  it('fires on SIM turnover seen on the SDCCH (attach, IMSI, identities new to the cell)', () => {
    const ind = d.evaluate(snapshot({
      slot: { mo: 200, extra: { [C_SESSION]: 120, [C_SESSION_TURNOVER]: 60 } },
      others: { mo: 900, mt: 400, extra: { [C_SESSION]: 1200, [C_SESSION_TURNOVER]: 100 } },
    }));
    expect(ind?.facts.sdcch_basis).toBe(1);
    expect(ind?.level).toBe('strong');
  });

  it('does not fire on commuters: their location updates come with pagings like everyone else\'s', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 80, lu: 30, mt: 90 }, others: { mo: 900, lu: 300, mt: 800 } }))).toBeNull();
  });

  it('does not fire on the periodic updates of a quiet TA', () => {
    expect(d.evaluate(snapshot({ slot: { lu: 5, mt: 3 }, others: { lu: 60, mt: 100 } }))).toBeNull();
  });
});
