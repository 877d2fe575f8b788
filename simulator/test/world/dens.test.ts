/**
 * Dens against their specification: the published pace of a GoIP-32 ("over a dozen calls a minute"),
 * one call at a time per port, one TA per serving cell, operating hours with idle SIMs still updating,
 * SIM rotation (detach, then IMSI attach with the IMSI and a new TMSI), Poll mode hopping cells, SIMs of
 * two operators, inter-calling that makes den SIMs paged, and a van that moves every day.
 */
import { describe, expect, it } from 'vitest';
import { localHour, localWeekday } from '../../src/time/calendar.js';
import { collect, scenario } from './helpers.js';

const quiet = { subscribers: 300, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 };
const DEN = { lat_deg: -29.3262, lon_deg: 27.4905 };
const roomy = () => scenario().cells.map((c) => ({ ...c, tch: 60, sdcch: 32 }));
const denOnly = (origin: string, proc?: string) => (r: { origin: string; message: string; procedure: string }) => r.origin === origin && r.message === 'assignment' && (proc === undefined || r.procedure === proc);

/** Drops the second answer to a retransmitted burst of the same access. */
function accessesOf<T extends { sub: number; procedure: string; ts_ms: number; attempt: number }>(rs: T[]): T[] {
  const last = new Map<string, number>();
  return rs.filter((r) => {
    const k = `${r.sub}:${r.procedure}`;
    const prev = last.get(k);
    last.set(k, r.ts_ms);
    return !(r.attempt > 1 && prev !== undefined && r.ts_ms - prev < 8000);
  });
}

