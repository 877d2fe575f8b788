/**
 * Decides whether a command received on this probe's cmd topic may be carried out: it must parse as a
 * `cmd` envelope with a valid body, name this probe (site and probe are signed), verify with the
 * collector's public key (not any probe's), not be expired or dated in the future, and not have been
 * seen before (a replay of a captured command is refused while it is still fresh; once expired it is
 * refused as expired, so the memory of ids is bounded by the freshness window).
 * Returns a typed rejection, never throws. Must not act on the command (command-channel.ts does).
 */
import type { KeyObject } from 'node:crypto';
import { fail, ok, parseCommandEnvelope, verifyEnvelope, type CommandName, type Result } from '@simhound/protocol';

export type CommandRejection =
  | 'too_large' | 'bad_json' | 'bad_schema' | 'unsupported_kind'
  | 'wrong_target' | 'bad_signature' | 'expired' | 'future' | 'too_long_lived' | 'replayed';

export interface VerifiedCommand {
  id: string;
  command: CommandName;
  ts_ms: number;
  expires_ts_ms: number;
}

export interface CommandVerifierOptions {
  site: string;
  probe: string;
  collectorKey: KeyObject;
  /** Longest lifetime (expires − signed) accepted, and the clock skew allowed. */
  max_age_s: number;
  max_future_skew_s?: number;
  clock?: () => number;
}

export class CommandVerifier {
  private readonly seen = new Map<string, number>();
  private readonly clock: () => number;

  constructor(private readonly options: CommandVerifierOptions) {
    this.clock = options.clock ?? Date.now;
  }

  verify(payload: Uint8Array): Result<VerifiedCommand, CommandRejection> {
    const parsed = parseCommandEnvelope(payload);
    if (!parsed.ok) return parsed;
    const env = parsed.value;
    if (env.site !== this.options.site || env.probe !== this.options.probe) return fail('wrong_target', `for ${env.site}/${env.probe}`);
    let valid = false;
    try {
      valid = verifyEnvelope(env, this.options.collectorKey);
    } catch {
      valid = false;
    }
    if (!valid) return fail('bad_signature', 'does not verify with the collector key');
    const now = this.clock();
    this.forgetExpired(now);
    const skew_ms = (this.options.max_future_skew_s ?? 60) * 1000;
    if (env.ts_ms - now > skew_ms) return fail('future', `signed ${Math.round((env.ts_ms - now) / 1000)} s ahead`);
    if (env.body.expires_ts_ms < now) return fail('expired', `expired ${Math.round((now - env.body.expires_ts_ms) / 1000)} s ago`);
    if (env.body.expires_ts_ms - env.ts_ms > this.options.max_age_s * 1000) return fail('too_long_lived', `valid for ${Math.round((env.body.expires_ts_ms - env.ts_ms) / 1000)} s`);
    if (this.seen.has(env.id)) return fail('replayed', env.id);
    this.seen.set(env.id, env.body.expires_ts_ms);
    return ok({ id: env.id, command: env.body.command, ts_ms: env.ts_ms, expires_ts_ms: env.body.expires_ts_ms });
  }

  private forgetExpired(now: number): void {
    for (const [id, expires] of this.seen) if (expires < now) this.seen.delete(id);
  }

  /** Ids remembered (bounded by the commands still fresh). */
  get remembered(): number {
    return this.seen.size;
  }
}
