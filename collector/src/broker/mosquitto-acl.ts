/**
 * The broker-acl.ts rules written for mosquitto's acl_file, for deployments that run mosquitto instead
 * of the embedded broker: one `user` block per probe (write its own status/detection/window, read its
 * own cmd), one for the collector (read the whole simhound tree, write cmd and alerts), and one per alert
 * subscriber (read the alert topics only). Anything not
 * listed is denied by mosquitto. Passwords go in mosquitto's own password file (mosquitto_passwd).
 * Must not write files (the caller decides where the text goes).
 */
import { TOPIC_PREFIX, cmdTopic, probeTopic } from '@simhound/protocol';
import { PROBE_PUBLISH_KINDS, probeUsername } from './broker-acl.js';

export type MosquittoAccess = 'read' | 'write' | 'readwrite';

export interface MosquittoAclUser {
  username: string;
  acl: Array<{ access: MosquittoAccess; topic: string }>;
}

export function mosquittoAclUsers(probes: ReadonlyArray<{ site: string; probe: string }>, collectorUsername: string, alertSubscribers: readonly string[] = []): MosquittoAclUser[] {
  return [
    {
      username: collectorUsername,
      acl: [
        { access: 'read', topic: `${TOPIC_PREFIX}/#` },
        { access: 'write', topic: `${TOPIC_PREFIX}/+/+/cmd` },
        { access: 'write', topic: `${TOPIC_PREFIX}/alerts/+` },
      ],
    },
    ...probes.map((p) => ({
      username: probeUsername(p.site, p.probe),
      acl: [
        ...PROBE_PUBLISH_KINDS.map((kind) => ({ access: 'write' as const, topic: probeTopic(p.site, p.probe, kind) })),
        { access: 'read' as const, topic: cmdTopic(p.site, p.probe) },
      ],
    })),
    ...alertSubscribers.map((username) => ({ username, acl: [{ access: 'read' as const, topic: `${TOPIC_PREFIX}/alerts/#` }] })),
  ];
}

export function renderMosquittoAclFile(users: readonly MosquittoAclUser[]): string {
  return users.map((u) => [`user ${u.username}`, ...u.acl.map((r) => `topic ${r.access} ${r.topic}`), ''].join('\n')).join('\n');
}
