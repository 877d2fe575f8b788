/**
 * The probe's end of signed collector → probe commands: a small MQTT connection of its own (its own
 * clientId, the probe's credentials, which the broker ACL lets read only this probe's cmd topic), each
 * message checked by CommandVerifier and, when valid, carried out:
 * - `ping` and `republish_status`: the status is published again at once, with `last_command` naming
 *   the command, so the collector sees that it arrived and was acted on.
 * Rejections are counted by reason and logged; nothing is ever executed from an unverified message.
 * Kept apart from the publisher so commands never delay or disturb the data path.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { cmdTopic, publicKeyFromText, ReasonCounter, type LastCommand, type Logger } from '@simhound/protocol';
import { CommandVerifier, type CommandRejection } from './command-verifier.js';

export interface CommandChannelOptions {
  url: string;
  username?: string;
  password?: string;
  /** PEM CA certificate(s) to trust for a TLS broker. */
  ca?: Buffer;
  site: string;
  probe: string;
  collector_public_key: string;
  max_age_s: number;
  /** Publish the probe's status now (the agent's publisher does it). */
  publishStatus: () => void;
  log: Logger;
}

export interface CommandChannel {
  /** The last command carried out, for the status body. */
  lastCommand(): LastCommand | undefined;
  rejections(): Record<string, number>;
  stop(): Promise<void>;
}

export function startCommandChannel(options: CommandChannelOptions): CommandChannel {
  const verifier = new CommandVerifier({ site: options.site, probe: options.probe, collectorKey: publicKeyFromText(options.collector_public_key), max_age_s: options.max_age_s });
  const rejected = new ReasonCounter<CommandRejection>();
  let last: LastCommand | undefined;
  const topic = cmdTopic(options.site, options.probe);
  const client: MqttClient = mqtt.connect(options.url, {
    clientId: `simhound-cmd-${options.site}-${options.probe}-${randomBytes(4).toString('hex')}`,
    username: options.username,
    password: options.password,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    protocolVersion: 4,
  });
  client.on('connect', () => {
    client.subscribe(topic, { qos: 1 }, (err, granted) => {
      if (err || granted?.some((g) => g.qos === 128)) options.log.warn('cannot subscribe to the command topic', { topic, error: err?.message ?? 'refused by the broker' });
    });
  });
  client.on('error', (e) => options.log.warn('command channel error', { error: e.message }));
  client.on('message', (_topic, payload) => {
    const checked = verifier.verify(payload);
    if (!checked.ok) {
      rejected.add(checked.reason);
      options.log.warn('command refused', { reason: checked.reason, detail: checked.detail });
      return;
    }
    last = { id: checked.value.id, command: checked.value.command, received_ts_ms: Date.now() };
    options.log.info('command carried out', { command: checked.value.command, id: checked.value.id });
    // Both commands are answered by a fresh status carrying last_command.
    options.publishStatus();
  });
  return {
    lastCommand: () => last,
    rejections: () => rejected.toJSON(),
    stop: () => client.endAsync(true).then(() => undefined),
  };
}
