#!/usr/bin/env node
/**
 * The one `simhound` command. Every subcommand has --help. Results go to stdout, logs to stderr.
 */
import { Command, InvalidArgumentError } from 'commander';
import { SOFTWARE_VERSION } from '@simhound/protocol';
import { CliError, cliLogger } from './output.js';
import { demoCommand } from './commands/demo.js';
import { edgeCommand } from './commands/edge.js';
import { collectorCommand } from './commands/collector.js';
import { replayCommand } from './commands/replay.js';
import { simulateCommand } from './commands/simulate.js';
import { keysProbeCommand, keysPseudonymCommand, keysUserCommand } from './commands/keys.js';

const number = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
};

const program = new Command()
  .name('simhound')
  .description('Find SIM-box dens from the GSM radio side: edge agent, collector, simulator, replay.')
  .version(SOFTWARE_VERSION);

program
  .command('demo')
  .description('run a whole deployment on this machine: embedded broker + collector + edge agent + simulated GSM world with a hidden den')
  .option('--port <port>', 'HTTP port of the web map', number, 8080)
  .option('--data-dir <dir>', 'where keys, the SQLite database and ground truth go', '.simhound/demo')
  .option('--scenario <file>', 'scenario YAML (default: simulator/scenarios/maseru-demo.yaml)')
  .option('--window-s <s>', 'feature window length', number, 20)
  .option('--duration-s <s>', 'stop after this many seconds (default: until Ctrl-C)', number)
  .action(async (o) => demoCommand({ dataDir: o.dataDir, port: o.port, scenario: o.scenario, windowS: o.windowS, durationS: o.durationS }, cliLogger()));

program
  .command('edge')
  .description('run an edge agent (GSMTAP UDP / pcap sources → detections → MQTT)')
  .requiredOption('--config <file>', 'edge config YAML (see docs/configuration.md)')
  .action(async (o) => edgeCommand({ config: o.config }, cliLogger()));

program
  .command('collector')
  .description('run the collector (MQTT ingest → SQLite/InfluxDB → HTTP API and web map)')
  .requiredOption('--config <file>', 'collector config YAML (see docs/configuration.md)')
  .action(async (o) => collectorCommand({ config: o.config }, cliLogger()));

program
  .command('replay')
  .description('decode a pcap/pcapng of GSMTAP, or run the SDR path over an IQ recording (.cu8 .cs8 .cs16 .cf32 .cfile .sigmf-data); JSON lines, then a summary line')
  .argument('<capture>', 'pcap/pcapng file, or IQ recording')
  .option('--events', 'print every decoded event as a JSON line')
  .option('--detect', 'run the feature windows and detectors over the capture and print detections')
  .option('--key-file <file>', 'pseudonymisation key (default: a random per-run key)')
  .option('--window-s <s>', 'feature window length for --detect', number, 60)
  .option('--format <format>', 'IQ: cu8, cs8, cs16 or cf32 (default: from the extension or SigMF sidecar)')
  .option('--sample-rate <hz>', 'IQ: sample rate (default: SigMF sidecar)', number)
  .option('--center-freq <hz>', 'IQ: centre frequency (default: SigMF sidecar)', number)
  .option('--band <band>', 'IQ: GSM850, GSM900, DCS1800 or PCS1900 (default: from the centre frequency)')
  .option('--calibration-db <db>', 'IQ: dBm = dBFS + this', number)
  .option('--report-interval-s <s>', 'IQ: channel power / slot occupancy interval', number)
  .option('--fft-size <n>', 'IQ: channelizer FFT size (power of two)', number)
  .option('--fft-backend <backend>', 'IQ: fft.js (default) or pffft-wasm')
  .action(async (capture, o) =>
    replayCommand(capture, {
      events: o.events, detect: o.detect, keyFile: o.keyFile, windowS: o.windowS,
      format: o.format, sampleRate: o.sampleRate, centerFreq: o.centerFreq, band: o.band, calibrationDb: o.calibrationDb, reportIntervalS: o.reportIntervalS, fftSize: o.fftSize, fftBackend: o.fftBackend,
    }, cliLogger()));

program
  .command('simulate')
  .description('run a simulated GSM world: write a capture (--pcap) or play it live over UDP (--udp)')
  .requiredOption('--scenario <file>', 'scenario YAML')
  .option('--pcap <file>', 'write a capture file (simulated time, as fast as possible)')
  .option('--format <format>', 'pcap or pcapng', 'pcap')
  .option('--udp <host:port>', 'send GSMTAP live to an edge agent')
  .option('--duration-s <s>', 'simulated seconds (default: the scenario duration for --pcap, until Ctrl-C for --udp)', number)
  .option('--speed <x>', 'live speed-up factor', number, 1)
  .option('--probe <name>', "which probe's view (default: the scenario's first probe)")
  .option('--truth <file>', 'ground truth JSON (default: <pcap>.truth.json)')
  .action(async (o) => simulateCommand({ scenario: o.scenario, pcap: o.pcap, format: o.format, udp: o.udp, durationS: o.durationS, speed: o.speed, probe: o.probe, truth: o.truth }, cliLogger()));

const keys = program.command('keys').description('make keys and tokens for a deployment');
keys
  .command('probe')
  .description("make a probe's Ed25519 key pair and MQTT password; prints the collector registry line")
  .requiredOption('--site <site>')
  .requiredOption('--probe <probe>')
  .option('--out-dir <dir>', 'where to write the files', '.')
  .option('--force', 'overwrite existing files')
  .action((o) => keysProbeCommand({ site: o.site, probe: o.probe, outDir: o.outDir, force: o.force }));
keys
  .command('pseudonym')
  .description("make the deployment's pseudonymisation (HMAC) key")
  .requiredOption('--out <file>')
  .option('--force', 'overwrite an existing key (sub_refs change)')
  .action((o) => keysPseudonymCommand({ out: o.out, force: o.force }));
keys
  .command('user')
  .description('make an API token for a user; prints the token once and the collector config line')
  .requiredOption('--name <name>')
  .requiredOption('--role <role>', 'field | investigator | case_officer | admin')
  .action((o) => keysUserCommand({ name: o.name, role: o.role }));

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CliError) {
    process.stderr.write(`simhound: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  process.stderr.write(`simhound: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
