/**
 * ntfy channel: a push to an officer's phone through an ntfy server (self-hosted; docs/alerts.md), by
 * ntfy's publish API — POST <server>/<topic> with the text as body and the title, priority (high tier:
 * urgent = 5, medium: high = 4, low: default = 3), tags and click-through link as headers; an access
 * token as `Authorization: Bearer`. Non-ASCII header values are RFC 2047 encoded, which ntfy decodes.
 * Must not retry by itself and must not log the token.
 */
import type { AlertTier, DeliveryRecord } from '../alert-types.js';
import { alertBody, alertTitle } from './alert-text.js';
import { httpStatusIsPermanent, type AlertChannel, type ChannelAttempt } from './channel.js';

export const NTFY_PRIORITY: Readonly<Record<AlertTier, number>> = { high: 5, medium: 4, low: 3 };
const NTFY_TAGS: Readonly<Record<AlertTier, string>> = { high: 'rotating_light,simhound', medium: 'warning,simhound', low: 'information_source,simhound' };

/** A header value: ASCII as it is, anything else as an RFC 2047 encoded word. */
export function headerValue(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

export class NtfyChannel implements AlertChannel {
  readonly name = 'ntfy' as const;
  private readonly server: string;

  constructor(server_url: string, private readonly token: string | null, private readonly timezone: string, private readonly timeout_ms: number) {
    this.server = server_url.replace(/\/+$/, '');
  }

  async deliver(d: DeliveryRecord): Promise<ChannelAttempt> {
    const m = d.payload;
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      title: headerValue(alertTitle(m, this.timezone)),
      priority: String(NTFY_PRIORITY[m.tier]),
      tags: NTFY_TAGS[m.tier],
    };
    if (m.case_url) headers.click = m.case_url;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      const res = await fetch(`${this.server}/${encodeURIComponent(d.target)}`, {
        method: 'POST',
        headers,
        body: alertBody(m, this.timezone),
        signal: AbortSignal.timeout(this.timeout_ms),
        redirect: 'error',
      });
      const text = await res.text().catch(() => '');
      if (res.ok) {
        let id: string | undefined;
        try {
          id = (JSON.parse(text) as { id?: string }).id;
        } catch {
          // a server that answers 200 without JSON still took the message
        }
        return { ok: true, detail: id ? `ntfy message ${id}` : `HTTP ${res.status}` };
      }
      return { ok: false, permanent: httpStatusIsPermanent(res.status), error: `HTTP ${res.status}` };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { ok: false, error: err.name === 'TimeoutError' ? `timed out after ${this.timeout_ms} ms` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}` };
    }
  }
}
