/**
 * `simhound keys ca`, `simhound keys server-cert` and `simhound keys collector`: the deployment's own
 * certificate authority (self-signed, ECDSA P-256), a TLS server certificate signed by it for the
 * embedded broker or mosquitto (with the host names and IP addresses probes connect to), and the
 * collector's Ed25519 key for signing commands to probes. Certificates are made with the `openssl`
 * command (Debian package "openssl"): Node can use certificates but not issue them, and openssl is the
 * well-kept tool for that. Private keys are written 0600 and never printed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateSigningKeyPair } from '@simhound/protocol';
import { CliError, printLine } from '../output.js';

function openssl(args: string[], what: string): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error !== undefined) {
    throw new CliError(`cannot run openssl (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): install the Debian package "openssl" to make ${what}`);
  }
  if (r.status !== 0) throw new CliError(`openssl failed making ${what}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
}

function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`--out-dir ${dir}: cannot create it (${(e as Error).message})`);
  }
}

function refuseOverwrite(paths: string[], force: boolean): void {
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length > 0 && !force) throw new CliError(`${existing.join(', ')} exists; use --force to replace it (what it signed stops being trusted)`);
}

export function keysCaCommand(opts: { outDir: string; name?: string; days?: number; force?: boolean }): void {
  prepareDir(opts.outDir);
  const key = join(opts.outDir, 'ca.key.pem');
  const cert = join(opts.outDir, 'ca.pem');
  refuseOverwrite([key, cert], opts.force ?? false);
  openssl([
    'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', String(opts.days ?? 3650),
    '-subj', `/CN=${opts.name ?? 'simhound deployment CA'}`,
    '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ], 'the CA');
  chmodSync(key, 0o600);
  printLine(`# wrote ${cert} (give to every probe and to the collector when it uses mosquitto over TLS) and ${key} (keep offline)`);
}

export function keysServerCertCommand(opts: { caDir: string; outDir: string; name: string; hosts: string[]; ips: string[]; days?: number; force?: boolean }): void {
  const caKey = join(opts.caDir, 'ca.key.pem');
  const caCert = join(opts.caDir, 'ca.pem');
  for (const f of [caKey, caCert]) if (!existsSync(f)) throw new CliError(`${f}: no such file; run \`simhound keys ca --out-dir ${opts.caDir}\` first`);
  if (opts.hosts.length === 0 && opts.ips.length === 0) throw new CliError('give at least one --host or --ip: the names probes use to reach the broker');
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.name)) throw new CliError('--name may hold only [A-Za-z0-9_.-]');
  prepareDir(opts.outDir);
  const key = join(opts.outDir, `${opts.name}.key.pem`);
  const cert = join(opts.outDir, `${opts.name}.pem`);
  refuseOverwrite([key, cert], opts.force ?? false);
  const csr = join(opts.outDir, `.${opts.name}.csr.${randomBytes(4).toString('hex')}`);
  const ext = `${csr}.ext`;
  const san = [...opts.hosts.map((h) => `DNS:${h}`), ...opts.ips.map((ip) => `IP:${ip}`)].join(',');
  writeFileSync(ext, [
    `subjectAltName=${san}`,
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    '',
  ].join('\n'));
  try {
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${opts.hosts[0] ?? opts.ips[0]}`], 'the server key');
    openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-out', cert, '-days', String(opts.days ?? 825), '-extfile', ext], 'the server certificate');
  } finally {
    rmSync(csr, { force: true });
    rmSync(ext, { force: true });
  }
  chmodSync(key, 0o600);
  printLine(`# wrote ${cert} and ${key} for ${san}`);
  printLine('# embedded broker, in collector.yaml:');
  printLine(`  mqtt: { embedded_broker: { port: 8883, tls: { cert_file: ${cert}, key_file: ${key} } } }`);
  printLine(`# probes connect with mqtts://${opts.hosts[0] ?? opts.ips[0]}:8883 and trust ${caCert}`);
}

export function keysCollectorCommand(opts: { out: string; force?: boolean }): void {
  const dir = dirname(opts.out);
  prepareDir(dir);
  refuseOverwrite([opts.out], opts.force ?? false);
  const pair = generateSigningKeyPair();
  writeFileSync(opts.out, pair.private_key_pem, { mode: 0o600 });
  printLine(`# wrote ${opts.out} (the collector's command signing key; keep it on the collector)`);
  printLine('# collector.yaml:');
  printLine(`  commands: { signing_key_file: ${opts.out} }`);
  printLine('# every probe\'s edge.yaml:');
  printLine(`  commands: { collector_public_key: ${pair.public_key} }`);
}
