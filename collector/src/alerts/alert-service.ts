/**
 * The collector's alerting in one place. Whenever a den changes it is judged against the policy; a den
 * that makes a tier gets one alert (updated in place from then on); a closed alert whose den reactivates
 * starts a new cycle (one re-alert). Officers' actions (acknowledge, dispatch, outcome) move the alert
 * along its lifecycle and are recorded on the den too. `tick()` escalates overdue alerts to the next
 * on-call, sends rate-limited updates, and runs due deliveries (with retries and backoff). Every change
 * goes to the web UI's live streams; notifications go to the channels; the history is kept as events.
 *
 * All state changes run one at a time (a promise chain), so an acknowledgement and an escalation never
 * interleave. Deliveries run outside that chain (a slow SMTP server does not hold up an acknowledgement).
 * Time comes only from the injected clock, so tests move it instead of sleeping.
 * Must not talk HTTP (http/alert-routes.ts does) and must not block ingest.
 */
import { createHash } from 'node:crypto';
import { newMessageId, fail, ok, type Logger, type Result } from '@simhound/protocol';
import { stringify } from 'yaml';
import type { AlertStore } from './alert-store.js';
import {
  ALERT_TIERS, TIER_RANK,
  type AlertDenSummary, type AlertMessage, type AlertOutcome, type AlertRecipient, type AlertRecord, type AlertState, type ChannelName,
  type DeliveryRecord, type NotificationKind, type TierAssessment,
} from './alert-types.js';
import type { AlertChannel, RetrySchedule } from './channels/channel.js';
import { retryDelayMs } from './channels/channel.js';
import type { AlertDen, DenActionRejection, DenSource } from './den-view.js';
import * as life from './lifecycle.js';
import { assessDen, defaultAlertPolicy, parseAlertPolicy, type AlertPolicy, type PolicyProblem } from './policy.js';
import type { AlertRouter } from './routing.js';
import { AlertStreamHub } from './sse-hub.js';

export interface AlertServiceOptions {
  store: AlertStore;
  source: DenSource;
  router: AlertRouter;
  channels: readonly AlertChannel[];
  retry: RetrySchedule;
  /** Broadcast channels: webhook endpoints by name with their tiers; MQTT on or off. */
  webhooks: ReadonlyArray<{ name: string; url: string; tiers: readonly string[] }>;
  mqtt: boolean;
  web: boolean;
  /** Base URL for links in messages (null: no links). */
  publicUrl: () => string | null;
  clock?: () => number;
  log?: Logger;
  random?: () => number;
  /** The live streams (shared with the web channel); a new one when not given. */
  hub?: AlertStreamHub;
}

export type ActionRejection = 'not_found' | life.TransitionRejection | DenActionRejection;

export interface AlertView extends AlertRecord {
  overdue: { ack: boolean; outcome: boolean };
  deliveries: Record<string, Record<string, number>>;
}

export interface PolicyState {
  version: number;
  yaml: string;
  policy: AlertPolicy;
  source: string;
}

const PERSONAL_KINDS: ReadonlySet<NotificationKind> = new Set(['raised', 'updated', 'escalated', 'reactivated']);

function summaryOf(den: AlertDen): AlertDenSummary {
  return {
    state: den.state,
    first_seen_ts_ms: den.first_seen_ts_ms,
    last_seen_ts_ms: den.last_seen_ts_ms,
    places: den.places.map((p) => ({ key: p.key, cell: p.cell, arfcn: p.arfcn, ta_steps: p.ta_steps, range_min_m: p.range_min_m, range_max_m: p.range_max_m, cell_position: p.cell_position })),
    probes: den.probes,
    detectors: den.detectors,
    location: den.location,
  };
}

/** What a silent in-place update must change before it is written and shown. */
function materialFingerprint(a: { tier: string; den: AlertDenSummary; assessment: TierAssessment }): string {
  const s = a.assessment;
  return JSON.stringify([a.tier, a.den, s.tier, s.score, s.confidence, s.active, s.rate_per_min, s.policy_version]);
}