describe('dens', () => {
  it('a GoIP-32 places over a dozen calls a minute, all from one spot: one TA per serving cell', () => {
    const sc = scenario({ cells: roomy(), population: quiet, dens: [{ id: 'g32', type: 'goip-32', operators: ['65101'], ...DEN }] });
    const { accesses, stream } = collect(sc, 3_600_000, false);
    const calls = accessesOf(accesses.filter(denOnly('den:g32', 'mo_call')));
    expect(calls.length / 60).toBeGreaterThan(11);
    expect(calls.length / 60).toBeLessThan(16);
    const truth = stream.truth().dens[0]!;
    expect(truth.serving).toHaveLength(1);
    const s = truth.serving[0]!;
    const atTa = calls.filter((c) => c.ci === s.cell.ci && c.ta_steps === s.ta_steps).length;
    expect(atTa / calls.length).toBeGreaterThan(0.9);
    for (const c of calls) expect(Math.abs(c.ta_steps! - s.ta_steps)).toBeLessThanOrEqual(1);
  });

  it('a GoIP-1 has one call at a time: its calls never overlap', () => {
    const sc = scenario({ cells: roomy(), population: quiet, dens: [{ id: 'g1', type: 'goip-1', ...DEN, operators: ['65102'], call: { unanswered_share: 0, short_share: 0, ring_s: { median: 20, sigma: 0.1 }, short_s: { median: 10, sigma: 0.1 }, talk_s: { median: 60, sigma: 0.1 } } }] });
    const { accesses } = collect(sc, 7_200_000, false);
    const calls = accessesOf(accesses.filter(denOnly('den:g1', 'mo_call'))).map((c) => c.ts_ms).sort((a, b) => a - b);
    expect(calls.length).toBeGreaterThan(30);
    // Each call holds the port ~8 s of ringing + ~60 s of talk, so the next one starts at least that much later.
    for (let i = 1; i < calls.length; i++) expect(calls[i]! - calls[i - 1]!).toBeGreaterThan(50_000);
  });

  it('works office hours only, while its idle SIMs keep location-updating at night', () => {
    const sc = scenario({ start: '2026-03-04T00:00:00', duration_s: 86_400, population: quiet, dens: [{ id: 'off', type: 'goip-16', ...DEN, hours: 'office' }] });
    const { accesses, stream } = collect(sc, 86_400_000, false);
    const den = accessesOf(accesses.filter(denOnly('den:off')));
    const calls = den.filter((r) => r.procedure === 'mo_call');
    expect(calls.length).toBeGreaterThan(1000);
    for (const c of calls) {
      const h = localHour(c.ts_ms, 2);
      expect(h >= 8 && h < 18.2).toBe(true);
      expect(localWeekday(c.ts_ms, 2)).toBe(3);
    }
    expect(den.filter((r) => r.procedure === 'lu_periodic' && (localHour(r.ts_ms, 2) < 7 || localHour(r.ts_ms, 2) > 19)).length).toBeGreaterThan(10);
    const truth = stream.truth().dens[0]!;
    expect(truth.active_intervals).toHaveLength(1);
    expect(localHour(truth.active_intervals[0]![0], 2)).toBeCloseTo(8, 5);
    expect(localHour(truth.active_intervals[0]![1], 2)).toBeCloseTo(18, 5);
    expect(truth.powered_intervals).toEqual([[stream.start_ts_ms, stream.end_ts_ms]]);
  });

  it('rotates SIMs by rule: the old SIM detaches, a fresh one IMSI-attaches with its IMSI and gets a TMSI', () => {
    const sc = scenario({
      cells: roomy(),
      population: quiet,
      probes: [{ site: 'maseru', probe: 'roof-1', lat_deg: -29.315, lon_deg: 27.479, hear_range_m: 8000, channels: ['bcch', 'ccch', 'sdcch'] }],
      dens: [{ id: 'rot', type: 'goip-8', operators: ['65101'], ...DEN, rotation: { after_calls: 5, block_probability: 0 }, sims: 200 }],
    });
    const { accesses, events } = collect(sc, 3 * 3_600_000);
    const den = accessesOf(accesses.filter(denOnly('den:rot')));
    const calls = den.filter((r) => r.procedure === 'mo_call').length;
    const attaches = den.filter((r) => r.procedure === 'lu_imsi_attach').length;
    const detaches = den.filter((r) => r.procedure === 'imsi_detach').length;
    expect(calls).toBeGreaterThan(300);
    expect(attaches).toBeGreaterThan(calls / 5 - 15);
    expect(attaches).toBeLessThan(calls / 5 + 15);
    expect(detaches).toBeGreaterThan(attaches * 0.8);
    const attachUas = events.filter((e) => e.kind === 'dedicated' && e.origin === 'den:rot' && e.message.type === 'ua_initial' && e.message.initial.kind === 'location_updating_request' && e.message.initial.lu_type === 'imsi_attach');
    expect(attachUas.length).toBeGreaterThan(attaches * 0.8);
    for (const e of attachUas) if (e.kind === 'dedicated' && e.message.type === 'ua_initial') expect(e.message.initial.identity.type).toBe('imsi');
    // The new SIMs' later calls present the TMSI they were given.
    const later = events.filter((e) => e.kind === 'dedicated' && e.origin === 'den:rot' && e.message.type === 'ua_initial' && e.message.initial.kind === 'cm_service_request');
    expect(later.filter((e) => e.kind === 'dedicated' && e.message.type === 'ua_initial' && e.message.initial.identity.type === 'tmsi').length / later.length).toBeGreaterThan(0.9);
  });

  it('in Poll mode hops among several cells, and the truth lists each cell with its TA and interval', () => {
    const sc = scenario({ cells: roomy(), population: quiet, dens: [{ id: 'poll', type: 'goip-16', operators: ['65101'], ...DEN, cell_mode: 'poll', poll: { min_s: 120, max_s: 600, cells: 4 } }] });
    const { accesses, stream } = collect(sc, 4 * 3_600_000, false);
    const cells = new Set(accessesOf(accesses.filter(denOnly('den:poll', 'mo_call'))).map((r) => r.ci));
    expect(cells.size).toBeGreaterThanOrEqual(3);
    const truth = stream.truth().dens[0]!;
    const truthCells = new Set(truth.serving.map((s) => s.cell.ci));
    for (const c of cells) expect(truthCells.has(c)).toBe(true);
    for (const s of truth.serving) expect(s.to_ts_ms).toBeGreaterThan(s.from_ts_ms);
  });

  it('holds SIMs of two operators: its traffic appears on both networks', () => {
    const sc = scenario({ cells: roomy(), population: quiet, dens: [{ id: 'two', type: 'goip-16', ...DEN, operators: [{ plmn: '65101', share: 1 }, { plmn: '65102', share: 1 }] }] });
    const { accesses, stream } = collect(sc, 1_800_000, false);
    const plmns = new Set(accesses.filter(denOnly('den:two', 'mo_call')).map((r) => r.mcc + r.mnc));
    expect([...plmns].sort()).toEqual(['65101', '65102']);
    expect(new Set(stream.truth().dens[0]!.serving.map((s) => s.cell.mnc))).toEqual(new Set(['01', '02']));
  });

  it('with inter-calling, den SIMs answer pages far more often', () => {
    const run = (inter: boolean) => {
      const sc = scenario({ cells: roomy(), population: quiet, dens: [{ id: 'h', type: 'goip-16', operators: ['65101'], ...DEN, ...(inter ? { inter_calling: { calls_per_port_per_h: 4 } } : {}) }] });
      return accessesOf(collect(sc, 3_600_000, false).accesses.filter(denOnly('den:h', 'mt_call'))).length;
    };
    const without = run(false);
    const withHbs = run(true);
    expect(withHbs).toBeGreaterThan(20);
    expect(withHbs).toBeGreaterThan(5 * without + 10);
  });

  it('a van den moves every morning: power off, drive, every SIM attaches at the next site; the truth has its track', () => {
    const sc = scenario({
      start: '2026-03-04T00:00:00',
      duration_s: 30 * 3600,
      population: quiet,
      dens: [{ id: 'van', type: 'goip-8', operators: ['65101'], van: { sites: [{ lat_deg: -29.305, lon_deg: 27.478 }, { lat_deg: -29.325, lon_deg: 27.498 }], move_at_h: 7.5, drive_min: 30 } }],
    });
    const { accesses, stream } = collect(sc, 30 * 3_600_000, false);
    const truth = stream.truth().dens[0]!;
    expect(truth.track).toHaveLength(2);
    const [first, second] = truth.track!;
    expect(localHour(first!.to_ts_ms, 2)).toBeCloseTo(7.5, 5);
    expect(second!.from_ts_ms - first!.to_ts_ms).toBeCloseTo(30 * 60_000, -3);
    expect(truth.powered_intervals).toHaveLength(2);
    const attaches = accesses.filter((r) => r.origin === 'den:van' && r.procedure === 'lu_imsi_attach' && r.ts_ms >= second!.from_ts_ms && r.ts_ms < second!.from_ts_ms + 180_000);
    expect(new Set(attaches.map((r) => r.sub)).size).toBe(8);
    expect(accesses.some((r) => r.origin === 'den:van' && r.ts_ms > first!.to_ts_ms + 60_000 && r.ts_ms < second!.from_ts_ms)).toBe(false);
    // The serving cells (or at least the TAs) differ between the two sites.
    const before = truth.serving.filter((s) => s.to_ts_ms <= first!.to_ts_ms).map((s) => `${s.cell.ci}/${s.ta_steps}`);
    const after = truth.serving.filter((s) => s.from_ts_ms >= second!.from_ts_ms).map((s) => `${s.cell.ci}/${s.ta_steps}`);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(after).not.toEqual(before);
  });
});
