import { context, propagation, trace, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import type { LeadEvent } from '@lead-sla/contracts';

export type StringHeaders = Record<string, string>;

/** Kafka header values as strings (kafkajs gives Buffers). */
export function headersToStrings(headers: Record<string, unknown> | undefined): StringHeaders {
  const out: StringHeaders = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined || v === null) continue;
    const first = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

export function extractContext(headers: StringHeaders): Context {
  return propagation.extract(context.active(), headers);
}

/** W3C traceparent (and tracestate) of the active span, for outgoing headers. */
export function currentTraceHeaders(): StringHeaders {
  const carrier: StringHeaders = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs `work` in an active span of `kind` whose parent is the W3C trace
 * context in `carrier` (message headers, HTTP headers), marking it failed
 * when `work` throws.
 */
export async function withSpan<T>(
  name: string,
  kind: SpanKind,
  carrier: StringHeaders,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
  tracerName = 'lead-sla-messaging',
): Promise<T> {
  return trace.getTracer(tracerName).startActiveSpan(name, { kind, attributes }, extractContext(carrier), async (span) => {
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

/** Runs `work` in a consumer span that continues the trace in the message headers. */
export function withConsumerSpan<T>(name: string, headers: StringHeaders, attributes: Record<string, string | number>, work: () => Promise<T>): Promise<T> {
  return withSpan(name, SpanKind.CONSUMER, headers, attributes, work);
}

/**
 * For scheduled work that fires now (a timer deadline, a routing wake-up, a
 * re-qualification): records a `<service> fire <event type>` span whose
 * parent is the trace context stored with the row when it was scheduled (the
 * span that decided it), and returns the headers to publish the fired event
 * with, so its consumers continue the same trace. A row stored without a
 * trace context (older rows) starts a trace of its own.
 */
export function firedEventHeaders(service: string, event: Pick<LeadEvent, 'type' | 'leadId' | 'eventId' | 'occurredAt'>, stored: StringHeaders, tracerName = 'lead-sla-scheduler'): StringHeaders {
  const parent = propagation.extract(ROOT_CONTEXT, stored);
  const span = trace.getTracer(tracerName).startSpan(
    `${service} fire ${event.type}`,
    { kind: SpanKind.PRODUCER, attributes: { 'lead.id': event.leadId ?? '', 'event.type': event.type, 'event.id': event.eventId, 'lead_sla.scheduled_for': event.occurredAt } },
    parent,
  );
  const headers: StringHeaders = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  span.end();
  return headers;
}