export class AlertService {
  readonly hub: AlertStreamHub;
  private policyState: PolicyState;
  private readonly clock: () => number;
  private readonly channels: Map<ChannelName, AlertChannel>;
  private chain: Promise<unknown> = Promise.resolve();
  private deliveryRun: Promise<void> | null = null;
  private deliveryAgain = false;
  private closed = false;
  counters = {
    evaluations: 0, raised: 0, reactivated: 0, tier_raised: 0, escalations: 0, updates_sent: 0, updates_coalesced: 0,
    delivered: 0, delivery_failures: 0, delivery_retries: 0, unrouted: 0, errors: 0,
  };

  constructor(private readonly options: AlertServiceOptions) {
    this.clock = options.clock ?? Date.now;
    this.hub = options.hub ?? new AlertStreamHub();
    this.channels = new Map(options.channels.map((c) => [c.name, c]));
    const policy = defaultAlertPolicy();
    this.policyState = { version: 0, yaml: stringify(policy), policy, source: 'default' };
    options.source.onChange((id) => void this.evaluate(id));
    this.hub.onOpen((user) => void this.deliverWaiting('web', user));
  }

  /** Where the alerts' dens come from (case files read dens and evidence through it). */
  get source(): DenSource {
    return this.options.source;
  }

  get policy(): PolicyState {
    return this.policyState;
  }

  private get log(): Logger | undefined {
    return this.options.log;
  }

  /** Run state changes one after another. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- policy

  /**
   * Take the policy at start: the file's text (or the built-in defaults) unless the latest stored
   * version is newer than the last time this same text was recorded (an API change since, which wins
   * until the file changes).
   */
  async loadPolicy(text: string | null, source: string): Promise<Result<PolicyState, 'bad_yaml' | 'invalid'> & { problems?: PolicyProblem[] }> {
    return this.serial(async () => {
      const yaml = text ?? `# simhound built-in alert policy (docs/alerts.md)\n${stringify(defaultAlertPolicy())}`;
      const parsed = parseAlertPolicy(yaml);
      if (!parsed.ok) return parsed;
      const sha = createHash('sha256').update(yaml).digest('hex');
      const history = await this.options.store.listPolicyVersions(1000);
      const latest = history[0] ?? null;
      const sameSource = history.find((v) => v.source === source);
      if (latest !== null && sameSource !== undefined && sameSource.sha256 === sha) {
        const current = parseAlertPolicy(latest.yaml);
        if (current.ok) {
          this.policyState = { version: latest.version, yaml: latest.yaml, policy: current.value, source: latest.source };
          return ok(this.policyState);
        }
      }
      if (latest !== null && latest.sha256 === sha) {
        this.policyState = { version: latest.version, yaml, policy: parsed.value, source: latest.source };
        return ok(this.policyState);
      }
      const version = await this.options.store.addPolicyVersion({ ts_ms: this.clock(), changed_by: 'collector start', source, sha256: sha, yaml, comment: latest === null ? 'first policy' : 'policy file changed' });
      this.policyState = { version, yaml, policy: parsed.value, source };
      this.log?.info('alert policy version recorded', { version, source, sha256: sha });
      return ok(this.policyState);
    });
  }

  /** A new policy from the API: validated, versioned (who, when, what), then every open alert is judged again. */
  async setPolicy(yaml: string, by: string, comment: string | null): Promise<Result<PolicyState, 'bad_yaml' | 'invalid'> & { problems?: PolicyProblem[] }> {
    const result = await this.serial(async () => {
      const parsed = parseAlertPolicy(yaml);
      if (!parsed.ok) return parsed;
      const sha = createHash('sha256').update(yaml).digest('hex');
      const previous = this.policyState.version;
      const version = await this.options.store.addPolicyVersion({ ts_ms: this.clock(), changed_by: by, source: 'api', sha256: sha, yaml, comment });
      this.policyState = { version, yaml, policy: parsed.value, source: 'api' };
      this.log?.info('alert policy changed', { version, previous, by, sha256: sha });
      return ok(this.policyState);
    });
    if (result.ok) {
      for (const a of await this.options.store.listAlerts({ state: 'open', limit: 10_000 })) void this.evaluate(a.den_id);
    }
    return result;
  }

