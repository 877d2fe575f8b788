/**
 * Subscriber pseudonymisation at the edge. Raw identities (IMSI, TMSI, IMEI) never leave the decoder:
 * every identity is replaced by `sub_ref = HMAC-SHA256(deployment key, "<kind>:<value>")`, truncated to
 * 64 bits (16 hex characters). Without the key a sub_ref cannot be reversed or linked across deployments.
 *
 * A bounded cache keeps the hot path cheap (pagings repeat the same TMSIs); it lives only in memory.
 */
import { createHmac } from 'node:crypto';

export type IdentityKind = 'imsi' | 'tmsi' | 'imei' | 'imeisv';

export const SUB_REF_HEX_CHARS = 16;
export const MIN_KEY_BYTES = 16;

export interface SubRefHasher {
  /** `value`: IMSI/IMEI digits as a string, TMSI as 8 lower-case hex digits. */
  (kind: IdentityKind, value: string): string;
}

export function createSubRefHasher(key: Uint8Array, cacheSize = 65_536): SubRefHasher {
  if (key.length < MIN_KEY_BYTES) {
    throw new RangeError(`pseudonymisation key must be at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
  }
  const keyCopy = Buffer.from(key);
  const cache = new Map<string, string>();
  return (kind, value) => {
    const input = `${kind}:${value}`;
    const hit = cache.get(input);
    if (hit !== undefined) return hit;
    const ref = createHmac('sha256', keyCopy).update(input).digest('hex').slice(0, SUB_REF_HEX_CHARS);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(input, ref);
    return ref;
  };
}

/** TMSI as the canonical string fed to the hasher. */
export function tmsiToString(tmsi: number): string {
  return (tmsi >>> 0).toString(16).padStart(8, '0');
}
