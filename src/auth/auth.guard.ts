import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import type { AuthUser } from './auth-user';
import type { Role } from '../statute/roles';
import { TokenService } from './token.service';
import { AccountStatus, type AccountState } from './account-status';

/** Global guard: a valid bearer token on every route not marked @Public(), then the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(AccountStatus) private readonly accounts: AccountStatus,
  ) {}

  /** Each route's @Public() and @Roles() (by handler and controller class), read once: decorators do not change after start-up. */
  private readonly routes = new WeakMap<object, { cls: object; isPublic: boolean; roles: Role[] | undefined }>();

  private routeOf(ctx: ExecutionContext): { isPublic: boolean; roles: Role[] | undefined } {
    const handler = ctx.getHandler();
    const cls = ctx.getClass();
    let route = this.routes.get(handler);
    if (!route || route.cls !== cls) {
      const targets = [handler, cls];
      route = { cls, isPublic: !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets), roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) };
      this.routes.set(handler, route);
    }
    return route;
  }

  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    const { isPublic, roles } = this.routeOf(ctx);
    if (isPublic) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new DomainError('UNAUTHENTICATED');
    const { user, sessionId } = this.tokens.verifyAccessToken(m[1]);
    // the account and the session as they are now (known within the last seconds: no promise on the hot path)
    const known = this.accounts.peek(user.id);
    const open = this.accounts.peekSession(sessionId);
    if (known !== undefined && open !== undefined) return this.admit(req, user, known, open, roles);
    return Promise.all([this.accounts.current(user.id), this.accounts.sessionOpen(sessionId)]).then(([now, isOpen]) => this.admit(req, user, now, isOpen, roles));
  }

  /** Signed out (the session revoked), disabled, or given another role or agency since the token was signed → sign in again; then the route's roles. */
  private admit(req: { user?: AuthUser }, user: AuthUser, now: AccountState | null, sessionOpen: boolean, roles: Role[] | undefined): boolean {
    if (!sessionOpen) throw new DomainError('UNAUTHENTICATED', '登录已退出或已失效，请重新登录');
    if (!now || !now.active || now.role !== user.role || now.agencyId !== user.agencyId) throw new DomainError('UNAUTHENTICATED', '账号状态已变更，请重新登录');
    req.user = user;
    if (roles && !roles.includes(user.role)) throw new DomainError('FORBIDDEN');
    return true;
  }
}
