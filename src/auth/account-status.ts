import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { UserChanges } from '../users/user-changes';
import { UsersRepository } from '../users/users.repository';
import type { Role } from '../statute/roles';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export interface AccountState {
  active: boolean;
  role: Role;
  agencyId: string | null;
}

/** How long a process trusts what it read of an account: a disabled or moved user loses access within this. */
export const ACCOUNT_STATE_TTL_MS = 10_000;

/**
 * The account behind an access token as the database has it now. Access tokens live up to ACCESS_TOKEN_TTL and
 * carry the role and agency of their sign-in; the guard compares them with this, so that disabling a user or
 * changing their role or agency takes effect within seconds, not at the token's expiry. Read once per account
 * per ACCOUNT_STATE_TTL_MS (a case read stays one statement), forgotten at once when this process changes it.
 */
@Injectable()
export class AccountStatus {
  private readonly known = new Map<string, { until: number; state: AccountState | null }>();
  /** Sessions (refresh-token families) by id: open or not, as read at most ACCOUNT_STATE_TTL_MS ago. */
  private readonly sessions = new Map<string, { until: number; open: boolean }>();

  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    changes: UserChanges,
  ) {
    changes.onChange((id) => this.known.delete(id));
  }

  /** What is known of the account and still fresh; `undefined` when it must be read (`current`). */
  peek(userId: string): AccountState | null | undefined {
    const hit = this.known.get(userId);
    return hit && hit.until > this.clock.now().getTime() ? hit.state : undefined;
  }

  async current(userId: string): Promise<AccountState | null> {
    const now = this.clock.now().getTime();
    const hit = this.known.get(userId);
    if (hit && hit.until > now) return hit.state;
    const state = await this.users.accountState(userId);
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(userId, { until: now + ACCOUNT_STATE_TTL_MS, state });
    return state;
  }

  /** Whether the session is known open (true), known closed (false), or must be read (`sessionOpen`). */
  peekSession(sessionId: string): boolean | undefined {
    const hit = this.sessions.get(sessionId);
    return hit && hit.until > this.clock.now().getTime() ? hit.open : undefined;
  }

  /**
   * Whether a session is still open: some refresh token of its family not revoked. Logout and a replayed refresh
   * token revoke the whole family, so the access tokens of that session are refused within ACCOUNT_STATE_TTL_MS
   * on every process (at once on the process that revoked it: `forgetSession`).
   */
  async sessionOpen(sessionId: string): Promise<boolean> {
    const known = this.peekSession(sessionId);
    if (known !== undefined) return known;
    const now = this.clock.now().getTime();
    const open = await this.refreshTokens.familyOpen(sessionId);
    if (this.sessions.size > 10_000) this.sessions.clear();
    this.sessions.set(sessionId, { until: now + ACCOUNT_STATE_TTL_MS, open });
    return open;
  }

  /** This process closed the session: no need to wait for the next read. */
  forgetSession(sessionId: string): void {
    this.sessions.set(sessionId, { until: this.clock.now().getTime() + ACCOUNT_STATE_TTL_MS, open: false });
  }
}
