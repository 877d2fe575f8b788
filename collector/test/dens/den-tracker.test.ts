/**
 * Den tracking on a real SQLite store with real signed detections: association by place and by TA-ring
 * geometry across operators, evidence-only detections, lifecycle, reactivation, merge and split, and
 * uplink observations tied to a den's place.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedEnvelope } from '@simhound/protocol';
import { DenTracker, placeKey, type SqliteStore } from '../../src/index.js';
import { makeProbe } from '../fixtures.js';
import { DEN, ECONET, ECONET_NORTH, VODACOM, burst, denCandidate, ingestDetection, storeWithCells, taAt } from './den-fixtures.js';

const T0 = 1_800_000_000_000;

describe('DenTracker', () => {
  const roof = makeProbe('maseru', 'roof-1');
  const van = makeProbe('maseru', 'van-2');
  let store: SqliteStore;
  let remove: () => void;
  let tracker: DenTracker;
  let now = T0;
  const placesChanged: string[] = [];

  beforeEach(async () => {
    ({ store, remove } = await storeWithCells());
    now = T0;
    placesChanged.length = 0;
    tracker = new DenTracker(store, { clock: () => now, events: { onPlacesChanged: (id) => placesChanged.push(id) } });
  });
  afterEach(async () => {
    await store.close();
    remove();
  });

  const feed = async (probe = roof, site = VODACOM, ta = taAt(VODACOM.position), ts = now, over = {}) => tracker.onDetection(await ingestDetection(store, probe, denCandidate(site, ta, ts, over), ts));

  it('makes a den from a candidate and keeps adding the same place (TA ±1) to it', async () => {
    const id = await feed();
    expect(id).not.toBeNull();
    const den = (await store.dens.getDen(id!))!;
    expect(den).toMatchObject({ state: 'suspected', outcome: null, max_severity: 'high', reactivations: 0 });
    now += 600_000;
    expect(await feed(roof, VODACOM, taAt(VODACOM.position) + 1)).toBe(id);
    const places = await store.dens.listPlaces(id!);
    expect(places).toHaveLength(2); // TA k and k+1 on one cell: two places, one den
    const ev = await store.dens.listEvidence(id!, { limit: 100 });
    expect(ev.filter((e) => e.kind === 'detection').map((e) => e.summary.how)).toEqual(['new', 'place']);
    expect(ev.find((e) => e.kind === 'state')!.summary).toMatchObject({ to: 'suspected' });
    expect(placesChanged).toContain(id);
  });

  it('joins another operator\'s candidate whose TA ring meets the den\'s, and then confirms the den', async () => {
    const id = await feed();
    now += 120_000;
    expect(await feed(roof, ECONET, taAt(ECONET.position))).toBe(id);
    expect(tracker.counters.attached_by_geometry).toBe(1);
    const den = (await store.dens.getDen(id!))!;
    expect(den.state).toBe('confirmed');
    expect((await store.dens.listEvidence(id!, { limit: 100 })).some((e) => e.kind === 'state' && e.summary.reason === 'seen from 2 places')).toBe(true);
  });

  it('makes a second den when the other operator\'s ring cannot meet the first den\'s', async () => {
    const id = await feed();
    const far = await feed(roof, ECONET, taAt(ECONET.position) + 12);
    expect(far).not.toBe(id);
    expect(tracker.counters.dens_created).toBe(2);
  });

  it('keeps another detector\'s detection at the den\'s place as evidence only', async () => {
    const id = await feed();
    const ccch = (ta: number) => ({ ...denCandidate(VODACOM, ta, now), detector: 'ccch-burst', detector_version: 2 });
    expect(await tracker.onDetection(await ingestDetection(store, van, ccch(taAt(VODACOM.position)), now))).toBe(id);
    expect(await tracker.onDetection(await ingestDetection(store, van, ccch(taAt(VODACOM.position) + 5), now))).toBeNull();
    expect(tracker.counters.dens_created).toBe(1);
    const ev = (await store.dens.listEvidence(id!, { limit: 100 })).filter((e) => e.detector === 'ccch-burst');
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ site: 'maseru', probe: 'van-2', ref_table: 'detections' });
  });

  it('runs the lifecycle and reactivates a closed den as the same den', async () => {
    const id = (await feed())!;
    expect((await tracker.changeState(id, 'close', {}))).toEqual({ ok: false, reason: 'needs_outcome' });
    expect((await tracker.changeState(id, 'dispatch', { user: 'ivo' })).ok).toBe(true);
    expect((await tracker.changeState(id, 'dispatch')).ok).toBe(false);
    const closed = await tracker.changeState(id, 'close', { outcome: 'nothing_found', note: 'door locked' });
    expect(closed.ok && closed.den).toMatchObject({ state: 'closed', outcome: 'nothing_found' });
    now += 86_400_000;
    expect(await feed(roof, VODACOM, taAt(VODACOM.position), now)).toBe(id);
    const den = (await store.dens.getDen(id))!;
    expect(den).toMatchObject({ state: 'suspected', outcome: null, reactivations: 1 });
    const kinds = (await store.dens.listEvidence(id, { limit: 100 })).map((e) => e.kind);
    expect(kinds).toContain('reactivated');
    expect(await tracker.changeState('00000000-0000-7000-8000-000000000000', 'confirm')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('merges a duplicate den into another and splits places out again', async () => {
    const a = (await feed())!;
    const b = (await feed(roof, ECONET_NORTH, taAt(ECONET_NORTH.position) + 12))!; // far: a den of its own
    expect(b).not.toBe(a);
    const merged = await tracker.merge(b, a, 'ivo');
    expect(merged.ok).toBe(true);
    expect(await store.dens.getDen(b)).toMatchObject({ state: 'closed', outcome: 'duplicate', merged_into: a });
    expect(await store.dens.listPlaces(a)).toHaveLength(2);
    // A new candidate on the merged den's place goes to the survivor.
    expect(await feed(roof, ECONET_NORTH, taAt(ECONET_NORTH.position) + 12)).toBe(a);
    expect((await tracker.changeState(b, 'reopen')).ok).toBe(false);

    const key = placeKey({ cell: ECONET_NORTH.cell, arfcn: ECONET_NORTH.arfcn, ta_steps: taAt(ECONET_NORTH.position) + 12 });
    const split = await tracker.split(a, [key], 'ivo');
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect((await store.dens.listPlaces(split.den.id)).map(placeKey)).toEqual([key]);
    expect((await store.dens.listEvidence(split.den.id, { limit: 100 })).filter((e) => e.kind === 'detection')).toHaveLength(2);
    expect(await tracker.split(a, ['nope@1'])).toEqual({ ok: false, reason: 'no_such_places' });
    expect(await tracker.split(split.den.id, [key])).toEqual({ ok: false, reason: 'all_places' });
  });

  it('ties uplink bursts to the den holding their (cell, TA) and records one timeline entry per message', async () => {
    const id = (await feed())!;
    const ta = taAt(VODACOM.position);
    const env = roof.factory.make('observation', { observations: [burst(VODACOM, ta, now, -71), burst(VODACOM, ta, now + 5, -74), burst(VODACOM, ta + 7, now + 9, -90), burst(ECONET, 3, now, -80, DEN)] }, now) as ParsedEnvelope;
    await store.ingest(env, now);
    const items = await store.listObservations({ limit: 10 });
    expect(await tracker.onObservations(env.id, 'maseru', 'roof-1', items)).toEqual([id]);
    const ev = (await store.dens.listEvidence(id, { limit: 100 })).filter((e) => e.kind === 'observation');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.summary).toMatchObject({ uplink_bursts: 2, rssi_min_dbm: -74, rssi_max_dbm: -71 });
    void DEN;
  });
});
