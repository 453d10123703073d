import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { ActionKind } from './access.rule';
import type { Principal } from './principal';

export const ROUTE_ACCESS = 'lead-sla:route-access';

/**
 * How a route is protected; every route declares one (a test enumerates the
 * routers and fails on a route without it, and AccessGuard refuses it):
 * public by declaration with the reason, guarded by an action of the
 * authorization table, or authenticated by the service's own edge guard.
 */
export type RouteAccess = { readonly public: string } | { readonly action: ActionKind } | { readonly authenticatedBy: string };

/** Open to anyone, with the reason (health probes, the metrics scrape, static pages without data). */
export const Public = (reason: string) => SetMetadata(ROUTE_ACCESS, { public: reason } satisfies RouteAccess);

/** Needs a verified principal allowed `action` (access.rule.ts); the handler checks the facts with AccessControl. */
export const Guarded = (action: ActionKind) => SetMetadata(ROUTE_ACCESS, { action } satisfies RouteAccess);

/** Authenticated by a guard of the service's own (ingest's hardened API-key middleware and guard). */
export const AuthenticatedBy = (how: string) => SetMetadata(ROUTE_ACCESS, { authenticatedBy: how } satisfies RouteAccess);

export interface RequestWithPrincipal {
  principal?: Principal;
}

/** The principal AccessGuard verified for this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('no verified principal on this request: the route must be @Guarded(…) to use @CurrentPrincipal()');
  return principal;
});