  // ---------------------------------------------------------------- dens → alerts

  private maxLevel(a: { den: AlertDenSummary; tier: AlertRecord['tier'] }, now: number): number {
    return this.options.router.maxLevel(a.den.location, a.tier, now);
  }

  /** Judge a den and raise, update, or re-open its alert. Returns the alert (or null: no alert). */
  evaluate(den_id: string): Promise<AlertRecord | null> {
    return this.serial(async () => {
      try {
        return await this.evaluateNow(den_id);
      } catch (e) {
        this.counters.errors++;
        this.log?.error('alert evaluation failed', { den_id, error: (e as Error).message });
        return null;
      }
    });
  }

  private async evaluateNow(den_id: string): Promise<AlertRecord | null> {
    if (this.closed) return null;
    this.counters.evaluations++;
    const den = await this.options.source.get(den_id);
    if (den === null) return null;
    const now = this.clock();
    const { policy, version } = this.policyState;
    const assessment = assessDen(den, policy, now, version);
    const summary = summaryOf(den);
    const store = this.options.store;
    const existing = await store.getAlertByDen(den_id);

    if (existing === null) {
      if (assessment.tier === null) return null;
      const tier = assessment.tier;
      const recipients = this.options.router.recipients(den.location, tier, 0, now);
      if (recipients.length === 0) this.counters.unrouted++;
      const alert = life.raiseAlert({ id: newMessageId(now), den_id, tier, assessment, den: summary, recipients, den_reactivations: den.reactivations }, now, policy, this.maxLevel({ den: summary, tier }, now));
      await store.insertAlert(alert);
      this.counters.raised++;
      await this.event(alert, 'raised', 'system', { tier, score: assessment.score, confidence: assessment.confidence, reasons: assessment.reasons, recipients: recipients.map((r) => r.officer), policy_version: version });
      this.log?.info('alert raised', { alert_id: alert.id, den_id, tier, recipients: recipients.map((r) => r.officer) });
      return this.notifyAndSave(alert, 'raised');
    }

    let alert = existing;
    // The den was closed or dispatched on its own page: the alert follows (one record of each action).
    if (den.state === 'closed' && den.outcome !== null && alert.state !== 'closed') {
      alert = { ...alert, state: 'closed', outcome: den.outcome, outcome_by: 'den', outcome_ts_ms: now, outcome_note: 'closed on the den', updated_ts_ms: now, next_check_ts_ms: null, update_pending: false };
      await this.event(alert, 'closed', 'den', this.closedDetail(alert));
      return this.notifyAndSave(alert, 'closed');
    }
    if (den.state === 'dispatched' && (alert.state === 'raised' || alert.state === 'delivered' || alert.state === 'acknowledged')) {
      alert = { ...alert, state: 'dispatched', dispatched_by: 'den', dispatched_ts_ms: now, acknowledged_by: alert.acknowledged_by ?? 'den', acknowledged_ts_ms: alert.acknowledged_ts_ms ?? now, updated_ts_ms: now };
      alert.next_check_ts_ms = life.nextCheck(alert, policy, this.maxLevel(alert, now));
      await this.event(alert, 'dispatched', 'den', {});
      return this.notifyAndSave(alert, 'dispatched');
    }

    if (alert.state === 'closed') {
      if (den.reactivations > alert.den_reactivations && den.state !== 'closed') {
        const tier = assessment.tier ?? 'low';
        const recipients = this.options.router.recipients(den.location, tier, 0, now);
        const reopened = life.reopenForReactivation(alert, { tier, assessment, den: summary, recipients, den_reactivations: den.reactivations }, now, policy, this.maxLevel({ den: summary, tier }, now));
        if (!reopened.ok) return alert;
        this.counters.reactivated++;
        await this.event(reopened.value, 'reactivated', 'system', { previous_outcome: alert.outcome, previous_cycle: alert.cycle, tier, recipients: recipients.map((r) => r.officer), reasons: assessment.reasons });
        this.log?.info('den reactivated after its alert was closed: re-alert', { alert_id: alert.id, den_id, cycle: reopened.value.cycle, tier });
        return this.notifyAndSave(reopened.value, 'reactivated');
      }
      return alert;
    }

    // Open: update in place; a higher tier is pushed (rate-limited), anything else only shown.
    const before = materialFingerprint(alert);
    let next: AlertRecord = { ...alert, assessment, den: summary, den_reactivations: Math.max(alert.den_reactivations, den.reactivations) };
    let pushed = false;
    if (assessment.tier !== null && TIER_RANK[assessment.tier] > TIER_RANK[alert.tier]) {
      next = life.raiseTier(next, assessment.tier, now, policy, this.maxLevel({ den: summary, tier: assessment.tier }, now));
      next.recipients = this.options.router.recipients(den.location, next.tier, next.escalation_level, now);
      this.counters.tier_raised++;
      await this.event(next, 'tier_raised', 'system', { from: alert.tier, to: next.tier, reasons: assessment.reasons });
      pushed = true;
    }
    if (!pushed && materialFingerprint(next) === before) return alert;
    next.updated_ts_ms = now;
    if (pushed) return this.pushUpdate(next, now);
    return this.save(next);
  }

