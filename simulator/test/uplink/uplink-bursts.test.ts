import { describe, expect, it } from 'vitest';
import { checkBody } from '@simhound/protocol';
import { destination, distanceM } from '@simhound/geo';
import { createRandom } from '../../src/random.js';
import { DenUplinkGenerator, fixedProbe, walkFoxHunt, type UplinkProbe } from '../../src/uplink/index.js';

const DEN = { lat_deg: -29.3262, lon_deg: 27.4905 };
const accesses = Array.from({ length: 300 }, (_, i) => ({
  ts_ms: 1_000_000 + i * 2000, fn: (1000 + i * 433) % 2715648, ra: 0xa0 | (i % 32), arfcn: 18,
  cell: { mcc: '651', mnc: '01', lac: 123, ci: 65302 }, ta_steps: 2,
}));

describe('den uplink bursts', () => {
  it('gives each probe its bursts with the access RA and frame number, valid against the contract', () => {
    const gen = new DenUplinkGenerator(DEN, createRandom(1), { tie: true });
    const near = fixedProbe('maseru/near', destination(DEN, 90, 150));
    const far = fixedProbe('maseru/far', destination(DEN, 270, 900));
    const deaf: UplinkProbe = { ...fixedProbe('maseru/deaf', destination(DEN, 0, 100)), arfcns: [60] };
    const out = gen.generate([near, far, deaf], accesses);
    const n = out.get('maseru/near')!;
    expect(n.length).toBe(300);
    expect(n[7]).toMatchObject({ type: 'uplink_burst', fn: accesses[7]!.fn, ra: accesses[7]!.ra, arfcn: 18, cell: accesses[7]!.cell, ta_steps: 2 });
    expect(n[7]!.position).toBeUndefined(); // fixed probes report their position in their status
    expect(out.get('maseru/deaf')).toHaveLength(0);
    const meanOf = (o: typeof n) => o.reduce((a, b) => a + b.rssi_dbm, 0) / o.length;
    expect(meanOf(n)).toBeGreaterThan(meanOf(out.get('maseru/far')!) + 15);
    expect(checkBody('observation', { observations: n.slice(0, 100) }).ok).toBe(true);
  });

  it('walks a fox-hunt unit toward its guidance and stamps each burst with where it was', () => {
    const gen = new DenUplinkGenerator(DEN, createRandom(2));
    const start = destination(DEN, 45, 200);
    const r = walkFoxHunt(gen, accesses, { id: 'maseru/walker', start, start_ts_ms: 1_000_000, speed_mps: 1.4, replan_s: 10, max_duration_s: 600 }, (heard, at) =>
      distanceM(at, DEN) < 5 ? { done: true } : { done: false, target: DEN });
    expect(r.stopped).toBe('done');
    expect(distanceM(r.end, DEN)).toBeLessThan(5);
    // 200 m at 1.4 m/s ≈ 143 s: about 71 accesses heard on the way.
    expect(r.observations.length).toBeGreaterThan(60);
    const first = r.observations[0]!;
    const last = r.observations.at(-1)!;
    expect(distanceM(first.position!, DEN)).toBeGreaterThan(distanceM(last.position!, DEN) + 150);
    expect(checkBody('observation', { observations: r.observations.slice(0, 50) }).ok).toBe(true);
  });
});
