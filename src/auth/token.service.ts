import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import type { AuthUser } from './auth-user';
import { ROLES, type Role } from '../statute/roles';
import { UserChanges } from '../users/user-changes';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export interface TokenPair {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** How far in the future a token's `iat` may lie (clocks of the signing and the verifying process differ). */
export const IAT_SKEW_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A verified access token: the caller and the session (the refresh-token family) it was issued in. */
export interface VerifiedToken {
  user: Readonly<AuthUser>;
  sessionId: string;
}

/** Short-lived JWT access tokens and rotating opaque refresh tokens (stored as SHA-256). */
@Injectable()
export class TokenService {
  /**
   * Access tokens already verified, with their expiry: a client sends the same token with every
   * request for its lifetime, and checking the signature again (jsonwebtoken) was a few percent of a
   * case read. Only tokens whose signature and claims passed are kept; expiry is still checked
   * against the clock on every use. Revocation (logout, a replayed refresh token) is checked by the guard
   * against the session's state, not here, so the cache changes no answer.
   */
  private readonly verified = new LRUCache<string, { token: VerifiedToken; exp: number }>({ max: 10_000 });

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly refreshTokens: RefreshTokensRepository,
    userChanges: UserChanges,
  ) {
    // a user disabled or given a new password loses every session, in the transaction that changes the account
    userChanges.onAccessWithdrawn((m, userId) => this.refreshTokens.revokeAllOfUser(m, userId));
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** An access token of `user` in the session `sessionId` (the family of the refresh token issued with it). */
  signAccessToken(user: AuthUser, sessionId: string): string {
    const iat = this.nowSeconds();
    return this.jwt.sign(
      { sub: user.id, usr: user.username, role: user.role, agency: user.agencyId, sid: sessionId, iat, exp: iat + this.config.accessTokenTtlSeconds },
      { algorithm: 'HS256' },
    );
  }

  /**
   * The token's caller and session, or UNAUTHENTICATED: signed with the key (HS256 only), with `exp` (not reached)
   * and `iat` (not later than now plus IAT_SKEW_SECONDS) both present, a known role and a session id.
   */
  verifyAccessToken(token: string): VerifiedToken {
    const now = this.nowSeconds();
    const known = this.verified.get(token);
    // as jsonwebtoken: expired once the clock reaches `exp`
    if (known) {
      if (now < known.exp) return known.token;
      this.verified.delete(token);
    }
    try {
      const p = this.jwt.verify<{ sub: string; usr: string; role: Role; agency: string | null; sid?: unknown; iat?: unknown; exp?: unknown }>(token, {
        algorithms: ['HS256'],
        clockTimestamp: now,
      });
      if (!ROLES.includes(p.role)) throw new Error('bad role');
      // jsonwebtoken accepts a token without exp (it never expires) and one issued in the future
      if (typeof p.exp !== 'number' || typeof p.iat !== 'number' || p.iat > now + IAT_SKEW_SECONDS) throw new Error('bad times');
      if (typeof p.sid !== 'string' || !UUID.test(p.sid)) throw new Error('no session');
      const user = Object.freeze({ id: p.sub, username: p.usr, role: p.role, agencyId: p.agency ?? null });
      const verified = Object.freeze({ user, sessionId: p.sid });
      this.verified.set(token, { token: verified, exp: p.exp });
      return verified;
    } catch {
      throw new DomainError('UNAUTHENTICATED', '登录已失效，请重新登录');
    }
  }

  /** Issues a new refresh token in `familyId` (a new family at sign-in). */
  async issueRefreshToken(manager: EntityManager, userId: string, familyId: string = randomUUID()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expires = new Date(this.clock.now().getTime() + this.config.refreshTokenTtlSeconds * 1000);
    await this.refreshTokens.insert(manager, { tokenHash: sha256(token), familyId, userId, expiresAt: expires });
    return token;
  }

  /**
   * Spends a refresh token: returns its user and family, or throws. A token already
   * spent revokes its whole family (someone replayed a stolen token).
   * Returns `{ revoked: true }` instead of throwing inside the transaction so the
   * revocation commits.
   */
  async spendRefreshToken(manager: EntityManager, token: string): Promise<{ userId: string; familyId: string } | { revoked: true; userId: string; familyId: string } | null> {
    const row = await this.refreshTokens.lockByHash(manager, sha256(token));
    if (!row || row.revokedAt) return null;
    const now = this.clock.now();
    if (row.usedAt) {
      await this.refreshTokens.revokeFamily(manager, row.familyId, now);
      return { revoked: true, userId: row.userId, familyId: row.familyId };
    }
    if (row.expiresAt.getTime() <= now.getTime()) return null;
    await this.refreshTokens.markUsed(manager, row.id, now);
    return { userId: row.userId, familyId: row.familyId };
  }

  /** Revokes the family of `token` (logout); its id and user, or null for an unknown token. */
  async revokeFamilyOf(manager: EntityManager, token: string): Promise<{ familyId: string; userId: string } | null> {
    const family = await this.refreshTokens.familyOf(manager, sha256(token));
    if (!family) return null;
    await this.refreshTokens.revokeFamily(manager, family.familyId, this.clock.now());
    return family;
  }
}
