/**
 * Shared by the per-decoder fuzz tests: run one message decoder on one mutated body and tally the
 * outcome — `ok` (the decoded value checked by the caller), a typed rejection, an untyped rejection or a
 * throw (both recorded as problems). It builds no inputs and asserts nothing itself.
 */
import type { DecodeContext, L3MessageDecoder } from '../../src/gsm/messages/types.js';

const REJECTIONS = new Set(['too_short', 'bad_length', 'bad_ie', 'bad_value']);
const MAX_PROBLEMS = 5;

export class DecoderOutcomes {
  readonly counts: Record<string, number> = {};
  readonly problems: string[] = [];

  /** Decodes `buf[start, end)` and counts the outcome; `check` returns a problem with an ok value, or null. */
  run(decoder: L3MessageDecoder, buf: Uint8Array, start: number, end: number, ctx: DecodeContext, check: (value: unknown) => string | null): void {
    let key: string;
    try {
      const result = decoder.decode(buf, start, end, ctx);
      if (result.ok) {
        key = 'ok';
        this.problem(check(result.value));
      } else {
        key = result.reason;
        if (!REJECTIONS.has(key)) this.problem(`untyped rejection ${key}`);
      }
    } catch (error) {
      key = 'throw';
      this.problem(`threw: ${(error as Error).stack ?? String(error)}`);
    }
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  private problem(p: string | null): void {
    if (p !== null && this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }
}
