/**
 * Canonical JSON (RFC 8785 JCS) for signing: sorted keys, no whitespace, ES number formatting.
 * Signer and verifier must produce the same bytes for the same value, whatever order fields came in.
 */
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const out = (canonicalize as unknown as (v: unknown) => string | undefined)(value);
  if (out === undefined) throw new TypeError('value has no JSON representation');
  return out;
}
