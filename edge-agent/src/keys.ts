/**
 * Key material the agent needs at start: its Ed25519 signing key (PEM) and the deployment's
 * pseudonymisation key (hex text or raw bytes, ≥ 16 bytes). Errors are config-time and fatal; each is a
 * `KeyFileError` whose message is one line naming the file, what is wrong and how to make a good one.
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { privateKeyFromPem } from '@simhound/protocol';
import { MIN_KEY_BYTES } from './privacy/sub-ref.js';

export type KeyFileProblem = 'missing' | 'unreadable' | 'not_pem' | 'wrong_key_type' | 'too_short';

export class KeyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: KeyFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'KeyFileError';
  }
}

const MAKE_PROBE_KEY = 'make one with `simhound keys probe --site <site> --probe <probe> --out-dir <dir>`';

function readKeyFile(path: string, what: string, howToMake: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KeyFileError(path, 'missing', `${what} ${path} does not exist; ${howToMake}`);
    if (code === 'EISDIR') throw new KeyFileError(path, 'unreadable', `${what} ${path} is a directory, not a key file; ${howToMake}`);
    throw new KeyFileError(path, 'unreadable', `cannot read ${what} ${path} (${code ?? (e as Error).message}); check its permissions`);
  }
}

export function loadSigningKey(path: string): KeyObject {
  const text = readKeyFile(path, 'signing key', MAKE_PROBE_KEY).toString('utf8');
  if (!text.includes('-----BEGIN')) {
    throw new KeyFileError(path, 'not_pem', `signing key ${path} is not a PEM file (expected "-----BEGIN PRIVATE KEY-----"); ${MAKE_PROBE_KEY}`);
  }
  try {
    return privateKeyFromPem(text);
  } catch (e) {
    const wrongType = e instanceof TypeError && /expected an ed25519/.test(e.message);
    throw new KeyFileError(
      path,
      wrongType ? 'wrong_key_type' : 'not_pem',
      wrongType ? `signing key ${path} is not an Ed25519 key (${e.message.replace(/^expected an ed25519 private key, got /, '')}); ${MAKE_PROBE_KEY}` : `signing key ${path} is not a readable PEM private key; ${MAKE_PROBE_KEY}`,
    );
  }
}

/** A key file holds hex text (as `simhound keys` writes it) or raw bytes. */
export function loadPseudonymKey(path: string): Buffer {
  const howToMake = `make one with \`simhound keys pseudonym --out ${path}\` (one key per deployment, the same file on every probe)`;
  const raw = readKeyFile(path, 'pseudonymisation key', howToMake);
  const text = raw.toString('utf8').trim();
  const key = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : raw;
  if (key.length < MIN_KEY_BYTES) {
    throw new KeyFileError(path, 'too_short', `pseudonymisation key ${path} holds ${key.length} bytes; it needs at least ${MIN_KEY_BYTES}: ${howToMake}`);
  }
  return key;
}
