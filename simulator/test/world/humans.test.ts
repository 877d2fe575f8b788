/**
 * The human model against its parameters and against what CDR studies report of people: rates per
 * subscriber and day near the configured means, strongly heterogeneous subscribers (heavy and silent
 * users), a daily shape that follows the profile, counts per (cell, TA) that are overdispersed rather
 * than Poisson, periodic updating on T3212 restarted by every connection, and night-time power cycles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { collect, scenario, type Collected } from './helpers.js';
import { ActivityProfile } from '../../src/world/profiles.js';
import { DEFAULT_WEEKLY_PROFILE } from '../../src/scenario.js';
import { localHour, parseLocalDateTime } from '../../src/time/calendar.js';

const SUBS = 1500;
let run: Collected;
const sc = scenario({ start: '2026-03-04T00:00:00', duration_s: 86_400, population: { subscribers: SUBS, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 } });

beforeAll(() => {
  run = collect(sc, 86_400_000, true);
}, 60_000);

const human = () => run.accesses.filter((r) => r.origin === 'human' && r.message === 'assignment' && r.attempt >= 1);
const firstOfAccess = () => {
  // One record per access: a retransmitted burst answered again within seconds is the same access.
  const last = new Map<string, number>();
  return human()
    .sort((a, b) => a.ts_ms - b.ts_ms)
    .filter((r) => {
      const k = `${r.sub}:${r.procedure}`;
      const prev = last.get(k);
      last.set(k, r.ts_ms);
      return !(r.attempt > 1 && prev !== undefined && r.ts_ms - prev < 8000);
    });
};

describe('human traffic', () => {
  it('averages the configured events per subscriber and day (plus follow-ups: redials, replies)', () => {
    const per: Record<string, number> = {};
    for (const r of firstOfAccess()) per[r.procedure] = (per[r.procedure] ?? 0) + 1 / SUBS;
    const rates = sc.population.rates_per_day;
    expect(per.mo_call!).toBeGreaterThan(rates.mo_call * 0.9);
    expect(per.mo_call!).toBeLessThan(rates.mo_call * 1.5);
    expect(per.mo_sms!).toBeGreaterThan(rates.mo_sms * 1.0);
    expect(per.mo_sms!).toBeLessThan(rates.mo_sms * 2.5);
    expect(per.ussd!).toBeGreaterThan(rates.ussd * 0.75);
    expect(per.ussd!).toBeLessThan(rates.ussd * 1.3);
    // MT traffic is only seen when the phone answers the page (attached, reachable, not busy).
    expect(per.mt_call!).toBeGreaterThan(rates.mt_call * 0.55);
    expect(per.mt_call!).toBeLessThan(rates.mt_call * 1.1);
    // Periodic updates: 24 h / T3212 (3 h), fewer when other connections restart the timer.
    expect(per.lu_periodic!).toBeGreaterThan(3);
    expect(per.lu_periodic!).toBeLessThan(8);
  });

  it('has heavy and silent users: per-subscriber counts far more dispersed than Poisson', () => {
    const counts = new Array(SUBS).fill(0);
    for (const r of firstOfAccess()) if (r.procedure === 'mo_call' || r.procedure === 'mo_sms' || r.procedure === 'ussd') if (r.sub < SUBS) counts[r.sub]++;
    const mean = counts.reduce((a, b) => a + b, 0) / SUBS;
    const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (SUBS - 1);
    expect(variance / mean).toBeGreaterThan(4); // Poisson: 1
    const sorted = [...counts].sort((a, b) => b - a);
    const top10 = sorted.slice(0, SUBS / 10).reduce((a, b) => a + b, 0);
    expect(top10 / (mean * SUBS)).toBeGreaterThan(0.3); // the top tenth makes over 30 %
    expect(counts.filter((c) => c === 0).length / SUBS).toBeGreaterThan(0.1); // and many are silent all day
  });

  it('follows the daily profile: hourly originating counts track it, nights are quiet', () => {
    const hourly = new Array(24).fill(0);
    for (const r of firstOfAccess()) if (r.procedure === 'mo_call' || r.procedure === 'mo_sms') hourly[Math.floor(localHour(r.ts_ms, 2))]++;
    const profile = new ActivityProfile(DEFAULT_WEEKLY_PROFILE(), 2);
    const day0 = parseLocalDateTime('2026-03-04T00:00:00', 2)!;
    const expected = hourly.map((_, h) => profile.meanOver(day0 + h * 3_600_000, day0 + (h + 1) * 3_600_000));
    const corr = correlation(hourly, expected);
    expect(corr).toBeGreaterThan(0.93);
    const night = hourly.slice(2, 5).reduce((a, b) => a + b, 0);
    const evening = hourly.slice(17, 20).reduce((a, b) => a + b, 0);
    expect(night / evening).toBeLessThan(0.15);
  });

  it('makes originating counts per (cell, TA) and 5 minutes overdispersed, not Poisson', () => {
    const W = 300_000;
    const start = run.stream.start_ts_ms;
    const buckets = new Map<string, number[]>();
    for (const r of human()) {
      if (r.procedure !== 'mo_call' && r.procedure !== 'mo_sms' && r.procedure !== 'ussd') continue;
      const h = localHour(r.ts_ms, 2);
      if (h < 9 || h >= 17) continue;
      const k = `${r.ci}/${r.ta_steps}`;
      const a = buckets.get(k) ?? new Array(96).fill(0);
      a[Math.floor((h - 9) * 12)]++;
      buckets.set(k, a);
    }
    void start;
    const indexes: number[] = [];
    for (const a of buckets.values()) {
      const m = a.reduce((x, y) => x + y, 0) / a.length;
      if (m < 1) continue;
      const v = a.reduce((x, y) => x + (y - m) ** 2, 0) / (a.length - 1);
      indexes.push(v / m);
    }
    expect(indexes.length).toBeGreaterThan(3);
    indexes.sort((x, y) => x - y);
    // Poisson counts over 96 windows give indexes of 1 ± 0.15; the median of a dozen buckets, 1 ± 0.05.
    expect(indexes[Math.floor(indexes.length / 2)]!).toBeGreaterThan(1.2);
  });

  it('updates periodically on T3212, restarted by every connection (never sooner than T3212 after the last one)', () => {
    const t3212 = 30 * 360_000;
    const lastConn = new Map<number, number>();
    let checked = 0;
    for (const r of firstOfAccess().sort((a, b) => a.ts_ms - b.ts_ms)) {
      if (r.procedure === 'lu_periodic' && r.sub < SUBS && r.mcc + r.mnc === '65101') {
        const last = lastConn.get(r.sub);
        if (last !== undefined) {
          expect(r.ts_ms - last).toBeGreaterThan(t3212 - 120_000);
          checked++;
        }
      }
      if (r.procedure !== 'gprs') lastConn.set(r.sub, r.ts_ms);
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('switches some phones off at night (IMSI detach ~22–24 h) and on in the morning (IMSI attach ~5–8 h)', () => {
    const detach = firstOfAccess().filter((r) => r.procedure === 'imsi_detach');
    const attach = firstOfAccess().filter((r) => r.procedure === 'lu_imsi_attach');
    const share = sc.population.night_off_share;
    expect(detach.length / SUBS).toBeGreaterThan(share * 0.6);
    expect(detach.length / SUBS).toBeLessThan(share * 1.4);
    expect(attach.length / SUBS).toBeGreaterThan(share * 0.6);
    for (const r of detach) expect(localHour(r.ts_ms, 2) > 19 || localHour(r.ts_ms, 2) < 2).toBe(true);
    for (const r of attach) expect(localHour(r.ts_ms, 2) > 3 && localHour(r.ts_ms, 2) < 10).toBe(true);
  });

  it('draws answered-call talk times lognormal with the configured median and sigma (mean ≈ 100 s)', () => {
    const humans = run.stream.world.humans as unknown as { talkMs(): number };
    const xs = Array.from({ length: 20_000 }, () => humans.talkMs() / 1000);
    const logs = xs.map(Math.log);
    const mu = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / (logs.length - 1));
    const h = sc.population.call_holding_s;
    expect(Math.exp(mu) / h.median).toBeGreaterThan(0.95);
    expect(Math.exp(mu) / h.median).toBeLessThan(1.05);
    expect(sd).toBeGreaterThan(h.sigma * 0.95);
    expect(sd).toBeLessThan(h.sigma * 1.05);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(85);
    expect(mean).toBeLessThan(115);
  });

  it('pages mostly by TMSI with a small IMSI share, packing several pages per message', () => {
    let tmsi = 0;
    let imsi = 0;
    let multi = 0;
    let pagings = 0;
    for (const e of run.events) {
      if (e.kind !== 'paging') continue;
      pagings++;
      if (e.pages.length > 1) multi++;
      for (const p of e.pages) (p.identity.type === 'tmsi' ? tmsi++ : imsi++);
    }
    const share = imsi / (tmsi + imsi);
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.1);
    expect(multi).toBeGreaterThan(0);
  });
});

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}
