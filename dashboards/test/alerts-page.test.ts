/**
 * Graded alerts end to end, in a real Chromium against a real collector: a probe publishes signed den
 * candidates over MQTT on two operators' cells; the collector's dens make one den and locate it; the den
 * raises a HIGH alert that appears live (Server-Sent Events, no reload) on a case officer's page and an
 * investigator's page, reaches a signed webhook (checked by the independent Python receiver) and the
 * officer's inbox (a real SMTP server on loopback). Ignored, it escalates to the supervisor (the
 * collector's clock is moved, no sleeping) — the supervisor's inbox gets it. The case officer
 * acknowledges and closes it with an outcome from the page (the investigator has no buttons and the API
 * refuses them); the den is closed with the same outcome; `simhound eval --outcomes` on the collector's
 * database reports it. Delivery latencies are printed.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { detectionTopic } from '@simhound/protocol';
import { startCollector, validateCollectorConfig, type RunningCollector } from '@simhound/collector';
import { launchChromium, type RunningChromium } from '@simhound/test-support/chromium';
import { makeProbe, makeUser } from '@simhound/test-support/identities';
import { connectMqtt, endMqtt, publishAndWait, waitFor } from '@simhound/test-support/mqtt';
import { startWebhookReceiver, type WebhookReceiver } from '@simhound/test-support/webhook-receiver';
import { ECONET, LESOTHO_CELLS, VODACOM, denCandidate } from './maseru-den.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A den candidate as the edge's fusion publishes it: two detectors agree, held 40 min, 6.5 accesses/min above the baseline. */
const candidate = (site: typeof VODACOM, end_ts_ms: number) =>
  denCandidate(site, end_ts_ms, 2_400_000, [
    { detector: 'mo-mt-asymmetry', detector_version: 2, p_log10: 14, level: 'strong', horizon_s: 3600, reason: 'answered pagings far below the cell', facts: { mt_share: 0.01 } },
    { detector: 'machine-regularity', detector_version: 1, p_log10: 5, level: 'moderate', horizon_s: 3600, reason: 'inter-arrival CV 0.3', facts: { cv: 0.3 } },
  ]);

