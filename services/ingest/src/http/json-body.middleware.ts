import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INGEST_CONFIG, type IngestConfig } from '../ingest-config';

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  // The rest of an oversized body is not read: close rather than reuse the connection.
  if (status === 413) res.setHeader('Connection', 'close');
  res.end(JSON.stringify(body));
}

/**
 * Reads JSON request bodies itself (Nest's parser is off for ingest) so the
 * size limit is INGEST_MAX_BODY_BYTES and every failure is a JSON 4xx that
 * says what was wrong: 413 too large, 415 not JSON, 400 malformed JSON.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  use(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void): void {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') return next();
    const limit = this.config.INGEST_MAX_BODY_BYTES;
    const tooLarge = { error: 'payload_too_large', message: `request body exceeds ${limit} bytes (the limit is INGEST_MAX_BODY_BYTES)` };
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return reply(res, 413, tooLarge);
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      return reply(res, 415, { error: 'unsupported_media_type', message: `Content-Type must be application/json (got "${type || 'none'}")` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reply(res, 413, tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        req.body = text.length === 0 ? undefined : JSON.parse(text);
      } catch (error) {
        return reply(res, 400, { error: 'invalid_json', message: `request body is not valid JSON: ${(error as Error).message}` });
      }
      next();
    });
  }
}
