/**
 * MQTT channel for control-room integrations: the alert message as the body of a signed envelope (kind
 * `alert`, the collector's Ed25519 key, so subscribers can verify it came from the collector) published
 * at QoS 1, not retained, on `simhound/v1/alerts/<tier>` through the collector's broker (the embedded
 * one, or the external one it is a client of). Subscribers need their own credentials (docs/alerts.md).
 * Must not retry by itself.
 */
import type { KeyObject } from 'node:crypto';
import { alertTopic, EnvelopeFactory } from '@simhound/protocol';
import type { DeliveryRecord } from '../alert-types.js';
import type { AlertChannel, ChannelAttempt } from './channel.js';

export const ALERT_ENVELOPE_PROBE = 'collector';

export class MqttAlertChannel implements AlertChannel {
  readonly name = 'mqtt' as const;
  private readonly factory: EnvelopeFactory;

  constructor(site: string, key: KeyObject, private readonly publish: (topic: string, payload: Buffer) => Promise<void>, clock: () => number = Date.now) {
    this.factory = new EnvelopeFactory(site, ALERT_ENVELOPE_PROBE, key, clock);
  }

  async deliver(d: DeliveryRecord): Promise<ChannelAttempt> {
    const env = this.factory.make('alert', d.payload);
    const topic = alertTopic(d.payload.tier);
    try {
      await this.publish(topic, Buffer.from(JSON.stringify(env)));
      return { ok: true, detail: `${topic} envelope ${env.id}` };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }
}
