/**
 * Mobile Identity → `SubscriberRef`: the one place a decoded identity is turned into its pseudonym.
 * Identities simhound does not track ("No Identity", TMGI …) give null.
 */
import type { SubRefHasher } from '../../privacy/sub-ref.js';
import type { SubscriberRef } from '../events.js';
import { fail, ok, type Result } from '@simhound/protocol';
import { decodeMobileIdentity, type MobileIdentity } from './mobile-identity.js';

export function subscriberRef(mi: MobileIdentity, subRef: SubRefHasher): SubscriberRef | null {
  if (mi.kind === 'none' || mi.kind === 'other') return null;
  return { kind: mi.kind, sub_ref: subRef(mi.kind, mi.value) };
}

/**
 * A Mobile Identity LV whose length octet is `buf[lengthAt]` → the sub_refs it names (none for
 * "no identity"). Typed rejections for a length past `end` or an undecodable identity.
 */
export function subscribersFromIdentityLv(
  buf: Uint8Array,
  lengthAt: number,
  end: number,
  subRef: SubRefHasher,
): Result<SubscriberRef[], 'bad_length' | 'bad_ie'> {
  if (lengthAt >= end) return fail('bad_length');
  const length = buf[lengthAt]!;
  if (lengthAt + 1 + length > end) return fail('bad_length');
  const mi = decodeMobileIdentity(buf, lengthAt + 1, length);
  if (mi === null) return fail('bad_ie');
  const ref = subscriberRef(mi, subRef);
  return ok(ref === null ? [] : [ref]);
}

/** Offset of the IE after an LV IE (length octet at `lengthAt`), e.g. past Mobile Station Classmark 2. */
export function afterLv(buf: Uint8Array, lengthAt: number): number {
  return lengthAt + 1 + buf[lengthAt]!;
}

