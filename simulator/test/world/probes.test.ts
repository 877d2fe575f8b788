/**
 * What a probe receives: only cells above its sensitivity (and in its range or tuning list), the
 * stronger of two cells on one ARFCN, frames lost more often near the sensitivity, rare corrupted
 * frames; a probe driving a route hears different cells along it; with idle fill it also gets the
 * empty paging blocks of an idle CCCH (nine CCCH blocks per 51-multiframe in all).
 */
import { describe, expect, it } from 'vitest';
import { WorldStream } from '../../src/run.js';
import { MULTIFRAME_51_MS } from '../../src/world/radio.js';
import { scenario } from './helpers.js';

const quiet = { subscribers: 200, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 };

describe('probes', () => {
  it('hears only cells above its sensitivity, in range and tuned, and only the stronger of two on one ARFCN', () => {
    const cells = scenario().cells.map((c) => (c.ci === 1218 ? { ...c, arfcn: 12 } : c)); // 1218 shares ARFCN 12 with 65311
    const sc = scenario({
      cells,
      population: quiet,
      probes: [
        { site: 's', probe: 'all', lat_deg: -29.3116, lon_deg: 27.4733, sensitivity_dbm: -130 },
        { site: 's', probe: 'near', lat_deg: -29.3116, lon_deg: 27.4733, hear_range_m: 1500 },
        { site: 's', probe: 'tuned', lat_deg: -29.3116, lon_deg: 27.4733, cells: [3226, 6003] },
      ],
    });
    const st = new WorldStream(sc);
    const heard = st.builders.map((b) => sc.cells.map((c, i) => (b.hears(i, st.start_ts_ms) ? c.ci : -1)).filter((x) => x >= 0));
    expect(heard[0]).toContain(65311);
    expect(heard[0]).not.toContain(1218); // farther on the same ARFCN: captured by 65311
    expect(heard[0]!.length).toBe(6);
    expect(heard[1]!.length).toBeLessThan(heard[0]!.length);
    expect(heard[2]).toEqual([6003, 3226].filter((ci) => heard[0]!.includes(ci)).sort((a, b) => sc.cells.findIndex((c) => c.ci === a) - sc.cells.findIndex((c) => c.ci === b)));
    st.step(st.start_ts_ms + 120_000, () => {});
    const truth = st.truth().probes;
    expect(truth[0]!.cells_heard.map((c) => c.cell.ci).sort()).toEqual([...heard[0]!].sort());
  });

  it('loses more frames near its sensitivity and corrupts a few when told to', () => {
    const run = (extra: Record<string, unknown>) => {
      const sc = scenario({ population: quiet, probes: [{ site: 's', probe: 'p', lat_deg: -29.315, lon_deg: 27.479, ...extra }] });
      const st = new WorldStream(sc);
      st.step(st.start_ts_ms + 300_000, () => {});
      return st.probeCounters()[0]!;
    };
    const strong = run({ sensitivity_dbm: -130, frame_loss: 0.01, decode_error_rate: 0.01 });
    const marginal = run({ sensitivity_dbm: -80, frame_loss: 0.01, decode_error_rate: 0 });
    const lossStrong = strong.lost / (strong.lost + strong.frames);
    expect(lossStrong).toBeGreaterThan(0.005);
    expect(lossStrong).toBeLessThan(0.02);
    expect(marginal.lost / (marginal.lost + marginal.frames)).toBeGreaterThan(2 * lossStrong);
    expect(strong.corrupted / strong.frames).toBeGreaterThan(0.005);
    expect(strong.corrupted / strong.frames).toBeLessThan(0.02);
    expect(marginal.corrupted).toBe(0);
  });

  it('a probe driving a route hears different cells along it', () => {
    const sc = scenario({
      population: quiet,
      probes: [{ site: 's', probe: 'car', route: { points: [[-29.296, 27.452], [-29.34, 27.465], [-29.322, 27.513]], speed_kmh: 40, loop: false }, sensitivity_dbm: -85 }],
    });
    const st = new WorldStream(sc);
    const seen = new Set<string>();
    for (let m = 1; m <= 30; m++) {
      st.step(st.start_ts_ms + m * 60_000, () => {});
      const b = st.builders[0]!;
      seen.add(sc.cells.map((_c, i) => (b.hears(i, st.start_ts_ms + m * 60_000) ? '1' : '0')).join(''));
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(st.truth().probes[0]!.route).toHaveLength(3);
  });

  it('with idle fill, sends every CCCH block of a heard cell: nine per 51-multiframe', () => {
    const sc = scenario({ population: quiet, probes: [{ site: 's', probe: 'p', lat_deg: -29.3116, lon_deg: 27.4733, cells: [65311], frame_loss: 0, idle_fill: true }] });
    const st = new WorldStream(sc);
    let ccch = 0;
    let last = 0;
    st.step(st.start_ts_ms + 60_000, (_k, ts, bytes) => {
      expect(ts).toBeGreaterThanOrEqual(last);
      last = ts;
      if (bytes[12] === 2) ccch++; // GSMTAP channel CCCH
    });
    const blocks = (60_000 / MULTIFRAME_51_MS) * 9;
    // Each CCCH block once (a repeated or extended assignment still takes one block).
    expect(ccch).toBeGreaterThan(blocks * 0.98);
    expect(ccch).toBeLessThan(blocks * 1.02);
  });
});
