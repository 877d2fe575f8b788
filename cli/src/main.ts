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
import { evalCommand } from './commands/eval.js';
import { basemapCommand } from './commands/basemap.js';
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
  .option('--speed <x>', 'run the simulated world this many times faster than real time (the fox hunt walks for about an hour of world time)', number, 1)
  .option('--no-uplink', 'no uplink probes and no fox hunt')
  .action(async (o) => demoCommand({ dataDir: o.dataDir, port: o.port, scenario: o.scenario, windowS: o.windowS, durationS: o.durationS, speed: o.speed, uplink: o.uplink }, cliLogger()));

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
  .description('decode a pcap/pcapng of GSMTAP; --events prints one JSON line per event, then a summary line')
  .argument('<capture>', 'pcap or pcapng file')
  .option('--events', 'print every decoded event as a JSON line')
  .option('--detect', 'run the detection engine over the capture and print den candidates (and reference detections)')
  .option('--detectors <list>', 'detectors to run, name@version, comma-separated (default: all, fused into den candidates; e.g. ccch-burst@1 for the old detector)')
  .option('--indicators', 'with --detect: also print every detector indicator')
  .option('--config <file>', "take detector thresholds from this edge config's `detectors` section")
  .option('--key-file <file>', 'pseudonymisation key (default: a random per-run key)')
  .option('--window-s <s>', 'feature window length (window detectors such as ccch-burst@1)', number, 60)
  .action(async (capture, o) => replayCommand(capture, { events: o.events, detect: o.detect, indicators: o.indicators, detectors: o.detectors, config: o.config, keyFile: o.keyFile, windowS: o.windowS }, cliLogger()));

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

program
  .command('eval')
  .description('score detection against ground truth: scenarios (simulated in memory) or captures with <name>.truth.json beside them')
  .argument('<inputs...>', 'scenario YAML/JSON files and/or pcap/pcapng captures')
  .option('--json', 'print JSON (per scenario and overall: recall, median_time_to_detect_s, false_den_hours, precision, dens, detected)')
  .option('--markdown <file>', 'also write the table as markdown')
  .option('--config <file>', "detector thresholds from an edge config's `detectors` section")
  .option('--methods <list>', 'den-candidate@1,ccch-burst@1,naive-threshold@1 (default: all three)')
  .option('--duration-s <s>', "simulated seconds (default: each scenario's duration)", number)
  .option('--locate <n>', 'also score location on n trial dens per scenario (TA, 3 fixed probes, a bearing, a fox hunt)', number)
  .option('--locate-only', 'only the location table')
  .action(async (inputs, o) => {
    await evalCommand(inputs, { json: o.json, markdown: o.markdown, config: o.config, methods: o.methods, durationS: o.durationS, locate: o.locate, locateOnly: o.locateOnly }, cliLogger());
  });

program
  .command('basemap')
  .description('cut an offline base map (MBTiles, vector tiles: Natural Earth borders + cell towers) for an area')
  .requiredOption('--bbox <w,s,e,n>', 'area in degrees')
  .requiredOption('--out <file.mbtiles>', 'output file (replaced)')
  .option('--cells-csv <file>', 'OpenCelliD-format CSV: towers inside the area become a layer')
  .option('--min-zoom <z>', 'lowest zoom', number, 6)
  .option('--max-zoom <z>', 'highest zoom (the page overzooms beyond it)', number, 15)
  .action((o) => basemapCommand({ bbox: o.bbox, out: o.out, cellsCsv: o.cellsCsv, minZoom: o.minZoom, maxZoom: o.maxZoom }));

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
