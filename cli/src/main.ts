#!/usr/bin/env node
/**
 * The one `simhound` command. Every subcommand has --help. Results go to stdout, logs to stderr; a
 * failure is one line on stderr and a documented exit code (docs/cli.md), with the stack trace only
 * under --debug or SIMHOUND_DEBUG=1.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SOFTWARE_VERSION, USER_ROLES } from '@simhound/protocol';
import { CliError, EXIT, cliLogger, debugEnabled, exitOnError } from './output.js';

// Each command's code (and the packages behind it: collector, simulator, edge agent …) is loaded only
// when that command runs, so `--help`, `keys` and usage errors answer at once.
const commands = {
  demo: () => import('./commands/demo.js'),
  edge: () => import('./commands/edge.js'),
  collector: () => import('./commands/collector.js'),
  replay: () => import('./commands/replay.js'),
  simulate: () => import('./commands/simulate.js'),
  eval: () => import('./commands/eval.js'),
  keys: () => import('./commands/keys.js'),
  keysTls: () => import('./commands/keys-tls.js'),
  basemap: () => import('./commands/basemap.js'),
};

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
  // Options after a subcommand belong to it (with `collector`'s own, so that `collector
  // mosquitto-config --config …` reaches mosquitto-config; --debug is taken out of argv below).
  .enablePositionalOptions()
  // Bad flags exit 2 (usage), not commander's 1; its one-line message is kept.
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.replace(/^error: /, 'simhound: ')) });

program
  .command('demo')
  .description('run a whole deployment on this machine: embedded broker + collector + edge agent + simulated GSM world with a hidden den')
  .option('--port <port>', 'HTTP port of the web map', port, 8080)
  .option('--data-dir <dir>', 'where keys, the SQLite database and ground truth go', '.simhound/demo')
  .option('--scenario <file>', 'scenario YAML (default: simulator/scenarios/maseru-demo.yaml)')
  .option('--window-s <s>', 'feature window length', positive, 60)
  .option('--duration-s <s>', 'stop after this many seconds (default: until Ctrl-C)', positive)
  .option('--speed <x>', 'run the simulated world this many times faster than real time (the fox hunt walks for about an hour of world time)', positive, 1)
  .option('--no-uplink', 'no uplink probes and no fox hunt')
  .action(async (o) => (await commands.demo()).demoCommand({ dataDir: o.dataDir, port: o.port, scenario: o.scenario, windowS: o.windowS, durationS: o.durationS, speed: o.speed, uplink: o.uplink }, cliLogger()));

program
  .command('edge')
  .description('run an edge agent (GSMTAP UDP / pcap sources → detections → disk outbox → MQTT)')
  .requiredOption('--config <file>', 'edge config YAML (see docs/configuration.md)')
  .action(async (o) => (await commands.edge()).edgeCommand({ config: o.config }, cliLogger()));

const collector = program
  .command('collector')
  .description('run the collector (MQTT ingest → SQLite/InfluxDB → HTTP API and web map)')
  .enablePositionalOptions()
  .option('--config <file>', 'collector config YAML (see docs/configuration.md)')
  .action(async (o) => {
    if (o.config === undefined) throw new CliError("required option '--config <file>' not specified", 2);
    await (await commands.collector()).collectorCommand({ config: o.config }, cliLogger());
  });
collector
  .command('mosquitto-config')
  .description('write mosquitto.conf, passwords and acl for running the collector on mosquitto (docs/mosquitto.md)')
  .requiredOption('--config <file>', 'collector config YAML with mqtt.url, username and password set')
  .requiredOption('--out <dir>', 'where the files go (persistence data goes to <dir>/data)')
  .option('--keys-dir <dir>', 'where the probes\' <probe>.mqtt-password files are (from `simhound keys probe`)', 'keys')
  .option('--listen-host <host>', 'interface mosquitto listens on (default: the host of mqtt.url)')
  .option('--port <port>', 'listener port (default: the port of mqtt.url)', number)
  .option('--tls-cert <file>', 'PEM server certificate (`simhound keys server-cert`): makes the listener TLS-only')
  .option('--tls-key <file>', 'PEM key of that certificate')
  .option('--tls-ca <file>', 'PEM CA certificate (`simhound keys ca`)')
  .option('--queue-messages <n>', 'max_queued_messages: what mosquitto keeps for a stopped collector', number)
  .option('--queue-bytes <n>', 'max_queued_bytes', number)
  .option('--autosave-changes <n>', 'write persistence after every <n> changes instead (autosave_on_changes true; 1 = every change: smallest crash window, ~20× slower ingest)', number)
  .option('--autosave-s <s>', 'write persistence every <s> seconds (autosave_on_changes false; default 1): a broker crash loses up to <s> s of acknowledged, undelivered messages', number)
  .option('--user <name>', 'mosquitto\'s `user` setting (account to switch to when started as root)')
  .action(async (o) => (await commands.collector()).mosquittoConfigCommand({
    config: o.config, out: o.out, keysDir: o.keysDir, listenHost: o.listenHost, port: o.port, tlsCert: o.tlsCert, tlsKey: o.tlsKey, tlsCa: o.tlsCa,
    queueMessages: o.queueMessages, queueBytes: o.queueBytes, autosaveChanges: o.autosaveChanges, autosaveS: o.autosaveS, user: o.user,
  }));

program
  .command('replay')
  .description('decode a pcap/pcapng of GSMTAP, or run the SDR path over an IQ recording (.cu8 .cs8 .cs16 .cf32 .cfile .sigmf-data); JSON lines, then a summary line')
  .argument('<capture>', 'pcap/pcapng file (- for stdin), or IQ recording')
  .option('--events', 'print every decoded event as a JSON line')
  .option('--detect', 'run the detection engine over the capture and print den candidates (and reference detections)')
  .option('--detectors <list>', 'detectors to run, name@version, comma-separated (default: all, fused into den candidates; e.g. ccch-burst@1 for the old detector)')
  .option('--indicators', 'with --detect: also print every detector indicator')
  .option('--config <file>', "take detector thresholds from this edge config's `detectors` section")
  .option('--key-file <file>', 'pseudonymisation key (default: a random per-run key)')
  .option('--window-s <s>', 'feature window length (window detectors such as ccch-burst@1)', positive, 60)
  .option('--format <format>', 'IQ: cu8, cs8, cs16 or cf32 (default: from the extension or SigMF sidecar)')
  .option('--sample-rate <hz>', 'IQ: sample rate (default: SigMF sidecar)', positive)
  .option('--center-freq <hz>', 'IQ: centre frequency (default: SigMF sidecar)', positive)
  .option('--band <band>', 'IQ: GSM850, GSM900, DCS1800 or PCS1900 (default: from the centre frequency)')
  .option('--calibration-db <db>', 'IQ: dBm = dBFS + this', number)
  .option('--report-interval-s <s>', 'IQ: channel power / slot occupancy interval', positive)
  .option('--fft-size <n>', 'IQ: channelizer FFT size (power of two)', positive)
  .option('--fft-backend <backend>', 'IQ: fft.js (default) or pffft-wasm')
  .action(async (capture, o) =>
    (await commands.replay()).replayCommand(capture, {
      events: o.events, detect: o.detect, indicators: o.indicators, detectors: o.detectors, config: o.config, keyFile: o.keyFile, windowS: o.windowS,
      format: o.format, sampleRate: o.sampleRate, centerFreq: o.centerFreq, band: o.band, calibrationDb: o.calibrationDb, reportIntervalS: o.reportIntervalS, fftSize: o.fftSize, fftBackend: o.fftBackend,
    }, cliLogger()));

program
  .command('simulate')
  .description('run a simulated GSM world: one capture per probe + ground truth (--out), or play it live over UDP (--udp)')
  .argument('[scenario]', 'scenario YAML (simulator/scenarios/*.yaml)')
  .option('--scenario <file>', 'scenario YAML (same as the argument)')
  .option('--out <dir>', 'write <dir>/<scenario>.<probe>.pcap per probe and <dir>/<scenario>.truth.json (simulated time, as fast as possible)')
  .addOption(new Option('--format <format>', 'capture format').choices(['pcap', 'pcapng']).default('pcap'))
  .option('--accesses', 'also write <dir>/<scenario>.accesses.ndjson: one line per access with its origin (large)')
  .option('--udp <host:port>', 'send GSMTAP live to an edge agent')
  .option('--duration-s <s>', 'simulated seconds (default: the scenario duration for --out, until Ctrl-C for --udp)', positive)
  .option('--speed <x>', 'live speed-up factor', positive, 1)
  .option('--probe <name>', "which probe's view to send live (default: the scenario's first probe)")
  .option('--truth <file>', 'live mode: write the ground truth JSON here')
  .action(async (scenario, o) => {
    const file = scenario ?? o.scenario;
    if (file === undefined) throw new CliError('give the scenario file', 2);
    await (await commands.simulate()).simulateCommand({ scenario: file, out: o.out, format: o.format, accesses: o.accesses, udp: o.udp, durationS: o.durationS, speed: o.speed, probe: o.probe, truth: o.truth }, cliLogger());
  });

program
  .command('eval')
  .description('score detection against ground truth: scenarios (simulated in memory) or captures with <name>.truth.json beside them')
  .argument('[inputs...]', 'scenario YAML/JSON files and/or pcap/pcapng captures')
  .option('--json', 'print JSON (per scenario and overall: recall, median_time_to_detect_s, false_den_hours, precision, dens, detected)')
  .option('--markdown <file>', 'also write the table as markdown')
  .option('--config <file>', "detector thresholds from an edge config's `detectors` section")
  .option('--methods <list>', 'den-candidate@1,ccch-burst@1,naive-threshold@1 (default: all three)')
  .option('--duration-s <s>', "simulated seconds (default: each scenario's duration)", positive)
  .option('--locate <n>', 'also score location on n trial dens per scenario (TA, 3 fixed probes, a bearing, a fox hunt)', positive)
  .option('--locate-only', 'only the location table')
  .option('--outcomes <file>', "precision from officers' real outcomes per detector version: a collector database (read-only) or the JSON of GET /api/alerts/outcomes")
  .action(async (inputs, o) => {
    await (await commands.eval()).evalCommand(inputs, { json: o.json, markdown: o.markdown, config: o.config, methods: o.methods, durationS: o.durationS, locate: o.locate, locateOnly: o.locateOnly, outcomes: o.outcomes }, cliLogger());
  });

program
  .command('basemap')
  .description('cut an offline base map (MBTiles, vector tiles: Natural Earth borders + cell towers) for an area')
  .requiredOption('--bbox <w,s,e,n>', 'area in degrees')
  .requiredOption('--out <file.mbtiles>', 'output file (replaced)')
  .option('--cells-csv <file>', 'OpenCelliD-format CSV: towers inside the area become a layer')
  .option('--min-zoom <z>', 'lowest zoom', number, 6)
  .option('--max-zoom <z>', 'highest zoom (the page overzooms beyond it)', number, 15)
  .action(async (o) => (await commands.basemap()).basemapCommand({ bbox: o.bbox, out: o.out, cellsCsv: o.cellsCsv, minZoom: o.minZoom, maxZoom: o.maxZoom }));

const keys = program.command('keys').description('make keys and tokens for a deployment');
keys
  .command('probe')
  .description("make a probe's Ed25519 key pair and MQTT password; prints the collector registry line")
  .requiredOption('--site <site>')
  .requiredOption('--probe <probe>')
  .option('--out-dir <dir>', 'where to write the files (created if missing)', '.')
  .option('--force', 'overwrite existing files')
  .action(async (o) => (await commands.keys()).keysProbeCommand({ site: o.site, probe: o.probe, outDir: o.outDir, force: o.force }));
keys
  .command('pseudonym')
  .description("make the deployment's pseudonymisation (HMAC) key")
  .requiredOption('--out <file>', 'key file to write (its folder is created if missing)')
  .option('--force', 'overwrite an existing key (sub_refs change)')
  .action(async (o) => (await commands.keys()).keysPseudonymCommand({ out: o.out, force: o.force }));
keys
  .command('user')
  .description('make an API token for a user; prints the token once and the collector config line')
  .requiredOption('--name <name>')
  .addOption(new Option('--role <role>', 'what the user may do').choices(USER_ROLES).makeOptionMandatory())
  .action(async (o) => (await commands.keys()).keysUserCommand({ name: o.name, role: o.role }));

keys
  .command('ca')
  .description("make the deployment's own certificate authority (ca.pem, ca.key.pem) for TLS on the broker")
  .option('--out-dir <dir>', 'where to write the files', 'keys')
  .option('--name <name>', 'the CA\'s common name', 'simhound deployment CA')
  .option('--days <days>', 'validity', number, 3650)
  .option('--force', 'replace an existing CA (certificates it signed stop being trusted)')
  .action(async (o) => (await commands.keysTls()).keysCaCommand({ outDir: o.outDir, name: o.name, days: o.days, force: o.force }));
keys
  .command('server-cert')
  .description('make a TLS server certificate for the broker, signed by the deployment CA')
  .option('--ca-dir <dir>', 'where ca.pem and ca.key.pem are', 'keys')
  .option('--out-dir <dir>', 'where to write <name>.pem and <name>.key.pem', 'keys')
  .option('--name <name>', 'file name stem', 'broker')
  .option('--host <name>', 'a DNS name probes use to reach the broker (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--ip <address>', 'an IP address probes use to reach the broker (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--days <days>', 'validity', number, 825)
  .option('--force', 'replace existing files')
  .action(async (o) => (await commands.keysTls()).keysServerCertCommand({ caDir: o.caDir, outDir: o.outDir, name: o.name, hosts: o.host, ips: o.ip, days: o.days, force: o.force }));
keys
  .command('collector')
  .description("make the collector's Ed25519 key for signing commands to probes; prints the config lines")
  .option('--out <file>', 'private key file', 'keys/collector-commands.key.pem')
  .option('--force', 'replace an existing key (probes must get the new public key)')
  .action(async (o) => (await commands.keysTls()).keysCollectorCommand({ out: o.out, force: o.force }));

/** Errors whose message is already one line a user can act on (by name: their module may not be loaded). */
const userFacing = (err: Error) => err.name === 'KeyFileError' || err.name === 'EdgeStartError';

program.parseAsync(argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0; commander has printed its message.
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (err instanceof CliError && err.exitCode === EXIT.ok) process.exit(EXIT.ok);
  exitOnError(err, { debug, userFacing });
});
