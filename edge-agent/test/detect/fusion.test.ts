import { describe, expect, it } from 'vitest';
import { fuse } from '../../src/detect/fusion.js';
import type { Indicator } from '../../src/detect/types.js';

const ind = (detector: string, evidence: number, level: Indicator['level'] = evidence >= 6 ? 'strong' : 'moderate', facts: Record<string, number> = {}): Indicator => ({
  detector, detector_version: 1, horizon_s: 900, evidence, level, facts, reason: detector,
});
/** An asymmetry indicator with its effect: observed MT share / expected. */
const asym = (evidence: number, effect: number, unadjusted = evidence) =>
  ind('mo-mt-asymmetry', evidence, evidence >= 6 && effect <= 0.35 ? 'strong' : 'moderate', { mt_share: 0.3 * effect, mt_share_expected: 0.3, p_log10_unadjusted: unadjusted });
// 160 originating accesses in 15 min of which 40 came within 2 s of the one before (several devices).
const steady = { originating: 160, close_pairs: 40, active_blocks: 6, max_block_share: 0.2, excess_count: 120, minutes: 15 };
const loud = { originating: 32, close_pairs: 10, active_blocks: 6, max_block_share: 0.2, excess_count: 30, minutes: 1 };
const map = (...xs: Indicator[]) => new Map(xs.map((x) => [x.detector, x]));

