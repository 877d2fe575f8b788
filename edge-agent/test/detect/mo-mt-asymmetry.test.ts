import { describe, expect, it } from 'vitest';
import { MoMtAsymmetryDetector } from '../../src/detect/mo-mt-asymmetry.js';
import { snapshot } from './snapshot.js';

const d = new MoMtAsymmetryDetector();
// The rest of the cell: people, MT share of (originating + MT) ≈ 0.3.
const city = { mo: 700, sms: 700, mt: 600 };

describe('mo-mt-asymmetry@1', () => {
  it('is strong on a den: 16 ports dialling for an hour, almost nobody called at its TA', () => {
    const ind = d.evaluate(snapshot({ slot: { mo: 600, sms: 300, mt: 8 }, others: city }));
    expect(ind).not.toBeNull();
    expect(ind!.level).toBe('strong');
    expect(ind!.evidence).toBeGreaterThan(20);
    // The calls test wins: 8 answered of 608 call accesses against the rest of the cell's calls.
    expect(ind!.facts.sdcch_basis).toBe(0);
    expect(ind!.facts.mt_share).toBeCloseTo(8 / 608, 5);
    expect(ind!.facts.mt_share_expected).toBeCloseTo((600 + 0.45 * 20) / (1300 + 20), 3);
    expect(ind!.facts.excess_count).toBeGreaterThan(850);
    expect(ind!.reason).toMatch(/answered pagings/);
  });

  it('is moderate on a slow 8-port den over an hour in a quiet cell (80 requests, 1 answer)', () => {
    const ind = d.evaluate(snapshot({ slot: { mo: 50, sms: 30, mt: 1 }, others: { mo: 80, sms: 60, mt: 60 }, horizon_s: 3600 }));
    expect(ind?.level).toBeDefined();
    expect(ind!.evidence).toBeGreaterThanOrEqual(3);
  });

  it('does not fire on a call centre with an inbound line (35 % answered against 30 % on the cell)', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 250, sms: 10, mt: 140 }, others: city }))).toBeNull();
  });

  it('does not fire on an SMS-heavy quarter: its calls are answered like the cell\'s', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 100, sms: 900, mt: 80 }, others: city }))).toBeNull();
  });

  it('measures against how low people\'s places in this cell go: a cell whose places reach 0.4 of its share', () => {
    const slot = { mo: 300, sms: 50, mt: 50 }; // 14 % answered against ~46 %: 0.31 of the cell
    expect(d.evaluate(snapshot({ slot, others: city, cell_low_mt_ratio: 0.8 }))?.level).toBe('strong');
    expect(d.evaluate(snapshot({ slot, others: city, cell_low_mt_ratio: 0.4 }))).toBeNull();
  });

  it('does not fire on an outbound-heavy call centre whose share is half the cell\'s but not near zero', () => {
    // 15 % answered against 30 %: significant, but the effect is too small for a den.
    const ind = d.evaluate(snapshot({ slot: { mo: 400, sms: 25, mt: 75 }, others: city }));
    expect(ind === null || ind.level === 'moderate').toBe(true);
    expect(ind?.level).not.toBe('strong');
  });

  it('does not fire on a stadium peak (people there are called too)', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 900, sms: 700, mt: 450 }, others: city }))).toBeNull();
  });

  it('does not fire on a single heavy user (12 SMS in a minute)', () => {
    expect(d.evaluate(snapshot({ slot: { sms: 12, mt: 0 }, others: city, horizon_s: 60 }))).toBeNull();
  });

  it('does not fire on an indoor small cell whose traffic is all at TA 0 (prior, no contrast)', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 120, sms: 150, mt: 90 }, others: {} }))).toBeNull();
  });
});
