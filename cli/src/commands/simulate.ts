/**
 * `simhound simulate <scenario> --out <dir>`: run a simulated GSM world into one capture per probe
 * (`<dir>/<scenario>.<probe>.pcap`), its ground truth (`<scenario>.truth.json`) and, with --accesses,
 * one line per access (`<scenario>.accesses.ndjson`). With --udp it plays the world live instead.
 */
import { loadScenarioFile, runLive, simulateToCaptures } from '@simhound/simulator';
import type { Logger } from '@simhound/protocol';
import { CliError, EXIT, printLine, untilSignal } from '../output.js';

export interface SimulateOptions {
  scenario: string;
  out?: string;
  format?: 'pcap' | 'pcapng';
  accesses?: boolean;
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
  if ((opts.out === undefined) === (opts.udp === undefined)) throw new CliError('give exactly one of --out <dir> or --udp <host:port>', EXIT.usage);
  if (opts.format !== undefined && opts.format !== 'pcap' && opts.format !== 'pcapng') throw new CliError('--format is pcap or pcapng', EXIT.usage);
  const probes = sc.value.probes.map((p) => p.probe);
  if (opts.probe !== undefined && !probes.includes(opts.probe)) throw new CliError(`the scenario has no probe "${opts.probe}" (it has: ${probes.join(', ')})`, EXIT.usage);
  if (opts.out !== undefined) {
    const r = await simulateToCaptures(sc.value, { out_dir: opts.out, format: opts.format, duration_s: opts.durationS, accesses: opts.accesses });
    if (!r.ok && r.reason === 'io_error') throw new CliError(`cannot write the captures in ${opts.out} (${r.detail?.replace(/, open '.*'$/, '') ?? 'I/O error'})`);
    if (!r.ok) throw new CliError(`simulation failed: ${r.reason} ${r.detail ?? ''}`);
    const v = r.value;
    printLine({
      scenario: sc.value.name,
      captures: v.files.captures,
      truth: v.files.truth,
      accesses: v.files.accesses,
      frames_per_probe: v.frames_per_probe,
      assignments_by_origin: v.assignments_by_origin,
      dens: v.truth.dens.length,
      crowds: v.truth.crowds.length,
    });
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
