import { trace } from '@opentelemetry/api';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

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

/** One JSON object per line on stdout, with the trace id of the active span and no contact details. */
export function createLogger(service: string, level: LogLevel = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const log = (lvl: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < order[level]) return;
    const span = trace.getActiveSpan()?.spanContext();
    const entry = {
      time: new Date().toISOString(),
      level: lvl,
      service,
      msg: redact(message),
      ...(span ? { traceId: span.traceId, spanId: span.spanId } : {}),
      ...(fields ? (scrub(fields) as Record<string, unknown>) : {}),
    };
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