describe('graded alerts in the page, at a webhook and in an inbox', () => {
  const probe = makeProbe('maseru', 'roof-1');
  const cora = makeUser('cora', 'case_officer');
  const chief = makeUser('chief', 'admin');
  const ivo = makeUser('ivo', 'investigator');
  const dir = mkdtempSync(join(tmpdir(), 'simhound-alerts-page-'));
  const secret = randomBytes(32).toString('hex');
  const inbox: Array<{ to: string[]; mail: ParsedMail; at_ms: number }> = [];
  let offset_ms = 0;
  let receiver: WebhookReceiver;
  let smtp: SMTPServer;
  let collector: RunningCollector;
  let chromium: RunningChromium;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(secret);
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, session, cb) {
        simpleParser(stream).then((mail) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), mail, at_ms: Date.now() });
          cb();
        }, cb);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const smtpPort = (smtp.server.address() as { port: number }).port;
    writeFileSync(join(dir, 'webhook.secret'), `${secret}\n`);
    const config = validateCollectorConfig({
      mqtt: { embedded_broker: { port: 0 } },
      http: { port: 0 },
      storage: { sqlite_path: join(dir, 'collector.sqlite') },
      cells_csv: LESOTHO_CELLS,
      dens: { update_debounce_ms: 50 },
      probes: [{ site: probe.site, probe: probe.probe, public_key: probe.public_key, mqtt_password_sha256: probe.mqtt_password_sha256 }],
      users: [cora, chief, ivo].map((u) => ({ name: u.name, role: u.role, token_sha256: u.token_sha256 })),
      alerts: {
        timezone: 'Africa/Maseru',
        tick_interval_s: 0.2,
        officers: [{ name: 'cora', email: 'cora@police.example' }, { name: 'chief', email: 'chief@police.example' }],
        rosters: [{ name: 'maseru', area: { any: true }, shifts: [{ chain: ['cora', 'chief'] }] }],
        retry: { initial_backoff_s: 1, max_backoff_s: 5, timeout_s: 5 },
        channels: {
          webhooks: [{ name: 'control-room', url: receiver.url, secret_file: join(dir, 'webhook.secret') }],
          email: { host: '127.0.0.1', port: smtpPort, secure: false, require_tls: false, from: 'simhound <alerts@unit.example>' },
        },
      },
    });
    if (!config.ok) throw new Error(config.detail);
    // The collector's clock: real time plus what the test adds (to pass a deadline without waiting for it).
    collector = await startCollector(config.value, { clock: () => Date.now() + offset_ms });
    chromium = await launchChromium({ viewport: { width: 1400, height: 900 } });
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await collector?.close();
    await receiver?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it('raises a HIGH alert live, delivers it, escalates it when ignored, takes acknowledgement and outcome from the page, and the outcome reaches eval', async () => {
    const errors: string[] = [];
    const open = async (token: string) => {
      const page = await chromium.context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${collector.httpUrl}/#token=${encodeURIComponent(token)}`);
      await page.waitForSelector('#alerts-panel[data-live="true"]', { timeout: 20_000 });
      return page;
    };
    const officerPage = await open(cora.token);
    const readerPage = await open(ivo.token);
    expect(await officerPage.locator('#alerts li.alert').count()).toBe(0);

    // The den appears: two operators' cells see it.
    const now = Date.now();
    const c = await connectMqtt(collector.mqttUrl, { username: probe.mqtt_username, password: probe.mqtt_password });
    const published_ms = Date.now();
    await publishAndWait(c, detectionTopic(probe.site, probe.probe), JSON.stringify(probe.factory.make('detection', candidate(VODACOM, now - 60_000))));
    await publishAndWait(c, detectionTopic(probe.site, probe.probe), JSON.stringify(probe.factory.make('detection', candidate(ECONET, now - 40_000))));
    await endMqtt(c);

    // Live on both pages (no reload): one alert for the den, tier HIGH.
    const item = officerPage.locator('#alerts li.alert');
    await item.first().waitFor({ timeout: 20_000 });
    const page_ms = Date.now() - published_ms;
    await expect.poll(() => item.count()).toBe(1);
    const alert_id = (await item.getAttribute('data-alert-id'))!;
    expect(await item.getAttribute('data-tier')).toBe('high');
    await readerPage.locator(`#alerts li[data-alert-id="${alert_id}"]`).waitFor({ timeout: 10_000 });
    // The officer it was sent to gets the notification banner; the investigator reads only.
    await expect.poll(() => officerPage.locator('#alert-banner').getAttribute('data-alert-id')).toBe(alert_id);
    expect(await officerPage.locator('#alert-banner').innerText()).toMatch(/^HIGH alert for you/);
    expect(await readerPage.locator('#alert-banner').isHidden()).toBe(true);
    expect(await readerPage.locator(`li[data-alert-id="${alert_id}"] button.ack`).count()).toBe(0);
    expect(await officerPage.locator(`li[data-alert-id="${alert_id}"] button.ack`).count()).toBe(1);
    const den = (await collector.store.dens.listDens({ limit: 5 }))[0]!;
    const api = (path: string, token: string, body?: unknown) => fetch(`${collector.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(((await (await api(`/api/alerts/${alert_id}`, ivo.token)).json()) as { alert: { den_id: string } }).alert.den_id).toBe(den.id);

    // The webhook (signature, timestamp and replay checked by the Python receiver) and the officer's inbox.
    const hook = await waitFor(async () => (await receiver.received()).find((r) => r.body.alert.alert_id === alert_id && r.body.alert.event === 'raised'), 'the raised webhook', 15_000);
    const mail = await waitFor(async () => inbox.find((m) => m.to.includes('cora@police.example')), 'the officer\'s e-mail', 15_000);
    const email_ms = mail.at_ms - published_ms;
    // When each channel took the first notification (the collector's clock = real time until the test moves it).
    const raisedDeliveries = (await collector.store.alerts.listDeliveries(alert_id)).filter((d) => d.notification === 'raised');
    const delivered = Object.fromEntries(raisedDeliveries.map((d) => [d.channel, d.delivered_ts_ms === null ? null : d.delivered_ts_ms - published_ms]));
    const raised_ms = (await collector.store.alerts.getAlert(alert_id))!.raised_ts_ms - published_ms;
    expect(hook.body.alert).toMatchObject({ tier: 'high', den_id: den.id, recipients: ['cora'] });
    expect(mail.mail.subject).toMatch(/^\[simhound HIGH\] SIM-box den, new alert/);
    expect(mail.mail.text).toContain(alert_id);

    // Ignored past its acknowledgement deadline (30 min for HIGH): it escalates to the supervisor.
    offset_ms = 31 * 60_000;
    const escalated = await waitFor(async () => inbox.find((m) => m.to.includes('chief@police.example')), 'the supervisor\'s e-mail', 15_000);
    expect(escalated.mail.subject).toMatch(/^\[simhound HIGH\]/);
    await expect.poll(() => officerPage.locator(`li[data-alert-id="${alert_id}"]`).innerText()).toContain('escalated ×1');
    await waitFor(async () => (await receiver.received()).find((r) => r.body.alert.alert_id === alert_id && r.body.alert.event === 'escalated'), 'the escalated webhook', 15_000);

    // Roles: an investigator cannot acknowledge (the API refuses as the page shows no button).
    expect((await api(`/api/alerts/${alert_id}/ack`, ivo.token, {})).status).toBe(403);

    // The case officer acknowledges on the page; the investigator's page follows live.
    await officerPage.locator(`li[data-alert-id="${alert_id}"] button.ack`).click();
    await expect.poll(() => officerPage.locator(`li[data-alert-id="${alert_id}"]`).getAttribute('data-state')).toBe('acknowledged');
    await expect.poll(() => readerPage.locator(`li[data-alert-id="${alert_id}"]`).getAttribute('data-state')).toBe('acknowledged');
    expect(await officerPage.locator(`li[data-alert-id="${alert_id}"]`).innerText()).toContain('acknowledged by cora');

    // … and closes it with the outcome: the den is closed the same way.
    const row = officerPage.locator(`li[data-alert-id="${alert_id}"]`);
    await row.locator('select.outcome').selectOption('raided');
    await row.locator('input.note').fill('16-port GoIP seized');
    await row.locator('button.close').click();
    await expect.poll(() => readerPage.locator(`li[data-alert-id="${alert_id}"]`).getAttribute('data-state')).toBe('closed');
    expect(await collector.store.dens.getDen(den.id)).toMatchObject({ state: 'closed', outcome: 'raided' });
    await waitFor(async () => (await receiver.received()).find((r) => r.body.alert.alert_id === alert_id && r.body.alert.event === 'closed'), 'the closed webhook', 15_000);
    const events = (await receiver.received()).filter((r) => r.body.alert.alert_id === alert_id).map((r) => r.body.alert.event);
    expect(events).toEqual(['raised', 'escalated', 'acknowledged', 'closed']);
    expect(errors).toEqual([]);
    await officerPage.close();
    await readerPage.close();

    // The outcome is a label: eval reports it per detector version, from the collector's database (read-only).
    await collector.close();
    const db = join(dir, 'collector.sqlite');
    const before = createHash('sha256').update(readFileSync(db)).digest('hex');
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(ROOT, 'cli/src/main.ts'), 'eval', '--outcomes', db, '--json'], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, SIMHOUND_LOG_LEVEL: 'error' },
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { outcomes: { labels: number; overall: { raided: number; precision: number }; by_detector: Array<{ key: string; raided: number; precision: number }> } };
    expect(report.outcomes.labels).toBe(1);
    expect(report.outcomes.overall).toMatchObject({ raided: 1, precision: 1 });
    expect(report.outcomes.by_detector.map((d) => [d.key, d.raided])).toEqual([['den-candidate@1', 1], ['machine-regularity@1', 1], ['mo-mt-asymmetry@2', 1]]);
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before);
    console.info(`alert latency from publishing the den's candidates: alert raised ${raised_ms} ms; delivered web ${delivered.web} ms, webhook ${delivered.webhook} ms, e-mail ${delivered.email} ms (in the SMTP inbox ${email_ms} ms); on the page (seen by the test, polling) ${page_ms} ms; the den's last location update took ${den.estimate?.compute_ms ?? 'n/a'} ms on the same event loop`);
  }, 150_000);
});
