import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Tokens that are digit runs with dashes or dots but never phone numbers, set
 * aside first so a phone number is never looked for inside or across them:
 * UUIDs and event ids, W3C traceparents, ISO dates and instants (with offsets),
 * IPv4 addresses.
 */
const UUID = String.raw`\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b`;
const TRACEPARENT = String.raw`\b[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\b`;
const ISO_INSTANT = String.raw`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?`;
const IPV4 = String.raw`\b\d{1,3}(?:\.\d{1,3}){3}\b`;
/**
 * A phone number is a whole token: it starts with + or ( or a digit that does not
 * continue an id, a key=value, a host:port or a path, and is not followed by more
 * of a token (an id such as 00e123456789 or 1234567-ab is not a phone).
 */
const PHONE = String.raw`(?:(?<![\w+])[+(]|(?<![\w.+\-:/]))\d[\d ().-]{5,}\d(?![\w]|[.:/-]\w)`;
const KEPT = new RegExp(`(${UUID}|${TRACEPARENT}|${ISO_INSTANT}|${IPV4})`);
const PHONE_TOKEN = new RegExp(PHONE, 'g');

/**
 * A phone number has 7 to 15 digits (E.164) and looks like one: a leading + or (,
 * or its digits split by spaces or dashes. Bare digit runs (offsets, epoch
 * milliseconds, counts) and decimals (1234.5678) stay as they are.
 */
function isPhone(token: string): boolean {
  const digits = token.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  return /^[+(]/.test(token) || /\d[ -]+\(?\d|\d\.\d+\.\d/.test(token);
}

/** Contact details never reach a log line (issue: observability); ids, trace ids and timestamps stay intact. */
export function redact(text: string): string {
  // split with a capturing group: odd pieces are the kept tokens.
  return text
    .replace(EMAIL, '[email]')
    .split(KEPT)
    .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(PHONE_TOKEN, (m) => (isPhone(m) ? '[phone]' : m))))
    .join('');
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  // Only plain data: a request or a socket is shaped by its serializer, which redacts it itself.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Request headers that carry credentials: never written, whatever else is. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-dashboard-session']);

interface SerializedRequest {
  readonly id?: unknown;
  readonly method?: string;
  readonly url?: string;
  readonly headers?: Record<string, unknown>;
  readonly remoteAddress?: string;
}

/**
 * How an HTTP request appears in a log line (pino-http's `req`): method, URL
 * and headers with credentials replaced by "[Redacted]" and contact details
 * masked (a URL or a header may carry an email address).
 */
export function requestLogFields(req: SerializedRequest): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? '[Redacted]' : scrub(value);
  return { id: req.id, method: req.method, url: req.url === undefined ? undefined : redact(req.url), headers, remoteAddress: req.remoteAddress };
}

/** Only the status: a response's headers may set a session cookie. */
export function responseLogFields(res: { statusCode?: number }): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

/** Errors keep their stack (redacted) under pino's `err` key (Nest's own errors). */
function errorLogFields(error: unknown): unknown {
  if (!(error instanceof Error)) return scrub(error);
  return { type: error.name, message: redact(error.message), ...(error.stack ? { stack: redact(error.stack) } : {}) };
}

/**
 * The one pino logger of a service: one JSON object per line with `time`
 * (ISO 8601), `level` (debug, info, warn, error), `service`, `msg`, the
 * `traceId` and `spanId` of the active OpenTelemetry span, and the caller's
 * fields — email addresses and phone numbers masked in the message and in
 * every field, credentials in request headers redacted. Nest (nestjs-pino),
 * pino-http's request logs and the project's Logger port all write through it.
 */
export function createPinoLogger(service: string, level: LogLevel = 'info', destination: DestinationStream = process.stdout): PinoLogger {
  return pino(
    {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        // `err` is left to its serializer (errorLogFields), which keeps the stack.
        log: ({ err, ...rest }) => ({ ...(scrub(rest) as Record<string, unknown>), ...(err === undefined ? {} : { err }) }),
      },
      mixin: () => {
        const span = trace.getActiveSpan()?.spanContext();
        return span ? { traceId: span.traceId, spanId: span.spanId } : {};
      },
      hooks: {
        // The message (and any interpolation argument) is masked like the fields.
        logMethod(args, method) {
          return method.apply(this, args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: { req: requestLogFields, res: responseLogFields, err: errorLogFields },
    },
    destination,
  );
}

/** The project's Logger port over a pino logger: the message, then the fields. */
export function loggerPort(logger: PinoLogger): Logger {
  return {
    debug: (m, f) => logger.debug(f ?? {}, m),
    info: (m, f) => logger.info(f ?? {}, m),
    warn: (m, f) => logger.warn(f ?? {}, m),
    error: (m, f) => logger.error(f ?? {}, m),
  };
}

/** One JSON object per line on stdout (or `write`), with the trace id of the active span and no contact details. */
export function createLogger(service: string, level: LogLevel = 'info', write?: (line: string) => void): Logger {
  return loggerPort(createPinoLogger(service, level, write ? { write } : process.stdout));
}
