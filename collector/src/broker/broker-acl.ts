/**
 * Who may do what on the simhound topic tree (DESIGN.md security rules), as pure functions the embedded
 * broker calls: a probe may publish only its own status/detection/window/observation topics and subscribe only to
 * its own cmd topic; only the collector may subscribe to everything and publish cmd and alert messages;
 * an alert subscriber (a control-room integration) may only subscribe to the alert topics.
 * A deployment on mosquitto expresses the same rules in its ACL file (see the mosquitto tests).
 * Must not authenticate (broker/embedded-broker.ts does) and must not look at payloads.
 */
import { alertTopic, ALERT_TIERS, cmdTopic, probeTopic, TOPIC_PREFIX } from '@simhound/protocol';

export type BrokerIdentity =
  | { role: 'collector'; username: string }
  | { role: 'probe'; site: string; probe: string; username: string }
  | { role: 'alert_subscriber'; username: string };

/** The filters an alert subscriber may use: one tier, or all of them. */
export const ALERT_SUBSCRIBER_FILTERS: readonly string[] = [...ALERT_TIERS.map((t) => alertTopic(t)), `${TOPIC_PREFIX}/alerts/+`, `${TOPIC_PREFIX}/alerts/#`];

export const PROBE_PUBLISH_KINDS = ['status', 'detection', 'window', 'observation'] as const;

/** The MQTT username of a probe: `<site>/<probe>`, the same pair its topics carry. */
export function probeUsername(site: string, probe: string): string {
  return `${site}/${probe}`;
}

export function mayPublish(identity: BrokerIdentity, topic: string): boolean {
  if (identity.role === 'probe') {
    return PROBE_PUBLISH_KINDS.some((kind) => topic === probeTopic(identity.site, identity.probe, kind));
  }
  if (identity.role === 'alert_subscriber') return false;
  if (ALERT_TIERS.some((tier) => topic === alertTopic(tier))) return true;
  const parts = topic.split('/');
  // simhound/v1/<site>/<probe>/cmd, with no wildcard characters (publishing to a filter is invalid anyway)
  return topic.startsWith(`${TOPIC_PREFIX}/`) && parts.length === 5 && parts[4] === 'cmd' && !/[+#]/.test(topic);
}

export function maySubscribe(identity: BrokerIdentity, filter: string): boolean {
  if (identity.role === 'probe') return filter === cmdTopic(identity.site, identity.probe);
  if (identity.role === 'alert_subscriber') return ALERT_SUBSCRIBER_FILTERS.includes(filter);
  // The collector may read the whole simhound tree (and nothing outside it, e.g. $SYS).
  return filter === `${TOPIC_PREFIX}/#` || filter.startsWith(`${TOPIC_PREFIX}/`);
}
