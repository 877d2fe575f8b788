/**
 * The SQLite implementation of AlertStore, on the collector's own database connection (SqliteStore
 * makes it, after the migrations ran). Synchronous better-sqlite3 calls behind the async interface.
 * Must not decide anything about alerts (alert-service.ts does).
 */
import type Database from 'better-sqlite3';
import type { AlertEventInput, AlertEventRecord, AlertRecord, DeliveryRecord } from './alert-types.js';
import type { AlertQuery, AlertStore, OutcomeLabel, PolicyVersionInput, PolicyVersionRecord } from './alert-store.js';

type Row = Record<string, unknown>;

export class SqliteAlertStore implements AlertStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      insertAlert: db.prepare(`INSERT INTO alerts (id, den_id, state, tier, cycle, raised_ts_ms, updated_ts_ms, next_check_ts_ms, update_pending, version, record_json)
        VALUES (@id, @den_id, @state, @tier, @cycle, @raised_ts_ms, @updated_ts_ms, @next_check_ts_ms, @update_pending, @version, @record_json)`),
      updateAlert: db.prepare(`UPDATE alerts SET state = @state, tier = @tier, cycle = @cycle, raised_ts_ms = @raised_ts_ms, updated_ts_ms = @updated_ts_ms,
        next_check_ts_ms = @next_check_ts_ms, update_pending = @update_pending, version = @version + 1, record_json = @record_json
        WHERE id = @id AND version = @version`),
      getAlert: db.prepare('SELECT record_json, version FROM alerts WHERE id = ?'),
      getAlertByDen: db.prepare('SELECT record_json, version FROM alerts WHERE den_id = ?'),
      due: db.prepare(`SELECT record_json, version FROM alerts WHERE state != 'closed' AND ((next_check_ts_ms IS NOT NULL AND next_check_ts_ms <= ?) OR update_pending = 1)
        ORDER BY updated_ts_ms LIMIT ?`),
      addEvent: db.prepare('INSERT INTO alert_events (alert_id, ts_ms, kind, cycle, by_name, detail_json) VALUES (?, ?, ?, ?, ?, ?)'),
      listEvents: db.prepare('SELECT * FROM alert_events WHERE alert_id = ? ORDER BY id'),
      closedEvents: db.prepare("SELECT * FROM alert_events WHERE kind = 'closed' ORDER BY id"),
      insertDelivery: db.prepare(`INSERT INTO alert_deliveries (id, alert_id, channel, recipient, status, created_ts_ms, next_attempt_ts_ms, record_json)
        VALUES (@id, @alert_id, @channel, @recipient, @status, @created_ts_ms, @next_attempt_ts_ms, @record_json)`),
      updateDelivery: db.prepare('UPDATE alert_deliveries SET status = @status, next_attempt_ts_ms = @next_attempt_ts_ms, record_json = @record_json WHERE id = @id'),
      getDelivery: db.prepare('SELECT record_json FROM alert_deliveries WHERE id = ?'),
      listDeliveries: db.prepare('SELECT record_json FROM alert_deliveries WHERE alert_id = ? ORDER BY created_ts_ms, rowid'),
      dueDeliveries: db.prepare(`SELECT record_json FROM alert_deliveries WHERE status IN ('pending', 'retrying', 'held') AND next_attempt_ts_ms <= ?
        ORDER BY next_attempt_ts_ms LIMIT ?`),
      waiting: db.prepare(`SELECT record_json FROM alert_deliveries WHERE channel = ? AND recipient = ? AND status IN ('pending', 'retrying') ORDER BY created_ts_ms`),
      deliveryCounts: db.prepare('SELECT channel, status, COUNT(*) AS n FROM alert_deliveries GROUP BY channel, status'),
      addPolicy: db.prepare('INSERT INTO alert_policy_versions (ts_ms, changed_by, source, sha256, yaml_text, comment) VALUES (?, ?, ?, ?, ?, ?)'),
      latestPolicy: db.prepare('SELECT * FROM alert_policy_versions ORDER BY version DESC LIMIT 1'),
      listPolicies: db.prepare('SELECT * FROM alert_policy_versions ORDER BY version DESC LIMIT ?'),
      envDetection: db.prepare('SELECT envelope_json FROM detections WHERE id = ?'),
      envWindow: db.prepare('SELECT envelope_json FROM windows WHERE id = ?'),
      envObservation: db.prepare('SELECT envelope_json FROM observation_messages WHERE id = ?'),
    };
  }

  private static alertParams(a: AlertRecord) {
    const { version, ...rest } = a;
    return {
      id: a.id, den_id: a.den_id, state: a.state, tier: a.tier, cycle: a.cycle, raised_ts_ms: a.raised_ts_ms, updated_ts_ms: a.updated_ts_ms,
      next_check_ts_ms: a.next_check_ts_ms, update_pending: a.update_pending ? 1 : 0, version, record_json: JSON.stringify(rest),
    };
  }

  private static alertFrom(row: Row | undefined): AlertRecord | null {
    if (row === undefined) return null;
    return { ...(JSON.parse(row.record_json as string) as Omit<AlertRecord, 'version'>), version: row.version as number };
  }

  async insertAlert(alert: AlertRecord): Promise<void> {
    this.s.insertAlert.run(SqliteAlertStore.alertParams(alert));
  }

  async updateAlert(alert: AlertRecord): Promise<boolean> {
    return this.s.updateAlert.run(SqliteAlertStore.alertParams(alert)).changes === 1;
  }

  async getAlert(id: string): Promise<AlertRecord | null> {
    return SqliteAlertStore.alertFrom(this.s.getAlert.get(id) as Row | undefined);
  }

  async getAlertByDen(den_id: string): Promise<AlertRecord | null> {
    return SqliteAlertStore.alertFrom(this.s.getAlertByDen.get(den_id) as Row | undefined);
  }

  async listAlerts(query: AlertQuery): Promise<AlertRecord[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.state === 'open') clauses.push("state != 'closed'");
    else if (query.state !== undefined) {
      clauses.push('state = ?');
      params.push(query.state);
    }
    if (query.since_ts_ms !== undefined) {
      clauses.push('updated_ts_ms >= ?');
      params.push(query.since_ts_ms);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT record_json, version FROM alerts ${where} ORDER BY updated_ts_ms DESC, id DESC LIMIT ?`).all(...params, query.limit) as Row[];
    return rows.map((r) => SqliteAlertStore.alertFrom(r)!);
  }

  async listDue(now_ms: number, limit: number): Promise<AlertRecord[]> {
    return (this.s.due.all(now_ms, limit) as Row[]).map((r) => SqliteAlertStore.alertFrom(r)!);
  }

  async addEvent(e: AlertEventInput): Promise<number> {
    return Number(this.s.addEvent.run(e.alert_id, e.ts_ms, e.kind, e.cycle, e.by, JSON.stringify(e.detail)).lastInsertRowid);
  }

  private static eventFrom(r: Row): AlertEventRecord {
    return {
      id: r.id as number, alert_id: r.alert_id as string, ts_ms: r.ts_ms as number, kind: r.kind as AlertEventRecord['kind'], cycle: r.cycle as number,
      by: r.by_name as string, detail: JSON.parse(r.detail_json as string) as Record<string, unknown>,
    };
  }

  async listEvents(alert_id: string): Promise<AlertEventRecord[]> {
    return (this.s.listEvents.all(alert_id) as Row[]).map(SqliteAlertStore.eventFrom);
  }

  async listOutcomeLabels(): Promise<OutcomeLabel[]> {
    return (this.s.closedEvents.all() as Row[]).map(SqliteAlertStore.eventFrom).map((e) => {
      const d = e.detail as { den_id: string; outcome: OutcomeLabel['outcome']; tier: OutcomeLabel['tier']; score: number; detectors: string[] };
      return { alert_id: e.alert_id, den_id: d.den_id, cycle: e.cycle, outcome: d.outcome, closed_ts_ms: e.ts_ms, closed_by: e.by, tier: d.tier, score: d.score, detectors: d.detectors };
    });
  }

  private static deliveryParams(d: DeliveryRecord) {
    return {
      id: d.id, alert_id: d.alert_id, channel: d.channel, recipient: d.recipient, status: d.status, created_ts_ms: d.created_ts_ms,
      next_attempt_ts_ms: d.next_attempt_ts_ms, record_json: JSON.stringify(d),
    };
  }

  async insertDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const d of deliveries) this.s.insertDelivery.run(SqliteAlertStore.deliveryParams(d));
    })();
  }

  async updateDelivery(d: DeliveryRecord): Promise<void> {
    this.s.updateDelivery.run(SqliteAlertStore.deliveryParams(d));
  }

  async getDelivery(id: string): Promise<DeliveryRecord | null> {
    const row = this.s.getDelivery.get(id) as Row | undefined;
    return row ? (JSON.parse(row.record_json as string) as DeliveryRecord) : null;
  }

  async listDeliveries(alert_id: string): Promise<DeliveryRecord[]> {
    return (this.s.listDeliveries.all(alert_id) as Row[]).map((r) => JSON.parse(r.record_json as string) as DeliveryRecord);
  }

  async listDueDeliveries(now_ms: number, limit: number): Promise<DeliveryRecord[]> {
    return (this.s.dueDeliveries.all(now_ms, limit) as Row[]).map((r) => JSON.parse(r.record_json as string) as DeliveryRecord);
  }

  async listWaitingDeliveries(channel: string, recipient: string): Promise<DeliveryRecord[]> {
    return (this.s.waiting.all(channel, recipient) as Row[]).map((r) => JSON.parse(r.record_json as string) as DeliveryRecord);
  }

  async deliveryCounts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of this.s.deliveryCounts.all() as Array<{ channel: string; status: string; n: number }>) (out[r.channel] ??= {})[r.status] = r.n;
    return out;
  }

  async addPolicyVersion(e: PolicyVersionInput): Promise<number> {
    return Number(this.s.addPolicy.run(e.ts_ms, e.changed_by, e.source, e.sha256, e.yaml, e.comment).lastInsertRowid);
  }

  private static policyFrom(r: Row | undefined): PolicyVersionRecord | null {
    if (r === undefined) return null;
    return {
      version: r.version as number, ts_ms: r.ts_ms as number, changed_by: r.changed_by as string, source: r.source as string, sha256: r.sha256 as string,
      yaml: r.yaml_text as string, comment: (r.comment as string | null) ?? null,
    };
  }

  async latestPolicyVersion(): Promise<PolicyVersionRecord | null> {
    return SqliteAlertStore.policyFrom(this.s.latestPolicy.get() as Row | undefined);
  }

  async storedEnvelopeJson(table: 'detections' | 'windows' | 'observation_messages', id: string): Promise<string | null> {
    const statement = { detections: this.s.envDetection, windows: this.s.envWindow, observation_messages: this.s.envObservation }[table];
    const row = statement.get(id) as { envelope_json: string } | undefined;
    return row?.envelope_json ?? null;
  }

  async listPolicyVersions(limit: number): Promise<PolicyVersionRecord[]> {
    return (this.s.listPolicies.all(limit) as Row[]).map((r) => SqliteAlertStore.policyFrom(r)!);
  }
}
