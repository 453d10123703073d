/**
 * SQLSTATEs that say "try again", not "this message is bad": serialization
 * failure, deadlock, lock timeout, statement timeout / query cancelled, and
 * the server shutting down or restarting (57P01-57P03). Class 08 (connection
 * exception) is matched by prefix.
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03']);

/** Socket errors of a lost or refused database connection. */
const CONNECTION_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What node-postgres and its pool say when the connection drops (they set no code). */
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error and is not queryable/i,
  /terminating connection due to administrator command/i,
];

interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly driverError?: unknown;
  readonly cause?: unknown;
  readonly original?: unknown;
}

/**
 * Whether a failure is a transient database condition that a retry of the
 * whole transaction can get past. Such failures say nothing about the
 * message being applied, so they are retried and never dead-lettered.
 * Looks through wrappers (TypeORM's driverError, `cause`, `original`).
 */
export function isTransientDatabaseError(error: unknown): boolean {
  return transientCode(error, 0) !== null;
}

/** The SQLSTATE, errno or message that made `error` transient, or null (for logs). */
export function transientCode(error: unknown, depth = 0): string | null {
  if (error === null || typeof error !== 'object' || depth > 5) return null;
  const e = error as ErrorLike;
  if (typeof e.code === 'string') {
    if (TRANSIENT_SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code) || CONNECTION_ERRNOS.has(e.code)) return e.code;
  }
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.some((m) => m.test(e.message as string))) return e.message;
  for (const inner of [e.driverError, e.cause, e.original]) {
    const found = transientCode(inner, depth + 1);
    if (found) return found;
  }
  return null;
}
