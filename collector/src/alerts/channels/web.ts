/**
 * Web channel: the notification goes live to the recipient's open web UI sessions over Server-Sent
 * Events (sse-hub.ts). Delivered when at least one session of that user took it; with none open it waits,
 * and is tried again the moment the user opens the page (no backoff, no giving up).
 * Must not know about HTTP (the hub owns the streams).
 */
import type { DeliveryRecord } from '../alert-types.js';
import type { AlertStreamHub } from '../sse-hub.js';
import type { AlertChannel, ChannelAttempt } from './channel.js';

export class WebChannel implements AlertChannel {
  readonly name = 'web' as const;

  constructor(private readonly hub: AlertStreamHub) {}

  async deliver(d: DeliveryRecord): Promise<ChannelAttempt> {
    const sessions = this.hub.sendTo(d.target, 'notification', { delivery_id: d.id, ...d.payload });
    if (sessions > 0) return { ok: true, detail: `${sessions} open session(s)` };
    return { ok: false, wait_for_connect: true, error: 'no open web session; delivered when the officer opens the page' };
  }
}
