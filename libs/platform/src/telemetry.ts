import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

let provider: NodeTracerProvider | null = null;

/**
 * Starts OpenTelemetry tracing; call it before Nest is imported. Spans are
 * always recorded, so W3C trace context flows through Kafka headers; they
 * are exported (OTLP/HTTP) only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function startTelemetry(serviceName: string): void {
  if (provider) return;
  const spanProcessors: SpanProcessor[] = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? [new BatchSpanProcessor(new OTLPTraceExporter())] : [];
  provider = new NodeTracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }), spanProcessors });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
}

export async function stopTelemetry(): Promise<void> {
  await provider?.shutdown();
  provider = null;
}
