/**
 * Mobile Identity → `SubscriberRef`: the one place a decoded identity is turned into its pseudonym.
 * Identities simhound does not track ("No Identity", TMGI …) give null.
 */
import type { SubRefHasher } from '../../privacy/sub-ref.js';
import type { SubscriberRef } from '../events.js';
import type { MobileIdentity } from './mobile-identity.js';

export function subscriberRef(mi: MobileIdentity, subRef: SubRefHasher): SubscriberRef | null {
  if (mi.kind === 'none' || mi.kind === 'other') return null;
  return { kind: mi.kind, sub_ref: subRef(mi.kind, mi.value) };
}
