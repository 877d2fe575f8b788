/**
 * The publisher's broker address and pacing from the edge config's `mqtt` section, in the units
 * MqttPublisher takes. The agent and the soak's load edge (test-support/src/soak/load-edge.ts) both
 * start publishers from a config, so a new `mqtt` setting is mapped once, here.
 * It must not read files (password, CA): callers do, each with its own error reporting.
 */
import type { EdgeConfig } from '../config.js';
import type { PublisherOptions } from './publisher.js';

export type PublisherSettings = Pick<PublisherOptions, 'url' | 'username' | 'maxInFlight' | 'drainRatePerS' | 'drainJitterMs' | 'reconnectMinMs' | 'reconnectMaxMs' | 'keepaliveS'>;

export function publisherSettings(mqtt: EdgeConfig['mqtt']): PublisherSettings {
  return {
    url: mqtt.url,
    username: mqtt.username,
    maxInFlight: mqtt.max_in_flight,
    drainRatePerS: mqtt.drain_rate_per_s,
    drainJitterMs: mqtt.drain_jitter_s * 1000,
    reconnectMinMs: mqtt.reconnect_min_s * 1000,
    reconnectMaxMs: mqtt.reconnect_max_s * 1000,
    keepaliveS: mqtt.keepalive_s,
  };
}
