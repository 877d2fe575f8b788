/**
 * Ed25519 signing of envelopes (node:crypto). Every probe and the collector have their own key pair;
 * the collector knows each probe's public key and rejects what does not verify.
 * Public keys travel as base64url of the raw 32-byte key; private keys stay in PKCS#8 PEM files.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Envelope, UnsignedEnvelope } from './schemas/envelope.js';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface KeyPairText {
  /** base64url of the raw 32-byte Ed25519 public key. */
  public_key: string;
  /** PKCS#8 PEM. */
  private_key_pem: string;
}

export function generateSigningKeyPair(): KeyPairText {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    public_key: rawPublicKey(publicKey),
    private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export function rawPublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(SPKI_ED25519_PREFIX.length).toString('base64url');
}

/** Parse a base64url raw Ed25519 public key; throws TypeError on a malformed key (config-time error). */
export function publicKeyFromText(text: string): KeyObject {
  const raw = Buffer.from(text, 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== text) {
    throw new TypeError('an Ed25519 public key is 32 bytes, base64url without padding (43 characters)');
  }
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function privateKeyFromPem(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an ed25519 private key, got ${key.asymmetricKeyType}`);
  return key;
}

export function signingBytes(envelope: UnsignedEnvelope | Envelope): Buffer {
  const { sig: _sig, ...rest } = envelope as Envelope;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

export function signEnvelope<B>(unsigned: UnsignedEnvelope<B>, privateKey: KeyObject): Envelope<B> {
  const sig = sign(null, signingBytes(unsigned), privateKey).toString('base64url');
  return { ...unsigned, sig };
}

export function verifyEnvelope(envelope: Envelope, publicKey: KeyObject): boolean {
  const sig = Buffer.from(envelope.sig, 'base64url');
  if (sig.length !== 64) return false;
  return verify(null, signingBytes(envelope), publicKey, sig);
}
