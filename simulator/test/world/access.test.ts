/**
 * Radio procedures as a probe sees them: SDCCH messages at the subchannel's block positions after their
 * assignment; authentication answered in tens of ms by a phone and after a network round trip by a
 * remote SIM bank; rejects when SDCCHs run out (and the mobile trying again after T3122); repeated
 * assignments where the operator repeats them; retransmitted bursts from a weak (basement) den; pages
 * repeated after T3113 when nobody answers.
 */
import { describe, expect, it } from 'vitest';
import type { AirEvent } from '../../src/world/air-events.js';
import { FRAME_MS } from '../../src/world/radio.js';
import { collect, scenario } from './helpers.js';

type Ded = Extract<AirEvent, { kind: 'dedicated' }>;
type Asg = Extract<AirEvent, { kind: 'assignment' }>;

/** Ciphering Mode Command time minus Authentication Request time, per dedicated session, by origin. */
function authGaps(events: AirEvent[]): Map<string, number[]> {
  const open = new Map<string, number>();
  const gaps = new Map<string, number[]>();
  for (const e of events) {
    if (e.kind !== 'dedicated') continue;
    const k = `${e.cell_index}:${e.timeslot}:${e.subchannel}`;
    if (e.message.type === 'authentication_request') open.set(k, e.ts_ms);
    if (e.message.type === 'ua_initial') open.delete(k);
    if (e.message.type === 'ciphering_mode_command' && open.has(k)) {
      const list = gaps.get(e.origin) ?? [];
      list.push(e.ts_ms - open.get(k)!);
      gaps.set(e.origin, list);
      open.delete(k);
    }
  }
  return gaps;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('radio procedures', () => {
  it('sends the UA, authentication and ciphering on the assigned subchannel, at its block positions, within a second or two of the assignment', () => {
    const { events } = collect(scenario({ population: { subscribers: 800, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 } }), 1_200_000);
    const lastIa = new Map<string, number>();
    let checked = 0;
    for (const e of events) {
      if (e.kind === 'assignment' && !e.repeat) for (const a of e.entries) if (a.channel.type === 'sdcch8') lastIa.set(`${e.cell_index}:${a.channel.timeslot}:${a.channel.subchannel}`, e.ts_ms);
      if (e.kind !== 'dedicated') continue;
      const d = e as Ded;
      expect(((d.fn % 51) + 51) % 51).toBe(4 * d.subchannel);
      if (d.message.type === 'ua_initial') {
        const ia = lastIa.get(`${d.cell_index}:${d.timeslot}:${d.subchannel}`);
        expect(ia).toBeDefined();
        const gap = d.ts_ms - ia!;
        expect(gap).toBeGreaterThan(4 * FRAME_MS);
        expect(gap).toBeLessThan(3 * 51 * FRAME_MS);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('answers authentication in well under a second from a phone and far later from a remote SIM bank', () => {
    const sc = scenario({
      population: { subscribers: 400, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 },
      operators: [{ plmn: '65101', auth_share: { location_update: 1, cm_service: 1, paging_response: 1 } }],
      dens: [
        { id: 'local', type: 'goip-8', operators: ['65101'], lat_deg: -29.3262, lon_deg: 27.4905 },
        { id: 'remote', type: 'goip-8', operators: ['65101'], lat_deg: -29.3050, lon_deg: 27.4700, remote_sim: { rtt_ms: { median: 700, sigma: 0.4 } } },
      ],
    });
    const gaps = authGaps(collect(sc, 1_800_000).events);
    const phone = gaps.get('den:local')!;
    const human = gaps.get('human')!;
    const remote = gaps.get('den:remote')!;
    expect(phone.length).toBeGreaterThan(20);
    expect(remote.length).toBeGreaterThan(20);
    expect(median(phone)).toBeLessThan(1000);
    expect(Math.abs(median(phone) - median(human))).toBeLessThan(250); // a GoIP module's own SIM answers like a phone
    expect(median(remote)).toBeGreaterThan(median(phone) + 400);
  });

  it('rejects requests when every SDCCH is busy, and the mobiles come back after T3122', () => {
    const sc = scenario({
      cells: scenario().cells.map((c) => ({ ...c, sdcch: 2 })),
      population: { subscribers: 4000, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000, rates_per_day: { mo_sms: 40 } },
      operators: [{ plmn: '65101', t3122_s: 8 }],
    });
    const { events, accesses } = collect(sc, 900_000);
    const rejects = events.filter((e) => e.kind === 'assignment_reject');
    expect(rejects.length).toBeGreaterThan(20);
    for (const r of rejects) if (r.kind === 'assignment_reject') for (const x of r.entries) expect(x.wait_s).toBe(r.cell_index < 4 ? 8 : 10);
    // A rejected mobile comes back once T3122 has run (an assignment for one of its earlier bursts may
    // still arrive and be taken within a few seconds; a reject the mobile missed does not stop it).
    const rejectedAt = new Map<number, number>();
    let early = 0;
    let retried = 0;
    for (const a of accesses) {
      if (a.message === 'reject') {
        if (!rejectedAt.has(a.sub)) rejectedAt.set(a.sub, a.ts_ms);
        continue;
      }
      const r = rejectedAt.get(a.sub);
      if (r === undefined) continue;
      const wait = a.mcc + a.mnc === '65101' ? 8000 : 10_000;
      const d = a.ts_ms - r;
      rejectedAt.delete(a.sub);
      if (d < 4000) continue;
      retried++;
      if (d < wait) early++;
    }
    expect(retried).toBeGreaterThan(20);
    expect(early / retried).toBeLessThan(0.05);
  });

  it('repeats every SDCCH assignment once where the operator does so, and never where it does not', () => {
    const sc = scenario({ population: { subscribers: 600, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 }, operators: [{ plmn: '65101', ia_repetition: 1 }] });
    const { events } = collect(sc, 900_000);
    const asg = events.filter((e): e is Asg => e.kind === 'assignment');
    const first = new Map<string, number>();
    const repeats = new Map<string, number>();
    for (const e of asg) {
      const op = e.cell_index < 4 ? '65101' : '65102';
      for (const a of e.entries) {
        if (a.channel.type !== 'sdcch8') continue;
        const m = e.repeat ? repeats : first;
        m.set(op, (m.get(op) ?? 0) + 1);
      }
    }
    expect(repeats.get('65102') ?? 0).toBe(0);
    expect(repeats.get('65101')! / first.get('65101')!).toBeGreaterThan(0.97);
  });

  it('a basement den needs retransmitted bursts far more often than people do', () => {
    const sc = scenario({
      population: { subscribers: 800, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 },
      dens: [{ id: 'basement', type: 'goip-8', operators: ['65102'], lat_deg: -29.3150, lon_deg: 27.4710, attenuation_db: 44 }],
    });
    const { accesses } = collect(sc, 1_800_000, false);
    const share = (origin: string) => {
      const a = accesses.filter((r) => r.origin === origin && r.message === 'assignment');
      return a.filter((r) => r.attempt > 1).length / a.length;
    };
    expect(accesses.filter((r) => r.origin === 'den:basement').length).toBeGreaterThan(30);
    expect(share('den:basement')).toBeGreaterThan(0.25);
    expect(share('den:basement')).toBeGreaterThan(5 * share('human'));
  });

  it('repeats a page after T3113 in every cell of the location area when the mobile does not answer', () => {
    const sc = scenario({
      population: { subscribers: 300, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000, unreachable_share: 1, rates_per_day: { mt_call: 20, mt_sms: 0 } },
      operators: [{ plmn: '65101', paging_attempts: 3, t3113_s: 4, imsi_paging_share: 0 }, { plmn: '65102', paging_attempts: 3, t3113_s: 4, imsi_paging_share: 0 }],
    });
    const { events, accesses } = collect(sc, 1_800_000);
    expect(accesses.filter((a) => a.procedure === 'mt_call').length).toBe(0);
    const times = new Map<number, number[]>();
    for (const e of events) if (e.kind === 'paging') for (const p of e.pages) if (p.identity.type === 'tmsi') (times.get(p.identity.tmsi) ?? times.set(p.identity.tmsi, []).get(p.identity.tmsi)!).push(e.ts_ms);
    let series = 0;
    for (const ts of times.values()) {
      // Each location area has two cells: 3 attempts × 2 cells per unanswered call.
      if (ts.length !== 6) continue;
      ts.sort((a, b) => a - b);
      expect(ts[2]! - ts[0]!).toBeGreaterThan(4000);
      series++;
    }
    expect(series).toBeGreaterThan(20);
  });
});
