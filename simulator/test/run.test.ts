/**
 * Running scenarios: one capture per probe plus a truth JSON (valid against its schema) and the
 * per-access NDJSON; the capture replayed through the edge agent's decoder gives back exactly the
 * assignments the NDJSON lists, with their cell, TA and cause; the den's TA is the geometry's; the same
 * seed gives the same bytes; frames come in time order per probe, back-pressure is honoured, the
 * agenda stays bounded.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { TA_STEP_M } from '@simhound/protocol';
import { createSubRefHasher, replayCapture, type AssignmentEvent } from '@simhound/edge-agent';
import { runWorld, simulateToCaptures, WorldStream } from '../src/run.js';
import { AccessRecordSchema, GroundTruthSchema, type AccessRecord } from '../src/truth.js';
import { distanceM } from '../src/geo.js';
import { scenario } from './world/helpers.js';

const twoProbes = (extra: Record<string, unknown> = {}) =>
  scenario({
    duration_s: 1200,
    population: { subscribers: 600, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 },
    dens: [{ id: 'den-1', type: 'goip-16', lat_deg: -29.3262, lon_deg: 27.4905 }],
    probes: [
      { site: 'maseru', probe: 'roof-1', lat_deg: -29.315, lon_deg: 27.479, hear_range_m: 20_000, frame_loss: 0, decode_error_rate: 0, sensitivity_dbm: -130 },
      { site: 'maseru', probe: 'roof-2', lat_deg: -29.33, lon_deg: 27.5, hear_range_m: 2500 },
    ],
    ...extra,
  });

describe('running scenarios', () => {
  it('writes one capture per probe, the truth and the accesses; the capture decodes back to the accesses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-sim-'));
    const sc = twoProbes();
    const r = await simulateToCaptures(sc, { out_dir: dir, accesses: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.files.captures).toEqual([join(dir, 'test.roof-1.pcap'), join(dir, 'test.roof-2.pcap')]);
    for (const f of [...r.value.files.captures, r.value.files.truth, r.value.files.accesses!]) expect(existsSync(f)).toBe(true);
    const truth = JSON.parse(readFileSync(r.value.files.truth, 'utf8'));
    expect([...Value.Errors(GroundTruthSchema, truth)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
    expect(truth.accesses_file).toBe('test.accesses.ndjson');
    expect(truth.probes.map((p: { probe: string }) => p.probe)).toEqual(['roof-1', 'roof-2']);
    expect(truth.probes[1].cells_heard.length).toBeLessThan(truth.probes[0].cells_heard.length);
    const records: AccessRecord[] = readFileSync(r.value.files.accesses!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const rec of records.slice(0, 200)) expect(Value.Check(AccessRecordSchema, rec)).toBe(true);
    const assignments = records.filter((x) => x.message === 'assignment');
    expect(assignments.some((x) => x.origin === 'den:den-1')).toBe(true);

    // Replay roof-1 (hears every cell, loses nothing) through the edge agent's decoder.
    const decoded: AssignmentEvent[] = [];
    const replay = await replayCapture(r.value.files.captures[0]!, { subRef: createSubRefHasher(Buffer.alloc(32, 3)), onEvent: (e) => e.type === 'Assignment' && decoded.push(e) });
    expect(replay.ok).toBe(true);
    if (!replay.ok) return;
    expect(replay.value.outcomes.ok).toBe(replay.value.gsmtap_frames);
    const key = (ci: number, ta: number, cause: string, ts: number) => `${ci}/${ta}/${cause}/${Math.round(ts)}`;
    const got = new Map<string, number>();
    for (const d of decoded) {
      if (d.ts_ms < r.value.start_ts_ms + 3000) continue; // cells become known from their first SI3
      const k = key(d.cell!.ci, d.ta_steps, d.request.cause, d.ts_ms);
      got.set(k, (got.get(k) ?? 0) + 1);
    }
    let matched = 0;
    for (const a of assignments) {
      if (a.ts_ms < r.value.start_ts_ms + 3000) continue;
      const k = key(a.ci, a.ta_steps!, a.cause, a.ts_ms);
      expect(got.get(k), k).toBeGreaterThan(0);
      got.set(k, got.get(k)! - 1);
      matched++;
    }
    expect(matched).toBeGreaterThan(250);
    // Nothing decoded that the truth does not list (no repetitions configured here).
    expect([...got.values()].every((n) => n === 0)).toBe(true);
  });

  it('gives the den the TA its geometry implies, and uses it most of the time', async () => {
    const sc = twoProbes();
    const records: AccessRecord[] = [];
    const run = await runWorld(sc, { onFrame: () => {}, onAccess: (a) => records.push(a) });
    const den = run.truth.dens[0]!;
    expect(den.serving.length).toBe(2);
    for (const s of den.serving) {
      const cell = sc.cells.find((c) => c.ci === s.cell.ci)!;
      const d = distanceM(den, cell);
      expect(Math.abs(s.distance_m - d)).toBeLessThan(15);
      expect(s.ta_steps).toBeGreaterThanOrEqual(Math.floor(d / TA_STEP_M));
      expect(s.ta_steps).toBeLessThanOrEqual(Math.floor((d + 600) / TA_STEP_M));
      expect(s.ta_steps_observed).toContain(s.ta_steps);
      const mine = records.filter((x) => x.origin === 'den:den-1' && x.ci === s.cell.ci && x.message === 'assignment');
      expect(mine.length).toBeGreaterThan(20);
      // The most measured TA is the truth's; near a step boundary the neighbour shows up too.
      const atTruth = mine.filter((x) => x.ta_steps === s.ta_steps).length;
      for (const ta of new Set(mine.map((x) => x.ta_steps!))) expect(mine.filter((x) => x.ta_steps === ta).length).toBeLessThanOrEqual(atTruth);
      expect(mine.filter((x) => s.ta_steps_observed.includes(x.ta_steps!)).length / mine.length).toBeGreaterThan(0.97);
    }
  });

  it('is deterministic by seed, per probe in time order, and honours back-pressure', async () => {
    const digest = async (seed: number) => {
      const h = [createHash('sha256'), createHash('sha256')];
      const last = [0, 0];
      let waited = 0;
      const summary = await runWorld(twoProbes({ seed, duration_s: 600 }), {
        onFrame: (k, ts, bytes) => {
          expect(ts).toBeGreaterThanOrEqual(last[k]!);
          last[k] = ts;
          h[k]!.update(bytes);
          // Every 500th frame makes the runner wait.
          if ((h[k] as unknown as { n?: number }).n === undefined) (h[k] as unknown as { n: number }).n = 0;
          if (++(h[k] as unknown as { n: number }).n % 500 === 0) return new Promise<void>((res) => setTimeout(() => { waited++; res(); }, 1));
          return undefined;
        },
      });
      return { digests: h.map((x) => x.digest('hex')), waited, frames: summary.frames_per_probe };
    };
    const a = await digest(7);
    const b = await digest(7);
    const c = await digest(8);
    expect(a.digests).toEqual(b.digests);
    expect(c.digests[0]).not.toBe(a.digests[0]);
    expect(a.waited).toBe(Math.floor(a.frames[0]! / 500) + Math.floor(a.frames[1]! / 500));
  });

  it('stops at until_ts_ms and keeps the agenda bounded over a long run', async () => {
    const sc = twoProbes({ duration_s: 86_400, population: { subscribers: 300, center: { lat_deg: -29.312, lon_deg: 27.485 }, radius_m: 3000 } });
    const stream = new WorldStream(sc);
    const sizes: number[] = [];
    for (let h = 1; h <= 24; h++) {
      stream.world.advance(stream.start_ts_ms + h * 3_600_000, () => {});
      sizes.push(stream.world.agendaSize);
    }
    expect(Math.max(...sizes)).toBeLessThan(3 * Math.min(...sizes) + 2000);
    let lastTs = 0;
    const until = Date.UTC(2026, 2, 4, 8, 5);
    await runWorld(twoProbes({ duration_s: 3600 }), { until_ts_ms: until, onFrame: (_k, ts) => void (lastTs = Math.max(lastTs, ts)) });
    expect(lastTs).toBeLessThan(until);
    expect(lastTs).toBeGreaterThan(until - 5000);
  });
});
