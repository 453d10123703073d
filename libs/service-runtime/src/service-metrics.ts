import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';

/** The timer's SLA metrics (registered on demand by the timer service). */
export interface SlaMetrics {
  /** Deadlines stored and not yet fired (set it, or pass `pendingDeadlines` to `sla()` to read it at scrape time). */
  readonly pendingDeadlines: Gauge;
  /** Seconds from a deadline to the commit of its SlaBreached/SlaEscalated (label `clock`). */
  readonly breachFireDelay: Histogram<'clock'>;
  /** Seconds from a deadline to the moment the timer had applied every event its partition's log held then (label `clock`). */
  readonly watermarkDelay: Histogram<'clock'>;
  /** Wall-clock steps detected against the monotonic clock (label `direction`: forward, backward). */
  readonly clockSteps: Counter<'direction'>;
}

/**
 * One Prometheus registry per service process, served at GET /metrics.
 * The runtime registers the metrics every service has (HTTP latency,
 * consumer lag, outbox backlog, dead letters); a service adds its own
 * through the small API below, so metric names and the registry stay in
 * one place and tests can build an isolated instance.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
  readonly deadLetters: Counter<'reason'>;
  private slaMetrics: SlaMetrics | null = null;

  constructor(service: string, options: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'lead_sla_' });
    // OpenTelemetry's http.server.request.duration (seconds) with its attribute names, as Prometheus spells them.
    this.httpDuration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests by method, matched route and status code (OpenTelemetry http.server.request.duration).',
      labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
      registers: [this.registry],
    });
    this.deadLetters = new Counter({
      name: 'lead_sla_dead_letters_total',
      help: 'Messages this service sent to the dead-letter topic, by reason (invalid event, wrong partition for its key, handler kept failing).',
      labelNames: ['reason'],
      registers: [this.registry],
    });
  }

  /** A gauge whose value is read when Prometheus scrapes (e.g. a table count). */
  gauge<L extends string = string>(config: { name: string; help: string; labelNames?: readonly L[]; collect?: (gauge: Gauge<L>) => Promise<void> | void }): Gauge<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) return existing as Gauge<L>;
    const collect = config.collect;
    return new Gauge<L>({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames ?? [],
      registers: [this.registry],
      ...(collect ? { collect(this: Gauge<L>) { return collect(this); } } : {}),
    });
  }

  histogram<L extends string = string>(config: { name: string; help: string; labelNames?: readonly L[]; buckets?: number[] }): Histogram<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) return existing as Histogram<L>;
    return new Histogram<L>({ name: config.name, help: config.help, labelNames: config.labelNames ?? [], buckets: config.buckets, registers: [this.registry] });
  }

  counter<L extends string = string>(config: { name: string; help: string; labelNames?: readonly L[] }): Counter<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) return existing as Counter<L>;
    return new Counter<L>({ name: config.name, help: config.help, labelNames: config.labelNames ?? [], registers: [this.registry] });
  }

  /**
   * The SLA metrics of the issue (pending deadlines, breach fire delay, watermark delay, clock steps).
   * Only the timer calls this, so other services do not expose empty series.
   */
  sla(options: { pendingDeadlines?: () => Promise<number> | number } = {}): SlaMetrics {
    if (this.slaMetrics) return this.slaMetrics;
    const read = options.pendingDeadlines;
    this.slaMetrics = {
      pendingDeadlines: this.gauge({
        name: 'lead_sla_pending_deadlines',
        help: 'SLA deadlines stored and not yet fired.',
        ...(read ? { collect: async (g: Gauge) => g.set(await read()) } : {}),
      }),
      breachFireDelay: this.histogram({
        name: 'lead_sla_breach_fire_delay_seconds',
        help: 'Delay between a deadline and the commit of the breach or escalation it fired.',
        labelNames: ['clock'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      }),
      watermarkDelay: this.histogram({
        name: 'lead_sla_breach_watermark_delay_seconds',
        help: 'Delay between a deadline and the moment the timer had applied every event of its partition logged by then (a deadline fires only on complete information).',
        labelNames: ['clock'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      }),
      clockSteps: this.counter({
        name: 'lead_sla_clock_steps_total',
        help: 'Wall-clock steps (wall time moving apart from monotonic time by more than 2 s) detected by the timer, by direction.',
        labelNames: ['direction'],
      }),
    };
    return this.slaMetrics;
  }

  /**
   * Express-style middleware recording every request's latency under its matched route (not the raw path, to bound
   * cardinality). The route also names the request's server span (`GET /api/leads/:leadId`), which the HTTP
   * instrumentation alone cannot know: Nest routes through Express, whose own instrumentation is not installed.
   */
  httpMiddleware() {
    return (req: IncomingMessage & { route?: { path?: string }; baseUrl?: string }, res: ServerResponse, next: () => void) => {
      const end = this.httpDuration.startTimer();
      const span = trace.getActiveSpan();
      res.once('finish', () => {
        const matched = req.route?.path ? `${req.baseUrl ?? ''}${String(req.route.path)}` : null;
        end({ http_request_method: req.method ?? 'GET', http_route: matched ?? 'unmatched', http_response_status_code: String(res.statusCode) });
        if (span && matched) span.setAttribute(ATTR_HTTP_ROUTE, matched).updateName(`${req.method ?? 'GET'} ${matched}`);
      });
      next();
    };
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
