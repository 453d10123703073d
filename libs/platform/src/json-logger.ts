import { trace } from '@opentelemetry/api';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Phone-like runs: an optional +, then 7+ digits possibly split by spaces, dots, dashes or brackets.
const PHONE = /[+(]?\d[\d\s().-]{5,}\d/g;

/** Contact details never reach a log line (issue: observability). */
// ISO dates and times (2026-11-24, 2026-11-24T02:48:00) are digit runs too, but never phone numbers.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

export function redact(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(PHONE, (m) => (ISO_DATE.test(m.trim()) || m.replace(/\D/g, '').length < 7 ? m : '[phone]'));
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
