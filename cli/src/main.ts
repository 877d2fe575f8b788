#!/usr/bin/env node
/**
 * The one `simhound` command. Every subcommand has --help. Results go to stdout, logs to stderr; a
 * failure is one line on stderr and a documented exit code (docs/cli.md), with the stack trace only
 * under --debug or SIMHOUND_DEBUG=1.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SOFTWARE_VERSION } from '@simhound/protocol';
import { EdgeStartError, KeyFileError } from '@simhound/edge-agent';
import { USER_ROLES } from '@simhound/collector';
import { CliError, EXIT, cliLogger, debugEnabled, exitOnError } from './output.js';
import { demoCommand } from './commands/demo.js';
import { edgeCommand } from './commands/edge.js';
import { collectorCommand } from './commands/collector.js';
import { replayCommand } from './commands/replay.js';
import { simulateCommand } from './commands/simulate.js';
import { keysProbeCommand, keysPseudonymCommand, keysUserCommand } from './commands/keys.js';

const number = (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
};
const positive = (v: string) => {
  const n = number(v);
  if (n <= 0) throw new InvalidArgumentError('must be greater than 0');
  return n;
};
const port = (v: string) => {
  const n = number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
};

const debug = debugEnabled();
// --debug may stand anywhere on the line; commander only needs to list it in --help.
const argv = process.argv.filter((a) => a !== '--debug');

const program = new Command()
  .name('simhound')
  .description('Find SIM-box dens from the GSM radio side: edge agent, collector, simulator, replay.')
  .version(SOFTWARE_VERSION)
  .option('--debug', 'print stack traces on errors (also SIMHOUND_DEBUG=1)')
  // Bad flags exit 2 (usage), not commander's 1; its one-line message is kept.
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.replace(/^error: /, 'simhound: ')) });

program
  .command('demo')
  .description('run a whole deployment on this machine: embedded broker + collector + edge agent + simulated GSM world with a hidden den')
  .option('--port <port>', 'HTTP port of the web map', port, 8080)
  .option('--data-dir <dir>', 'where keys, the SQLite database and ground truth go', '.simhound/demo')
  .option('--scenario <file>', 'scenario YAML (default: simulator/scenarios/maseru-demo.yaml)')
  .option('--window-s <s>', 'feature window length', positive, 20)
  .option('--duration-s <s>', 'stop after this many seconds (default: until Ctrl-C)', positive)
  .action(async (o) => demoCommand({ dataDir: o.dataDir, port: o.port, scenario: o.scenario, windowS: o.windowS, durationS: o.durationS }, cliLogger()));

program
  .command('edge')
  .description('run an edge agent (GSMTAP UDP / pcap sources → detections → disk outbox → MQTT)')
  .requiredOption('--config <file>', 'edge config YAML (see docs/configuration.md)')
  .action(async (o) => edgeCommand({ config: o.config }, cliLogger()));

program
  .command('collector')
  .description('run the collector (MQTT ingest → SQLite/InfluxDB → HTTP API and web map)')
  .requiredOption('--config <file>', 'collector config YAML (see docs/configuration.md)')
  .action(async (o) => collectorCommand({ config: o.config }, cliLogger()));

program
  .command('replay')
  .description('decode a pcap/pcapng of GSMTAP; --events prints one JSON line per event, then a summary line')
  .argument('<capture>', 'pcap or pcapng file, or - for stdin')
  .option('--events', 'print every decoded event as a JSON line')
  .option('--detect', 'run the feature windows and detectors over the capture and print detections')
  .option('--key-file <file>', 'pseudonymisation key (default: a random per-run key)')
  .option('--window-s <s>', 'feature window length for --detect', positive, 60)
  .action(async (capture, o) => replayCommand(capture, { events: o.events, detect: o.detect, keyFile: o.keyFile, windowS: o.windowS }, cliLogger()));

program
  .command('simulate')
  .description('run a simulated GSM world: write a capture (--pcap) or play it live over UDP (--udp)')
  .requiredOption('--scenario <file>', 'scenario YAML')
  .option('--pcap <file>', 'write a capture file (simulated time, as fast as possible)')
  .addOption(new Option('--format <format>', 'capture format').choices(['pcap', 'pcapng']).default('pcap'))
  .option('--udp <host:port>', 'send GSMTAP live to an edge agent')
  .option('--duration-s <s>', 'simulated seconds (default: the scenario duration for --pcap, until Ctrl-C for --udp)', positive)
  .option('--speed <x>', 'live speed-up factor', positive, 1)
  .option('--probe <name>', "which probe's view (default: the scenario's first probe)")
  .option('--truth <file>', 'ground truth JSON (default: <pcap>.truth.json)')
  .action(async (o) => simulateCommand({ scenario: o.scenario, pcap: o.pcap, format: o.format, udp: o.udp, durationS: o.durationS, speed: o.speed, probe: o.probe, truth: o.truth }, cliLogger()));

const keys = program.command('keys').description('make keys and tokens for a deployment');
keys
  .command('probe')
  .description("make a probe's Ed25519 key pair and MQTT password; prints the collector registry line")
  .requiredOption('--site <site>')
  .requiredOption('--probe <probe>')
  .option('--out-dir <dir>', 'where to write the files (created if missing)', '.')
  .option('--force', 'overwrite existing files')
  .action((o) => keysProbeCommand({ site: o.site, probe: o.probe, outDir: o.outDir, force: o.force }));
keys
  .command('pseudonym')
  .description("make the deployment's pseudonymisation (HMAC) key")
  .requiredOption('--out <file>', 'key file to write (its folder is created if missing)')
  .option('--force', 'overwrite an existing key (sub_refs change)')
  .action((o) => keysPseudonymCommand({ out: o.out, force: o.force }));
keys
  .command('user')
  .description('make an API token for a user; prints the token once and the collector config line')
  .requiredOption('--name <name>')
  .addOption(new Option('--role <role>', 'what the user may do').choices(USER_ROLES).makeOptionMandatory())
  .action((o) => keysUserCommand({ name: o.name, role: o.role }));

/** Errors whose message is already one line a user can act on. */
const userFacing = (err: Error) => err instanceof KeyFileError || err instanceof EdgeStartError;

program.parseAsync(argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0; commander has printed its message.
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (err instanceof CliError && err.exitCode === EXIT.ok) process.exit(EXIT.ok);
  exitOnError(err, { debug, userFacing });
});
