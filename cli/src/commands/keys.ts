/**
 * `simhound keys`: make the key material a deployment needs — a probe's Ed25519 key pair, the
 * deployment's pseudonymisation key, an API user's token. Secrets are written 0600 and never printed
 * except a user's token, which is shown once (only its SHA-256 goes into the collector config).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { USER_ROLES } from '@simhound/protocol';
import { generateSigningKeyPair, isValidSegment } from '@simhound/protocol';
import { CliError, EXIT, printLine } from '../output.js';

function writeSecret(path: string, content: string, force: boolean): void {
  if (existsSync(path) && !force) throw new CliError(`${path} exists; use --force to overwrite (the old key stops working)`);
  writeOrExplain(path, content, 0o600);
}

/** Write a file, creating its folder; a failure is one line naming the file. */
function writeOrExplain(path: string, content: string, mode?: number): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, mode === undefined ? undefined : { mode });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new CliError(`cannot write ${path} (${code}); check the folder exists and is writable`);
  }
}

export function makeProbeKeys(opts: { site: string; probe: string; outDir: string; force?: boolean }): { private_key_file: string; public_key: string; mqtt_password: string } {
  if (!isValidSegment(opts.site) || !isValidSegment(opts.probe)) throw new CliError('--site and --probe must be 1-64 characters of A-Z a-z 0-9 _ . - (starting with a letter or digit)', EXIT.usage);
  const pair = generateSigningKeyPair();
  const private_key_file = join(opts.outDir, `${opts.probe}.key.pem`);
  writeSecret(private_key_file, pair.private_key_pem, opts.force ?? false);
  writeOrExplain(join(opts.outDir, `${opts.probe}.pub`), `${pair.public_key}\n`);
  const mqtt_password = randomBytes(18).toString('base64url');
  writeSecret(join(opts.outDir, `${opts.probe}.mqtt-password`), `${mqtt_password}\n`, opts.force ?? false);
  return { private_key_file, public_key: pair.public_key, mqtt_password };
}

export function makePseudonymKey(path: string, force = false): void {
  writeSecret(path, `${randomBytes(32).toString('hex')}\n`, force);
}

export function makeUserToken(): { token: string; token_sha256: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, token_sha256: createHash('sha256').update(token).digest('hex') };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function keysProbeCommand(opts: { site: string; probe: string; outDir: string; force?: boolean }): void {
  const k = makeProbeKeys(opts);
  printLine(`# wrote ${k.private_key_file} (keep on the probe) and ${opts.probe}.mqtt-password`);
  printLine('# add to the collector config, probes:');
  printLine(`  - { site: ${opts.site}, probe: ${opts.probe}, public_key: ${k.public_key}, mqtt_password_sha256: ${sha256Hex(k.mqtt_password)} }`);
}

export function keysPseudonymCommand(opts: { out: string; force?: boolean }): void {
  makePseudonymKey(opts.out, opts.force);
  printLine(`# wrote ${opts.out}: copy the same file to every probe of the deployment (sub_refs are linkable only under one key)`);
}

export function keysUserCommand(opts: { name: string; role: string }): void {
  // main.ts restricts --role to USER_ROLES; this guards callers that skip the command line.
  if (!(USER_ROLES as readonly string[]).includes(opts.role)) throw new CliError(`--role must be one of ${USER_ROLES.join(', ')}`, EXIT.usage);
  const { token, token_sha256 } = makeUserToken();
  printLine(`# API token for ${opts.name} (shown once): ${token}`);
  printLine('# add to the collector config, users:');
  printLine(`  - { name: ${opts.name}, role: ${opts.role}, token_sha256: ${token_sha256} }`);
}
