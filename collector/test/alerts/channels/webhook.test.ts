/**
 * The webhook channel against a real local endpoint whose signature check is an independent
 * implementation (Python's hmac, test-support/src/webhook_receiver.py): delivered and verified; a
 * tampered body, a stale timestamp and a wrong secret refused; an exact replay not recorded twice;
 * 5xx worth retrying, 4xx not. The Node verifier for integrators agrees on the same requests.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '@simhound/test-support/webhook-receiver';
import { WEBHOOK_HEADERS, WebhookChannel, WebhookVerifier, webhookBody, webhookSignature } from '../../../src/index.js';
import { alertMessage, delivery } from '../alert-fixtures.js';

describe('webhook channel', () => {
  const secret = randomBytes(32).toString('hex');
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver(secret);
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  const channel = () => new WebhookChannel([{ name: 'control-room', url: receiver.url, secret: Buffer.from(secret) }], 5000);

  it('posts the alert as signed JSON that an independent verifier accepts', async () => {
    const d = delivery('webhook', 'control-room', receiver.url);
    expect(await channel().deliver(d)).toEqual({ ok: true, detail: 'HTTP 200' });
    const got = (await receiver.received()).find((r) => r.delivery_id === d.id);
    expect(got).toBeDefined();
    expect(got!.event).toBe('raised');
    expect(got!.body.alert).toEqual(JSON.parse(JSON.stringify(d.payload)));
    expect(Math.abs(got!.timestamp - Date.now() / 1000)).toBeLessThan(30);
  });

  it('is refused when the body is changed, the timestamp is old or the secret is wrong; a replay is not recorded twice', async () => {
    const d = delivery('webhook', 'control-room', receiver.url, alertMessage({ tier: 'medium' }));
    const body = webhookBody(d);
    const send = (b: string, ts: number, key: string, id = d.id) => fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WEBHOOK_HEADERS.timestamp]: String(ts), [WEBHOOK_HEADERS.signature]: webhookSignature(key, ts, b), [WEBHOOK_HEADERS.delivery]: id },
      body: b,
    });
    const now = Math.floor(Date.now() / 1000);
    expect((await send(body, now, secret)).status).toBe(200);
    // Same request again (a replay within the window): answered, not recorded again.
    const replay = await send(body, now, secret);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ duplicate: true });
    expect((await receiver.received()).filter((r) => r.delivery_id === d.id)).toHaveLength(1);
    // Tampered: the signature was made over the original body.
    const tampered = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WEBHOOK_HEADERS.timestamp]: String(now), [WEBHOOK_HEADERS.signature]: webhookSignature(secret, now, body), [WEBHOOK_HEADERS.delivery]: d.id },
      body: body.replace('"medium"', '"low"'),
    });
    expect(tampered.status).toBe(401);
    expect((await send(body, now - 600, secret)).status).toBe(401);
    expect((await send(body, now, randomBytes(32).toString('hex'))).status).toBe(401);
    const reasons = (await receiver.rejected()).map((r) => r.reason);
    expect(reasons).toEqual(expect.arrayContaining(['bad_signature', 'stale']));
  });

  it('reports 5xx as worth retrying and other 4xx as permanent; an unreachable endpoint as retryable', async () => {
    await receiver.failNext(1, 503);
    expect(await channel().deliver(delivery('webhook', 'control-room', receiver.url))).toEqual({ ok: false, permanent: false, error: 'HTTP 503' });
    await receiver.failNext(1, 410);
    expect(await channel().deliver(delivery('webhook', 'control-room', receiver.url))).toEqual({ ok: false, permanent: true, error: 'HTTP 410' });
    await receiver.failNext(1, 429);
    expect(await channel().deliver(delivery('webhook', 'control-room', receiver.url))).toMatchObject({ ok: false, permanent: false });
    const dead = new WebhookChannel([{ name: 'x', url: 'http://127.0.0.1:1/hook', secret: Buffer.from(secret) }], 2000);
    const r = await dead.deliver(delivery('webhook', 'x', 'http://127.0.0.1:1/hook'));
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.permanent).toBeFalsy();
  });

  it('gives receivers in Node a verifier that agrees: valid once, then replayed; stale; tampered', () => {
    let now = 1_800_000_000_000;
    const v = new WebhookVerifier(secret, 300, () => now);
    const d = delivery('webhook', 'control-room', 'x');
    const body = webhookBody(d);
    const ts = now / 1000;
    const headers = { [WEBHOOK_HEADERS.timestamp]: String(ts), [WEBHOOK_HEADERS.signature]: webhookSignature(secret, ts, body), [WEBHOOK_HEADERS.delivery]: d.id };
    expect(v.verify(headers, body)).toEqual({ ok: true });
    expect(v.verify(headers, body)).toEqual({ ok: false, reason: 'replayed' });
    expect(v.verify(headers, `${body} `)).toEqual({ ok: false, reason: 'bad_signature' });
    now += 301_000;
    expect(v.verify(headers, body)).toEqual({ ok: false, reason: 'stale' });
    expect(v.verify({}, body)).toEqual({ ok: false, reason: 'missing_headers' });
  });
});
