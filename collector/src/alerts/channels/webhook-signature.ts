/**
 * Webhook signatures (HMAC-SHA256 over "<timestamp>.<raw body>", hex, in `X-Simhound-Signature: v1=<hex>`
 * with the Unix time in seconds in `X-Simhound-Timestamp`). A receiver recomputes the HMAC over the raw
 * bytes it received, compares in constant time, rejects a timestamp more than `tolerance_s` from its own
 * clock, and remembers delivery ids (`X-Simhound-Delivery`, also in the signed body) for that long: a
 * captured request cannot be replayed later, nor twice within the window. A retry of one delivery carries
 * the same delivery id with a fresh timestamp and signature.
 * Must not do I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_HEADERS = {
  timestamp: 'x-simhound-timestamp',
  signature: 'x-simhound-signature',
  delivery: 'x-simhound-delivery',
  event: 'x-simhound-event',
} as const;

export const WEBHOOK_TOLERANCE_S = 300;

export function webhookSignature(secret: Buffer | string, timestamp_s: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp_s}.`);
  mac.update(rawBody);
  return `v1=${mac.digest('hex')}`;
}

export type WebhookVerdict = { ok: true } | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale' | 'bad_signature' | 'replayed' };

/** A receiver's check (for Node receivers; docs/alerts.md shows the same in other languages). */
export class WebhookVerifier {
  private readonly seen = new Map<string, number>();

  constructor(private readonly secret: Buffer | string, private readonly tolerance_s = WEBHOOK_TOLERANCE_S, private readonly clock: () => number = Date.now) {}

  verify(headers: Record<string, string | string[] | undefined>, rawBody: string | Buffer): WebhookVerdict {
    const one = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const ts = one(WEBHOOK_HEADERS.timestamp);
    const sig = one(WEBHOOK_HEADERS.signature);
    const delivery = one(WEBHOOK_HEADERS.delivery);
    if (ts === undefined || sig === undefined || delivery === undefined) return { ok: false, reason: 'missing_headers' };
    if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad_timestamp' };
    const now_s = Math.floor(this.clock() / 1000);
    if (Math.abs(now_s - Number(ts)) > this.tolerance_s) return { ok: false, reason: 'stale' };
    const expected = Buffer.from(webhookSignature(this.secret, Number(ts), rawBody));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
    for (const [id, at] of this.seen) if (now_s - at > this.tolerance_s) this.seen.delete(id);
    if (this.seen.has(delivery)) return { ok: false, reason: 'replayed' };
    this.seen.set(delivery, now_s);
    return { ok: true };
  }
}
