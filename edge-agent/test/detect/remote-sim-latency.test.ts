import { describe, expect, it } from 'vitest';
import { RemoteSimLatencyDetector } from '../../src/detect/remote-sim-latency.js';
import { snapshot } from './snapshot.js';

const d = new RemoteSimLatencyDetector();
const phones = Array.from({ length: 80 }, (_, i) => 120 + ((i * 37) % 180));

describe('remote-sim-latency@1', () => {
  it('fires when authentication at one TA takes ~1.5 s against ~200 ms on the rest of the cell', () => {
    const ind = d.evaluate(snapshot({ slot: { mo: 100 }, others: { mo: 500 }, auth_slot: [1400, 1600, 1500, 1700, 1300, 1550, 1450, 1650], auth_others: phones }));
    expect(ind?.level).toBe('strong');
    expect(ind!.facts.auth_rtt_median_ms).toBeCloseTo(1525, 0);
  });

  it('does not fire on phones, nor on a few slow sessions', () => {
    expect(d.evaluate(snapshot({ slot: { mo: 100 }, others: { mo: 500 }, auth_slot: phones.slice(0, 20), auth_others: phones }))).toBeNull();
    expect(d.evaluate(snapshot({ slot: { mo: 100 }, others: { mo: 500 }, auth_slot: [2000, 2100, 150, 170, 160, 180, 140, 155], auth_others: phones }))).toBeNull();
  });

  it('does not fire when the whole cell is slow (network congestion)', () => {
    const slow = phones.map((v) => v + 900);
    expect(d.evaluate(snapshot({ slot: { mo: 100 }, others: { mo: 500 }, auth_slot: slow.slice(0, 10), auth_others: slow }))).toBeNull();
  });
});
