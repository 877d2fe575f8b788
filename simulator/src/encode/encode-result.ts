/**
 * Typed outcome of every simulator encoder: `{ ok: true, value: bytes }` or `{ ok: false, reason }`.
 *
 * Inside the encoders a value that cannot be represented (a timing advance of 64, an IMSI with a
 * letter, a message longer than its block) raises an `EncodeError`; each public encoder catches it at
 * its boundary with `encodeSafely`, so callers never see a throw. Nothing here may swallow other errors:
 * a bug in an encoder still surfaces.
 */
import { fail, ok, type Result } from '@simhound/protocol';

export const ENCODE_FAIL_REASONS = [
  /** A number outside the field's range (e.g. TA 64, timeslot 8, ARFCN 1024). */
  'out_of_range',
  /** An identity or MCC/MNC with a non-digit or the wrong number of digits. */
  'bad_digits',
  /** The message does not fit its block (23 octets on CCCH/SDCCH) or its length field. */
  'too_long',
  /** The values are valid but this encoding cannot carry them (e.g. a frequency list too wide for its format). */
  'not_encodable',
] as const;
export type EncodeFailReason = (typeof ENCODE_FAIL_REASONS)[number];

export type EncodeResult = Result<Uint8Array, EncodeFailReason>;

export class EncodeError extends Error {
  constructor(
    readonly reason: EncodeFailReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'EncodeError';
  }
}

/** Throws `EncodeError('out_of_range')` unless `value` is an integer in [min, max]. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EncodeError('out_of_range', `${name}=${value} is not an integer in [${min}, ${max}]`);
  }
  return value;
}

/** Runs an encoder body and turns an `EncodeError` into a typed failure. */
export function encodeSafely(body: () => Uint8Array): EncodeResult {
  try {
    return ok(body());
  } catch (error) {
    if (error instanceof EncodeError) return fail(error.reason, error.message);
    throw error;
  }
}
