/**
 * One word for how a probe is doing, for the map colour and the health list: its last reported state
 * (online / degraded / offline), `silent` when nothing has arrived for longer than the silence limit
 * (a probe that lost power publishes nothing, and its LWT may not have fired yet), `unknown` before
 * its first status. Must not fetch anything.
 */
import type { ProbeRecord } from '../store/store.js';

export type ProbeHealth = 'online' | 'degraded' | 'offline' | 'silent' | 'unknown';

export function probeHealth(probe: ProbeRecord, now_ms: number, silentAfter_s: number): ProbeHealth {
  if (probe.status === null) return 'unknown';
  if (probe.status.state === 'offline') return 'offline';
  const lastSeen = probe.last_seen_ts_ms ?? probe.status.received_ts_ms;
  if (now_ms - lastSeen > silentAfter_s * 1000) return 'silent';
  return probe.status.state;
}
