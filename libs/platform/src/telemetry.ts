import type { IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AlwaysOffSampler, BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';

let sdk: NodeSDK | null = null;

/**
 * Trace headers a producer must send as they are: an outbox row carries the
 * trace context of the span that decided the event, and the Kafka
 * instrumentation would replace it with its own send span (a child of
 * whatever runs the relay), cutting the lead's trace in two. Keyed by the
 * headers object the producer is handed, so nothing leaks onto the wire.
 */
const keptTraceHeaders = new WeakMap<object, Readonly<Record<string, string>>>();

/**
 * Marks `headers` (the object passed to the Kafka producer) as carrying a
 * stored trace context that must reach the broker unchanged; returns them.
 */
export function keepTraceHeaders<T extends Record<string, string>>(headers: T): T {
  const kept: Record<string, string> = {};
  for (const k of ['traceparent', 'tracestate']) if (headers[k] !== undefined) kept[k] = headers[k];
  if (Object.keys(kept).length > 0) keptTraceHeaders.set(headers, kept);
  return headers;
}

/** Puts back the stored trace headers of `headers` if they were marked with keepTraceHeaders (the Kafka producer hook). */
export function restoreKeptTraceHeaders(headers: Record<string, unknown> | undefined): void {
  const kept = headers ? keptTraceHeaders.get(headers) : undefined;
  if (kept) Object.assign(headers!, kept);
}

/** Probes and scrapes are not journeys: no spans for them. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|$|\?)/;

export interface TelemetryOptions {
  /** Where spans go instead of OTLP (tests: an in-memory exporter behind a simple processor). */
  readonly spanProcessors?: SpanProcessor[];
}

/**
 * Starts the OpenTelemetry NodeSDK: W3C trace context, automatic spans for
 * incoming and outgoing HTTP (Express under Nest), Postgres queries made
 * inside a traced operation, and Kafka sends and receives (kafkajs), plus the
 * project's own spans (consumers, schedulers, HTTP commands). Call it before
 * Nest, pg or kafkajs is loaded (each service's tracing.ts, imported first by
 * main.ts). Spans are recorded and exported (OTLP/HTTP) when
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set
 * (sampled as OTEL_TRACES_SAMPLER says, default: always, or as the parent
 * was), or when span processors are given (tests). Otherwise no span is
 * recorded, since nothing would read it: every span is a non-recording one
 * that still carries its trace and span ids, so trace ids flow through Kafka
 * headers, scheduled rows and log lines all the same. Recording spans nobody
 * exports cost a sixth to a third of each consuming service's CPU (docs/benchmarks.md).
 * Metrics stay on the Prometheus endpoint (/metrics), not OTLP.
 */
export function startTelemetry(serviceName: string, options: TelemetryOptions = {}): void {
  if (sdk) return;
  const exporting = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  // The SDK registers no tracer at all without a processor; a no-op one keeps spans (and their ids) recorded.
  const spanProcessors = options.spanProcessors ?? [exporting ? new BatchSpanProcessor(new OTLPTraceExporter()) : new NoopSpanProcessor()];
  const recording = exporting || options.spanProcessors !== undefined;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors,
    ...(recording ? {} : { sampler: new AlwaysOffSampler() }),
    // Without these the SDK would start OTLP metric and log exporters of its own.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? '') }),
      // Only queries of a traced operation: the relay's and schedulers' polling would otherwise start a trace each.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation({
        producerHook: (_span, { message }) => restoreKeptTraceHeaders(message.headers as Record<string, unknown> | undefined),
      }),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  const stopping = sdk;
  sdk = null;
  await stopping?.shutdown();
}
