/**
 * API authentication: `Authorization: Bearer <token>`, where the token's SHA-256 must equal a
 * configured user's `token_sha256`. Compared in constant time against every user (no early exit), so
 * response timing says nothing about which prefix or which user matched. Tokens must be long random
 * strings (an unsalted fast hash is only safe for those). Roles decide what each route allows.
 * Must not write the audit log (server.ts does, for every /api request).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserConfig, UserRole } from '../config.js';

export interface ApiUser {
  name: string;
  role: UserRole;
}

export type AuthOutcome = { ok: true; user: ApiUser } | { ok: false; reason: 'missing_token' | 'bad_token' };

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class TokenAuthenticator {
  private readonly users: Array<{ user: ApiUser; hash: Buffer }>;

  constructor(users: readonly UserConfig[]) {
    this.users = users.map((u) => ({ user: { name: u.name, role: u.role }, hash: Buffer.from(u.token_sha256, 'hex') }));
  }

  authenticate(authorization: string | undefined): AuthOutcome {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'missing_token' };
    const given = createHash('sha256').update(match[1]!, 'utf8').digest();
    let found: ApiUser | null = null;
    for (const { user, hash } of this.users) {
      if (timingSafeEqual(given, hash) && found === null) found = user;
    }
    return found ? { ok: true, user: found } : { ok: false, reason: 'bad_token' };
  }
}

export const ALL_ROLES: readonly UserRole[] = ['field', 'investigator', 'case_officer', 'admin'];
export const ADMIN_ONLY: readonly UserRole[] = ['admin'];
