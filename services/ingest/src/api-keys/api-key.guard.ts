import { applyDecorators, CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { AuthenticatedBy } from '@lead-sla/auth';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { clientAddress } from './api-key.middleware';
import type { ApiKeyRecord } from './api-key.repository';
import type { Scope } from './api-key.util';

const SCOPE = 'ingest:required-scope';
/**
 * The scope a route needs; ApiKeyMiddleware answers 401, the guard 403 / 429.
 * It also declares the route to the platform's AccessGuard as authenticated
 * here, by ingest's hardened key check (rate limits before the body is read).
 */
export const RequireScope = (scope: Scope) =>
  applyDecorators(SetMetadata(SCOPE, scope), AuthenticatedBy(`ingest API key with the "${scope}" scope (ApiKeyMiddleware, ApiKeyGuard)`));

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  apiKey?: ApiKeyRecord;
}

/** Checks the route's scope, then the key's rate limit, on the key ApiKeyMiddleware authenticated. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = this.reflector.get<Scope | undefined>(SCOPE, context.getHandler());
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & IncomingMessage>();
    if (!request.apiKey) {
      throw new HttpException({ error: 'unauthorized', message: `no API key was authenticated for ${request.url}: the route is guarded but ApiKeyMiddleware is not applied to it (ingest.module.ts)` }, HttpStatus.UNAUTHORIZED);
    }
    const outcome = this.authenticator.authorize(request.apiKey, scope, clientAddress(request));
    if (outcome.ok) return true;
    const { refusal } = outcome;
    if (refusal.retryAfter !== undefined) context.switchToHttp().getResponse<{ setHeader(n: string, v: string): void }>().setHeader('Retry-After', String(refusal.retryAfter));
    throw new HttpException(refusal.body, refusal.status);
  }
}