  /** A pushed update, unless one went out less than the rate limit ago: then it waits (coalesced). */
  private async pushUpdate(a: AlertRecord, now: number): Promise<AlertRecord> {
    const interval = this.policyState.policy.rate_limit.min_update_interval_s * 1000;
    if (a.last_notified_ts_ms !== null && now - a.last_notified_ts_ms < interval) {
      this.counters.updates_coalesced++;
      return this.save({ ...a, update_pending: true });
    }
    this.counters.updates_sent++;
    return this.notifyAndSave({ ...a, update_pending: false }, 'updated');
  }

  private closedDetail(a: AlertRecord): Record<string, unknown> {
    return { den_id: a.den_id, outcome: a.outcome, note: a.outcome_note, tier: a.tier, score: a.assessment.score, detectors: a.den.detectors };
  }

  private async event(a: AlertRecord, kind: Parameters<AlertStore['addEvent']>[0]['kind'], by: string, detail: Record<string, unknown>): Promise<void> {
    await this.options.store.addEvent({ alert_id: a.id, ts_ms: this.clock(), kind, cycle: a.cycle, by, detail });
  }

  private async save(a: AlertRecord): Promise<AlertRecord> {
    const written = await this.options.store.updateAlert(a);
    if (!written) throw new Error(`alert ${a.id} was changed concurrently`);
    const saved = { ...a, version: a.version + 1 };
    await this.broadcast(saved);
    return saved;
  }

  private async broadcast(a: AlertRecord): Promise<void> {
    this.hub.broadcast('alert', await this.view(a));
  }

  // ---------------------------------------------------------------- notifications

  private caseUrl(a: AlertRecord): string | null {
    const base = this.options.publicUrl();
    return base === null ? null : `${base.replace(/\/+$/, '')}/#alert=${a.id}`;
  }

  message(a: AlertRecord, event: NotificationKind): AlertMessage {
    const loc = a.den.location;
    return {
      alert_id: a.id,
      den_id: a.den_id,
      event,
      cycle: a.cycle,
      tier: a.tier,
      state: a.state,
      score: a.assessment.score,
      confidence: a.assessment.confidence,
      active: a.assessment.active,
      reasons: a.assessment.reasons,
      raised_ts_ms: a.raised_ts_ms,
      ack_deadline_ts_ms: a.ack_deadline_ts_ms,
      outcome_deadline_ts_ms: a.outcome_deadline_ts_ms,
      escalation_level: a.escalation_level,
      recipients: a.recipients.map((r) => r.officer),
      outcome: a.outcome,
      location: loc ? { lat_deg: loc.point.lat_deg, lon_deg: loc.point.lon_deg, accuracy_m: loc.accuracy_m, position_source: loc.source } : null,
      places: a.den.places.map((p) => ({ cell_key: p.cell ? `${p.cell.mcc}-${p.cell.mnc}-${p.cell.lac}-${p.cell.ci}` : `arfcn ${p.arfcn}`, ta_steps: p.ta_steps, range_min_m: p.range_min_m, range_max_m: p.range_max_m })),
      detectors: a.den.detectors,
      case_url: this.caseUrl(a),
      ts_ms: this.clock(),
    };
  }

