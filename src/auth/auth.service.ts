import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { RateLimiter } from '../common/rate-limit/rate-limiter.service';
import { UsersRepository } from '../users/users.repository';
import type { UserEntity } from '../users/user.entity';
import type { AuthUser } from './auth-user';
import { MeDto, TokenPairDto } from './dto/auth.dto';
import { TokenService } from './token.service';
import { AccountStatus } from './account-status';
import { AuditTrail } from '../audit/audit-trail';

/** Failed sign-ins allowed per user name and per client address in a window. */
const LOGIN_WINDOW_SECONDS = 15 * 60;
const LOGIN_FAILURES_PER_USER = 5;
const LOGIN_FAILURES_PER_ADDRESS = 30;
/** A hash to verify against when the user does not exist, so timing does not tell. */
const DUMMY_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$0nHhHnFZ3TTUpQZJsN3vIXa4NhB7cKXkaXsL6H1ZcZc';

@Injectable()
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountStatus,
    private readonly audit: AuditTrail,
  ) {}

  async login(username: string, password: string, clientAddress: string): Promise<TokenPairDto> {
    const user = await this.checkPassword(username, password, clientAddress);
    const auth: AuthUser = { id: user.id, username: user.username, role: user.role, agencyId: user.agencyId };
    const sessionId = randomUUID();
    const refreshToken = await this.ds.transaction(async (m) => {
      const token = await this.tokens.issueRefreshToken(m, user.id, sessionId);
      await this.audit.record({ kind: 'sign_in', userId: user.id, clientAddress, details: { sessionId } }, m);
      return token;
    });
    return { accessToken: this.tokens.signAccessToken(auth, sessionId), expiresIn: this.config.accessTokenTtlSeconds, refreshToken };
  }

  /**
   * An active user's password, throttled per user name and per client address (sign-in and the queue board's
   * basic auth count against the same limits): INVALID_CREDENTIALS, or RATE_LIMITED once too many failed.
   */
  async checkPassword(username: string, password: string, clientAddress: string): Promise<UserEntity> {
    const userKey = `login:user:${username.toLowerCase()}`;
    const addrKey = `login:addr:${clientAddress}`;
    const tooMany = '登录失败次数过多，请稍后再试';
    await this.limiter.check(userKey, LOGIN_FAILURES_PER_USER, LOGIN_WINDOW_SECONDS, tooMany);
    await this.limiter.check(addrKey, LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_SECONDS, tooMany);
    const user = await this.users.findByUsername(username);
    const ok = await argon2.verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
    if (!user || !ok || !user.active) {
      await this.audit.record({ kind: 'sign_in_failed', userId: user?.id ?? null, clientAddress, details: { reason: !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive' } });
      await this.limiter.hit(userKey, Number.MAX_SAFE_INTEGER, LOGIN_WINDOW_SECONDS);
      await this.limiter.hit(addrKey, Number.MAX_SAFE_INTEGER, LOGIN_WINDOW_SECONDS);
      throw new DomainError('INVALID_CREDENTIALS');
    }
    await this.limiter.reset(userKey);
    return user;
  }

  async refresh(refreshToken: string, clientAddress?: string): Promise<TokenPairDto> {
    const result = await this.ds.transaction(async (m) => {
      const spent = await this.tokens.spendRefreshToken(m, refreshToken);
      if (!spent || 'revoked' in spent) return spent;
      const user = await this.users.findById(spent.userId, m);
      if (!user || !user.active) return null;
      const next = await this.tokens.issueRefreshToken(m, user.id, spent.familyId);
      return { user, next, familyId: spent.familyId };
    });
    if (result && 'revoked' in result) {
      this.accounts.forgetSession(result.familyId);
      await this.audit.record({ kind: 'refresh_token_reuse', userId: result.userId, clientAddress, details: { sessionId: result.familyId } });
    }
    if (!result || 'revoked' in result) throw new DomainError('REFRESH_TOKEN_INVALID');
    const { user, next, familyId } = result;
    const auth: AuthUser = { id: user.id, username: user.username, role: user.role, agencyId: user.agencyId };
    return { accessToken: this.tokens.signAccessToken(auth, familyId), expiresIn: this.config.accessTokenTtlSeconds, refreshToken: next };
  }

  /** Revokes the session of the refresh token: it and the access tokens issued in it stop working (on every process within seconds). */
  async logout(refreshToken: string): Promise<void> {
    const revoked = await this.ds.transaction((m) => this.tokens.revokeFamilyOf(m, refreshToken));
    if (revoked) this.accounts.forgetSession(revoked.familyId);
  }

  async me(caller: AuthUser): Promise<MeDto> {
    const u = await this.users.findById(caller.id);
    if (!u || !u.active) throw new DomainError('UNAUTHENTICATED');
    return { id: u.id, username: u.username, role: u.role, agencyId: u.agencyId, displayName: u.displayName };
  }
}
