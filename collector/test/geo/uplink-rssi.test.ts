import { describe, expect, it } from 'vitest';
import { createRandom } from '@simhound/simulator';
import { binBursts, RssiBinner } from '../../src/geo/rssi-bins.js';
import { UplinkRssiLikelihood, type RssiBin } from '../../src/geo/uplink-rssi.js';

const den = { x: 120, y: -340 };
const level = (x: number, y: number, p1m: number, n: number) => p1m - n * 10 * Math.log10(Math.hypot(x - den.x, y - den.y));

describe('uplink RSSI likelihood (path loss fitted)', () => {
  it('recovers the level at 1 m and the exponent from noise-free bins at the true position', () => {
    const bins: RssiBin[] = [[0, 0], [500, 100], [-200, -800], [400, -600], [-50, -300]].map(([x, y], i) => ({
      x: x!, y: y!, rssi_dbm: level(x!, y!, -22, 3.4), var_db2: 1, bursts: 50, probe: `p${i}`,
    }));
    const lik = new UplinkRssiLikelihood(bins, { p1m_dbm: -15, p1m_sigma_db: 1000, exponent: 3, exponent_sigma: 1000, min_distance_m: 1 });
    const fit = lik.fitAt(den.x, den.y);
    expect(fit.p1m_dbm).toBeCloseTo(-22, 1);
    expect(fit.exponent).toBeCloseTo(3.4, 2);
    expect(fit.rms_residual_db).toBeLessThan(0.01);
    // The evidence is highest at the truth among nearby points.
    for (const [dx, dy] of [[30, 0], [0, 30], [-30, 0], [0, -30]]) {
      expect(lik.logLikelihoodAt(den.x, den.y)).toBeGreaterThan(lik.logLikelihoodAt(den.x + dx!, den.y + dy!));
    }
  });

  it('fromSums equals the direct evaluation', () => {
    const bins: RssiBin[] = [{ x: 0, y: 0, rssi_dbm: -80, var_db2: 40, bursts: 3, probe: 'a' }, { x: 300, y: 0, rssi_dbm: -95, var_db2: 36.5, bursts: 9, probe: 'b' }];
    const lik = new UplinkRssiLikelihood(bins);
    const x = 100, y = 200;
    let swl = 0, swll = 0, swrl = 0;
    for (const b of bins) {
      const l = 10 * Math.log10(Math.hypot(b.x - x, b.y - y));
      swl += l / b.var_db2; swll += (l * l) / b.var_db2; swrl += (b.rssi_dbm * l) / b.var_db2;
    }
    expect(lik.fromSums(swl, swll, swrl)).toBeCloseTo(lik.logLikelihoodAt(x, y), 9);
  });

  it('bins a fixed probe into one bin and a moving probe by place, with shadowing in the variance', () => {
    const rnd = createRandom(7);
    const samples = [
      ...Array.from({ length: 100 }, () => ({ x: 10, y: 10, rssi_dbm: -90 + rnd.normal(0, 5), probe: 'roof', moving: false })),
      ...Array.from({ length: 40 }, (_, i) => ({ x: i * 2.5, y: 0, rssi_dbm: -70, probe: 'walker', moving: true })),
    ];
    const bins = binBursts(samples, { bin_m: 25, shadowing_sigma_db: 6, fading_sigma_db: 5.6 });
    const roof = bins.filter((b) => b.probe === 'roof');
    expect(roof).toHaveLength(1);
    expect(roof[0]!.var_db2).toBeCloseTo(36 + 5.6 ** 2 / 100, 6);
    expect(bins.filter((b) => b.probe === 'walker')).toHaveLength(4);
    const binner = new RssiBinner();
    binner.add(samples.slice(0, 10));
    const v = binner.currentVersion;
    binner.add(samples.slice(100, 105));
    expect(binner.changedSince(v).map((s) => s.key)).toEqual(['walker|0|0']);
  });

  it('corrects a bin for the bursts a receiver could not hear (exponential power cut at its weakest burst)', () => {
    const rnd = createRandom(21);
    const sensitivity = -118;
    // Local mean −120 dBm: only bursts that faded up by more than 2 dB are heard.
    const heard = Array.from({ length: 20000 }, () => -120 + 10 * Math.log10(rnd.exponential(1))).filter((r) => r >= sensitivity);
    expect(heard.length).toBeGreaterThan(3500); // e^(−10^0.2) ≈ 20 % of 20 000
    const naive = 10 * Math.log10(heard.reduce((a, r) => a + 10 ** (r / 10), 0) / heard.length);
    expect(naive).toBeGreaterThan(-116.5); // the uncorrected mean looks 3.5+ dB too strong
    const [bin] = binBursts(heard.map((r) => ({ x: 0, y: 0, rssi_dbm: r, probe: 'far', moving: false })));
    expect(bin!.rssi_dbm).toBeCloseTo(-120, 0);
    // A probe never near its sensitivity is left as it is (within the fading noise).
    const near = Array.from({ length: 2000 }, () => -70 + 10 * Math.log10(rnd.exponential(1)));
    const [b2] = binBursts(near.map((r) => ({ x: 0, y: 0, rssi_dbm: r, probe: 'near', moving: false })));
    expect(b2!.rssi_dbm).toBeCloseTo(-70, 0);
  });
});
