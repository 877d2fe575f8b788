/**
 * The hard negatives behave like the crowds they model: a stadium's arrival LU wave, half-time and
 * final-whistle bursts and SDCCH overload; an in-building small cell with everyone at TA 0; a call
 * centre answering paged inbound calls in office hours; a heavy user's SMS bursts; station clumps in
 * rush hours; a night shift; a train whose passengers change cells and update location in waves.
 */
import { describe, expect, it } from 'vitest';
import { localHour, parseLocalDateTime } from '../../src/time/calendar.js';
import { collect, scenario } from './helpers.js';

const quiet = { subscribers: 300, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 };
const HERE = { lat_deg: -29.3125, lon_deg: 27.4865 };
const ORIGINATING = new Set(['mo_call', 'mo_sms', 'ussd']);

describe('crowds', () => {
  it('stadium: LU wave on arrival, half-time and final-whistle bursts, SDCCH overload rejects', () => {
    const sc = scenario({
      start: '2026-03-07T12:30:00',
      duration_s: 5 * 3600,
      population: quiet,
      crowds: [{ kind: 'stadium', id: 'st', ...HERE, radius_m: 120, attendance: 8000, events: [{ start: '2026-03-07T15:00:00', duration_min: 105, goals: 0 }] }],
    });
    const { accesses, stream } = collect(sc, 5 * 3600_000, false);
    const kick = parseLocalDateTime('2026-03-07T15:00:00', 2)!;
    const crowd = accesses.filter((r) => r.origin === 'crowd:st');
    const perMin = (from: number, to: number, pred: (p: string) => boolean) => crowd.filter((r) => r.message === 'assignment' && pred(r.procedure) && r.ts_ms >= from && r.ts_ms < to).length / ((to - from) / 60_000);
    const min = 60_000;
    const luBefore = perMin(kick - 60 * min, kick, (p) => p === 'lu_normal');
    const luDuring = perMin(kick + 60 * min, kick + 100 * min, (p) => p === 'lu_normal');
    expect(luBefore).toBeGreaterThan(10);
    expect(luDuring).toBeLessThan(luBefore / 10);
    const play = perMin(kick + 5 * min, kick + 40 * min, (p) => ORIGINATING.has(p));
    const halfTime = perMin(kick + 46 * min, kick + 59 * min, (p) => ORIGINATING.has(p));
    const whistle = perMin(kick + 106 * min, kick + 114 * min, (p) => ORIGINATING.has(p));
    expect(halfTime).toBeGreaterThan(3 * play);
    expect(whistle).toBeGreaterThan(3 * play);
    expect(crowd.filter((r) => r.message === 'reject').length).toBeGreaterThan(0);
    const truth = stream.truth().crowds[0]!;
    expect(truth.kind).toBe('stadium');
    expect(truth.members).toBe(8000);
    expect(truth.serving.length).toBeGreaterThan(1);
    expect(truth.active_intervals[0]![0]).toBe(kick - 90 * min);
  });

  it('small cell: everyone inside camps on it at TA 0', () => {
    const cells = scenario().cells.map((c) => (c.ci === 65302 ? { ...c, kind: 'small_cell' as const, tx_power_dbm: 23, range_m: 80 } : c));
    const mall = { lat_deg: cells.find((c) => c.ci === 65302)!.lat_deg, lon_deg: cells.find((c) => c.ci === 65302)!.lon_deg };
    const sc = scenario({ start: '2026-03-07T09:00:00', duration_s: 3 * 3600, cells, population: quiet, crowds: [{ kind: 'small_cell', id: 'mall', ...mall, radius_m: 60, cell_ci: 65302, visitors_per_day: 3000, staff: 100 }] });
    const { accesses } = collect(sc, 3 * 3600_000, false);
    const inside = accesses.filter((r) => r.origin === 'crowd:mall' && r.message === 'assignment');
    expect(inside.length).toBeGreaterThan(300);
    for (const r of inside) {
      expect(r.ci).toBe(65302);
      expect(r.ta_steps).toBe(0);
    }
  });

  it('call centre: agents answer paged inbound calls and dial out, in office hours only', () => {
    const sc = scenario({
      start: '2026-03-04T00:00:00',
      duration_s: 86_400,
      population: quiet,
      crowds: [{ kind: 'call_centre', id: 'cc', ...HERE, agents: 30, hours: 'office' }],
    });
    const { accesses } = collect(sc, 86_400_000, false);
    const agents = accesses.filter((r) => r.origin === 'crowd:cc' && r.message === 'assignment');
    const inbound = agents.filter((r) => r.procedure === 'mt_call').length;
    const outbound = agents.filter((r) => r.procedure === 'mo_call').length;
    expect(inbound).toBeGreaterThan(30 * 10 * 3); // ~6 per agent-hour offered, most answered
    expect(outbound).toBeGreaterThan(30 * 10 * 1);
    expect(inbound / (inbound + outbound)).toBeGreaterThan(0.5);
    const calls = agents.filter((r) => r.procedure === 'mt_call' || r.procedure === 'mo_call');
    for (const r of calls) {
      const h = localHour(r.ts_ms, 2);
      expect(h > 7.5 && h < 18.5).toBe(true);
    }
  });

  it('heavy user: SMS in bursts of about a dozen within a minute or two', () => {
    const sc = scenario({ start: '2026-03-04T08:00:00', duration_s: 12 * 3600, population: quiet, crowds: [{ kind: 'heavy_user', id: 'hu', ...HERE, sms_per_day: 300, sms_burst_size: 12 }] });
    const { accesses } = collect(sc, 12 * 3600_000, false);
    const sms = accesses.filter((r) => r.origin === 'crowd:hu' && r.procedure === 'mo_sms' && r.message === 'assignment' && r.attempt === 1).map((r) => r.ts_ms).sort((a, b) => a - b);
    let bursts = 0;
    for (let i = 0; i + 11 < sms.length; i++) if (sms[i + 11]! - sms[i]! < 150_000) {
      bursts++;
      i += 11;
    }
    expect(bursts).toBeGreaterThanOrEqual(3);
  });

  it('station: passengers in rush hours, in clumps, many updating location on arrival', () => {
    const sc = scenario({ start: '2026-03-04T05:00:00', duration_s: 6 * 3600, population: quiet, crowds: [{ kind: 'station', id: 'stn', ...HERE, peak_passengers_per_h: 1500, from_other_la_share: 0.6 }] });
    const { accesses } = collect(sc, 6 * 3600_000, false);
    const st = accesses.filter((r) => r.origin === 'crowd:stn' && r.message === 'assignment');
    const rush = st.filter((r) => localHour(r.ts_ms, 2) >= 6.5 && localHour(r.ts_ms, 2) < 8.5).length / 2;
    const offPeak = st.filter((r) => localHour(r.ts_ms, 2) >= 9 && localHour(r.ts_ms, 2) < 11).length / 2;
    expect(rush).toBeGreaterThan(2.5 * offPeak);
    expect(st.filter((r) => r.procedure === 'lu_normal').length).toBeGreaterThan(300);
  });

  it('factory night shift: workers present and phoning at 02:00, a break burst', () => {
    const sc = scenario({ start: '2026-03-04T20:00:00', duration_s: 12 * 3600, population: quiet, crowds: [{ kind: 'factory', id: 'fab', ...HERE, workers: 600, shifts: [[22, 6]], breaks: [2] }] });
    const { accesses } = collect(sc, 12 * 3600_000, false);
    const fab = accesses.filter((r) => r.origin === 'crowd:fab' && r.message === 'assignment' && ORIGINATING.has(r.procedure));
    const at = (h0: number, h1: number) => fab.filter((r) => localHour(r.ts_ms, 2) >= h0 && localHour(r.ts_ms, 2) < h1).length / (h1 - h0);
    expect(at(0, 1.5)).toBeGreaterThan(0);
    expect(at(2, 2.5)).toBeGreaterThan(2 * at(0, 1.5));
    expect(at(7, 8)).toBe(0);
  });

  it('train: passengers move across cells and update location in waves at location-area boundaries', () => {
    const sc = scenario({
      start: '2026-03-04T06:00:00',
      duration_s: 4 * 3600,
      population: quiet,
      routes: [{ id: 'line', points: [[-29.300, 27.445], [-29.312, 27.470], [-29.322, 27.495], [-29.338, 27.520]] }],
      crowds: [{ kind: 'train', id: 'tr', route: 'line', passengers: 200, runs_per_h: 2, speed_kmh: 50 }],
    });
    const { accesses } = collect(sc, 4 * 3600_000, false);
    const tr = accesses.filter((r) => r.origin === 'crowd:tr' && r.message === 'assignment');
    expect(new Set(tr.map((r) => r.ci)).size).toBeGreaterThanOrEqual(3);
    const lus = tr.filter((r) => r.procedure === 'lu_normal');
    expect(lus.length).toBeGreaterThan(100);
    // Waves: most updates fall in a few one-minute bins.
    const bins = new Map<number, number>();
    for (const r of lus) bins.set(Math.floor(r.ts_ms / 60_000), (bins.get(Math.floor(r.ts_ms / 60_000)) ?? 0) + 1);
    const top = [...bins.values()].sort((a, b) => b - a).slice(0, Math.ceil(bins.size / 5)).reduce((a, b) => a + b, 0);
    expect(top / lus.length).toBeGreaterThan(0.5);
  });
});
