import { Inject, Injectable } from '@nestjs/common';
import { INGEST_CONFIG, type IngestConfig } from '../ingest-config';
import { ApiKeyRepository, type ApiKeyRecord } from './api-key.repository';
import { hashApiKey, presentedKey, type Scope } from './api-key.util';
import { TokenBuckets, type MonotonicClock } from './token-bucket';

export const MONOTONIC_CLOCK = Symbol('MonotonicClock');

/** How long an unknown key is remembered as unknown, so repeating it costs no lookup. */
const UNKNOWN_KEY_TTL_MS = 60_000;
const UNKNOWN_KEYS_KEPT = 10_000;

export type Refusal = { readonly status: 401 | 403 | 429; readonly body: { error: string; message: string }; readonly retryAfter?: number };
export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/**
 * Who may call ingest, in the order that keeps a flood cheap: a client
 * address whose failures emptied its bucket is refused (429) before the key
 * is even hashed; a missing key, one recently found unknown, an unknown key
 * and a key without the route's scope each take a token from that address's
 * bucket. Only then does the key's own rate limit apply. All clocks here are
 * monotonic (token-bucket.ts).
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly failures: TokenBuckets;
  private readonly perKey: TokenBuckets;
  private readonly unknownKeys = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(MONOTONIC_CLOCK) private readonly now: MonotonicClock,
  ) {
    this.failures = new TokenBuckets(now);
    this.perKey = new TokenBuckets(now);
  }

  /** 401 or 429, or the active key presented in the headers. */
  async authenticate(headers: Record<string, string | string[] | undefined>, address: string): Promise<Outcome<ApiKeyRecord>> {
    const wait = this.failures.peek(address, this.failureLimit());
    if (wait > 0) {
      return refuse(429, 'rate_limited', `too many failed requests from ${address} (limit INGEST_FAILED_AUTH_RATE_PER_SECOND=${this.config.INGEST_FAILED_AUTH_RATE_PER_SECOND}/s, burst INGEST_FAILED_AUTH_BURST=${this.config.INGEST_FAILED_AUTH_BURST}); retry after ${wait} s with a valid API key`, wait);
    }
    const key = presentedKey(headers);
    if (!key) return this.fail(address, 401, 'unauthorized', 'missing API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    const hash = hashApiKey(key);
    const record = this.knownUnknown(hash) ? null : await this.keys.findActiveByKey(key);
    if (!record) {
      this.rememberUnknown(hash);
      return this.fail(address, 401, 'unauthorized', 'unknown or revoked API key');
    }
    return { ok: true, value: record };
  }

  /** 403 without the route's scope, 429 over the key's own rate limit. */
  authorize(record: ApiKeyRecord, scope: Scope, address: string): Outcome<ApiKeyRecord> {
    if (!record.scopes.includes(scope)) {
      return this.fail(address, 403, 'forbidden', `API key "${record.id}" lacks the "${scope}" scope (it has: ${record.scopes.join(', ')})`);
    }
    const limit = { ratePerSecond: record.ratePerSecond ?? this.config.INGEST_RATE_LIMIT_PER_SECOND, burst: record.burst ?? this.config.INGEST_RATE_LIMIT_BURST };
    const wait = this.perKey.take(record.id, limit);
    if (wait > 0) return refuse(429, 'rate_limited', `API key "${record.id}" is over its rate limit of ${limit.ratePerSecond}/s (burst ${limit.burst}); retry after ${wait} s`, wait);
    return { ok: true, value: record };
  }

  private failureLimit() {
    return { ratePerSecond: this.config.INGEST_FAILED_AUTH_RATE_PER_SECOND, burst: this.config.INGEST_FAILED_AUTH_BURST };
  }

  private fail(address: string, status: 401 | 403, error: string, message: string): Outcome<never> {
    this.failures.take(address, this.failureLimit());
    return refuse(status, error, message);
  }

  private knownUnknown(hash: string): boolean {
    const until = this.unknownKeys.get(hash);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.unknownKeys.delete(hash);
    return false;
  }

  private rememberUnknown(hash: string): void {
    this.unknownKeys.delete(hash);
    this.unknownKeys.set(hash, this.now() + UNKNOWN_KEY_TTL_MS);
    if (this.unknownKeys.size > UNKNOWN_KEYS_KEPT) this.unknownKeys.delete(this.unknownKeys.keys().next().value!);
  }
}

function refuse(status: Refusal['status'], error: string, message: string, retryAfter?: number): Outcome<never> {
  return { ok: false, refusal: { status, body: { error, message }, ...(retryAfter === undefined ? {} : { retryAfter }) } };
}