  /** Make the deliveries of one notification, save the alert, and start delivering. */
  private async notifyAndSave(a: AlertRecord, kind: NotificationKind, recipients: readonly AlertRecipient[] = a.recipients): Promise<AlertRecord> {
    const now = this.clock();
    const withNotice: AlertRecord = { ...a, last_notified_ts_ms: now, updated_ts_ms: now };
    const payload = this.message(withNotice, kind);
    const deliveries: DeliveryRecord[] = [];
    const make = (channel: ChannelName, recipient: string, target: string, held: number | null): DeliveryRecord => ({
      id: newMessageId(now), alert_id: a.id, cycle: a.cycle, notification: kind, channel, recipient, target,
      status: held !== null ? 'held' : 'pending', attempts: 0, created_ts_ms: now, next_attempt_ts_ms: held ?? now,
      last_attempt_ts_ms: null, delivered_ts_ms: null, last_error: null, held_reason: held !== null ? 'quiet hours (low tier)' : null, payload,
    });
    if (PERSONAL_KINDS.has(kind)) {
      for (const r of recipients) {
        const officer = this.options.router.officer(r.officer);
        if (this.options.web) deliveries.push(make('web', r.officer, r.officer, null));
        const held = this.options.router.quietUntil(r.officer, a.tier, now);
        if (officer?.email !== undefined && this.channels.has('email')) deliveries.push(make('email', r.officer, officer.email, held));
        if (officer?.ntfy_topic !== undefined && this.channels.has('ntfy')) deliveries.push(make('ntfy', r.officer, officer.ntfy_topic, held));
      }
    }
    for (const w of this.options.webhooks) if (w.tiers.includes(a.tier)) deliveries.push(make('webhook', w.name, w.url, null));
    if (this.options.mqtt) deliveries.push(make('mqtt', `alerts/${a.tier}`, `simhound/v1/alerts/${a.tier}`, null));
    if (deliveries.length > 0) await this.options.store.insertDeliveries(deliveries);
    const saved = await this.save(withNotice);
    this.kickDeliveries();
    return saved;
  }

  // ---------------------------------------------------------------- deliveries

  /** Start (or re-run) the delivery loop; resolves when nothing is due any more. */
  kickDeliveries(): Promise<void> {
    if (this.deliveryRun !== null) {
      this.deliveryAgain = true;
      return this.deliveryRun;
    }
    this.deliveryRun = (async () => {
      try {
        do {
          this.deliveryAgain = false;
          while (!this.closed) {
            const due = await this.options.store.listDueDeliveries(this.clock(), 50);
            if (due.length === 0) break;
            // One endpoint's notifications of one alert go in the order they were made (a receiver sees
            // dispatched before closed); different endpoints and alerts go in parallel.
            const queues = new Map<string, DeliveryRecord[]>();
            for (const d of [...due].sort((x, y) => x.created_ts_ms - y.created_ts_ms)) {
              const key = `${d.alert_id}\u0000${d.channel}\u0000${d.recipient}`;
              (queues.get(key) ?? queues.set(key, []).get(key)!).push(d);
            }
            await Promise.all([...queues.values()].map(async (q) => {
              for (const d of q) await this.attempt(d);
            }));
          }
        } while (this.deliveryAgain && !this.closed);
      } finally {
        this.deliveryRun = null;
      }
    })();
    return this.deliveryRun;
  }

  private async deliverWaiting(channel: ChannelName, recipient: string): Promise<void> {
    for (const d of await this.options.store.listWaitingDeliveries(channel, recipient)) {
      await this.options.store.updateDelivery({ ...d, next_attempt_ts_ms: this.clock() });
    }
    await this.kickDeliveries();
  }

