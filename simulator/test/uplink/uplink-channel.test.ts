/**
 * The uplink channel's statistics against the model it claims: the slope of mean level vs log-distance is
 * the exponent, shadowing has the configured sigma and decorrelates with distance, Rayleigh fading in dB
 * has its known mean (−2.51 dB) and spread (5.57 dB), and weak bursts are not heard.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import { ShadowingField } from '../../src/uplink/shadowing-field.js';
import { UplinkChannel } from '../../src/uplink/uplink-channel.js';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

describe('uplink channel', () => {
  it('falls off with the configured exponent (no shadowing, no facades)', () => {
    const ch = new UplinkChannel({ exponent: 3.3, shadowing_sigma_db: 0, facade_sigma_db: 0, probe_offset_sigma_db: 0 }, createRandom(1));
    const a = ch.meanLevelDbm('p', 0, 100);
    const b = ch.meanLevelDbm('p', 0, 1000);
    expect(a - b).toBeCloseTo(33, 6);
    // 33 dBm − free space at 1 m at 900 MHz (31.53 dB) − 3.3·20 dB − 10 dB building loss.
    expect(a).toBeCloseTo(33 - 31.53 - 66 - 10, 1);
  });

  it('has Rayleigh fading with mean −2.51 dB and sd 5.57 dB around the mean level', () => {
    const ch = new UplinkChannel({ shadowing_sigma_db: 0, facade_sigma_db: 0, probe_offset_sigma_db: 0, sensitivity_dbm: -200 }, createRandom(2));
    const rnd = createRandom(3);
    const m = ch.meanLevelDbm('p', 300, 0);
    const samples = Array.from({ length: 20000 }, () => ch.burstLevelDbm('p', 300, 0, rnd)! - m);
    expect(mean(samples)).toBeCloseTo(-2.51, 1);
    expect(sd(samples)).toBeCloseTo(5.57, 1);
  });

  it('does not hear bursts below the sensitivity', () => {
    const ch = new UplinkChannel({ building_loss_db: 35 }, createRandom(4));
    const rnd = createRandom(5);
    const far = Array.from({ length: 200 }, () => ch.burstLevelDbm('p', 8000, 0, rnd));
    expect(far.filter((x) => x === null).length).toBeGreaterThan(150);
  });
});

describe('shadowing field', () => {
  it('has the configured sigma and decorrelates beyond its spacing', () => {
    const f = new ShadowingField(99, 6, 25);
    const pts = Array.from({ length: 4000 }, (_, i) => [((i * 7919) % 5000) * 1.3, ((i * 104729) % 5000) * 1.1] as const);
    const v = pts.map(([x, y]) => f.at(x, y));
    expect(sd(v)).toBeGreaterThan(5);
    expect(sd(v)).toBeLessThan(7);
    const corr = (dx: number) => {
      const a = pts.map(([x, y]) => f.at(x, y));
      const b = pts.map(([x, y]) => f.at(x + dx, y));
      const ma = mean(a), mb = mean(b);
      return mean(a.map((x, i) => (x - ma) * (b[i]! - mb))) / (sd(a) * sd(b));
    };
    expect(corr(2)).toBeGreaterThan(0.9);
    expect(corr(100)).toBeLessThan(0.15);
    expect(f.at(12.5, 40)).toBe(new ShadowingField(99, 6, 25).at(12.5, 40)); // deterministic
  });
});
