/** `simhound simulate --scenario f (--pcap out | --udp host:port)`: run the simulated GSM world. */
import { loadScenarioFile, runLive, simulateToCapture } from '@simhound/simulator';
import type { Logger } from '@simhound/protocol';
import { CliError, EXIT, printLine, untilSignal } from '../output.js';

export interface SimulateOptions {
  scenario: string;
  pcap?: string;
  format?: 'pcap' | 'pcapng';
  udp?: string;
  durationS?: number;
  speed?: number;
  probe?: string;
  truth?: string;
}

export async function simulateCommand(opts: SimulateOptions, log: Logger): Promise<void> {
  const sc = loadScenarioFile(opts.scenario);
  if (!sc.ok && sc.reason === 'unreadable') throw new CliError(`cannot read the scenario ${sc.detail?.replace(/, open '.*'$/, '')}`, EXIT.usage);
  if (!sc.ok) throw new CliError(`invalid scenario (${sc.reason}):\n${sc.detail}`, EXIT.usage);
  if ((opts.pcap === undefined) === (opts.udp === undefined)) throw new CliError('give exactly one of --pcap <file> or --udp <host:port>', EXIT.usage);
  const probes = sc.value.probes.map((p) => p.probe);
  if (opts.probe !== undefined && !probes.includes(opts.probe)) throw new CliError(`the scenario has no probe "${opts.probe}" (it has: ${probes.join(', ')})`, EXIT.usage);
  if (opts.pcap !== undefined) {
    const r = await simulateToCapture(sc.value, { path: opts.pcap, format: opts.format, duration_s: opts.durationS, probe: opts.probe, truth_path: opts.truth ?? `${opts.pcap}.truth.json` });
    if (!r.ok && r.reason === 'io_error') throw new CliError(`cannot write the capture ${opts.pcap} (${r.detail?.replace(/, open '.*'$/, '') ?? 'I/O error'})`);
    if (!r.ok) throw new CliError(`simulation failed: ${r.reason} ${r.detail ?? ''}`);
    printLine({ capture: opts.pcap, frames: r.value.frames, assignments_by_origin: r.value.assignments_by_origin, truth: opts.truth ?? `${opts.pcap}.truth.json` });
    return;
  }
  const m = /^(.+):(\d+)$/.exec(opts.udp!);
  if (!m) throw new CliError('--udp takes host:port, e.g. 127.0.0.1:4729', EXIT.usage);
  const probe = opts.probe ?? sc.value.probes[0]!.probe;
  const run = await runLive(sc.value, [{ probe, host: m[1]!, port: Number(m[2]) }], { speed: opts.speed, log: log.child('sim'), truth_path: opts.truth });
  if (!run.ok) throw new CliError(`simulation failed: ${run.reason} ${run.detail ?? ''}`);
  const stopAfter = opts.durationS !== undefined ? new Promise((r) => setTimeout(r, (opts.durationS! * 1000) / (opts.speed ?? 1))) : new Promise(() => {});
  await Promise.race([untilSignal(), stopAfter]);
  await run.value.stop();
  printLine(run.value.counters());
}
