/**
 * Every user-facing failure of the commands the CLI owns (keys, replay, simulate, edge, flags) runs the
 * real built binary and must end in exactly one `simhound: …` line that names the file/flag and what to
 * do, a documented exit code (docs/cli.md), and no stack trace unless --debug is given.
 */
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateSigningKeyPair } from '@simhound/protocol';
import { freePort } from '@simhound/test-support/ports';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cliMain = `${root}cli/dist/main.js`;
const capture = `${root}edge-agent/test/vectors/vf_call6_bcch_ccch_ts0.dedup.scrubbed.pcap`;
const dir = mkdtempSync(join(tmpdir(), 'simhound-cli-errors-'));
const sockets: Socket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

function run(args: string[], options: { input?: Buffer; env?: NodeJS.ProcessEnv } = {}): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run \`npm run build\``);
  const r = spawnSync(process.execPath, [cliMain, ...args], {
    cwd: dir, input: options.input, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20,
    env: { ...process.env, SIMHOUND_LOG_LEVEL: 'error', SIMHOUND_DEBUG: '', ...options.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exactly one `simhound:` line, matching `line`, the exit code, and no stack trace. */
function expectOneLine(r: { status: number | null; stderr: string }, code: number, line: RegExp): void {
  const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('simhound: '));
  expect(errorLines, r.stderr).toHaveLength(1);
  expect(errorLines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.status, r.stderr).toBe(code);
}

function edgeYaml(name: string, overrides: Record<string, unknown>): string {
  const keys = generateSigningKeyPair();
  writeFileSync(join(dir, `${name}.pem`), keys.private_key_pem);
  writeFileSync(join(dir, `${name}-pseudonym.key`), 'cd'.repeat(32));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({
    site: 's1',
    probe: 'p1',
    keys: { signing_key_file: `${name}.pem`, pseudonym_key_file: `${name}-pseudonym.key` },
    mqtt: { url: 'mqtt://127.0.0.1:1', stop_flush_timeout_s: 0 },
    sources: [{ kind: 'pcap', path: capture }],
    outbox: { path: `${name}-outbox.db` },
    ...overrides,
  }));
  return file;
}

describe('one-line errors and exit codes of the real binary', () => {
  it('keys: creates missing folders (the README first step), validates --role (exit 2, lists roles)', () => {
    const ok = run(['keys', 'pseudonym', '--out', 'keys/pseudonym.key']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'keys/pseudonym.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(run(['keys', 'probe', '--site', 's1', '--probe', 'p1', '--out-dir', 'deep/er/keys']).status).toBe(0);
    expect(existsSync(join(dir, 'deep/er/keys/p1.key.pem'))).toBe(true);
    expectOneLine(run(['keys', 'pseudonym', '--out', 'keys/pseudonym.key']), 1, /keys\/pseudonym\.key exists; use --force/);
    const bogus = run(['keys', 'user', '--name', 'a', '--role', 'bogus']);
    expectOneLine(bogus, 2, /'--role <role>' argument 'bogus' is invalid\. Allowed choices are field, investigator, case_officer, admin/);
    expect(bogus.stdout).toBe('');
    expectOneLine(run(['keys', 'probe', '--site', 'bad/site', '--probe', 'p']), 2, /--site and --probe must be/);
  });

  it('bad flag values exit 2 with the flag named', () => {
    expectOneLine(run(['demo', '--window-s', '-5']), 2, /option '--window-s <s>' argument '-5' is invalid\. must be greater than 0/);
    expectOneLine(run(['replay', capture, '--window-s', 'ten']), 2, /argument 'ten' is invalid\. must be a number/);
    expectOneLine(run(['demo', '--port', '70000']), 2, /must be a port number/);
    expectOneLine(run(['simulate', '--scenario', 'x.yaml', '--format', 'pcapx']), 2, /Allowed choices are pcap, pcapng/);
    expectOneLine(run(['replay']), 2, /missing required argument 'capture'/);
    expectOneLine(run(['nosuchcommand']), 2, /unknown command 'nosuchcommand'/);
  });

  it('replay: a missing file and a non-capture exit 1, a capture cut short exits 4 after printing what it decoded', () => {
    expectOneLine(run(['replay', 'missing.pcap']), 1, /^simhound: cannot read missing\.pcap: ENOENT: no such file or directory$/);
    expectOneLine(run(['replay', join(root, 'package.json')]), 1, /not a pcap or pcapng file/);
    const whole = readFileSync(capture);
    writeFileSync(join(dir, 'cut.pcap'), whole.subarray(0, whole.length - 20));
    const cut = run(['replay', 'cut.pcap', '--events']);
    expectOneLine(cut, 4, /^simhound: cut\.pcap appears to have been cut short in the middle of a packet after 292 packets; everything before that was processed$/);
    const summary = JSON.parse(cut.stdout.trim().split('\n').at(-1)!).summary;
    expect(summary).toMatchObject({ packets: 292, capture_errors: { truncated_record: 1 } });
  });

  it('replay - reads the capture from stdin, with the same output as from the file', () => {
    const key = join(dir, 'replay.key');
    writeFileSync(key, 'ef'.repeat(32));
    const fromFile = run(['replay', capture, '--events', '--key-file', key]);
    const fromStdin = run(['replay', '-', '--events', '--key-file', key], { input: readFileSync(capture) });
    expect(fromStdin.status, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    const lines = fromStdin.stdout.trim().split('\n');
    expect(lines).toHaveLength(JSON.parse(lines.at(-1)!).summary.events + 1);
    expect(JSON.parse(lines.at(-1)!).summary.packets).toBe(293);
  });

  it('edge: key files missing, too short, not PEM — one line naming the file and how to make one', () => {
    const missing = edgeYaml('k1', {});
    writeFileSync(missing, readFileSync(missing, 'utf8').replace('signing_key_file: k1.pem', 'signing_key_file: nope.pem'));
    expectOneLine(run(['edge', '--config', missing]), 1, new RegExp(`^simhound: signing key ${join(dir, 'nope.pem')} does not exist; make one with \`simhound keys probe`));
    const short = edgeYaml('k2', {});
    writeFileSync(join(dir, 'k2-pseudonym.key'), 'abcdef\n');
    expectOneLine(run(['edge', '--config', short]), 1, /pseudonymisation key .*k2-pseudonym\.key holds 3 bytes; it needs at least 16: make one with `simhound keys pseudonym --out/);
    const notPem = edgeYaml('k3', {});
    writeFileSync(join(dir, 'k3.pem'), 'MC4CAQAwBQYDK2VwBCIEI\n');
    expectOneLine(run(['edge', '--config', notPem]), 1, /signing key .*k3\.pem is not a PEM file \(expected "-----BEGIN PRIVATE KEY-----"\)/);
  });

  it('edge: an unreadable or bogus capture source exits 1, a capture cut short exits 4', () => {
    expectOneLine(run(['edge', '--config', edgeYaml('s1', { sources: [{ kind: 'pcap', path: 'gone.pcap' }] })]), 1, new RegExp(`^simhound: source pcap: cannot read capture ${join(dir, 'gone.pcap')} \\(ENOENT\\)$`));
    expectOneLine(run(['edge', '--config', edgeYaml('s2', { sources: [{ kind: 'pcap', path: join(root, 'package.json') }] })]), 1, /^simhound: source pcap: cannot read capture .*package\.json: bad_magic$/);
    const whole = readFileSync(capture);
    writeFileSync(join(dir, 'edge-cut.pcap'), whole.subarray(0, whole.length - 20));
    expectOneLine(run(['edge', '--config', edgeYaml('s3', { sources: [{ kind: 'pcap', path: 'edge-cut.pcap' }] })]), 4, /^simhound: source pcap: .*edge-cut\.pcap appears to have been cut short in the middle of a packet after 292 packets/);
  });

  it('edge: a union config error says what was expected, not "Expected union value"', () => {
    const r = run(['edge', '--config', edgeYaml('u1', { sources: [{ kind: 'pcapx', path: 'x' }, { kind: 'pcap' }], outbox: { kind: 'ram' } })]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/union/i);
    expect(r.stderr).toMatch(/^simhound: \/sources\/0\/kind: must be one of gsmtap_udp, pcap, modem, gps_nmea, probe_mcu, rotator, iq \(got "pcapx"\)$/m);
    expect(r.stderr).toMatch(/^simhound: \/sources\/1\/path: is required$/m);
    expect(r.stderr).toMatch(/^simhound: \/outbox\/kind: must be one of disk, memory \(got "ram"\)$/m);
  });

  it('edge: a GSMTAP port in use exits 1 with the port; a broker that does not answer is only a warning', async () => {
    const busy = createSocket('udp4');
    sockets.push(busy);
    const port = await freePort('127.0.0.1');
    await new Promise<void>((r) => busy.bind(port, '127.0.0.1', () => r()));
    expectOneLine(run(['edge', '--config', edgeYaml('p1', { sources: [{ kind: 'gsmtap_udp', port }] })]), 1, new RegExp(`cannot listen for GSMTAP on 127\\.0\\.0\\.1:${port} \\(.*EADDRINUSE.*\\)`));

    const r = run(['edge', '--config', edgeYaml('b1', {})], { env: { SIMHOUND_LOG_LEVEL: 'warn' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/WARN .*mqtt broker unreachable; collecting into the outbox and retrying .*ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/^simhound: /m);
  });

  it('prints the stack trace only with --debug or SIMHOUND_DEBUG=1', () => {
    expect(run(['replay', 'missing.pcap']).stderr).not.toMatch(/^\s+at /m);
    expect(run(['replay', 'missing.pcap', '--debug']).stderr).toMatch(/^\s+at /m);
    expect(run(['replay', 'missing.pcap'], { env: { SIMHOUND_DEBUG: '1' } }).stderr).toMatch(/^\s+at /m);
  });
});
