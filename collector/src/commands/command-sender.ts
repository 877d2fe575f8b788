/**
 * Signed collector → probe commands (protocol/src/schemas/command.ts): makes a `cmd` envelope for one
 * registered probe, signs it with the collector's own Ed25519 key, and publishes it (QoS 1) on that
 * probe's cmd topic through whichever broker the collector uses. The probe verifies signature, target,
 * freshness and replay before it acts (edge-agent/src/commands/).
 * Must not decide who may send commands (the HTTP API's roles do).
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { cmdTopic, EnvelopeFactory, fail, ok, privateKeyFromPem, type CommandBody, type CommandName, type Result } from '@simhound/protocol';
import type { ProbeRegistry } from '../ingest/probe-registry.js';
import { CollectorStartError, reasonOf } from '../start-errors.js';

export function loadCommandSigningKey(path: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CollectorStartError('key_file', `commands.signing_key_file ${path}: ${reasonOf(e)}; make one with \`simhound keys collector\``);
  }
  try {
    return privateKeyFromPem(pem);
  } catch (e) {
    throw new CollectorStartError('key_file', `commands.signing_key_file ${path}: not an Ed25519 private key in PEM (${reasonOf(e)}); make one with \`simhound keys collector\``);
  }
}

export interface CommandSenderOptions {
  key: KeyObject;
  max_age_s: number;
  publish: (topic: string, payload: Buffer) => Promise<void>;
  registry: ProbeRegistry;
  clock?: () => number;
}

export interface SentCommand {
  id: string;
  site: string;
  probe: string;
  command: CommandName;
  ts_ms: number;
  expires_ts_ms: number;
}

export class CommandSender {
  private readonly clock: () => number;

  constructor(private readonly options: CommandSenderOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async send(site: string, probe: string, command: CommandName): Promise<Result<SentCommand, 'unknown_probe' | 'publish_failed'>> {
    if (this.options.registry.get(site, probe) === undefined) return fail('unknown_probe', `${site}/${probe}`);
    const ts_ms = this.clock();
    const body: CommandBody = { command, expires_ts_ms: ts_ms + this.options.max_age_s * 1000 };
    const env = new EnvelopeFactory(site, probe, this.options.key, this.clock).make('cmd', body, ts_ms);
    try {
      await this.options.publish(cmdTopic(site, probe), Buffer.from(JSON.stringify(env)));
    } catch (e) {
      return fail('publish_failed', (e as Error).message);
    }
    return ok({ id: env.id, site, probe, command, ts_ms, expires_ts_ms: body.expires_ts_ms });
  }
}
