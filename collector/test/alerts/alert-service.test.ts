/**
 * The alert service end to end below HTTP, with real parts: SQLite store, signed den-candidate
 * envelopes stored and handed to the collector's den service (tracker + locator) as ingest does, the
 * alerts reading those dens, the web channel's live sessions, and webhooks to the independent Python
 * receiver. Time is a clock the test moves (no sleeping): acknowledgement and outcome deadlines,
 * escalation up the chain, retries with backoff, the update rate limit, quiet hours, re-alert on
 * reactivation, outcomes shared between an alert and its den both ways.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedEnvelope } from '@simhound/protocol';
import { makeProbe } from '@simhound/test-support/identities';
import { startWebhookReceiver, type WebhookReceiver } from '@simhound/test-support/webhook-receiver';
import {
  AlertRouter, AlertService, AlertStreamHub, DenService, EmailChannel, SqliteStore, TrackedDenSource, WebChannel, WebhookChannel, buildCaseFile, caseFileHashValid, defaultAlertPolicy, localTime, renderCaseHtml,
  type AlertChannel, type OfficerConfig, type RosterConfig,
} from '../../src/index.js';
import { candidateBody, HOUR, MIN, TestClock } from './alert-fixtures.js';

const probe = makeProbe('maseru', 'roof-1');
const CELL_ROW = { radio: 'GSM', mcc: '651', mnc: '01', lac: 117, ci: 11201, lat_deg: -29.841163, lon_deg: 26.953123, range_m: 1000, samples: 10, updated_ts_ms: 0 };

interface Frame { event: string; data: Record<string, unknown> }
function session(user: string) {
  const frames: Frame[] = [];
  return {
    frames,
    session: {
      user,
      write(chunk: string) {
        const event = /^event: (.+)$/m.exec(chunk)?.[1];
        const data = /^data: (.+)$/m.exec(chunk)?.[1];
        if (event && data) frames.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      },
    },
  };
}

describe('alert service', () => {
  const secret = randomBytes(32).toString('hex');
  let receiver: WebhookReceiver;
  let dir: string;
  let store: SqliteStore;
  let clock: TestClock;
  let dens: DenService;
  let source: TrackedDenSource;
  let service: AlertService;
  let hub: AlertStreamHub;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(secret);
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  async function setup(o: { officers?: OfficerConfig[]; rosters?: RosterConfig[]; channels?: (hub: AlertStreamHub) => AlertChannel[]; policy?: string } = {}) {
    dir = mkdtempSync(join(tmpdir(), 'simhound-alert-service-'));
    store = SqliteStore.open(join(dir, 'c.sqlite'));
    await store.upsertCells([CELL_ROW]);
    clock = new TestClock(Math.floor(Date.now() / 60_000) * 60_000);
    dens = new DenService(store, { clock: clock.read, update_debounce_ms: 0 });
    source = new TrackedDenSource(store, dens);
    hub = new AlertStreamHub();
    const officers = o.officers ?? [{ name: 'ana' }, { name: 'bob' }, { name: 'chief' }];
    const rosters = o.rosters ?? [{ name: 'city', area: { any: true as const }, tiers: ['high', 'medium', 'low'] as RosterConfig['tiers'], shifts: [{ chain: ['ana', 'bob', 'chief'] }] }];
    service = new AlertService({
      store: store.alerts,
      source,
      router: new AlertRouter({ timezone: 'UTC', officers, rosters }),
      channels: o.channels?.(hub) ?? [new WebChannel(hub), new WebhookChannel([{ name: 'control-room', url: receiver.url, secret: Buffer.from(secret) }], 5000)],
      retry: { max_attempts: 4, initial_backoff_s: 5, max_backoff_s: 60 },
      webhooks: [{ name: 'control-room', url: receiver.url, tiers: ['high', 'medium', 'low'] }],
      mqtt: false,
      web: true,
      publicUrl: () => 'http://collector.test',
      clock: clock.read,
      random: () => 0.5,
      hub,
    });
    const loaded = await service.loadPolicy(o.policy ?? null, o.policy ? 'file:test-policy.yaml' : 'default');
    if (!loaded.ok) throw new Error(loaded.detail);
  }

  afterEach(async () => {
    await service?.close();
    await dens?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Store a signed candidate and hand it to the den service, as ingest does. */
  async function candidate(o: Parameters<typeof candidateBody>[0]) {
    const env = probe.factory.make('detection', candidateBody(o), clock.now) as ParsedEnvelope;
    expect(await store.ingest(env, clock.now)).toBe('stored');
    dens.onAccepted(env, clock.now);
    await dens.idle();
    await service.idle();
    return env;
  }
  const onlyDen = async () => {
    const all = await store.dens.listDens({ include_merged: true, limit: 10 });
    expect(all).toHaveLength(1);
    return all[0]!;
  };

  const webhooksFor = async (alert_id: string) => (await receiver.received()).filter((r) => r.body.alert.alert_id === alert_id);

  describe('with the default policy and a three-person chain', () => {
    beforeEach(() => setup());

    it('raises one tiered alert per den, live in the UI and at the webhook, and updates it in place', async () => {
      const ana = session('ana');
      const reader = session('ivo');
      hub.open(ana.session);
      hub.open(reader.session);
      await candidate({ end_ts_ms: clock.now });
      const den = await onlyDen();
      const [alert] = await service.list({ limit: 10 });
      expect(alert).toMatchObject({ tier: 'high', state: 'delivered', cycle: 1, den_id: den.id, recipients: [{ officer: 'ana', roster: 'city', level: 0 }] });
      expect(alert!.assessment.reasons[0]).toBe('high: score 0.95 ≥ 0.9');
      // Where the den's locator put it: its most likely point and 95 % ellipse (one TA ring here, so a wide one).
      expect(den.estimate).not.toBeNull();
      const e = den.estimate!;
      expect(alert!.den.location).toEqual({
        point: e.ml_point, source: 'estimate', accuracy_m: e.ellipse_95.semi_major_m,
        ellipse_95: { semi_major_m: e.ellipse_95.semi_major_m, semi_minor_m: e.ellipse_95.semi_minor_m, orientation_deg: e.ellipse_95.orientation_deg, centre: e.ellipse_95.centre },
      });
      expect(alert!.den.detectors).toEqual(['den-candidate@1', 'machine-regularity@1', 'mo-mt-asymmetry@2']);
      expect(alert!.deliveries).toEqual({ web: { delivered: 1 }, webhook: { delivered: 1 } });
      expect(ana.frames.filter((f) => f.event === 'notification').map((f) => f.data.event)).toEqual(['raised']);
      expect(reader.frames.some((f) => f.event === 'alert' && f.data.id === alert!.id)).toBe(true);
      expect(reader.frames.some((f) => f.event === 'notification')).toBe(false);
      expect((await webhooksFor(alert!.id)).map((w) => w.body.alert.event)).toEqual(['raised']);

      // The den goes on: the same alert, updated, nothing pushed again.
      clock.advance(10 * MIN);
      await candidate({ end_ts_ms: clock.now, score: 0.97 });
      const all = await service.list({ limit: 10 });
      expect(all).toHaveLength(1);
      expect(all[0]!.assessment.score).toBe(0.97);
      expect(all[0]!.den.last_seen_ts_ms).toBe(clock.now);
      expect(ana.frames.filter((f) => f.event === 'notification')).toHaveLength(1);
      expect(await webhooksFor(alert!.id)).toHaveLength(1);
      const history = (await store.alerts.listEvents(alert!.id)).map((e) => e.kind);
      expect(history).toEqual(['raised', 'delivered']);
    });

    it('escalates an ignored alert to the next on-call at the deadline, then the supervisor when the outcome is late, and no further', async () => {
      const bob = session('bob');
      const chief = session('chief');
      hub.open(bob.session);
      hub.open(chief.session);
      const t0 = clock.now;
      await candidate({ end_ts_ms: t0 });
      const id = (await service.list({ limit: 1 }))[0]!.id;

      clock.advance(30 * MIN - 1000);
      await service.tick();
      expect((await service.get(id))!.escalation_level).toBe(0);

      clock.advance(1000); // the acknowledgement deadline (30 min for high)
      await service.tick();
      let a = (await service.get(id))!;
      expect(a).toMatchObject({ escalation_level: 1, recipients: [{ officer: 'bob', level: 1 }], overdue: { ack: false, outcome: false } });
      expect(bob.frames.filter((f) => f.event === 'notification').map((f) => f.data.event)).toEqual(['escalated']);
      expect((await webhooksFor(id)).map((w) => w.body.alert.event)).toEqual(['raised', 'escalated']);

      expect((await service.acknowledge(id, 'bob')).ok).toBe(true);
      clock.now = t0 + 2 * HOUR - 1000;
      await service.tick();
      expect((await service.get(id))!.escalation_level).toBe(1);
      clock.now = t0 + 2 * HOUR; // the tier deadline: no outcome yet
      await service.tick();
      a = (await service.get(id))!;
      expect(a).toMatchObject({ escalation_level: 2, recipients: [{ officer: 'chief', level: 2 }], next_check_ts_ms: null, overdue: { outcome: false } });
      expect(chief.frames.filter((f) => f.event === 'notification').map((f) => f.data.event)).toEqual(['escalated']);
      clock.advance(10 * HOUR);
      await service.tick();
      a = (await service.get(id))!;
      expect(a.escalation_level).toBe(2);
      expect(a.overdue).toEqual({ ack: false, outcome: true });
      const escalations = (await store.alerts.listEvents(id)).filter((e) => e.kind === 'escalated').map((e) => e.detail);
      expect(escalations).toEqual([{ reason: 'ack_overdue', level: 1, to: ['bob'] }, { reason: 'outcome_overdue', level: 2, to: ['chief'] }]);
    });

    it('records acknowledgement, dispatch and outcome on the alert and the den; a reactivated den re-alerts exactly once', async () => {
      const ana = session('ana');
      hub.open(ana.session);
      await candidate({ end_ts_ms: clock.now });
      const id = (await service.list({ limit: 1 }))[0]!.id;
      expect(await service.dispatch(id, 'ana', null)).toMatchObject({ ok: false, reason: 'not_acknowledged' });
      clock.advance(5 * MIN);
      expect((await service.acknowledge(id, 'ana')).ok).toBe(true);
      expect((await service.dispatch(id, 'ana', 'unit 4 on the way')).ok).toBe(true);
      const denId = (await onlyDen()).id;
      expect((await store.dens.getDen(denId))!.state).toBe('dispatched');
      clock.advance(40 * MIN);
      expect(await service.recordOutcome(id, 'duplicate', 'ana', null)).toMatchObject({ ok: false, reason: 'den_refused' });
      const closed = await service.recordOutcome(id, 'raided', 'ana', '32-port GoIP seized');
      expect(closed).toMatchObject({ ok: true, value: { state: 'closed', outcome: 'raided', outcome_by: 'ana' } });
      expect(await store.dens.getDen(denId)).toMatchObject({ state: 'closed', outcome: 'raided' });
      // The den's own timeline says who dispatched and closed it, from the alert.
      const states = (await store.dens.listEvidence(denId, { kinds: ['state'], limit: 10 })).map((e) => [e.summary.to, e.summary.by, e.summary.outcome ?? null]);
      expect(states.slice(-2)).toEqual([['dispatched', 'ana', null], ['closed', 'ana', 'raided']]);
      expect((await store.alerts.listOutcomeLabels()).map((l) => [l.outcome, l.tier, l.cycle, l.detectors])).toEqual([
        ['raided', 'high', 1, ['den-candidate@1', 'machine-regularity@1', 'mo-mt-asymmetry@2']],
      ]);
      await service.idle();
      expect((await webhooksFor(id)).map((w) => w.body.alert.event)).toEqual(['raised', 'acknowledged', 'dispatched', 'closed']);

      // The den comes back after the raid: one re-alert, then updates in place.
      clock.advance(3 * HOUR);
      await candidate({ end_ts_ms: clock.now, first_seen_ts_ms: clock.now - 20 * MIN });
      clock.advance(10 * MIN);
      await candidate({ end_ts_ms: clock.now, first_seen_ts_ms: clock.now - 30 * MIN });
      clock.advance(10 * MIN);
      await candidate({ end_ts_ms: clock.now, first_seen_ts_ms: clock.now - 40 * MIN });
      const again = (await service.get(id))!;
      expect(again).toMatchObject({ cycle: 2, state: 'delivered', outcome: null, acknowledged_by: null, escalation_level: 0, den_reactivations: 1 });
      const events = (await webhooksFor(id)).map((w) => w.body.alert.event);
      expect(events.filter((e) => e === 'reactivated')).toHaveLength(1);
      expect(events).toEqual(['raised', 'acknowledged', 'dispatched', 'closed', 'reactivated']);
      expect(ana.frames.filter((f) => f.event === 'notification').map((f) => f.data.event)).toEqual(['raised', 'reactivated']);
      expect(await service.list({ limit: 10 })).toHaveLength(1);
      expect((await store.dens.getDen(denId))!.reactivations).toBe(1);
    });

    it('follows its den when the den is closed on the den page, and a merge closes the duplicate\'s alert', async () => {
      await candidate({ end_ts_ms: clock.now });
      await candidate({ ci: 11201, ta: 9, end_ts_ms: clock.now, score: 0.7, severity: 'medium' });
      const all = await service.list({ limit: 10 });
      expect(all).toHaveLength(2);
      const [a, b] = [all.find((x) => x.tier === 'high')!, all.find((x) => x.tier === 'medium')!];
      clock.advance(MIN);
      expect((await dens.tracker.changeState(a.den_id, 'close', { outcome: 'moved', user: 'ivo', note: 'empty flat' })).ok).toBe(true);
      await service.idle();
      expect(await service.get(a.id)).toMatchObject({ state: 'closed', outcome: 'moved', outcome_by: 'den', outcome_note: 'closed on the den' });
      expect((await dens.tracker.merge(b.den_id, a.den_id, 'ivo')).ok).toBe(true);
      await service.idle();
      expect(await service.get(b.id)).toMatchObject({ state: 'closed', outcome: 'duplicate', outcome_by: 'den' });
      expect((await store.alerts.listOutcomeLabels()).map((l) => l.outcome).sort()).toEqual(['duplicate', 'moved']);
    });

    it('retries a failing webhook with exponential backoff on the clock until it is delivered', async () => {
      await receiver.failNext(2, 503);
      await candidate({ end_ts_ms: clock.now });
      const id = (await service.list({ limit: 1 }))[0]!.id;
      const hook = async () => (await store.alerts.listDeliveries(id)).find((d) => d.channel === 'webhook')!;
      let d = await hook();
      expect(d).toMatchObject({ status: 'retrying', attempts: 1, last_error: 'HTTP 503', next_attempt_ts_ms: clock.now + 5000 });
      clock.advance(4999);
      await service.tick();
      expect((await hook()).attempts).toBe(1);
      clock.advance(1);
      await service.tick();
      d = await hook();
      expect(d).toMatchObject({ status: 'retrying', attempts: 2, next_attempt_ts_ms: clock.now + 10_000 });
      clock.advance(10_000);
      await service.tick();
      d = await hook();
      expect(d).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
      expect((await webhooksFor(id)).map((w) => w.delivery_id)).toEqual([d.id]);
    });

    it('holds back tier updates to one push per rate-limit interval, then sends the latest', async () => {
      await candidate({ end_ts_ms: clock.now, score: 0.7, severity: 'medium' });
      const id = (await service.list({ limit: 1 }))[0]!.id;
      expect((await service.get(id))!.tier).toBe('medium');
      clock.advance(2 * MIN);
      await candidate({ end_ts_ms: clock.now, score: 0.95 });
      let a = (await service.get(id))!;
      expect([a.tier, a.update_pending]).toEqual(['high', true]);
      expect((await webhooksFor(id)).map((w) => w.body.alert.event)).toEqual(['raised']);
      clock.advance(7 * MIN);
      await service.tick();
      expect((await webhooksFor(id)).map((w) => w.body.alert.event)).toEqual(['raised']);
      clock.advance(1 * MIN); // 10 min after the raise
      await service.tick();
      a = (await service.get(id))!;
      expect(a.update_pending).toBe(false);
      const hooks = await webhooksFor(id);
      expect(hooks.map((w) => [w.body.alert.event, w.body.alert.tier])).toEqual([['raised', 'medium'], ['updated', 'high']]);
      expect(service.counters.updates_coalesced).toBe(1);
    });

    it('versions a policy change, refuses a bad one with every problem, and judges open alerts again', async () => {
      await candidate({ end_ts_ms: clock.now, score: 0.7, severity: 'medium' });
      const id = (await service.list({ limit: 1 }))[0]!.id;
      const bad = await service.setPolicy('tiers:\n  high: { min_score: 7 }\nrate_limit: { min_update_interval_s: -1 }\n', 'root', null);
      expect(bad.ok).toBe(false);
      expect(bad.ok === false && bad.problems!.map((p) => p.path).sort()).toEqual(['/rate_limit/min_update_interval_s', '/tiers/high/min_score']);
      const before = service.policy.version;
      const good = await service.setPolicy('tiers:\n  high: { min_score: 0.65, min_confidence: 0 }\n', 'root', 'lower the bar for the pilot');
      expect(good.ok).toBe(true);
      await service.idle();
      expect(service.policy.version).toBe(before + 1);
      expect((await service.get(id))!.tier).toBe('high');
      const history = await store.alerts.listPolicyVersions(10);
      expect(history[0]).toMatchObject({ changed_by: 'root', source: 'api', comment: 'lower the bar for the pilot' });
      expect(history[1]).toMatchObject({ changed_by: 'collector start', source: 'default' });
    });
  });

  it('holds a low-tier e-mail in the officer\'s quiet hours until they end; medium goes at once', async () => {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const t = localTime('UTC', now);
    const hhmm = (m: number) => `${String(Math.floor(((m + 1440) % 1440) / 60)).padStart(2, '0')}:${String((m + 1440) % 60).padStart(2, '0')}`;
    await setup({
      officers: [{ name: 'desk', email: 'desk@police.example', quiet_hours: { from: hhmm(t.minutes - 60), to: hhmm(t.minutes + 60) } }],
      rosters: [{ name: 'all', area: { any: true }, tiers: ['high', 'medium', 'low'], shifts: [{ chain: ['desk'] }] }],
      // An SMTP port with nobody listening: attempts fail (retryable), which is enough to see when they happen.
      channels: (h) => [new WebChannel(h), new EmailChannel({ host: '127.0.0.1', port: 1, secure: false, require_tls: false, from: 'simhound <a@b.example>' }, 'UTC', 2000)],
    });
    clock.now = now;
    await candidate({ ci: 11201, ta: 3, end_ts_ms: clock.now, score: 0.4, severity: 'low' });
    await candidate({ ci: 11201, ta: 9, end_ts_ms: clock.now, score: 0.7, severity: 'medium' });
    const alerts = await service.list({ limit: 10 });
    const low = alerts.find((a) => a.tier === 'low')!;
    const medium = alerts.find((a) => a.tier === 'medium')!;
    const mail = async (id: string) => (await store.alerts.listDeliveries(id)).find((d) => d.channel === 'email')!;
    const held = await mail(low.id);
    expect(held).toMatchObject({ status: 'held', attempts: 0, held_reason: 'quiet hours (low tier)', next_attempt_ts_ms: now + 60 * MIN });
    expect(await mail(medium.id)).toMatchObject({ status: 'retrying', attempts: 1 });
    clock.advance(59 * MIN);
    await service.tick();
    expect((await mail(low.id)).attempts).toBe(0);
    clock.advance(1 * MIN);
    await service.tick();
    expect(await mail(low.id)).toMatchObject({ status: 'retrying', attempts: 1, held_reason: null });
  });

  it('rebuilds dens and keeps closed alerts closed across a restart', async () => {
    await setup();
    await candidate({ end_ts_ms: clock.now });
    const id = (await service.list({ limit: 1 }))[0]!.id;
    await service.acknowledge(id, 'ana');
    await service.recordOutcome(id, 'nothing_found', 'ana', null);
    await service.close();
    await dens.close();
    dens = new DenService(store, { clock: clock.read, update_debounce_ms: 0 });
    const source2 = new TrackedDenSource(store, dens);
    const ids = await source2.recent(clock.now - 24 * HOUR);
    expect(ids).toHaveLength(1);
    expect(await source2.get(ids[0]!)).toMatchObject({ state: 'closed', outcome: 'nothing_found', reactivations: 0 });
    const service2 = new AlertService({
      store: store.alerts, source: source2, router: new AlertRouter({ timezone: 'UTC', officers: [{ name: 'ana' }], rosters: [] }), channels: [], retry: { max_attempts: 1, initial_backoff_s: 1, max_backoff_s: 1 },
      webhooks: [], mqtt: false, web: false, publicUrl: () => null, clock: clock.read,
    });
    await service2.loadPolicy(null, 'default');
    await service2.evaluate(ids[0]!);
    expect((await store.alerts.listAlerts({ limit: 10 })).map((a) => [a.id, a.state, a.cycle])).toEqual([[id, 'closed', 1]]);
    expect((await store.alerts.listPolicyVersions(10))).toHaveLength(1);
    await service2.close();
  });

  it('builds a case file from the real den: location with its 95 % ellipse, the evidence timeline, chain-of-custody hashes that verify', async () => {
    await setup();
    const first = await candidate({ end_ts_ms: clock.now });
    clock.advance(10 * MIN);
    const second = await candidate({ end_ts_ms: clock.now, score: 0.97 });
    const alert = (await service.list({ limit: 1 }))[0]!;
    const den = await source.get(alert.den_id);
    const file = await buildCaseFile({
      alert, history: await store.alerts.listEvents(alert.id), deliveries: await store.alerts.listDeliveries(alert.id),
      den, timeline: await source.evidence(alert.den_id, 5000),
      probes: [{ site: probe.site, probe: probe.probe, public_key: probe.public_key, position: null }],
      policy: service.policy, envelopeJson: (t, id) => source.envelopeJson(t, id), generated_by: 'ivo', now_ms: clock.now,
    });
    const estimate = (await store.dens.getDen(alert.den_id))!.estimate!;
    expect(file.den!.location).toMatchObject({ source: 'estimate', point: estimate.ml_point, ellipse_95: { semi_major_m: estimate.ellipse_95.semi_major_m, centre: estimate.ellipse_95.centre } });
    expect(file.timeline.filter((e) => e.kind === 'detection').map((e) => e.ref_id)).toEqual([first.id, second.id]);
    expect(file.timeline.some((e) => e.kind === 'estimate' || e.kind === 'state')).toBe(true);
    const stored = async (id: string) => createHash('sha256').update((await store.dens.getEnvelopeJson('detections', id))!).digest('hex');
    expect(file.chain_of_custody.records.map((r) => [r.ref_id, r.sha256, r.signature])).toEqual([
      [first.id, await stored(first.id), 'valid'], [second.id, await stored(second.id), 'valid'],
    ]);
    expect(file.chain_of_custody).toMatchObject({ valid: 2, invalid: 0 });
    expect(caseFileHashValid(file)).toBe(true);
    const html = renderCaseHtml(file);
    expect(html).toContain('95 % ellipse');
    expect(html).toContain(await stored(first.id));
  });

  it('keeps the default tiers the policy documents', () => {
    expect(defaultAlertPolicy().rate_limit.min_update_interval_s).toBe(600);
  });
});
