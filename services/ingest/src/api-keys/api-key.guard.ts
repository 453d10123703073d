import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CLOCK } from '@lead-sla/service-runtime';
import type { Clock } from '@lead-sla/platform';
import { INGEST_CONFIG, type IngestConfig } from '../ingest-config';
import { ApiKeyRepository, type ApiKeyRecord } from './api-key.repository';
import { presentedKey, type Scope } from './api-key.util';
import { TokenBuckets } from './token-bucket';

const SCOPE = 'ingest:required-scope';
/** The scope a route needs; the guard answers 401 / 403 / 429. */
export const RequireScope = (scope: Scope) => SetMetadata(SCOPE, scope);

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  apiKey?: ApiKeyRecord;
}

/** Authenticates the API key, checks the route's scope, then the key's rate limit. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly buckets = new TokenBuckets();

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.get<Scope | undefined>(SCOPE, context.getHandler());
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = presentedKey(request.headers);
    if (!key) throw new HttpException({ error: 'unauthorized', message: 'missing API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"' }, HttpStatus.UNAUTHORIZED);
    const record = await this.keys.findActiveByKey(key);
    if (!record) throw new HttpException({ error: 'unauthorized', message: 'unknown or revoked API key' }, HttpStatus.UNAUTHORIZED);
    if (!record.scopes.includes(scope)) {
      throw new HttpException({ error: 'forbidden', message: `API key "${record.id}" lacks the "${scope}" scope (it has: ${record.scopes.join(', ')})` }, HttpStatus.FORBIDDEN);
    }
    const limit = { ratePerSecond: record.ratePerSecond ?? this.config.INGEST_RATE_LIMIT_PER_SECOND, burst: record.burst ?? this.config.INGEST_RATE_LIMIT_BURST };
    const retryAfter = this.buckets.take(record.id, limit, this.clock.now().getTime());
    if (retryAfter > 0) {
      context.switchToHttp().getResponse<{ setHeader(n: string, v: string): void }>().setHeader('Retry-After', String(retryAfter));
      throw new HttpException(
        { error: 'rate_limited', message: `API key "${record.id}" is over its rate limit of ${limit.ratePerSecond}/s (burst ${limit.burst}); retry after ${retryAfter} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    request.apiKey = record;
    return true;
  }
}
