/**
 * Key material the agent needs at start: its Ed25519 signing key (PEM) and the deployment's
 * pseudonymisation key (hex text or raw bytes, ≥ 16 bytes). Errors are config-time and fatal.
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { privateKeyFromPem } from '@simhound/protocol';
import { MIN_KEY_BYTES } from './privacy/sub-ref.js';

export function loadSigningKey(path: string): KeyObject {
  return privateKeyFromPem(readFileSync(path, 'utf8'));
}

/** A key file holds hex text (as `simhound keys` writes it) or raw bytes. */
export function loadPseudonymKey(path: string): Buffer {
  const raw = readFileSync(path);
  const text = raw.toString('utf8').trim();
  const key = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : raw;
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`${path}: pseudonymisation key must be at least ${MIN_KEY_BYTES} bytes`);
  return key;
}
