import { ForbiddenException, HttpException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Policy } from '@lead-sla/policy';
import { ROUTE_ACCESS, type RequestWithPrincipal, type RouteAccess } from './access.decorators';
import { decideAccess, type Action } from './access.rule';
import { Authenticator } from './authenticator';
import type { Principal } from './principal';

export const AUTH_POLICY = Symbol('AuthPolicy');

/** Actions decided without facts about a lead or a rep: the guard decides them itself. */
const factless = new Set(['facts.publish', 'facts.read', 'keys.manage', 'policy.publish', 'policy.read', 'policy.simulate']);

/**
 * The one guard of every service (APP_GUARD): a public route passes; a
 * guarded route needs credentials (401 without or with bad ones) and, for
 * actions that need no facts, the right grant (403); a route that declares
 * nothing is refused, so a new route cannot be open by accident.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(AUTH_POLICY) private readonly policy: () => Policy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<RequestWithPrincipal & { headers: Record<string, string | string[] | undefined>; method: string; url: string }>();
    if (!access) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `${request.method} ${request.url.split('?')[0]} declares no access rule (@Public, @Guarded or @AuthenticatedBy), so it is refused; add it to the route table in docs/security.md` });
    }
    if ('public' in access || 'authenticatedBy' in access) return true;
    const outcome = await this.authenticator.authenticate(request.headers, request.method);
    if (!outcome.ok) {
      const error = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[outcome.status];
      throw new HttpException({ statusCode: outcome.status, error, message: outcome.message }, outcome.status);
    }
    request.principal = outcome.principal;
    if (factless.has(access.action)) requireAccess(outcome.principal, { kind: access.action } as Action, this.policy());
    return true;
  }
}

/** Throws 403 with the table's reason unless `principal` may do `action`. */
export function requireAccess(principal: Principal, action: Action, policy: Policy): void {
  const decision = decideAccess(principal, action, policy);
  if (!decision.allowed) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: decision.reason });
}

/** What a handler uses to check the facts it looked up (the lead's owner, the rep) against the table. */
@Injectable()
export class AccessControl {
  constructor(@Inject(AUTH_POLICY) private readonly policy: () => Policy) {}

  require(principal: Principal, action: Action): void {
    requireAccess(principal, action, this.policy());
  }

  decide(principal: Principal, action: Action) {
    return decideAccess(principal, action, this.policy());
  }
}
