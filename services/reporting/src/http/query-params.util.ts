import { BadRequestException } from '@nestjs/common';

/**
 * Query parameter parsing for the reporting API: every rejection is a 400
 * whose message names the parameter, what was wrong and what is accepted.
 */
export type Query = Readonly<Record<string, unknown>>;

export function badParameter(parameter: string, problem: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', parameter, message: `query parameter "${parameter}" ${problem}` });
}

function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badParameter(name, 'must be given once');
  return v;
}

export function optionalText(query: Query, name: string, maxLength = 200): string | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  if (v.trim() === '' || v.length > maxLength) throw badParameter(name, `must be a non-empty string of at most ${maxLength} characters (got "${v.slice(0, 40)}")`);
  return v;
}

export function requiredText(query: Query, name: string): string {
  const v = optionalText(query, name);
  if (v === undefined) throw badParameter(name, 'is required');
  return v;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function optionalDay(query: Query, name: string): string | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw badParameter(name, `must be a calendar date YYYY-MM-DD (got "${v.slice(0, 40)}")`);
  }
  return v;
}

export function requiredDay(query: Query, name: string): string {
  const v = optionalDay(query, name);
  if (v === undefined) throw badParameter(name, 'is required (a calendar date YYYY-MM-DD)');
  return v;
}

export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[], fallback?: T): T {
  const v = single(query, name);
  if (v === undefined) {
    if (fallback === undefined) throw badParameter(name, `is required (one of ${allowed.join(', ')})`);
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(v)) throw badParameter(name, `must be one of ${allowed.join(', ')} (got "${v.slice(0, 40)}")`);
  return v as T;
}

export function integerIn(query: Query, name: string, min: number, max: number, fallback: number): number {
  const v = single(query, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw badParameter(name, `must be an integer from ${min} to ${max} (got "${v.slice(0, 40)}")`);
  return Number(v);
}

/** from/to (inclusive) with from ≤ to and at most maxDays days. */
export function period(query: Query, maxDays = 366): { from: string; to: string } {
  const from = requiredDay(query, 'from');
  const to = requiredDay(query, 'to');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0) throw badParameter('to', `must not be before "from" (${from})`);
  if (days >= maxDays) throw badParameter('to', `must be less than ${maxDays} days after "from"`);
  return { from, to };
}

/** Opaque keyset cursor: base64url JSON of the last row's sort key. */
export function encodeCursor(value: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(query: Query, name = 'cursor'): unknown[] | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(v, 'base64url').toString('utf8'));
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw badParameter(name, 'is not a cursor this API returned (pass nextCursor from the previous page unchanged)');
}

/** Rejects parameters the endpoint does not know, so a typo is not silently ignored. */
export function onlyKnown(query: Query, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) throw badParameter(name, `is not known here; known parameters: ${known.join(', ')}`);
  }
}