describe('den-candidate@1 fusion', () => {
  it('rule A: strong asymmetry on steady, excess demand', () => {
    const v = fuse(map(asym(12, 0.05)), steady);
    expect(v?.rule).toBe('A');
    expect(v!.score).toBeGreaterThan(0.4);
  });

  it('rule B: nobody answering on the little data of a loud den\'s first minutes (unadjusted evidence), with volume', () => {
    expect(fuse(map(asym(2, 0.05, 4)), loud)).toBeNull(); // too little evidence
    // A busy place's five minutes of retried set-ups (24 originating, 1 answered) reach 5.8: not enough.
    expect(fuse(map(asym(2, 0.05, 5.8), ind('ccch-burst', 11)), loud)).toBeNull();
    expect(fuse(map(asym(2, 0.05, 6.5)), loud)).toBeNull(); // no volume, not overwhelming
    expect(fuse(map(asym(2, 0.05, 6.5), ind('ccch-burst', 4.5)), loud)?.rule).toBe('B');
    expect(fuse(map(asym(2, 0.05, 7.5)), loud)?.rule).toBe('B');
    expect(fuse(map(asym(2, 0.3, 9)), loud)).toBeNull(); // called too often for "nobody"
    // The same evidence from quiet demand (a night-time SMS user) is not enough.
    expect(fuse(map(asym(2, 0.05, 7.5), ind('ccch-burst', 5.5)), { ...steady, excess_count: 40 })).toBeNull();
  });

  it('a crowd that leans toward calling out (half the usual answered share) with a volume spike is not a den', () => {
    expect(fuse(map(asym(5, 0.45), ind('ccch-burst', 20), ind('ta-concentration', 9)), steady)).toBeNull();
  });

  it('rule C: moderate asymmetry with a machine signature; multi-operator (a crowd is seen by every operator too) is not one', () => {
    expect(fuse(map(asym(4, 0.45), ind('sim-rotation', 3, 'moderate', { sdcch_basis: 1 })), steady)?.rule).toBe('C');
    // Location updates on the CCCH alone also pile up at a location-area border: score only.
    expect(fuse(map(asym(4, 0.45), ind('sim-rotation', 5, 'moderate', { sdcch_basis: 0 })), steady)).toBeNull();
    expect(fuse(map(asym(4, 0.45), ind('multi-operator', 8, 'strong')), steady)).toBeNull();
    // On the SDCCH basis, a flat floor beside a moderate asymmetry is a quiet residential step at night
    // (office-tower scenario, second night: 30 SDCCH requests, 0 answered, unadjusted 5): not enough …
    const sdcch = (unadjusted: number) => ind('mo-mt-asymmetry', 2.25, 'moderate', { mt_share: 0, mt_share_expected: 0.333, p_log10_unadjusted: unadjusted, sdcch_basis: 1 });
    expect(fuse(map(sdcch(5), ind('machine-regularity', 7.35, 'strong')), steady)).toBeNull();
    // … unless the unadjusted evidence is the fast path's, or another machine signature stands beside it.
    expect(fuse(map(sdcch(6.5), ind('machine-regularity', 7.35, 'strong')), steady)?.rule).toBe('C');
    expect(fuse(map(sdcch(5), ind('remote-sim-latency', 5, 'moderate')), steady)?.rule).toBe('C');
    // On the calls basis machine-regularity still counts.
    expect(fuse(map(asym(4, 0.45), ind('machine-regularity', 5, 'moderate')), steady)?.rule).toBe('C');
    // The SDR's equal-power uplink transmitters near the probe are one (a probe-level signature).
    expect(fuse(map(asym(4, 0.45), ind('uplink-multislot', 9, 'strong')), steady)?.rule).toBe('C');
    // … but never alone, without the place's own demand evidence.
    expect(fuse(map(ind('uplink-multislot', 15, 'strong')), steady)).toBeNull();
  });

  it('rule E: a slow den — unanswered over an hour or more, holding the cell\'s demand on its step for hours', () => {
    const hourly = (evidence: number, effect: number) => ({ ...asym(evidence, effect), horizon_s: 3600 });
    const held = ind('ta-concentration', 24, 'strong');
    expect(fuse(map(hourly(5.9, 0.03), held), steady)?.rule).toBe('E');
    // A few unanswered minutes at a factory's busy step (five-minute asymmetry) are not "for an hour".
    expect(fuse(map({ ...asym(2.2, 0), horizon_s: 300 }, held), steady)).toBeNull();
    // People there are called (effect 0.45): a crowd or a workplace, not a den.
    expect(fuse(map(hourly(5.9, 0.45), held), steady)).toBeNull();
    // An early-morning hour at a city cell's TA 0: 17 calls out, 1 answered, evidence 1.5 — too weak.
    expect(fuse(map(hourly(1.5, 0.1), held), steady)).toBeNull();
    // Without hours of concentration, a moderate hourly asymmetry alone is not a den.
    expect(fuse(map(hourly(5.9, 0.03), ind('ta-concentration', 4, 'moderate')), steady)).toBeNull();
  });

  it('rule D: strong volume with two machine signatures, without asymmetry (a den whose ports call each other)', () => {
    expect(fuse(map(ind('ccch-burst', 12), ind('sim-rotation', 5, 'moderate', { sdcch_basis: 1 })), steady)).toBeNull();
    expect(fuse(map(ind('ccch-burst', 12), ind('sim-rotation', 5, 'moderate', { sdcch_basis: 1 }), ind('machine-regularity', 4)), steady)?.rule).toBe('D');
  });

  it('never on volume alone, however loud (a call centre, a stadium)', () => {
    expect(fuse(map(ind('ccch-burst', 30), ind('ta-concentration', 30)), steady)).toBeNull();
  });

  it('never on one burst: unsteady demand, or too little excess (a heavy user)', () => {
    expect(fuse(map(asym(12, 0.05)), { ...steady, active_blocks: 2 })).toBeNull();
    expect(fuse(map(asym(12, 0.05)), { ...steady, max_block_share: 0.8 })).toBeNull();
    expect(fuse(map(asym(12, 0.05)), { ...steady, excess_count: 8 })).toBeNull();
  });

  it('never on one device: a heavy user\'s requests never come within 2 s of each other', () => {
    expect(fuse(map(asym(12, 0.05), ind('ccch-burst', 20)), { ...steady, close_pairs: 0 })).toBeNull();
    expect(fuse(map(asym(12, 0.05), ind('ccch-burst', 20)), { ...loud, close_pairs: 1 })).toBeNull();
    // A slow den's demand is too low to tell one device from several: the check stands aside.
    expect(fuse(map(asym(12, 0.05)), { ...steady, originating: 60, close_pairs: 0, excess_count: 50, minutes: 60 })?.rule).toBe('A');
  });

  it('severity rises with agreeing strong evidence', () => {
    const low = fuse(map(asym(4, 0.45), ind('sim-rotation', 3, 'moderate', { sdcch_basis: 1 })), steady)!;
    const high = fuse(map(asym(15, 0.05), ind('ccch-burst', 20), ind('sim-rotation', 8), ind('machine-regularity', 7)), steady)!;
    expect(low.severity).toBe('low');
    expect(high.severity).toBe('high');
    expect(high.indicators.map((i) => i.detector)[0]).toBe('ccch-burst');
  });
});
