import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { keepTraceHeaders, restoreKeptTraceHeaders } from '@lead-sla/platform';
import { currentTraceHeaders, firedEventHeaders, withConsumerSpan } from './trace-context';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const event = (type: 'SlaBreached' | 'RoutingWakeUp', leadId: string | null) => ({ type, leadId, eventId: `${type}-event-id`, occurredAt: '2026-11-30T10:00:00.000Z' });
const traceOf = (headers: Record<string, string>) => headers.traceparent?.split('-')[1];

describe('trace context carried into scheduled work', () => {
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
  });
  beforeEach(() => exporter.reset());

  it('continues the trace stored with a scheduled row when the work fires, as a child of the span that scheduled it', async () => {
    // The timer applies a LeadAssigned sent with trace TRACE and stores its span's context with the deadline row.
    const stored = await withConsumerSpan('timer decide LeadAssigned', { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` }, {}, async () => currentTraceHeaders());
    expect(traceOf(stored)).toBe(TRACE);

    const breach = event('SlaBreached', 'lead-1');
    const headers = firedEventHeaders('timer', breach, stored);

    expect(traceOf(headers)).toBe(TRACE);
    const spans = exporter.getFinishedSpans();
    const decided = spans.find((s) => s.name === 'timer decide LeadAssigned')!;
    const fired = spans.find((s) => s.name === 'timer fire SlaBreached')!;
    expect(fired.spanContext().traceId).toBe(TRACE);
    expect(fired.parentSpanContext?.spanId).toBe(decided.spanContext().spanId);
    expect(fired.kind).toBe(SpanKind.PRODUCER);
    expect(fired.attributes).toMatchObject({ 'lead.id': 'lead-1', 'event.type': 'SlaBreached', 'event.id': breach.eventId });
    // The fired event's consumers continue from the fire span.
    expect(headers.traceparent.split('-')[2]).toBe(fired.spanContext().spanId);
  });

  it('starts a trace of its own for a row stored without a trace context', () => {
    const headers = firedEventHeaders('routing', event('RoutingWakeUp', null), {});
    expect(traceOf(headers)).toMatch(/^[0-9a-f]{32}$/);
    expect(exporter.getFinishedSpans().map((s) => s.parentSpanContext)).toEqual([undefined]);
  });

  it('keeps an outbox row\'s stored trace headers when the Kafka instrumentation overwrites them with its send span', () => {
    const stored = `00-${TRACE}-00f067aa0ba902b7-01`;
    const headers = keepTraceHeaders({ traceparent: stored, 'event-type': 'LeadAssigned' });
    headers.traceparent = '00-11111111111111111111111111111111-2222222222222222-01';
    restoreKeptTraceHeaders(headers);
    expect(headers).toEqual({ traceparent: stored, 'event-type': 'LeadAssigned' });
    const unmarked: Record<string, unknown> = { traceparent: 'the send span' };
    restoreKeptTraceHeaders(unmarked);
    expect(unmarked.traceparent).toBe('the send span');
  });
});
