/** `simhound edge --config edge.yaml`: run an edge agent until SIGINT/SIGTERM (or, for pcap-only configs, until the captures are read). */
import { EdgeConfigSchema, startEdgeAgent } from '@simhound/edge-agent';
import type { Logger } from '@simhound/protocol';
import { loadConfigFile } from '../load-config.js';
import { CliError, untilSignal } from '../output.js';

export const EDGE_PATH_FIELDS = ['keys.signing_key_file', 'keys.pseudonym_key_file', 'mqtt.password_file', 'sources.*.path'];

export async function edgeCommand(opts: { config: string }, log: Logger): Promise<void> {
  const cfg = loadConfigFile(EdgeConfigSchema, opts.config, EDGE_PATH_FIELDS);
  if (!cfg.ok) throw new CliError(`invalid edge config (${cfg.reason}):\n${cfg.detail}`, 2);
  const agent = await startEdgeAgent(cfg.value, { log: log.child('edge') });
  const live = cfg.value.sources.some((s) => s.kind === 'gsmtap_udp' || (s.kind === 'iq' && s.rtl_tcp !== undefined));
  if (live) log.info(`edge agent ${cfg.value.site}/${cfg.value.probe} running; Ctrl-C to stop`, { udp_ports: agent.udpPorts });
  // A source that cannot go on (an SDR stall) ends the agent with exit code 3, so systemd restarts it.
  const fatal = agent.fatal.then(() => null, (e: Error) => e);
  const stopped = await Promise.race([live ? untilSignal().then(() => null) : agent.finiteSourcesDone.then(() => null), fatal]);
  await agent.stop();
  if (stopped instanceof Error) throw new CliError(stopped.message, 3);
}
