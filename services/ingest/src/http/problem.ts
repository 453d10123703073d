import { HttpException, HttpStatus } from '@nestjs/common';
import type { z } from 'zod';

/** A 4xx with a JSON body `{ error, message, fields? }`; `message` names what was wrong and where. */
export function problem(status: HttpStatus, error: string, message: string, fields?: readonly string[]): HttpException {
  return new HttpException({ error, message, ...(fields && fields.length > 0 ? { fields } : {}) }, status);
}

/** Zod issues as "field: message" (the field path in the request body). */
export function zodProblem(error: z.ZodError, prefix = ''): HttpException {
  const fields = error.issues.map((i) => `${prefix}${i.path.length ? i.path.join('.') : '(body)'}`);
  const message = error.issues.map((i, n) => `${fields[n]}: ${i.message}`).join('; ');
  return problem(HttpStatus.BAD_REQUEST, 'invalid_request', message, fields);
}
