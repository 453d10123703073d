import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyRecord } from './api-key.repository';
import { ApiKeyAuthenticator, type Refusal } from './api-key.authenticator';

/** The address a request came from: the TCP peer (a forwarded-for header is the client's to forge). */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  res.statusCode = refusal.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (refusal.retryAfter !== undefined) res.setHeader('Retry-After', String(refusal.retryAfter));
  // The body was not read: close rather than reuse the connection.
  res.setHeader('Connection', 'close');
  res.end(JSON.stringify(refusal.body));
}

/**
 * Authenticates the API key before anything reads the body (it runs ahead of
 * JsonBodyMiddleware), so an unauthenticated client cannot make ingest read,
 * buffer or parse up to INGEST_MAX_BODY_BYTES. The route's scope is checked
 * later by ApiKeyGuard, which knows the route.
 */
@Injectable()
export class ApiKeyMiddleware implements NestMiddleware {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  async use(req: IncomingMessage & { apiKey?: ApiKeyRecord }, res: ServerResponse, next: () => void): Promise<void> {
    const outcome = await this.authenticator.authenticate(req.headers, clientAddress(req));
    if (!outcome.ok) return sendRefusal(res, outcome.refusal);
    req.apiKey = outcome.value;
    next();
  }
}