  private async attempt(d: DeliveryRecord): Promise<void> {
    const channel = this.channels.get(d.channel);
    const started = this.clock();
    const result = channel === undefined ? { ok: false as const, permanent: true, error: `channel ${d.channel} is not configured` } : await channel.deliver(d).catch((e: unknown) => ({ ok: false as const, error: (e as Error).message }));
    const now = this.clock();
    const next: DeliveryRecord = { ...d, attempts: d.attempts + 1, last_attempt_ts_ms: started, held_reason: null };
    if (result.ok) {
      Object.assign(next, { status: 'delivered', delivered_ts_ms: now, next_attempt_ts_ms: null, last_error: null });
      this.counters.delivered++;
    } else if ('wait_for_connect' in result && result.wait_for_connect) {
      Object.assign(next, { status: 'pending', next_attempt_ts_ms: null, last_error: result.error, attempts: d.attempts });
    } else if (('permanent' in result && result.permanent) || next.attempts >= this.options.retry.max_attempts) {
      Object.assign(next, { status: 'failed', next_attempt_ts_ms: null, last_error: result.error });
      this.counters.delivery_failures++;
      this.log?.warn('alert delivery failed', { alert_id: d.alert_id, channel: d.channel, recipient: d.recipient, attempts: next.attempts, error: result.error });
    } else {
      Object.assign(next, { status: 'retrying', next_attempt_ts_ms: now + retryDelayMs(next.attempts, this.options.retry, this.options.random), last_error: result.error });
      this.counters.delivery_retries++;
    }
    await this.options.store.updateDelivery(next);
    if (result.ok) await this.onDelivered(d.alert_id);
  }

  private onDelivered(alert_id: string): Promise<void> {
    return this.serial(async () => {
      const a = await this.options.store.getAlert(alert_id);
      if (a === null) return;
      if (a.delivered_ts_ms === null) {
        const delivered = life.markDelivered(a, this.clock());
        await this.event(delivered, 'delivered', 'system', {});
        await this.save(delivered);
      } else {
        await this.broadcast(a); // delivery counts changed
      }
    });
  }

  // ---------------------------------------------------------------- time

  /** Escalate what is overdue, send rate-limited updates, re-judge dens that went quiet, run due deliveries. */
  async tick(): Promise<void> {
    await this.serial(async () => {
      const now = this.clock();
      const { policy } = this.policyState;
      for (const a of await this.options.store.listDue(now, 500)) {
        try {
          let alert = a;
          const maxLevel = this.maxLevel(alert, now);
          const reason = life.escalationDue(alert, now, policy, maxLevel);
          if (reason !== null) {
            const recipients = this.options.router.recipients(alert.den.location, alert.tier, alert.escalation_level + 1, now);
            alert = life.escalate(alert, now, recipients, policy, maxLevel);
            this.counters.escalations++;
            await this.event(alert, 'escalated', 'system', { reason, level: alert.escalation_level, to: recipients.map((r) => r.officer) });
            this.log?.warn('alert escalated', { alert_id: alert.id, reason, level: alert.escalation_level, to: recipients.map((r) => r.officer) });
            alert = await this.notifyAndSave({ ...alert, update_pending: false }, 'escalated', recipients);
          } else if (alert.next_check_ts_ms !== life.nextCheck(alert, policy, maxLevel)) {
            alert = await this.save({ ...alert, next_check_ts_ms: life.nextCheck(alert, policy, maxLevel) });
          }
          if (alert.update_pending && alert.last_notified_ts_ms !== null && now - alert.last_notified_ts_ms >= policy.rate_limit.min_update_interval_s * 1000) {
            this.counters.updates_sent++;
            await this.notifyAndSave({ ...alert, update_pending: false }, 'updated');
          }
        } catch (e) {
          this.counters.errors++;
          this.log?.error('alert tick failed', { alert_id: a.id, error: (e as Error).message });
        }
      }
    });
    // Dens that went quiet: their "active now" changes with time alone.
    const now = this.clock();
    for (const a of await this.options.store.listAlerts({ state: 'open', limit: 10_000 })) {
      if (a.assessment.active && now - a.den.last_seen_ts_ms > this.policyState.policy.active_within_s * 1000) await this.evaluate(a.den_id);
    }
    await this.kickDeliveries();
  }

