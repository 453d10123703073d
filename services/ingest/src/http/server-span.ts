import { context, propagation, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';

/**
 * Runs a request in a SERVER span that continues the caller's trace when it
 * sends a W3C `traceparent` header; the outbox row written inside it carries
 * this trace on to Kafka, so one trace follows the lead through every service.
 */
export async function inServerSpan<T>(name: string, headers: Record<string, string | string[] | undefined>, attributes: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const carrier: Record<string, string> = {};
  for (const k of ['traceparent', 'tracestate']) {
    const v = headers[k];
    if (typeof v === 'string') carrier[k] = v;
  }
  const parent = propagation.extract(context.active(), carrier);
  return trace.getTracer('lead-sla-ingest').startActiveSpan(name, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
