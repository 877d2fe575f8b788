/**
 * Topic builders and parser for the `simhound/v1/...` MQTT layout (DESIGN.md, "The contract").
 * Site and probe names are path segments: they may not contain MQTT wildcards or separators.
 */
import { TOPIC_PREFIX } from './version.js';
import { fail, ok, type Result } from './result.js';

export const PROBE_MESSAGE_KINDS = ['status', 'detection', 'window', 'observation', 'cmd'] as const;
export type ProbeMessageKind = (typeof PROBE_MESSAGE_KINDS)[number];
export const ALERT_TIERS = ['high', 'medium', 'low'] as const;
export type AlertTier = (typeof ALERT_TIERS)[number];

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** True when `name` is usable as a site or probe segment. */
export function isValidSegment(name: string): boolean {
  return SEGMENT.test(name) && name !== 'alerts';
}

function segment(name: string, what: string): string {
  if (!isValidSegment(name)) {
    throw new TypeError(`invalid ${what} name ${JSON.stringify(name)}: use 1-64 of [A-Za-z0-9_.-], not "alerts"`);
  }
  return name;
}

export function probeTopic(site: string, probe: string, kind: ProbeMessageKind): string {
  return `${TOPIC_PREFIX}/${segment(site, 'site')}/${segment(probe, 'probe')}/${kind}`;
}

export const statusTopic = (site: string, probe: string) => probeTopic(site, probe, 'status');
export const detectionTopic = (site: string, probe: string) => probeTopic(site, probe, 'detection');
export const windowTopic = (site: string, probe: string) => probeTopic(site, probe, 'window');
export const observationTopic = (site: string, probe: string) => probeTopic(site, probe, 'observation');
export const cmdTopic = (site: string, probe: string) => probeTopic(site, probe, 'cmd');
export const alertTopic = (tier: AlertTier) => `${TOPIC_PREFIX}/alerts/${tier}`;

/** Subscription filter for one kind of message from every probe of every site. */
export const allProbesFilter = (kind: ProbeMessageKind) => `${TOPIC_PREFIX}/+/+/${kind}`;

export type ParsedTopic =
  | { type: 'probe'; site: string; probe: string; kind: ProbeMessageKind }
  | { type: 'alert'; tier: AlertTier };

export type TopicRejection = 'bad_prefix' | 'bad_shape' | 'bad_segment' | 'unknown_kind';

export function parseTopic(topic: string): Result<ParsedTopic, TopicRejection> {
  if (!topic.startsWith(`${TOPIC_PREFIX}/`)) return fail('bad_prefix', topic);
  const parts = topic.slice(TOPIC_PREFIX.length + 1).split('/');
  if (parts.length === 2 && parts[0] === 'alerts') {
    const tier = parts[1] as AlertTier;
    return ALERT_TIERS.includes(tier) ? ok({ type: 'alert', tier }) : fail('unknown_kind', topic);
  }
  if (parts.length !== 3) return fail('bad_shape', topic);
  const [site, probe, kind] = parts as [string, string, string];
  if (!isValidSegment(site) || !isValidSegment(probe)) return fail('bad_segment', topic);
  if (!(PROBE_MESSAGE_KINDS as readonly string[]).includes(kind)) return fail('unknown_kind', topic);
  return ok({ type: 'probe', site, probe, kind: kind as ProbeMessageKind });
}
