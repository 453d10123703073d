import { SpanKind } from '@opentelemetry/api';
import { withSpan } from '@lead-sla/messaging';

/**
 * Runs a request in a SERVER span that continues the caller's trace when it
 * sends a W3C `traceparent` header; the outbox row written inside it carries
 * this trace on to Kafka, so one trace follows the lead through every service.
 */
export function inServerSpan<T>(name: string, headers: Record<string, string | string[] | undefined>, attributes: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const carrier: Record<string, string> = {};
  for (const k of ['traceparent', 'tracestate']) {
    const v = headers[k];
    if (typeof v === 'string') carrier[k] = v;
  }
  return withSpan(name, SpanKind.SERVER, carrier, attributes, work, 'lead-sla-ingest');
}
