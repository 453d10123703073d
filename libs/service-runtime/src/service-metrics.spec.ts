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

  it('times HTTP requests under the matched route, not the raw path', async () => {
    const metrics = new ServiceMetrics('x', { defaultMetrics: false });
    const listeners: Array<() => void> = [];
    const req = { method: 'GET', route: { path: '/api/leads/:id' }, baseUrl: '' };
    const res = { statusCode: 200, once: (_: string, fn: () => void) => listeners.push(fn) };
    metrics.httpMiddleware()(req as never, res as never, () => undefined);
    listeners.forEach((fn) => fn());
    expect((await metrics.render()).body).toContain('lead_sla_http_request_duration_seconds_count{service="x",method="GET",route="/api/leads/:id",status="200"} 1');
  });
});
