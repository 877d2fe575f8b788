/**
 * Webhook channel: the alert message as JSON, POSTed to each configured endpoint, signed with that
 * endpoint's shared secret (webhook-signature.ts: HMAC-SHA256 over timestamp + raw body, replay-safe with
 * a delivery id). One attempt per call with a time limit; 2xx is delivered, 408/429/5xx and network
 * errors are worth retrying, other 4xx are not.
 * Must not retry by itself (the delivery worker does) and must not log secrets or bodies.
 */
import type { DeliveryRecord } from '../alert-types.js';
import { httpStatusIsPermanent, type AlertChannel, type ChannelAttempt } from './channel.js';
import { WEBHOOK_HEADERS, webhookSignature } from './webhook-signature.js';

export interface WebhookEndpoint {
  name: string;
  url: string;
  secret: Buffer;
}

/** The JSON a webhook receives. */
export function webhookBody(d: DeliveryRecord): string {
  return JSON.stringify({ delivery_id: d.id, alert: d.payload });
}

export class WebhookChannel implements AlertChannel {
  readonly name = 'webhook' as const;
  private readonly endpoints: Map<string, WebhookEndpoint>;

  constructor(endpoints: readonly WebhookEndpoint[], private readonly timeout_ms: number, private readonly clock: () => number = Date.now) {
    this.endpoints = new Map(endpoints.map((e) => [e.name, e]));
  }

  async deliver(d: DeliveryRecord): Promise<ChannelAttempt> {
    const endpoint = this.endpoints.get(d.recipient);
    if (endpoint === undefined) return { ok: false, permanent: true, error: `no webhook endpoint named ${d.recipient} in the config` };
    const body = webhookBody(d);
    const ts = Math.floor(this.clock() / 1000);
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'simhound-alerts/1',
          [WEBHOOK_HEADERS.timestamp]: String(ts),
          [WEBHOOK_HEADERS.signature]: webhookSignature(endpoint.secret, ts, body),
          [WEBHOOK_HEADERS.delivery]: d.id,
          [WEBHOOK_HEADERS.event]: d.notification,
        },
        body,
        signal: AbortSignal.timeout(this.timeout_ms),
        redirect: 'error',
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, detail: `HTTP ${res.status}` };
      return { ok: false, permanent: httpStatusIsPermanent(res.status), error: `HTTP ${res.status}` };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { ok: false, error: err.name === 'TimeoutError' ? `timed out after ${this.timeout_ms} ms` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}` };
    }
  }
}
