import { describe, expect, it } from 'vitest';
import { CcchBurstV2Detector } from '../../src/detect/ccch-burst-v2.js';
import { snapshot } from './snapshot.js';

const d = new CcchBurstV2Detector();

describe('ccch-burst@2', () => {
  it('is strong on a GOIP-32 minute against its neighbouring TA steps', () => {
    const ind = d.evaluate(snapshot({ slot: { mo: 20, sms: 8 }, others: { mo: 30, mt: 20 }, neighbours: { mo: 4, sms: 2, mt: 3 }, horizon_s: 60, active_tas: 8 }));
    expect(ind?.level).toBe('strong');
    expect(ind!.facts.baseline_learned).toBe(0);
    expect(ind!.facts.baseline_count).toBeCloseTo(1.5, 5);
  });

  it('uses the learned baseline once the slot has history, and then a busy-as-usual slot does not fire', () => {
    const baseline = { orig_per_h: 300, nb_size: 20, share: 0.2, mt_share: 0.3, lu_per_orig: 0.2, hours: 48, support: 2000 };
    expect(d.evaluate(snapshot({ slot: { mo: 200, sms: 110 }, others: { mo: 800 }, neighbours: { mo: 40 }, baseline, horizon_s: 3600 }))).toBeNull();
    const ind = d.evaluate(snapshot({ slot: { mo: 1400, sms: 300 }, others: { mo: 800 }, neighbours: { mo: 40 }, baseline, horizon_s: 3600 }));
    expect(ind?.facts.baseline_learned).toBe(1);
    expect(ind?.level).toBe('strong');
  });

  it('does not fire on a crowd spread over several TA steps (its neighbours rise with it)', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 60, sms: 40 }, others: { mo: 300 }, neighbours: { mo: 150, sms: 100 }, horizon_s: 900 }))).toBeNull();
  });

  it('has no spatial expectation in an indoor small cell (no neighbouring TA activity)', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 300, sms: 200 }, others: {}, horizon_s: 3600, active_tas: 1 }))).toBeNull();
  });

  it('does not fire on a handful of calls in a quiet cell', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 6 }, others: { mo: 3 }, neighbours: {}, horizon_s: 300, active_tas: 4 }))).toBeNull();
  });
});
