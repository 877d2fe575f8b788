/**
 * `simhound edge --config edge.yaml`: run an edge agent until SIGINT/SIGTERM (or, for pcap-only configs,
 * until the captures are read), then stop cleanly: flush the outbox to the broker, keep the rest on disk.
 * Exit codes (docs/cli.md): 0 nothing lost; 1 a source could not be read (or a startup failure);
 * 2 bad config; 3 messages lost (dropped by the outbox policy, or left in a memory outbox);
 * 4 a capture was damaged (cut short): everything before the damage was processed and delivered.
 */
import { EdgeConfigSchema, startEdgeAgent, type FiniteSourceResult } from '@simhound/edge-agent';
import type { Logger } from '@simhound/protocol';
import { loadConfigFile } from '../load-config.js';
import { CliError, EXIT, untilSignal } from '../output.js';
import { describeCaptureDamage } from './replay.js';

export const EDGE_PATH_FIELDS = ['keys.signing_key_file', 'keys.pseudonym_key_file', 'mqtt.password_file', 'mqtt.ca_file', 'sources.*.path', 'outbox.path'];

export async function edgeCommand(opts: { config: string }, log: Logger): Promise<void> {
  const cfg = loadConfigFile(EdgeConfigSchema, opts.config, EDGE_PATH_FIELDS);
  if (!cfg.ok && cfg.reason === 'unreadable') throw new CliError(`cannot read the edge config ${cfg.detail?.replace(/, open '.*'$/, '')}`, EXIT.usage);
  if (!cfg.ok) throw new CliError(`invalid edge config ${cfg.detail}`, EXIT.usage);
  const config = cfg.value;
  const agent = await startEdgeAgent(config, { log: log.child('edge') });
  // Live sources run until a signal: GSMTAP over UDP, an SDR on rtl_tcp, serial devices. Files end.
  const live = config.sources.some((s) => s.kind !== 'pcap' && !(s.kind === 'iq' && s.rtl_tcp === undefined));
  // A source that cannot go on (an SDR stall) ends the agent with its own exit code, so systemd restarts it.
  const fatal = agent.fatal.then(() => null, (e: Error) => e);
  let finished: FiniteSourceResult[] = [];
  let failed: Error | null = null;
  if (live) {
    log.info(`edge agent ${config.site}/${config.probe} running; Ctrl-C to stop`, { udp_ports: agent.udpPorts });
    failed = await Promise.race([untilSignal().then(() => null), fatal]);
  } else {
    const outcome = await Promise.race([agent.finiteSourcesDone, untilSignal(), fatal]);
    if (Array.isArray(outcome)) finished = outcome;
    else if (outcome instanceof Error) failed = outcome;
  }
  const report = await agent.stop();
  if (!live && finished.length === 0) finished = await agent.finiteSourcesDone;

  const problems: Array<{ code: number; line: string }> = [];
  if (failed !== null) problems.push({ code: EXIT.source_failed, line: failed.message });
  for (const r of finished) {
    if (!r.ok) problems.push({ code: EXIT.failure, line: `source ${r.source_name}: cannot read capture ${r.path}: ${r.reason}${r.detail ? ` (${r.detail})` : ''}` });
    else if (Object.keys(r.capture_errors).length > 0) problems.push({ code: EXIT.damaged_input, line: `source ${r.source_name}: ${describeCaptureDamage(r.path, r.capture_errors, r.packets)}` });
  }
  if (report.lost > 0) {
    const parts = Object.entries(report.dropped_this_run).map(([reason, n]) => `${n} dropped (${reason})`);
    if (!report.durable && report.remaining > 0) parts.push(`${report.remaining} never acknowledged by the broker, in a memory outbox`);
    problems.push({ code: EXIT.undelivered, line: `${report.lost} messages will never reach the broker: ${parts.join(', ')}` });
  } else if (report.remaining > 0) {
    log.info(`${report.remaining} messages wait in the outbox ${config.outbox.path}; they go out at the next start`);
  }
  if (problems.length === 0) return;
  // Every problem gets its line; the exit code is the first one's (source, then loss, then damage).
  problems.sort((a, b) => rank(a.code) - rank(b.code));
  throw new CliError(problems.map((p) => p.line).join('\n'), problems[0]!.code);
}

function rank(code: number): number {
  return code === EXIT.source_failed ? 0 : code === EXIT.failure ? 1 : code === EXIT.undelivered ? 2 : 3;
}