  /** Wait until queued evaluations and deliveries are done (tests, shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const chain = this.chain;
      await chain;
      if (this.deliveryRun !== null) await this.deliveryRun;
      await new Promise((r) => setImmediate(r));
      if (chain === this.chain && this.deliveryRun === null) return;
    }
  }

  // ---------------------------------------------------------------- officers' actions

  private async act(
    id: string,
    change: (a: AlertRecord, now: number) => Result<AlertRecord, life.TransitionRejection>,
    onDen: ((a: AlertRecord) => Promise<Result<void, DenActionRejection>>) | null,
    after: (a: AlertRecord) => Promise<AlertRecord>,
  ): Promise<Result<AlertView, ActionRejection>> {
    return this.serial(async () => {
      const a = await this.options.store.getAlert(id);
      if (a === null) return fail('not_found', id);
      const changed = change(a, this.clock());
      if (!changed.ok) return changed;
      // The den first: if it refuses (a state changed on the den page meanwhile), the alert stays as it was.
      if (onDen !== null) {
        const den = await onDen(changed.value);
        if (!den.ok) return den;
      }
      return ok(await this.view(await after(changed.value)));
    });
  }

  acknowledge(id: string, by: string): Promise<Result<AlertView, ActionRejection>> {
    const { policy } = this.policyState;
    return this.act(id, (a, now) => life.acknowledge(a, by, now, policy, this.maxLevel(a, now)), null, async (a) => {
      await this.event(a, 'acknowledged', by, { escalation_level: a.escalation_level, late: this.clock() > a.ack_deadline_ts_ms });
      return this.notifyAndSave(a, 'acknowledged');
    });
  }

  dispatch(id: string, by: string, note: string | null): Promise<Result<AlertView, ActionRejection>> {
    const { policy } = this.policyState;
    return this.act(id, (a, now) => life.dispatch(a, by, now, policy, this.maxLevel(a, now)), (a) => this.options.source.recordDispatch(a.den_id, by, note, this.clock()), async (a) => {
      await this.event(a, 'dispatched', by, { note });
      return this.notifyAndSave(a, 'dispatched');
    });
  }

  recordOutcome(id: string, outcome: AlertOutcome, by: string, note: string | null): Promise<Result<AlertView, ActionRejection>> {
    return this.act(id, (a, now) => life.close(a, outcome, by, note, now), (a) => this.options.source.recordOutcome(a.den_id, outcome, by, note, this.clock()), async (a) => {
      await this.event(a, 'closed', by, this.closedDetail(a));
      return this.notifyAndSave(a, 'closed');
    });
  }

  // ---------------------------------------------------------------- reading

  async view(a: AlertRecord): Promise<AlertView> {
    const deliveries: Record<string, Record<string, number>> = {};
    for (const d of await this.options.store.listDeliveries(a.id)) {
      if (d.cycle !== a.cycle) continue;
      const c = (deliveries[d.channel] ??= {});
      c[d.status] = (c[d.status] ?? 0) + 1;
    }
    return { ...a, overdue: life.overdue(a, this.clock()), deliveries };
  }

  async list(query: { state?: AlertState | 'open'; since_ts_ms?: number; limit: number }): Promise<AlertView[]> {
    return Promise.all((await this.options.store.listAlerts(query)).map((a) => this.view(a)));
  }

  async get(id: string): Promise<AlertView | null> {
    const a = await this.options.store.getAlert(id);
    return a === null ? null : this.view(a);
  }

  async stats(): Promise<Record<string, unknown>> {
    return {
      counters: { ...this.counters },
      open_sessions: this.hub.openSessions,
      deliveries: await this.options.store.deliveryCounts(),
      policy_version: this.policyState.version,
      den_source: this.options.source.kind,
      tiers: ALERT_TIERS,
    };
  }

  /** Stop: no new evaluations or attempts; wait for what runs; close the channels. */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    if (this.deliveryRun !== null) await this.deliveryRun;
    for (const c of this.channels.values()) await c.close?.();
  }
}
