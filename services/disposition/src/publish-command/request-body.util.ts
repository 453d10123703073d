import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Parses a request body with the event's own contract schema, so HTTP and
 * Kafka accept exactly the same data; a malformed body is a 400 naming
 * each field and what is wrong with it.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body ?? undefined);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const field = i.path.length ? i.path.join('.') : '(body)';
    return i.code === 'unrecognized_keys' ? `${field}: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}` : `${field}: ${i.message}`;
  });
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid ${what}: ${problems.join('; ')}`, problems });
}
