import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServiceMetrics } from './service-metrics';

describe('service metrics registry', () => {
  it('exposes the SLA metrics a service registers, read at scrape time, labelled with the service', async () => {
    const metrics = new ServiceMetrics('timer', { defaultMetrics: false });
    let pending = 3;
    const sla = metrics.sla({ pendingDeadlines: () => pending });
    sla.breachFireDelay.observe({ clock: 'first_touch' }, 0.2);
    pending = 7;
    const { body } = await metrics.render();
    expect(body).toContain('lead_sla_pending_deadlines{service="timer"} 7');
    expect(body).toContain('lead_sla_breach_fire_delay_seconds_bucket{le="0.25",service="timer",clock="first_touch"} 1');
    expect(metrics.sla()).toBe(sla);
  });

  it('returns the existing metric when a name is registered twice', () => {
    const metrics = new ServiceMetrics('x', { defaultMetrics: false });
    const a = metrics.counter({ name: 'lead_sla_things_total', help: 'things' });
    expect(metrics.counter({ name: 'lead_sla_things_total', help: 'things' })).toBe(a);
  });

  it('times HTTP requests under the matched route, not the raw path, with OpenTelemetry\'s metric and attribute names, and names the server span by the route', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    try {
      const metrics = new ServiceMetrics('x', { defaultMetrics: false });
      const listeners: Array<() => void> = [];
      const req = { method: 'GET', route: { path: '/api/leads/:id' }, baseUrl: '' };
      const res = { statusCode: 200, once: (_: string, fn: () => void) => listeners.push(fn) };
      // As the HTTP instrumentation runs the request: in its server span.
      const span = trace.getTracer('test').startSpan('GET');
      trace.getTracer('test').startActiveSpan('GET', (active) => {
        metrics.httpMiddleware()(req as never, res as never, () => undefined);
        listeners.forEach((fn) => fn());
        active.end();
      });
      span.end();
      expect((await metrics.render()).body).toContain('http_server_request_duration_seconds_count{service="x",http_request_method="GET",http_route="/api/leads/:id",http_response_status_code="200"} 1');
      expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['http.route']])).toEqual([['GET /api/leads/:id', '/api/leads/:id'], ['GET', undefined]]);
    } finally {
      await provider.shutdown();
      trace.disable();
    }
  });
});
